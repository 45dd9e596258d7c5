/** How long a pooled connection may stay idle, from the server's `Keep-Alive` hint (lib/http/connections.ts). */
import { DEFAULT_IDLE_MS, HINT_BUFFER_MS, idleLimit, isStaleFailure, MAX_IDLE_MS } from '../../../lib/http/connections.js';

describe('idleLimit', () => {
  it('is the hint less a margin, the default without one, capped', () => {
    expect(idleLimit(undefined)).toBe(DEFAULT_IDLE_MS);
    expect(idleLimit('timeout=5')).toBe(5_000 - HINT_BUFFER_MS);
    expect(idleLimit('timeout=5, max=1000')).toBe(4_000);
    expect(idleLimit('max=1000, timeout=30')).toBe(29_000);
    expect(idleLimit(['Timeout = 10'])).toBe(9_000);
    expect(idleLimit('timeout=1')).toBe(0);
    expect(idleLimit('timeout=0')).toBe(0);
    expect(idleLimit('timeout=86400')).toBe(MAX_IDLE_MS);
    expect(idleLimit('max=5')).toBe(DEFAULT_IDLE_MS);
    expect(idleLimit('timeout=soon')).toBe(DEFAULT_IDLE_MS);
    // The default lies below the 5 s of Node's and Apache's servers, and the emulator's.
    expect(DEFAULT_IDLE_MS).toBeLessThan(5_000);
  });
});

describe('isStaleFailure', () => {
  it('only a reset of a reused connection, before any byte of an answer', () => {
    expect(isStaleFailure(true, 'ECONNRESET', undefined)).toBe(true);
    expect(isStaleFailure(true, 'EPIPE', undefined)).toBe(true);
    expect(isStaleFailure(false, 'ECONNRESET', undefined)).toBe(false);
    expect(isStaleFailure(undefined, 'ECONNRESET', undefined)).toBe(false);
    expect(isStaleFailure(true, 'ETIMEDOUT', undefined)).toBe(false);
    expect(isStaleFailure(true, undefined, undefined)).toBe(false);
  });
});
