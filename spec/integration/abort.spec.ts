/**
 * Cancelling: `{ signal }` on reads, actions, request() and waiters. Against a latency fault,
 * aborting closes the request in flight: the call rejects with the signal's reason long before the
 * answer could arrive, and the emulator's log shows no further attempt (retries are configured
 * with no pause, so one would follow at once). A signal already aborted sends nothing.
 */
import { apply, clearIdentityMaps, configure, Job, Region, request, resetConfiguration, Server } from '../../lib/index.js';
import { addExchangeListener } from '../../lib/http/listeners.js';
import { api } from '../support/emulator-http.js';
import { startEmulatorInWorker, type EmulatorHandle, type RequestLogEntry } from '../../lib/emulator/index.js';

const LATENCY_MS = 1_500;

let emu: EmulatorHandle;
let stopListening: () => void;
/** The last request handed to the transport, when (performance.now()). */
let handedOverAt: number | undefined;
beforeAll(async () => {
  emu = await startEmulatorInWorker({ port: 0, jobDelayMs: 0 });
  stopListening = addExchangeListener({ wants: () => true, onSend: () => { handedOverAt = performance.now(); return undefined; } });
  // The HTTP client loaded and a connection open: 50 ms then suffice for a request to be on its way.
  configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false });
  await Region.all();
});
afterAll(async () => {
  stopListening();
  await emu.close();
});
beforeEach(async () => {
  // Retries with no pause: an attempt after the abort would reach the emulator at once.
  configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, retry: { limit: 3, baseDelayMs: 0, maxDelayMs: 0 } });
  clearIdentityMaps();
  await emu.reset();
});
afterEach(() => resetConfiguration());

/**
 * Waits until the emulator has logged `count` entries matching `test` (a condition: each look is
 * one control request).
 */
async function logged(test: (e: RequestLogEntry) => boolean, count = 1): Promise<RequestLogEntry[]> {
  for (;;) {
    const log = await emu.requestLog();
    if (log.filter(test).length >= count) return log;
  }
}

/**
 * What the emulator received for `resource`, up to a marker sent after the abort: the marker goes
 * through the same latency, so any attempt sent before it (the aborted one, or a retry) has been
 * logged by the time the marker is.
 */
async function seenAfterAbort(resource: string | RegExp): Promise<RequestLogEntry[]> {
  const matches = (e: RequestLogEntry): boolean => (typeof resource === 'string' ? e.resource === resource : resource.test(e.resource));
  await api(emu, 'GET', 'geography/Cloud');
  const log = await logged((e) => e.resource === 'geography/Cloud');
  return log.filter(matches);
}

/**
 * Runs `call` and aborts its signal 50 ms after its request was handed to the transport; resolves
 * with what it rejected with, how long after the abort, and the signal's reason.
 */
async function abortedAfter50ms(call: (signal: AbortSignal) => Promise<unknown>): Promise<{ error: unknown; afterAbortMs: number; reason: unknown }> {
  const controller = new AbortController();
  let abortedAt = 0;
  handedOverAt = undefined;
  const stopWhenSent = (): void => {
    if (handedOverAt === undefined) {
      setImmediate(stopWhenSent);
      return;
    }
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort(new DOMException('gave up after 50 ms', 'TimeoutError'));
    }, Math.max(0, handedOverAt + 50 - performance.now()));
  };
  stopWhenSent();
  try {
    await call(controller.signal);
  } catch (error) {
    return { error, afterAbortMs: performance.now() - abortedAt, reason: controller.signal.reason };
  }
  throw new Error('the call resolved although it was aborted');
}

describe('{ signal } against a latency fault', () => {
  it('Server.all(): rejects with the signal\'s reason at once, and the emulator sees no further attempt', async () => {
    await emu.setFaults([{ path: '**', latencyMs: LATENCY_MS }]);
    const { error, afterAbortMs, reason } = await abortedAfter50ms((signal) => Server.all({ signal }));
    expect(error).toBe(reason);
    expect((error as DOMException).name).toBe('TimeoutError');
    expect(afterAbortMs).toBeLessThan(LATENCY_MS);
    expect((await seenAfterAbort('infrastructure/Server')).length).toBe(1);
  });

  it('an action (server.stop()): the same', async () => {
    await emu.setFaults([{ path: 'infrastructure/Server/*', methods: ['PUT'], latencyMs: LATENCY_MS }, { path: 'geography/Cloud', latencyMs: LATENCY_MS }]);
    const server = new Server(331810);
    const { error, afterAbortMs, reason } = await abortedAfter50ms((signal) => server.stop({ signal }));
    expect(error).toBe(reason);
    expect(afterAbortMs).toBeLessThan(LATENCY_MS);
    const seen = await seenAfterAbort('infrastructure/Server/331810');
    expect(seen.map((e) => e.method)).toEqual(['PUT']);
  });

  it('request(): the same', async () => {
    await emu.setFaults([{ path: '**', latencyMs: LATENCY_MS }]);
    const { error, afterAbortMs, reason } = await abortedAfter50ms((signal) => request('GET', 'geography/Region', { signal }));
    expect(error).toBe(reason);
    expect(afterAbortMs).toBeLessThan(LATENCY_MS);
    expect((await seenAfterAbort('geography/Region')).length).toBe(1);
  });

  it('job.wait(): the poll in flight is closed too', async () => {
    const job = await new Server(331810).stop();
    await emu.setFaults([{ path: 'admin/Job/**', latencyMs: LATENCY_MS }, { path: 'geography/Cloud', latencyMs: LATENCY_MS }]);
    await emu.clearLog();
    const { error, afterAbortMs, reason } = await abortedAfter50ms((signal) => job.wait({ signal, intervalMs: 0 }));
    expect(error).toBe(reason);
    expect(afterAbortMs).toBeLessThan(LATENCY_MS);
    expect((await seenAfterAbort(/^admin\/Job/)).length).toBe(1);
  });

  it('apply(): the listing in flight while planning is closed, and nothing is written', async () => {
    // Planning also checks the signal between reads, so a listing left running would end in the
    // same rejection once its answer came: the latency here is long enough to tell the two apart.
    const latencyMs = 20_000;
    await emu.setFaults([{ path: 'network/Firewall', methods: ['GET'], latencyMs }, { path: 'geography/Cloud', latencyMs }]);
    await emu.clearLog();
    const records = [{ type: 'Firewall', name: 'abort-fw', description: 'x', region: 'us-east-1', budget: 10000 }];
    const { error, afterAbortMs, reason } = await abortedAfter50ms((signal) => apply(records, { signal }));
    expect(error === reason || (error as { cause?: unknown }).cause === reason).toBe(true);
    expect(afterAbortMs).toBeLessThan(latencyMs / 2);
    expect((await seenAfterAbort('network/Firewall')).map((e) => e.method)).toEqual(['GET']);
  });

  it('Job.waitAll(): the listing in flight is closed too', async () => {
    const job = await new Server(331810).stop();
    await emu.setFaults([{ path: 'admin/Job', latencyMs: LATENCY_MS }, { path: 'geography/Cloud', latencyMs: LATENCY_MS }]);
    await emu.clearLog();
    const { error, reason } = await abortedAfter50ms((signal) => Job.waitAll([job], { signal, intervalMs: 0 }));
    expect(error).toBe(reason);
    expect((await seenAfterAbort('admin/Job')).length).toBe(1);
  });
});

describe('{ signal } already aborted', () => {
  it('sends nothing and rejects with the reason: get, all, find, findOne, count, load, reload, loadMany, actions, request()', async () => {
    const controller = new AbortController();
    const reason = new Error('stop right there');
    controller.abort(reason);
    const signal = controller.signal;
    const server = new Server(331810);
    await emu.clearLog();
    const calls: Array<() => Promise<unknown>> = [
      () => Server.get(331810, { signal }),
      () => Server.all({ signal }),
      () => Server.find({ status: 'RUNNING' }, { signal }),
      () => Server.findOne({ name: 'x' }, { signal }),
      () => Server.count({ signal }),
      () => server.load({ signal }),
      () => server.reload({ signal }),
      () => Server.loadMany([new Server(331810), new Server(339452)], { signal }),
      () => server.stop({ signal }),
      () => server.terminate({ signal }),
      () => request('GET', 'geography/Region', { signal }),
      () => server.waitFor('STOPPED', { signal }),
    ];
    for (const call of calls) await expect(call()).rejects.toBe(reason);
    expect(await emu.requestLog()).toEqual([]);
  });

  it('a bulk action stops starting writes: the rest are skipped, and the result says aborted', async () => {
    const controller = new AbortController();
    let sent = 0;
    const result = await Server.where({ status: 'RUNNING' }).stop({}, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        sent = p.ended;
        if (p.ended === 2) controller.abort();
      },
    });
    expect(sent).toBe(2);
    expect(result.aborted).toBe(true);
    expect(result.totals.done).toBe(2);
    expect(result.totals.skipped).toBe(result.totals.matched - 2);
    expect((await emu.requestLog()).filter((e) => e.method === 'PUT')).toHaveLength(2);
  });
});
