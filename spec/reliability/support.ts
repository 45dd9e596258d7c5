/**
 * Shared pieces of the reliability specs: fault mixes for the emulator, a valid server launch,
 * and counting helpers over the emulator's request log.
 */
import type { FaultRule, RequestLogEntry } from '../../lib/emulator/index.js';

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

/** Runs `fn` over `items` with at most `concurrency` calls in flight; never rejects. */
export async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<Array<{ ok: true; value: R } | { ok: false; error: unknown }>> {
  const results: Array<{ ok: true; value: R } | { ok: false; error: unknown }> = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { ok: true, value: await fn(items[i], i) };
      } catch (error) {
        results[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}
