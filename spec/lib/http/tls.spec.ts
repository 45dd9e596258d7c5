/**
 * TLS verification against a loopback HTTPS server with a self-signed certificate
 * (spec/fixtures/tls, made for 127.0.0.1): verification is on unless the endpoint turns it off,
 * and turning it off for one endpoint leaves every other endpoint verifying. Both the async path
 * and the synchronous worker are checked. The server runs in a worker thread so that it can
 * answer while a synchronous read blocks the main thread.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { apiVersions, clearIdentityMaps, configure, Endpoint, NetworkError, resetConfiguration, Server } from '../../../lib/index.js';

const SERVER_CODE = `
const https = require('node:https');
const { parentPort, workerData } = require('node:worker_threads');
let count = 0;
const server = https.createServer({ key: workerData.key, cert: workerData.cert }, (req, res) => {
  count++;
  res.setHeader('content-type', 'application/json');
  if (req.url === '/api/enstratus') { res.end(JSON.stringify({ current: { versionId: '2015-05-25' }, supported: [{ versionId: '2015-05-25' }] })); return; }
  res.end(JSON.stringify({ servers: [{ serverId: 331810, name: 'tls-host', status: 'RUNNING' }] }));
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'count') parentPort.postMessage({ count });
  if (m === 'close') server.close(() => process.exit(0));
});
`;

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url), 'utf8');

let worker: Worker;
let url: string;

function requestsServed(): Promise<number> {
  return new Promise((resolve) => {
    worker.once('message', (m: { count: number }) => resolve(m.count));
    worker.postMessage('count');
  });
}

beforeAll(async () => {
  worker = new Worker(SERVER_CODE, { eval: true, workerData: { key: fixture('key.pem'), cert: fixture('cert.pem') } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
  });
  url = `https://127.0.0.1:${port}/api/enstratus/2015-05-25`;
});
afterAll(async () => {
  worker.postMessage('close');
  await new Promise((resolve) => worker.once('exit', resolve));
});
beforeEach(() => clearIdentityMaps());
afterEach(() => resetConfiguration());

const keys = { accessKey: 'AK', secretKey: 'tls-spec-secret-key', envFile: false as const, retry: { limit: 0 } };

describe('TLS verification', () => {
  it('is on by default: a self-signed certificate fails the async load with a NetworkError', async () => {
    configure({ ...keys, endpoint: url });
    const error = await Server.get(331810).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toMatch(/self[- ]signed/i);
  });

  it('is on by default on the synchronous path too', () => {
    configure({ ...keys, endpoint: url });
    const server = new Server(331810);
    expect(() => server.name).toThrow(NetworkError);
    expect(server.lastError).toBeInstanceOf(NetworkError);
  });

  it('sslVerify: false lets both paths through to the same server', async () => {
    configure({ ...keys, endpoint: url, sslVerify: false });
    const before = await requestsServed();
    expect((await Server.get(331810)).name).toBe('tls-host');
    clearIdentityMaps();
    expect(new Server(331810).name).toBe('tls-host');
    expect((await requestsServed()) - before).toBe(2);
  });

  it('ES_SSL_VERIFY=false in the environment turns it off; any other value keeps it on', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { ES_ENDPOINT: url, ES_ACCESS_KEY: 'AK', ES_SECRET_KEY: 'tls-spec-secret-key', ES_SSL_VERIFY: 'false' });
      delete process.env.DCM_ENDPOINT;
      delete process.env.DCM_SSL_VERIFY;
      configure({ envFile: false, retry: { limit: 0 } });
      expect((await Server.get(331810)).status).toBe('RUNNING');
      clearIdentityMaps();
      process.env.ES_SSL_VERIFY = 'no';
      await expect(Server.get(331810)).rejects.toBeInstanceOf(NetworkError);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it('turning it off for one endpoint leaves the configured one verifying', async () => {
    configure({ ...keys, endpoint: url });
    const lax = new Endpoint({ url, accessKey: 'AK', secretKey: 'tls-spec-secret-key', sslVerify: false });
    expect((await Server.get(331810, { endpoint: lax })).name).toBe('tls-host');
    expect(new Server(331810, { endpoint: lax }).name).toBe('tls-host');
    await expect(Server.get(331810)).rejects.toBeInstanceOf(NetworkError);
    expect(() => new Server(331810).name).toThrow(NetworkError);
  });

  it('the unsigned versions listing follows the endpoint\'s setting too', async () => {
    configure({ ...keys, endpoint: url });
    await expect(apiVersions()).rejects.toBeInstanceOf(NetworkError);
    const lax = new Endpoint({ url, accessKey: 'AK', secretKey: 'tls-spec-secret-key', sslVerify: false });
    expect(await apiVersions({ endpoint: lax })).toEqual({ current: '2015-05-25', supported: ['2015-05-25'] });
  });
});
