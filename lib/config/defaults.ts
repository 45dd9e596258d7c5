/**
 * The defaults of `configure()`'s settings, read from the settings schema (./schema.ts), in the
 * shape the request pipeline uses them.
 */
import { defaultOf } from './schema.js';

const d = <T>(key: string): T => defaultOf<T>('configure', key);

/** The defaults of `configure()`'s settings (from the schema), and the one constant beside them. */
export const DEFAULTS = Object.freeze({
  /** The version used when neither the settings nor the endpoint URL name one. */
  apiVersion: d<string>('apiVersion'),
  sslVerify: d<boolean>('sslVerify'),
  lazy: d<'sync' | 'async'>('lazy'),
  details: d<'basic' | 'extended'>('details'),
  timeout: Object.freeze({ connect: d<number>('timeout.connect'), response: d<number>('timeout.response'), request: d<number>('timeout.request'), total: d<number>('timeout.total') }),
  retry: Object.freeze({ limit: d<number>('retry.limit'), baseDelayMs: d<number>('retry.baseDelayMs'), maxDelayMs: d<number>('retry.maxDelayMs'), maxRetryAfterMs: d<number>('retry.maxRetryAfterMs') }),
  /**
   * Budget of one blocking (synchronous) read, attempts and pauses included: it caps
   * `timeout.total` for that read, so a REPL never hangs for minutes.
   */
  syncTimeoutMs: d<number>('syncTimeoutMs'),
  /**
   * How much longer than its budget the caller waits for the worker, so the worker's own timeouts
   * (which end in a precise TimeoutError) fire first. Not a setting.
   */
  syncTimeoutMarginMs: 2_000,
  identityMap: d<boolean>('identityMap'),
  /** Largest response body accepted, in bytes. */
  maxBodyBytes: d<number>('maxBodyBytes'),
  /**
   * The process-wide limiter (lib/http/limiter.ts): attempts in flight at once, at most, and the
   * rate (requests per second; none by default).
   */
  limiter: Object.freeze({ concurrency: d<number>('limiter.concurrency'), rate: undefined as number | undefined }),
  /** N+1 warning: this many single lazy loads of one type within the window. */
  nPlusOne: Object.freeze({ threshold: d<number>('nPlusOne.threshold'), windowMs: d<number>('nPlusOne.windowMs') }),
});
