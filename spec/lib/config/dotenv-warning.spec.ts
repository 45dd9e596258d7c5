/**
 * A `.env` in the working directory that turns TLS verification off or redirects the endpoint
 * gets one warning line on stderr per process, naming the file and the settings and never a
 * secret. Run in child processes (the built dcm-get, and a script using the built library), since
 * the warning is once per process and the working directory is part of the setting.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, lines, requireBuild, ROOT } from '../../cli/run-bin.js';
import { runProcess, type RunResult } from '../../support/run-process.js';

const SECRET = 'dotenv-secret-Pw4rT9zQ';
let http: HttpServer;
let endpoint: string;
let dir: string;

beforeAll(async () => {
  requireBuild();
  http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"regions":[{"regionId":1,"name":"one"}]}');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/enstratus/2015-05-25`;
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mixcoatl-dotenv-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return runProcess(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ...env } });
}

function dotenv(lines: string[]): string {
  const file = join(dir, '.env');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const KEYS = ['ES_ACCESS_KEY=AK', `ES_SECRET_KEY=${SECRET}`];
/** The same keys in the environment: requests signed with them are not the `.env` file's own. */
const ENV_KEYS = { ES_ACCESS_KEY: 'AK', ES_SECRET_KEY: SECRET };

describe('.env settings that weaken security', () => {
  it('dcm-get warns once, naming the file and both settings, and never the secret', async () => {
    const file = dotenv(['ES_SSL_VERIFY=false', `DCM_ENDPOINT=${endpoint}`]);
    const r = await run([binPath('dcm-get'), 'geography/Region'], ENV_KEYS);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).regions).toHaveLength(1);
    expect(lines(r.stderr)).toEqual([
      `[mixcoatl] warning: ${file} sets ES_SSL_VERIFY=false (TLS certificates are not verified) and DCM_ENDPOINT (signed requests go to ${new URL(endpoint).origin}); if that is intended, set them in the environment or a profile instead`,
    ]);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('says nothing when the environment overrides those settings, or the .env holds only keys', async () => {
    dotenv([...KEYS, 'DCM_SSL_VERIFY=0', 'ES_ENDPOINT=https://elsewhere.example.com/api/enstratus/2015-05-25']);
    const overridden = await run([binPath('dcm-get'), 'geography/Region'], { ES_ENDPOINT: endpoint, ES_SSL_VERIFY: 'true' });
    expect(overridden).toMatchObject({ code: 0, stderr: '' });
    dotenv([...KEYS, 'ES_SSL_VERIFY=true']);
    const keysOnly = await run([binPath('dcm-get'), 'geography/Region'], { ES_ENDPOINT: endpoint });
    expect(keysOnly).toMatchObject({ code: 0, stderr: '' });
  });

  it('--endpoint on the command line overrides the .env endpoint: only the TLS setting is named', async () => {
    const file = dotenv([...KEYS, 'DCM_SSL_VERIFY=0', 'ES_ENDPOINT=https://elsewhere.example.com/api/enstratus/2015-05-25']);
    const r = await run([binPath('dcm-get'), 'geography/Region', '--endpoint', endpoint]);
    expect(r.code).toBe(0);
    expect(lines(r.stderr)).toEqual([
      `[mixcoatl] warning: ${file} sets DCM_SSL_VERIFY=0 (TLS certificates are not verified); if that is intended, set it in the environment or a profile instead`,
    ]);
  });

  it('an endpoint set in .env together with its own key pair is not warned about: the copied .env.example warns nothing', async () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    expect(example).toMatch(/^ES_ENDPOINT=/m);
    expect(example).toMatch(/^ES_ACCESS_KEY=/m);
    writeFileSync(join(dir, '.env'), example.replace(/^ES_ENDPOINT=.*$/m, `ES_ENDPOINT=${endpoint}`));
    const copied = await run([binPath('dcm-get'), 'geography/Region']);
    expect(copied).toMatchObject({ code: 0, stderr: '' });
    // The same endpoint with keys from the environment is named.
    const file = dotenv([`ES_ENDPOINT=${endpoint}`]);
    const borrowed = await run([binPath('dcm-get'), 'geography/Region'], ENV_KEYS);
    expect(borrowed.code).toBe(0);
    expect(lines(borrowed.stderr)).toEqual([
      `[mixcoatl] warning: ${file} sets ES_ENDPOINT (signed requests go to ${new URL(endpoint).origin}); if that is intended, set it in the environment or a profile instead`,
    ]);
  });

  it('the library warns once per process, however often it resolves its settings', async () => {
    const file = dotenv([`ES_ENDPOINT=${endpoint}`]);
    const script = [
      `import { request } from ${JSON.stringify(join(ROOT, 'dist', 'lib', 'index.js'))};`,
      'for (let i = 0; i < 3; i++) {',
      '  process.env.DCM_TIMEOUT = String(60000 + i);', // a changed setting makes the resolver read the files again
      "  console.log((await request('GET', 'geography/Region')).statusCode);",
      '}',
    ].join('\n');
    const r = await run(['--input-type=module', '-e', script], ENV_KEYS);
    expect(r).toMatchObject({ code: 0, stdout: '200\n200\n200\n' });
    expect(lines(r.stderr)).toEqual([
      `[mixcoatl] warning: ${file} sets ES_ENDPOINT (signed requests go to ${new URL(endpoint).origin}); if that is intended, set it in the environment or a profile instead`,
    ]);
  });
});
