/**
 * Diagnostics of the specs' synchronous-read worker (./sync-worker.mjs), sent through the real
 * bridge as requests to `mixcoatl-test:` URLs, which never reach the network.
 */
import { syncBridge } from '../../lib/http/bridge.js';
import type { WireRequest } from '../../lib/wire.js';

function diagnostic(url: string): WireRequest {
  return {
    method: 'GET',
    url,
    signedPath: '',
    headers: {},
    signed: false,
    accessKey: '',
    secretKey: '',
    sslVerify: true,
    timeout: { connect: 1_000, response: 1_000, request: 1_000, total: 1_000 },
    retry: { limit: 0, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
    maxBodyBytes: 1_000_000,
  };
}

/**
 * Makes the worker crash (`crash`) or exit (`exit`) while the caller waits; with `afterMs`, the
 * crash comes that much later (so a caller that stops waiting sooner leaves a worker that dies
 * between calls).
 */
export function breakWorker(op: 'crash' | 'exit', timeoutMs = 5_000, afterMs?: number): void {
  syncBridge.call(diagnostic(`mixcoatl-test:${op}${afterMs ? `?afterMs=${afterMs}` : ''}`), timeoutMs);
}

/** The URLs of the modules the worker has loaded so far. */
export function workerModules(timeoutMs = 10_000): string[] {
  return JSON.parse(syncBridge.call(diagnostic('mixcoatl-test:loaded'), timeoutMs).body) as string[];
}
