/**
 * Kept-alive connections after the main thread was blocked for longer than the server keeps an
 * idle connection open (lib/http/connections.ts): the server has closed the connection, the
 * blocked thread has not seen it. Every write must succeed and reach the emulator exactly once,
 * counted in the emulator's request log; reads too.
 *
 * Node's server closes an idle connection `keepAliveTimeout` + 1 s after its last answer; the
 * emulator runs in a worker thread, so it closes while this thread is blocked. Two servers: one
 * that announces its timeout (`Keep-Alive: timeout=2`), and one that does not (closing after
 * 0.2 + 1 s, far below the 4 s the client assumes without a hint).
 */
import { clearIdentityMaps, configure, on, request, requestSync, resetConfiguration, Server, type RequestEvent } from '../../lib/index.js';
import { startEmulatorInWorker, type EmulatorHandle, type RequestLogEntry } from '../../lib/emulator/index.js';
import { launchAttributes } from './support.js';

const SERVER_ID = 331810;
const SERVER_PATH = `infrastructure/Server/${SERVER_ID}`;
/** Reads after a block each; write rounds block before each of their writes. */
const ROUNDS = 2;
const WRITE_ROUNDS = 1;
/** Each test blocks for several seconds in all: a generous limit, not a measurement. */
const SLOW = 180_000;

/** Blocks this thread, as a synchronous section of a program does (timers cannot fire meanwhile). */
function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const describeServer = (description: string) => ({ describeServer: [{ description }] });

function writes(log: RequestLogEntry[]): string[] {
  return log.filter((e) => e.method !== 'GET' && e.method !== 'HEAD').map((e) => `${e.method} ${e.resource} ${e.status}`);
}

const SERVERS = [
  // Announces timeout=2 (the client reuses for 1 s at most); closes 3 s after the last answer.
  { name: 'a server that announces its keep-alive timeout', options: { keepAliveTimeoutMs: 2_000 }, blockMs: 4_000 },
  // No hint (the client would reuse for 4 s); closes 1.2 s after the last answer.
  { name: 'a server that does not announce it', options: { keepAliveTimeoutMs: 200, keepAliveHint: false }, blockMs: 2_000 },
];

describe.each(SERVERS)('after the main thread was blocked longer than the keep-alive timeout of $name', ({ options, blockMs }) => {
  let emu: EmulatorHandle;
  beforeAll(async () => {
    emu = await startEmulatorInWorker({ jobDelayMs: 0, ...options });
  });
  afterAll(async () => {
    await emu?.close();
    resetConfiguration();
  });
  beforeEach(async () => {
    // No retries: a failure would show, not be retried away.
    configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, retry: { limit: 0 } });
    clearIdentityMaps();
    await emu.clearLog();
  }, SLOW);

  it('async writes (PUT, POST, save()) all succeed and each is sent exactly once', async () => {
    // Several connections in the pool, as a busy program has.
    await Promise.all([1, 2, 3].map(() => request('GET', SERVER_PATH)));
    const server = await Server.get(SERVER_ID);
    await emu.clearLog();
    const failures: unknown[] = [];
    const expected: string[] = [];
    for (let round = 0; round < WRITE_ROUNDS; round++) {
      blockFor(blockMs);
      await request('PUT', SERVER_PATH, { body: describeServer(`put ${round}`) }).catch((e: unknown) => failures.push(e));
      expected.push(`PUT ${SERVER_PATH} 204`);
      blockFor(blockMs);
      server.description = `save ${round}`;
      await server.save().catch((e: unknown) => failures.push(e));
      expected.push(`PUT ${SERVER_PATH} 204`);
      blockFor(blockMs);
      await Server.launch(launchAttributes(`keep-alive-${round}`)).catch((e: unknown) => failures.push(e));
      expected.push('POST infrastructure/Server 202');
    }
    expect(failures).toEqual([]);
    expect(writes(await emu.requestLog())).toEqual(expected);
  }, SLOW);

  it('writes started together after the block all succeed, each sent once', async () => {
    await Promise.all([1, 2, 3].map(() => request('GET', SERVER_PATH)));
    await emu.clearLog();
    blockFor(blockMs);
    const results = await Promise.allSettled([0, 1, 2].map((i) => request('PUT', SERVER_PATH, { body: describeServer(`together ${i}`) })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(writes(await emu.requestLog())).toEqual(Array.from({ length: 3 }, () => `PUT ${SERVER_PATH} 204`));
  }, SLOW);

  it('async reads succeed and each reaches the emulator once', async () => {
    await request('GET', SERVER_PATH);
    await emu.clearLog();
    const events: RequestEvent[] = [];
    const stop = on('request', (e) => events.push(e));
    try {
      for (let round = 0; round < ROUNDS; round++) {
        blockFor(blockMs);
        expect((await request('GET', SERVER_PATH)).statusCode).toBe(200);
      }
    } finally {
      stop();
    }
    const log = await emu.requestLog();
    expect(log.map((e) => `${e.method} ${e.resource} ${e.status}`)).toEqual(Array.from({ length: ROUNDS }, () => `GET ${SERVER_PATH} 200`));
    // One attempt each: no read went out on a closed connection (retries are off).
    expect(events.map((e) => e.attempts)).toEqual(Array.from({ length: ROUNDS }, () => 1));
    console.log(`reliability/keep-alive: reads after a ${blockMs} ms block, attempts ${events.map((e) => e.attempts).join(', ')}`);
  }, SLOW);

  it('synchronous writes and reads (sent by the worker) succeed, each sent once', async () => {
    requestSync('GET', SERVER_PATH);
    await emu.clearLog();
    for (let round = 0; round < WRITE_ROUNDS; round++) {
      blockFor(blockMs);
      expect(requestSync('PUT', SERVER_PATH, { body: describeServer(`sync ${round}`) }).statusCode).toBe(204);
      blockFor(blockMs);
      expect(requestSync('GET', SERVER_PATH).statusCode).toBe(200);
    }
    const log = await emu.requestLog();
    expect(log.map((e) => `${e.method} ${e.status}`)).toEqual(Array.from({ length: WRITE_ROUNDS }, () => ['PUT 204', 'GET 200']).flat());
  }, SLOW);
});

describe('a read that fails on a reused connection before any answer', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => {
    emu = await startEmulatorInWorker({});
  });
  afterAll(async () => {
    await emu?.close();
    resetConfiguration();
  });

  it('is retried at once on a fresh connection (a normal retry would pause past the total timeout)', async () => {
    // Backoff pauses of up to 10 minutes within a 5 s call: a retry after a pause is (almost) never made.
    const retry = { limit: 1, baseDelayMs: 600_000, maxDelayMs: 600_000 };
    configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, retry, timeout: { total: 5_000 } });
    await request('GET', SERVER_PATH);
    await emu.clearLog();
    // The emulator drops the connection without an answer: on the reused connection, this looks
    // like a connection the server had closed.
    await emu.setFaults([{ path: SERVER_PATH, reset: true, times: 1 }]);
    const events: RequestEvent[] = [];
    const stop = on('request', (e) => events.push(e));
    try {
      expect((await request('GET', SERVER_PATH)).statusCode).toBe(200);
    } finally {
      stop();
    }
    expect(events.map((e) => e.attempts)).toEqual([2]);
    expect((await emu.requestLog()).map((e) => `${e.method} ${e.status}`)).toEqual(['GET 0', 'GET 200']);
    // Without retries the failure stands: it is a retry like any other.
    configure({ retry: { limit: 0 } });
    await request('GET', SERVER_PATH);
    await emu.setFaults([{ path: SERVER_PATH, reset: true, times: 1 }]);
    expect(await request('GET', SERVER_PATH).catch((e: Error) => e.name)).toBe('NetworkError');
  });
});
