/**
 * The retry policy per method, Retry-After, the timeouts and the clock-skew report, counted in
 * requests (nock interceptors) — never in elapsed time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import nock from 'nock';
import {
  configure, request, ForbiddenError, NetworkError, RateLimitError, ServerError, TimeoutError, ConfigError,
} from '../../lib/index.js';
import { failure, useNockedApi } from './support.js';
import { backoffDelay, parseRetryAfter } from '../../lib/http/send.js';
import { resolveSettings } from '../../lib/config/resolve.js';

const API = 'https://dcm.test';
const BASE = '/api/enstratus/2015-05-25';
const PATH = 'infrastructure/Server/42';
const OK = { servers: [{ serverId: 42, name: 'web-1' }] };

useNockedApi(API, { accessKey: 'ak', secretKey: 'sk-policy', retry: { limit: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 2_000 } });

describe('retry policy per method', () => {
  it('GET is retried on 500/502/503/504/429 and succeeds', async () => {
    const scope = nock(API).get(`${BASE}/${PATH}`).reply(500, { error: { message: 'a' } })
      .get(`${BASE}/${PATH}`).reply(503, { error: { message: 'b' } })
      .get(`${BASE}/${PATH}`).reply(429, { error: { message: 'c' } }, { 'retry-after': '0' })
      .get(`${BASE}/${PATH}`).reply(200, OK);
    const response = await request('GET', PATH);
    expect(response.statusCode).toBe(200);
    expect(scope.isDone()).toBe(true);
  });

  it('GET gives up after retry.limit further attempts with the last typed error', async () => {
    nock(API).get(`${BASE}/${PATH}`).times(4).reply(503, { error: { message: 'maintenance' } });
    const error = await failure(request('GET', PATH));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ statusCode: 503, message: expect.stringContaining('maintenance') });
  });

  it('HEAD is retried like GET', async () => {
    nock(API).head(`${BASE}/infrastructure/Server`).reply(502).head(`${BASE}/infrastructure/Server`).reply(200, '', { 'x-es-count': '3' });
    expect((await request('HEAD', 'infrastructure/Server')).headers['x-es-count']).toBe('3');
  });

  it('POST is never retried: not on 5xx, not on 429, not on a reset', async () => {
    nock(API).post(`${BASE}/infrastructure/Server`).reply(503, { error: { message: 'busy' } });
    expect(await failure(request('POST', 'infrastructure/Server', { body: { launch: [{}] } }))).toBeInstanceOf(ServerError);
    nock(API).post(`${BASE}/infrastructure/Server`).reply(429, { error: { message: 'slow down' } }, { 'retry-after': '0' });
    expect(await failure(request('POST', 'infrastructure/Server', { body: { launch: [{}] } }))).toBeInstanceOf(RateLimitError);
  });

  it('PUT and DELETE are retried on 429 only, not on 5xx', async () => {
    nock(API).put(`${BASE}/${PATH}`).reply(503, { error: { message: 'x' } });
    expect(await failure(request('PUT', PATH, { body: { stop: [{}] } }))).toBeInstanceOf(ServerError);
    nock(API).put(`${BASE}/${PATH}`).reply(429, { error: { message: 'x' } }, { 'retry-after': '0' }).put(`${BASE}/${PATH}`).reply(202, { jobs: [{ jobId: 1 }] });
    expect((await request('PUT', PATH, { body: { stop: [{}] } })).statusCode).toBe(202);
    nock(API).delete(`${BASE}/${PATH}`).query(true).reply(500, { error: { message: 'x' } });
    expect(await failure(request('DELETE', PATH, { query: { reason: 'r' } }))).toBeInstanceOf(ServerError);
    nock(API).delete(`${BASE}/${PATH}`).query(true).reply(429, '', { 'retry-after': '0' }).delete(`${BASE}/${PATH}`).query(true).reply(204);
    expect((await request('DELETE', PATH, { query: { reason: 'r' } })).statusCode).toBe(204);
  });

  it('a refused connection is retried for every method except POST, then is a NetworkError', async () => {
    nock.enableNetConnect('127.0.0.1');
    try {
      configure({ endpoint: `http://127.0.0.1:1${BASE}` });
      for (const method of ['GET', 'PUT', 'DELETE', 'POST']) {
        const error = await failure(request(method, PATH, method === 'PUT' || method === 'POST' ? { body: {} } : {}));
        expect(error).toBeInstanceOf(NetworkError);
        expect(error.code).toBe('ECONNREFUSED');
        if (method === 'POST') expect(error.message).not.toMatch(/attempts/);
        else expect(error.message).toMatch(/after 4 attempts/);
      }
    } finally {
      nock.disableNetConnect();
    }
  });

  it('a Retry-After beyond retry.maxRetryAfterMs is not waited for: the 429 is returned with retryAfterMs', async () => {
    nock(API).get(`${BASE}/${PATH}`).reply(429, { error: { message: 'quota' } }, { 'retry-after': '3600' });
    const error = (await failure(request('GET', PATH))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(3_600_000);
  });

  it('a Retry-After given as an HTTP date is honoured', async () => {
    const soon = new Date(Date.now() + 1_000).toUTCString();
    nock(API).get(`${BASE}/${PATH}`).reply(503, '', { 'retry-after': soon }).get(`${BASE}/${PATH}`).reply(200, OK);
    expect((await request('GET', PATH)).statusCode).toBe(200);
  });
});

describe('delays', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2015-05-25T12:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Mon, 25 May 2015 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 25 May 2015 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 200, 10_000, () => 0.999999))).toEqual([200, 400, 800, 1600, 10_000]);
    expect(backoffDelay(5, 200, 10_000, () => 0)).toBe(0);
    expect(backoffDelay(2, 200, 10_000, () => 0.5)).toBe(400);
  });
});

describe('timeouts', () => {
  let http: HttpServer;
  let url: string;
  // Requests received, by path: each test reads its own path's count, so that a request of an
  // earlier test which a loaded machine gets to the server only after that test ended counts
  // where it belongs.
  const received = new Map<string, number>();
  const hits = (path: string): number => received.get(`${BASE}/${path}`) ?? 0;
  beforeAll(async () => {
    http = createServer((req, res) => {
      received.set(req.url ?? '', (received.get(req.url ?? '') ?? 0) + 1);
      // Never answers in time (or, for /stalled, sends the headers and the start of the body and
      // then nothing); the client gives up first.
      if (req.url?.endsWith('/stalled')) res.writeHead(200, { 'content-type': 'application/json' }).write('{"servers": [');
      const timer = setTimeout(() => res.end('{}'), 10_000);
      res.on('close', () => clearTimeout(timer));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}${BASE}`;
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(async () => {
    nock.disableNetConnect();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
  beforeEach(() => {
    received.clear();
  });

  it('a response timeout ends in TimeoutError after the retries (GET)', async () => {
    configure({ endpoint: url, timeout: { response: 50 }, retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await failure(request('GET', PATH));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.message).toMatch(/response timeout of 50 ms.*after 2 attempts/);
    expect(hits(PATH)).toBe(2);
  });

  it('a POST that times out is a TimeoutError and was sent once', async () => {
    configure({ endpoint: url, timeout: { request: 60 }, retry: { limit: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await failure(request('POST', 'infrastructure/Server', { body: { launch: [{}] } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(hits('infrastructure/Server')).toBe(1);
  });

  it('the total timeout bounds all attempts together', async () => {
    configure({ endpoint: url, timeout: { response: 5_000, request: 5_000, total: 80 }, retry: { limit: 50, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await failure(request('GET', 'infrastructure/Server/43'));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/total timeout of 80 ms/);
    expect(hits('infrastructure/Server/43')).toBe(1);
  });

  it('a body that stops half-way ends in the request timeout, not the response one (the headers came)', async () => {
    configure({ endpoint: url, timeout: { response: 5_000, request: 60 }, retry: { limit: 0 } });
    const error = await failure(request('GET', `${PATH}/stalled`));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/request timeout of 60 ms/);
    expect(hits(`${PATH}/stalled`)).toBe(1);
  });
});

describe('connect timeout', () => {
  // A listener whose process is stopped right after it starts listening with a backlog of one:
  // the kernel completes two connections for it (filled here), and leaves every further one
  // waiting for an answer that never comes.
  let listener: ChildProcess;
  let url: string;
  const fillers: Socket[] = [];
  beforeAll(async () => {
    listener = spawn(process.execPath, ['-e', "const s = require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => { console.log(s.address().port); process.kill(process.pid, 'SIGSTOP'); });"], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(listener.stdout!, 'data')) as [Buffer];
    const port = Number(String(line).trim());
    for (let i = 0; i < 2; i++) {
      const socket = connect(port, '127.0.0.1');
      fillers.push(socket);
      await once(socket, 'connect');
    }
    url = `http://127.0.0.1:${port}${BASE}`;
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(async () => {
    nock.disableNetConnect();
    for (const socket of fillers) socket.destroy();
    if (listener.exitCode === null && listener.signalCode === null) {
      const exited = once(listener, 'exit');
      listener.kill('SIGKILL');
      await exited;
    }
  });

  it('a PUT whose connection never opens is retried (it cannot have been sent), then is a TimeoutError naming the connect timeout', async () => {
    configure({ endpoint: url, timeout: { connect: 50 }, retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await failure(request('PUT', PATH, { body: { stop: [{}] } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/connect timeout of 50 ms.*after 3 attempts/);
  });

  it('a POST is not retried even then', async () => {
    configure({ endpoint: url, timeout: { connect: 50 }, retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await failure(request('POST', 'infrastructure/Server', { body: { launch: [{}] } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/connect timeout of 50 ms/);
    expect(error.message).not.toMatch(/attempts/);
  });
});

describe('clock skew', () => {
  it('a rejected timestamp is reported as such, with local and server times', async () => {
    const serverDate = 'Mon, 25 May 2015 12:00:00 GMT';
    nock(API).get(`${BASE}/${PATH}`).reply(403, { error: { message: 'Authentication failed: timestamp outside the allowed window of 300000 ms' } }, { date: serverDate });
    const error = await failure(request('GET', PATH));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.code).toBe('ECLOCKSKEW');
    expect(error.message).toContain('server time 2015-05-25T12:00:00.000Z');
    expect(error.message).toMatch(/local time \d{4}-\d\d-\d\dT/);
  });

  it('a 403 for another reason is a plain ForbiddenError', async () => {
    nock(API).get(`${BASE}/${PATH}`).reply(403, { error: { message: 'Authentication failed: bad signature for access key "ak"' } });
    const error = await failure(request('GET', PATH));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.code).toBe('EFORBIDDEN');
  });
});

describe('limits come from the one resolver', () => {
  it('reads retry and timeout settings, and refuses unknown or bad ones', () => {
    configure({ retry: { limit: 7 }, timeout: { connect: 1234 } });
    const settings = resolveSettings();
    // A group given to configure() replaces the earlier one; what it leaves out comes from the defaults.
    expect(settings.retry).toMatchObject({ limit: 7, baseDelayMs: 200, maxDelayMs: 10_000 });
    expect(settings.timeout).toMatchObject({ connect: 1234, response: 60_000, request: 120_000, total: 300_000 });
    // A synchronous read has its own, shorter budget (attempts and pauses included).
    expect(settings.syncTimeoutMs).toBe(30_000);
    expect(() => configure({ retry: { limitt: 1 } as never })).toThrow(ConfigError);
    expect(() => configure({ timeout: { request: -5 } })).toThrow(/timeout.request/);
    expect(() => configure({ retry: { limit: Number.NaN } })).toThrow(ConfigError);
  });
});
