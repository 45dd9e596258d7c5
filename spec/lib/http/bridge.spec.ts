/**
 * The synchronous path end to end: the real transport, its worker thread and got, against a
 * loopback server in another thread (nock cannot reach the worker).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { clearIdentityMaps, configure, resetConfiguration, Server, Job, NotFoundError, NetworkError, requestSync } from '../../../lib/index.js';
import { syncBridge } from '../../../lib/http/bridge.js';
import { breakWorker } from '../../support/sync-worker-control.js';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.js';
import { serverItems } from '../../support/fixtures.js';
import { sign } from '../../../lib/http/signing.js';

const run = promisify(execFile);
const FIRST = serverItems()[0];
const ID = FIRST.serverId as number;
let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  configure({ endpoint: server.url, accessKey: 'ak', secretKey: 'sk', envFile: false, retry: { limit: 0 } });
  clearIdentityMaps();
  await server.resetCount();
});
afterEach(() => resetConfiguration());

describe('synchronous lazy reads over loopback', () => {
  it('new Server(id).name performs exactly one signed GET; later reads none', async () => {
    const s = new Server(ID);
    expect(await server.count()).toBe(0);
    expect(s.name).toBe(FIRST.name);
    expect(s.status).toBe(FIRST.status);
    expect(s.get('platform')).toBe(FIRST.platform);
    expect(s.region.regionId).toBe((FIRST.region as { regionId: number }).regionId);
    expect(await server.count()).toBe(1);
    const last = (await server.last())!;
    expect(last.method).toBe('GET');
    expect(last.url).toBe(`/api/enstratus/2015-05-25/infrastructure/Server/${ID}`);
    const timestamp = Number(last.headers['x-esauth-timestamp']);
    expect(last.headers['x-esauth-signature']).toBe(sign({ accessKey: 'ak', secretKey: 'sk', method: 'GET', path: last.url, timestamp }));
    expect(s.lastRequest).toMatchObject({ method: 'GET', statusCode: 200 });
  });

  it('a missing object throws NotFoundError synchronously', () => {
    const s = new Job(999999);
    expect(() => s.status).toThrow(NotFoundError);
    expect(s.lastError).toBeInstanceOf(NotFoundError);
  });

  it('requestSync answers a raw signed GET', () => {
    const response = requestSync('GET', 'admin/Job');
    expect(response.statusCode).toBe(200);
    expect((response.data as { jobs: unknown[] }).jobs.length).toBe(5);
  });

  it('survives its worker crashing or exiting: the caller gets a NetworkError, the next call works', () => {
    for (const op of ['crash', 'exit'] as const) {
      const before = syncBridge.starts;
      expect(() => breakWorker(op)).toThrow(/synchronous-read worker failed/);
      clearIdentityMaps();
      expect(new Server(ID).name).toBe(FIRST.name);
      expect(syncBridge.starts).toBe(before + 1);
    }
  });

  it('reports a refused connection as NetworkError', () => {
    configure({ endpoint: 'http://127.0.0.1:1/api/enstratus/2015-05-25' });
    expect(() => new Server(ID).name).toThrow(NetworkError);
  });

  it('a plain ten-line script that imports only the package root prints new Server(id).name', async () => {
    const script = fileURLToPath(new URL('../../scripts/sync-read.mjs', import.meta.url));
    const { stdout } = await run(process.execPath, [script, String(ID)], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent', ES_ENDPOINT: server.url, ES_ACCESS_KEY: 'ak', ES_SECRET_KEY: 'sk' },
      timeout: 20_000,
    });
    expect(stdout).toBe(`${String(FIRST.name)}\n${String(FIRST.status)}\nGET 200\n`);
  });
});
