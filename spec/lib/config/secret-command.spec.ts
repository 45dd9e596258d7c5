/**
 * The secret key from a command (lib/config/secret-command.ts): the command line split without a
 * shell, run once per process per endpoint, and its failures named without its output.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../../lib/errors.js';
import { secretFromCommand, splitCommand } from '../../../lib/config/secret-command.js';

const SCRIPT = fileURLToPath(new URL('./scripts/print-secret.mjs', import.meta.url));
const SECRET = 'pm-secret-8f3a9c2e71b4d5f6';
let dir: string;
let counter: string;
let secretFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mixcoatl-secret-command-'));
  counter = join(dir, 'runs with space.txt');
  secretFile = join(dir, 'vault');
  writeFileSync(secretFile, SECRET);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function runs(): number {
  try {
    return readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

/** A command line that runs the script with these arguments, quoted the way a user would. */
function line(...args: string[]): string {
  return [process.execPath, SCRIPT, ...args].map((a) => `'${a}'`).join(' ');
}

describe('splitCommand', () => {
  it.each([
    ['op read op://vault/dcm/secret', ['op', 'read', 'op://vault/dcm/secret']],
    ['  security   find-generic-password -w -s "DCM key"  ', ['security', 'find-generic-password', '-w', '-s', 'DCM key']],
    [`pass show 'dcm/prod key'`, ['pass', 'show', 'dcm/prod key']],
    [String.raw`printf a\ b "c\"d" 'e\f'`, ['printf', 'a b', 'c"d', String.raw`e\f`]],
    ['echo "" x', ['echo', '', 'x']],
  ])('%s', (text, argv) => {
    expect(splitCommand(text)).toEqual(argv);
  });

  it('expands nothing: variables, globs, pipes and substitutions are arguments like any other', () => {
    expect(splitCommand('echo $HOME * | cat `id` $(id) ; rm')).toEqual(['echo', '$HOME', '*', '|', 'cat', '`id`', '$(id)', ';', 'rm']);
  });

  it.each([
    ['echo "open', /unclosed double quote/],
    ["echo 'open", /unclosed single quote/],
    ['echo x\\', /lone backslash/],
    ['   ', /secret command is empty/],
  ])('refuses %j', (text, message) => {
    expect(() => splitCommand(text)).toThrow(ConfigError);
    expect(() => splitCommand(text)).toThrow(message);
  });
});

describe('secretFromCommand', () => {
  it('runs the command without a shell and returns its trimmed output, once per endpoint', () => {
    const endpoint = { url: 'https://dcm.example.com/api/enstratus/2015-05-25', accessKey: 'AK1' };
    const command = line(counter, secretFile);
    expect(secretFromCommand(command, endpoint, 'test')).toBe(SECRET);
    expect(secretFromCommand(command, endpoint, 'test')).toBe(SECRET);
    expect(runs()).toBe(1);
    // Another endpoint (or access key) asks again.
    expect(secretFromCommand(command, { ...endpoint, accessKey: 'AK2' }, 'test')).toBe(SECRET);
    expect(runs()).toBe(2);
  });

  it('names the command and its exit status, never what it printed', () => {
    const command = line(counter, secretFile, '3');
    let caught: unknown;
    try {
      secretFromCommand(command, { url: 'https://a.example.com', accessKey: 'AK' }, 'secretCommand in the profile /p');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.message).toContain(JSON.stringify(command));
    expect(error.message).toContain('exit status 3');
    expect(error.message).toContain('secretCommand in the profile /p');
    expect(JSON.stringify({ message: error.message, stack: error.stack, cause: String(error.cause) })).not.toContain(SECRET);
  });

  it('names a command that does not exist', () => {
    expect(() => secretFromCommand('no-such-command-for-mixcoatl --x', { url: 'https://a.example.com', accessKey: 'AK' }, 'DCM_SECRET_COMMAND in the environment')).toThrow(/secret command "no-such-command-for-mixcoatl --x" \(DCM_SECRET_COMMAND in the environment\) could not be run: no-such-command-for-mixcoatl was not found/);
  });

  it('refuses a command that prints nothing', () => {
    expect(() => secretFromCommand(`'${process.execPath}' -e ''`, { url: 'https://a.example.com', accessKey: 'AK' }, 'test')).toThrow(/printed nothing/);
  });
});
