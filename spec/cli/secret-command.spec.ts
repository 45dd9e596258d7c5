/**
 * A profile whose secret key comes from a command (`dcm configure --secret-command`), used by the
 * built executables against the emulator: requests are signed with the key the command prints,
 * the command runs once per process, and the key never shows in the profile, the output, an error
 * or the journal.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { requireBuild, runBin, type RunResult } from './run-bin.js';

const SECRET = 'pm-held-secret-5e0c9a71d3f2';
const ACCESS = 'VAULTACCESSKEY';
const SCRIPT = fileURLToPath(new URL('../lib/config/scripts/print-secret.mjs', import.meta.url));

let emulator: EmulatorHandle;
let home: string;
let counter: string;
let vault: string;

beforeAll(async () => {
  requireBuild();
  emulator = await spawnEmulator({ port: 0, keys: [{ accessKey: ACCESS, secretKey: SECRET }] });
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'mixcoatl-secret-command-cli-'));
  counter = join(home, 'runs');
  vault = join(home, 'vault');
  writeFileSync(vault, SECRET);
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** The environment of a user with a profile `lab` and a journal in the sandbox: no key anywhere else. */
const env = (): Record<string, string | undefined> => ({ PATH: process.env.PATH, HOME: home, DCM_PROFILE: 'lab', MIXCOATL_JOURNAL_DIR: join(home, 'journal'), MIXCOATL_JOURNAL_READS: '1' });

function configure(command: string): Promise<RunResult> {
  return runBin('dcm', ['configure', '--profile', 'lab', '--endpoint', emulator.url, '--access-key', ACCESS, '--secret-command', command], { env: { PATH: process.env.PATH, HOME: home } });
}

/** Every file under `dir`, recursively, as text. */
function filesUnder(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile() && file !== vault)
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

function runs(): number {
  return readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
}

it('dcm configure --secret-command writes the command, never a secret, and asks for none', async () => {
  const command = `'${process.execPath}' '${SCRIPT}' '${counter}' '${vault}'`;
  const r = await configure(command);
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: '' });
  expect(r.stderr).not.toMatch(/Secret key/);
  const file = join(home, '.mixcoatl', 'lab.config');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readFileSync(file, 'utf8')).toBe(`DCM_ENDPOINT='${emulator.url}'\nDCM_ACCESS_KEY='${ACCESS}'\nDCM_SECRET_COMMAND='${command}'\n`);
  // configure does not run the command.
  expect(() => runs()).toThrow(/ENOENT/);
});

it('the profile signs correctly: reads and writes succeed, the command runs once per process, and the secret is nowhere', async () => {
  await configure(`'${process.execPath}' '${SCRIPT}' '${counter}' '${vault}'`);
  const [server] = await emulator.items('infrastructure/Server');
  const check = await runBin('dcm', ['check'], { env: env() });
  expect(check.code).toBe(0);
  expect(runs()).toBe(1);
  const read = await runBin('dcm-get', [`infrastructure/Server/${server.serverId}`], { env: env() });
  expect(read.code).toBe(0);
  expect(JSON.parse(read.stdout).servers[0].serverId).toBe(server.serverId);
  const write = await runBin('dcm-put', [`infrastructure/Server/${server.serverId}`, '{"describeServer": [{"description": "signed by a command"}]}'], { env: env() });
  expect(write.code).toBe(0);
  expect(runs()).toBe(3);
  expect((await emulator.requestLog()).every((entry) => entry.accessKey === ACCESS && entry.status < 400)).toBe(true);
  for (const r of [check, read, write]) expect(r.stdout + r.stderr).not.toContain(SECRET);
  const files = filesUnder(home);
  expect(files.some(({ file }) => file.includes('journal'))).toBe(true);
  expect(files.filter(({ text }) => text.includes(SECRET)).map(({ file }) => file)).toEqual([]);
});

it('a failing command is a usage error naming the command and its exit status, never what it printed', async () => {
  const command = `'${process.execPath}' '${SCRIPT}' '${counter}' '${vault}' 7`;
  await configure(command);
  const r = await runBin('dcm-get', ['infrastructure/Server'], { env: env() });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`secret command ${JSON.stringify(command)}`);
  expect(r.stderr).toContain('failed with exit status 7');
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  expect(filesUnder(home).filter(({ text }) => text.includes(SECRET)).map(({ file }) => file)).toEqual([]);
});
