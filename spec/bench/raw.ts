/**
 * The baselines the client is measured against: bare got GETs, signed the same way, over a
 * keep-alive agent of their own; plus the small helpers both bench scripts use.
 */
import http from 'node:http';
import got from 'got';
import { authHeaders, USER_AGENT } from '../../lib/http/signing.js';
import type { EmulatorHandle } from '../../lib/emulator/index.js';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The headers the library sends for a GET of `url`, signed now. */
export function signedHeaders(emu: Pick<EmulatorHandle, 'accessKey' | 'secretKey'>, url: string): Record<string, string> {
  return {
    accept: 'application/json',
    'user-agent': USER_AGENT,
    'x-es-details': 'basic',
    ...authHeaders({ accessKey: emu.accessKey, secretKey: emu.secretKey, method: 'GET', path: new URL(url).pathname, userAgent: USER_AGENT }),
  };
}

const rawAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
export const rawGot = got.extend({ throwHttpErrors: false, retry: { limit: 0 }, responseType: 'text', agent: { http: rawAgent } });

/** Runs `fn` over `items` with `concurrency` lanes. */
export async function atConcurrency<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}
