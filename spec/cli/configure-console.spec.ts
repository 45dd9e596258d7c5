/**
 * `dcm configure` (profile file, mode 0600, secret never echoed, then used by another tool) and
 * `dcm console` (a REPL driven through piped stdin against the emulator), both built and spawned.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveEndpoint } from '../../lib/config/resolve.js';
import { binPath, runBin, sandbox, type RunResult, type Sandbox } from './run-bin.js';

let box: Sandbox;

beforeAll(async () => {
  box = await sandbox();
});

afterAll(async () => {
  await box?.close();
});

/**
 * Runs the console, sending each line only once the REPL shows its prompt again, i.e. once the
 * previous line (a top-level await included) has finished: no pause to guess, however slow the
 * machine. Closes stdin after the last line.
 */
function converse(args: string[], env: Record<string, string | undefined>, prompt: string, lines: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath('dcm'), ...args], { cwd: env.HOME, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = 0;
    const prompts = () => stdout.split(prompt).length - 1;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      // Prompt n+1 appears when line n is done; the first prompt comes before any line.
      while (sent < lines.length && prompts() > sent) child.stdin.write(`${lines[sent++]}\n`);
      if (sent === lines.length && !child.stdin.writableEnded) child.stdin.end();
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment without any key: only a profile can supply them. */
const bare = () => ({ PATH: box.env.PATH, HOME: box.home });

describe('dcm configure', () => {
  it('writes ~/.mixcoatl/<name>.config with mode 0600 from flags and a piped secret, never echoing it', async () => {
    const r = await runBin('dcm', ['configure', '--profile', 'lab', '--endpoint', box.emulator.url, '--access-key', box.emulator.accessKey], {
      env: bare(),
      input: `${box.emulator.secretKey}\n`,
    });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(box.emulator.secretKey);
    const file = join(box.home, '.mixcoatl', 'lab.config');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`DCM_ENDPOINT='${box.emulator.url}'\nDCM_ACCESS_KEY='${box.emulator.accessKey}'\nDCM_SECRET_KEY='${box.emulator.secretKey}'\n`);
    expect(r.stderr).toContain(`Wrote ${file} (mode 0600)`);
  });

  it('the profile is then used by --profile and by DCM_PROFILE', async () => {
    const byFlag = await runBin('dcm-get', ['geography/Region', '--profile', 'lab'], { env: bare() });
    expect(byFlag.code).toBe(0);
    expect(JSON.parse(byFlag.stdout).regions.length).toBeGreaterThan(0);
    const byEnv = await runBin('dcm', ['region', 'list', '--keys-only'], { env: { ...bare(), DCM_PROFILE: 'lab' } });
    expect(byEnv.code).toBe(0);
    expect(byEnv.stdout).toContain('19344');
  });

  it('reads every missing answer from stdin, writes ~/.mixcoatl/default without --profile, and --reset-default removes it', async () => {
    const r = await runBin('dcm', ['configure'], { env: bare(), input: `${box.emulator.url}\n${box.emulator.accessKey}\n${box.emulator.secretKey}\n` });
    expect(r.code).toBe(0);
    const file = join(box.home, '.mixcoatl', 'default');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await runBin('dcm-head', ['geography/Region'], { env: bare() })).code).toBe(0);
    expect((await runBin('mixcoatl', ['--reset_config'], { env: bare() })).code).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ['quotes', `a"b'c"`, `'quoted'`],
    ['a hash and spaces', 'se cret # not a comment', '  padded key  '],
    ['backslashes', 'C:\\new\\table\\n', 'k\\'],
    ['quotes at both ends', '"whole"', "'whole'"],
    ['an equals sign and unicode', 'a=b=c ünï €', 'export X=1'],
  ])('values with %s read back exactly through the config resolver', async (_what, secret, accessKey) => {
    const r = await runBin('dcm', ['configure', '--profile', 'hostile', '--endpoint', box.emulator.url, '--access-key', accessKey], { env: bare(), input: `${secret}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(secret);
    const endpoint = resolveEndpoint(undefined, { HOME: box.home, DCM_PROFILE: 'hostile' });
    expect(endpoint.secretKey).toBe(secret);
    expect(endpoint.accessKey).toBe(accessKey);
    expect(endpoint.url).toBe(box.emulator.url);
  });

  it('refuses a value with a line break, writing nothing', async () => {
    const r = await runBin('dcm', ['configure', '--profile', 'multi', '--endpoint', box.emulator.url, '--access-key', 'one\ntwo'], { env: bare(), input: 'secret\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the access key must be one line/);
    expect(existsSync(join(box.home, '.mixcoatl', 'multi.config'))).toBe(false);
  });

  it('closes a world-writable ~/.mixcoatl and an open profile file to their owner, leaving no temporary file', async () => {
    const dir = join(box.home, '.mixcoatl');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    writeFileSync(join(dir, 'open.config'), 'DCM_SECRET_KEY=old\n', { mode: 0o666 });
    chmodSync(join(dir, 'open.config'), 0o666);
    const r = await runBin('dcm', ['configure', '--profile', 'open', '--endpoint', box.emulator.url, '--access-key', 'K'], { env: bare(), input: 'new-secret\n' });
    expect(r.code).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'open.config')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(resolveEndpoint(undefined, { HOME: box.home, DCM_PROFILE: 'open' }).secretKey).toBe('new-secret');
  });

  it('refuses when the secret is missing, and an unknown profile is a config error', async () => {
    const noSecret = await runBin('dcm', ['configure', '--profile', 'x', '--endpoint', box.emulator.url, '--access-key', 'K'], { env: bare() });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/missing the secret key/);
    const unknown = await runBin('dcm-get', ['geography/Region', '--profile', 'nope'], { env: bare() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^dcm-get: ConfigError: profile "nope" not found/);
  });
});

describe('dcm console', () => {
  it('has the resource classes in scope, top-level await, lazy reads, no fetch on echo, and a history file', async () => {
    const history = join(box.home, 'history.txt');
    const r = await converse(['console'], { ...box.env, DCM_CONSOLE_HISTORY: history }, 'dcm> ', [
      'const s = new Server(331810)',
      's',
      'console.log("loaded before read:", s.isLoaded)',
      'console.log("name:", typeof s.name, s.isLoaded)',
      'const regions = await Region.all()',
      'console.log("regions:", regions.length > 0, typeof configure, typeof Endpoint, typeof Volume)',
      '.exit',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Server <331810> (not loaded)');
    expect(r.stdout).toContain('loaded before read: false');
    expect(r.stdout).toContain('name: string true');
    expect(r.stdout).toContain('regions: true function function function');
    expect(readFileSync(history, 'utf8').split('\n')).toEqual(expect.arrayContaining(['const s = new Server(331810)', 'const regions = await Region.all()']));
    expect(statSync(history).mode & 0o777).toBe(0o600);
  });

  it('prints pprint() output once, and holds resources and the public API but not internals', async () => {
    const r = await converse(['console', '--quiet'], { ...box.env, DCM_CONSOLE_HISTORY: '' }, 'dcm> ', [
      'const region = new Region(19344)',
      'region.pprint()',
      'console.log("scope:", typeof Server, typeof NotFoundError, typeof configure, typeof Endpoint)',
      'console.log("internals:", typeof sign, typeof stringToSign, typeof defaultTransport, typeof attribute)',
      '.exit',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('Region <19344>').length - 1).toBe(1);
    expect(r.stdout.split('AWS Western United States (2)').length - 1).toBe(1);
    expect(r.stdout).not.toContain("'Region <19344>");
    expect(r.stdout).toContain('scope: function function function function');
    expect(r.stdout).toContain('internals: undefined undefined undefined undefined');
  });
});
