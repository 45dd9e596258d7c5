/**
 * The synchronous path under faults: the worker runs the same retrying send(), and the bridge
 * outlives its worker dying during a call or between calls. The emulator runs in a worker
 * thread, since the main thread blocks during a synchronous read.
 */
import { clearIdentityMaps, configure, requestSync, Server, NetworkError } from '../../lib/index.js';
import { performSync } from '../../lib/http/client.js';
import { syncBridge } from '../../lib/http/bridge.js';
import { breakWorker } from '../support/sync-worker-control.js';
import { startEmulatorInWorker } from '../../lib/emulator/index.js';
import { FAULT_FIGURES } from './figures.js';
import { QUICK_RETRY, tally, twentyPercentFaults, useFaultyEmulator } from './support.js';

const READS = FAULT_FIGURES.syncReads.count;

/** Atomics.waitAsync (Node 16+), which the ES2022 lib of this project does not declare. */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;
const t = useFaultyEmulator(() => startEmulatorInWorker({ servers: READS, seed: 11 }));

describe('synchronous reads under faults', () => {
  it(`${READS} lazy synchronous reads under 20% faults all succeed`, async () => {
    await t.emu.setFaults(twentyPercentFaults());
    const names = t.ids.slice(0, READS).map((id) => new Server(id).name);
    expect(names.every((n) => typeof n === 'string' && n.length > 0)).toBe(true);
    const counts = tally(await t.emu.requestLog(), (e) => e.resource.startsWith('infrastructure/Server/'));
    expect(counts.attempts).toBe(READS + counts.faulted);
    expect(counts.faulted).toBeGreaterThan(0);
    // The seeded faults give the same count on every run: the README quotes it (figures.ts).
    expect(counts.attempts).toBe(FAULT_FIGURES.syncReads.attempts);
    console.log(`reliability/sync: ${READS} sync reads, ${READS} succeeded, ${counts.attempts} attempts, ${counts.faulted} retries ${JSON.stringify(counts.byFault)}`);
  });

  it('a worker dying during a call fails that call with NetworkError; the next call works', () => {
    for (const op of ['crash', 'exit'] as const) {
      const starts = syncBridge.starts;
      let caught: unknown;
      try {
        breakWorker(op);
      } catch (error) {
        caught = error;
      }
      expect((caught as { wire?: { name: string } }).wire?.name).toBe('NetworkError');
      expect(new Server(t.ids[0]).name).toBeTruthy();
      expect(syncBridge.starts).toBe(starts + 1);
      clearIdentityMaps();
    }
  });

  it('a worker dying between calls is replaced before the next call, which succeeds', async () => {
    expect(requestSync('GET', 'admin/Job').statusCode).toBe(200);
    const starts = syncBridge.starts;
    // The worker's wake-up counter: its crash guard bumps it when it reports the crash.
    const { state } = (syncBridge as unknown as { live: { state: Int32Array } }).live;
    const before = Atomics.load(state, 0);
    // Ask the worker to crash 50 ms from now but stop waiting at once: it dies while no call is pending.
    expect(() => breakWorker('crash', 0, 50)).toThrow(/no answer/);
    const died = waitAsync(state, 0, before, 10_000);
    expect(died.async ? await died.value : died.value).not.toBe('timed-out');
    const outcome = performSync({ method: 'GET', path: `infrastructure/Server/${t.ids[1]}` });
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.statusCode).toBe(200);
    expect(syncBridge.starts).toBe(starts + 1);
  });

  it('an unreachable API is a NetworkError on the synchronous path too', () => {
    configure({ endpoint: 'http://127.0.0.1:1/api/enstratus/2015-05-25', retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    try {
      expect(() => new Server(t.ids[0]).name).toThrow(NetworkError);
    } finally {
      configure({ endpoint: t.emu.url, retry: QUICK_RETRY });
    }
  });
});
