/**
 * The synchronous transport's worker starts the same way whatever the parent's flags, and a worker
 * that cannot start is a typed error at once, not a wait for the whole timeout. The flag cases are
 * real node processes (the built package) reading from a loopback server in this process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SyncBridge, workerExecArgv } from '../../../lib/http/bridge.js';
import type { TransportFailure } from '../../../lib/http/failure.js';
import type { WireRequest } from '../../../lib/wire.js';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.js';
import { serverItems } from '../../support/fixtures.js';
import { runProcess, type RunResult } from '../../support/run-process.js';

const FIRST = serverItems()[0];
const ID = FIRST.serverId as number;
const PACKAGE = pathToFileURL(join(process.cwd(), 'dist/lib/index.js')).href;

/** Prints the name of one server, or the error as JSON: a plain script, no await. */
const SCRIPT = `
import { Server } from ${JSON.stringify(PACKAGE)};
try {
  console.log(new Server(${ID}).name);
} catch (error) {
  console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message }));
}
`;

/** Runs node; a run still going after `killAfterMs` is killed (the reads it makes must end sooner). */
function runNode(args: string[], env: NodeJS.ProcessEnv, stdin = '', killAfterMs = 20_000): Promise<RunResult> {
  return runProcess(process.execPath, args, { env, input: stdin, killAfterMs });
}

let server: FixtureServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startFixtureServer();
  env = { PATH: process.env.PATH, HOME: '/nonexistent', ES_ENDPOINT: server.url, ES_ACCESS_KEY: 'ak', ES_SECRET_KEY: 'sk' };
});
afterAll(async () => {
  await server.close();
});

describe('the worker does not inherit flags that change how code is loaded', () => {
  it('keeps only diagnostic flags of the parent', () => {
    expect(workerExecArgv(['--input-type=module', '-e', 'code', '--import', 'tsx', '--experimental-default-type=module', '--enable-source-maps', '--no-warnings', '--disable-warning=ExperimentalWarning'])).toEqual([
      '--enable-source-maps',
      '--no-warnings',
      '--disable-warning=ExperimentalWarning',
    ]);
    expect(workerExecArgv(['--experimental-permission', '--allow-fs-read=*', '--allow-worker'])).toEqual([]);
  });

  it('a script piped to node --input-type=module reads synchronously', async () => {
    const run = await runNode(['--input-type=module'], env, SCRIPT);
    expect(run.stdout).toBe(`${String(FIRST.name)}\n`);
    expect(run.code).toBe(0);
  });

  it('a script run with node --input-type=module -e reads synchronously', async () => {
    const run = await runNode(['--input-type=module', '-e', SCRIPT], env);
    expect(run.stdout).toBe(`${String(FIRST.name)}\n`);
    expect(run.code).toBe(0);
  });

  it("under Node's permission model without --allow-worker, the read is a NetworkError that says what to do", async () => {
    const run = await runNode(['--experimental-permission', '--allow-fs-read=*', '--input-type=module', '-e', SCRIPT], env);
    expect(run.code).toBe(0);
    const error = JSON.parse(run.stdout) as { name: string; code: string; message: string };
    expect(error).toMatchObject({ name: 'NetworkError', code: 'EWORKER' });
    expect(error.message).toContain("Node's permission model");
    expect(error.message).toContain('--allow-worker');
  });
});

describe('a worker that fails to start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixcoatl-worker-'));
  const entry = (name: string, text: string): URL => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return pathToFileURL(path);
  };
  const request: WireRequest = {
    method: 'GET',
    url: 'http://127.0.0.1:1/api/enstratus/2015-05-25/admin/Job',
    signedPath: '/api/enstratus/2015-05-25/admin/Job',
    headers: {},
    signed: false,
    accessKey: '',
    secretKey: '',
    sslVerify: true,
    timeout: { connect: 1_000, response: 1_000, request: 1_000, total: 1_000 },
    retry: { limit: 0, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
    maxBodyBytes: 1_000,
  };
  /** The wire error of a call that waits up to a minute (longer than any spec may run). */
  const failure = (bridge: SyncBridge): TransportFailure['wire'] => {
    try {
      bridge.call(request, 60_000);
    } catch (error) {
      return (error as TransportFailure).wire;
    } finally {
      bridge.reset();
    }
    throw new Error('the call succeeded');
  };

  it('is a NetworkError naming the missing module', () => {
    const missing = new URL('./no-such-worker.js', pathToFileURL(`${dir}/`));
    expect(failure(new SyncBridge({ entry: missing }))).toMatchObject({ name: 'NetworkError', code: 'EWORKER', message: expect.stringContaining('no-such-worker.js') });
  });

  it('is a NetworkError carrying what the module threw', () => {
    const throwing = entry('throws.mjs', "throw new Error('cannot load the HTTP client');\n");
    expect(failure(new SyncBridge({ entry: throwing }))).toMatchObject({ name: 'NetworkError', code: 'EWORKER', message: expect.stringContaining('cannot load the HTTP client') });
  });

  it('is a NetworkError when the worker never says it is ready', () => {
    const silent = entry('silent.mjs', 'setInterval(() => undefined, 1_000);\nawait new Promise(() => undefined);\nexport function serve() {}\n');
    expect(failure(new SyncBridge({ entry: silent, startTimeoutMs: 200 }))).toMatchObject({ name: 'NetworkError', code: 'EWORKER', message: expect.stringContaining('no sign of life within 200 ms') });
  });

  it('does not stop the next worker from starting', () => {
    const bridge = new SyncBridge({ entry: entry('throws-once.mjs', "throw new Error('first start fails');\n") });
    expect(failure(bridge).message).toContain('first start fails');
    bridge.useEntry(new URL('../../support/sync-worker.mjs', import.meta.url));
    expect(failure(bridge)).toMatchObject({ name: 'NetworkError', code: 'ECONNREFUSED' });
    expect(bridge.starts).toBe(2);
  });
});
