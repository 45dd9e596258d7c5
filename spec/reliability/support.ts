/**
 * Shared pieces of the reliability specs: fault mixes for the emulator, a valid server launch,
 * and counting helpers over the emulator's request log.
 *
 * nock is imported only by the suites that use it (useNockedApi loads it in its hooks): nock
 * intercepts every request of the process once loaded, and the emulator-backed suites must reach
 * the emulator untouched.
 *
 * Teardown of an emulator-backed suite cancels what the suite started: the suite's signal aborts
 * (pools take no new item, job waits reject), the emulator closes (requests in flight fail at
 * once), and every pool is awaited, so no request of this file runs on into the next one.
 */
import { clearIdentityMaps, configure, resetConfiguration, Server, type ConfigureOptions, type DcmError } from '../../lib/index.js';
import type { EmulatorHandle, FaultRule, RequestLogEntry } from '../../lib/emulator/index.js';

/**
 * 20% of matching requests fail, 5% each as 500, 503, 429 (Retry-After: 0) and a connection
 * reset. Rules are tried in order and the first that fires decides, so each later rate is
 * conditional on the earlier ones not having fired.
 */
export function twentyPercentFaults(extra: Partial<FaultRule> = {}): FaultRule[] {
  return [
    { name: 'e500', status: 500, rate: 0.05, ...extra },
    { name: 'e503', status: 503, rate: 0.05 / 0.95, ...extra },
    { name: 'e429', status: 429, retryAfter: 0, rate: 0.05 / 0.9, ...extra },
    { name: 'reset', reset: true, rate: 0.05 / 0.85, ...extra },
  ];
}

/** Retries that keep the suite quick: pauses of at most a few milliseconds. */
export const QUICK_RETRY = { limit: 8, baseDelayMs: 1, maxDelayMs: 4 };

/** A launch the emulator's seed data accepts (region 19344, us-west-2). */
export function launchAttributes(name: string) {
  return {
    name,
    description: `reliability launch ${name}`,
    budget: 10287,
    providerProductId: 'm1.small',
    machineImage: 286443,
    dataCenter: 64351,
  };
}

/** API requests in the log whose resource path matches, grouped by injected fault label. */
export function tally(log: RequestLogEntry[], test: (e: RequestLogEntry) => boolean) {
  const entries = log.filter(test);
  const byFault: Record<string, number> = {};
  let faulted = 0;
  for (const e of entries) {
    const failure = e.faults?.find((f) => /:(status|reset)/.test(f));
    if (!failure) continue;
    faulted += 1;
    const kind = failure.replace(/^[^:]*:/, '');
    byFault[kind] = (byFault[kind] ?? 0) + 1;
  }
  return { attempts: entries.length, faulted, byFault };
}

/** Pools still running in this test file (awaited by the emulator suites' teardown). */
const running = new Set<Promise<unknown>>();

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight; never rejects. Once `signal`
 * aborts no further item starts (those report the abort reason as their error).
 */
export async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<Array<{ ok: true; value: R } | { ok: false; error: unknown }>> {
  const results: Array<{ ok: true; value: R } | { ok: false; error: unknown }> = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      if (signal?.aborted) {
        results[i] = { ok: false, error: signal.reason };
        continue;
      }
      try {
        results[i] = { ok: true, value: await fn(items[i], i) };
      } catch (error) {
        results[i] = { ok: false, error };
      }
    }
  };
  const all = Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  running.add(all);
  try {
    await all;
  } finally {
    running.delete(all);
  }
  return results;
}

/** The rejection of `promise` (fails the test when it resolves instead). */
export async function failure<E = DcmError>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a rejection');
}

/**
 * Hooks for a nock-backed suite: the network is off, the client points at `api` with `options`
 * before each test, and each test must consume every interceptor it declared.
 */
export function useNockedApi(api: string, options: Omit<ConfigureOptions, 'endpoint'>): void {
  const nock = async () => (await import('nock')).default;
  beforeAll(async () => (await nock()).disableNetConnect());
  afterAll(async () => (await nock()).enableNetConnect());
  beforeEach(() => {
    configure({ endpoint: `${api}/api/enstratus/2015-05-25`, envFile: false, ...options });
    clearIdentityMaps();
  });
  afterEach(async () => {
    const n = await nock();
    const pending = n.pendingMocks();
    n.cleanAll();
    resetConfiguration();
    expect(pending).toEqual([]);
  });
}

/**
 * Hooks for an emulator-backed suite: `start()` once, the client configured with quick retries,
 * and before each test no faults, an empty log and a fresh identity map. `ids` are the servers';
 * `signal` aborts when the suite is torn down (pass it to pools and waiters).
 */
export function useFaultyEmulator(start: () => Promise<EmulatorHandle>, before?: () => void, after?: () => void): { emu: EmulatorHandle; ids: number[]; signal: AbortSignal } {
  const teardown = new AbortController();
  const ctx = { signal: teardown.signal } as { emu: EmulatorHandle; ids: number[]; signal: AbortSignal };
  beforeAll(async () => {
    ctx.emu = await start();
    configure({ endpoint: ctx.emu.url, accessKey: ctx.emu.accessKey, secretKey: ctx.emu.secretKey, envFile: false, retry: QUICK_RETRY });
    before?.();
    ctx.ids = (await Server.all({ keysOnly: true })) as number[];
  });
  afterAll(async () => {
    teardown.abort(new Error('the suite was torn down'));
    await ctx.emu?.close();
    await Promise.allSettled([...running]);
    after?.();
    resetConfiguration();
  });
  beforeEach(async () => {
    clearIdentityMaps();
    await ctx.emu.setFaults([]);
    await ctx.emu.clearLog();
  });
  return ctx;
}
