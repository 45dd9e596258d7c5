/**
 * Waiters: the polling loop shared by `job.wait` (lib/orm/job.ts) and
 * `server.waitFor(status)`. Waiters THROW: a waiter that runs out of time rejects
 * with TimeoutError, an aborted one with the signal's reason — exactly what `fetch()` and
 * `signal.throwIfAborted()` do, so `AbortSignal.timeout()` and `controller.abort(reason)` behave
 * as callers expect; a bad end state rejects with the error its check throws.
 *
 * Every waiter has a timeout and observes ERROR.
 * Polls go through the asynchronous path only (never a blocking read).
 */
import { withSpan } from '../tracing.js';
import { defaultOf, problemWith, settingOf } from '../config/schema.js';
import { TimeoutError, UnexpectedStateError, ValidationError } from '../errors.js';
import { loadAsync } from './loader.js';
import { metaOf } from './registry.js';
import { stateOf } from './state.js';

/** Options of every waiter (`job.wait()`, `server.waitFor()`, `{ wait: true }` on actions). */
export interface WaitOptions {
  /** Give up after this many milliseconds (TimeoutError). Default: `jobDefaults().timeoutMs`. */
  timeoutMs?: number;
  /** Pause between polls, in milliseconds; 0 is allowed (tests, emulator). Default: 5,000. */
  intervalMs?: number;
  /** Aborting rejects the waiter with `signal.reason` (an `AbortError` DOMException by default). */
  signal?: AbortSignal;
  /** Called after every poll with the freshly read object. */
  onProgress?: (current: never) => void;
}

export interface JobDefaults {
  /** Pause between polls (default 5 s). */
  intervalMs: number;
  /** How long a waiter waits in all (default 30 minutes, which covers slow launches); `Infinity` allowed. */
  timeoutMs: number;
}

const BUILT_IN: JobDefaults = Object.freeze({ intervalMs: defaultOf<number>('jobs', 'intervalMs'), timeoutMs: defaultOf<number>('jobs', 'timeoutMs') });
let defaults: JobDefaults = { ...BUILT_IN };

/** A waiter's duration option, checked by the settings schema's rule for it. */
function checkDuration(name: 'intervalMs' | 'timeoutMs', value: unknown): number {
  const { kind } = settingOf('jobs', name);
  if (!kind.accepts(value)) throw new ValidationError({ message: `${name} must be ${kind.describe}, got ${JSON.stringify(value)}` });
  return value as number;
}

/**
 * Process-wide waiter defaults (per-call options win). `configureJobs({ intervalMs: 0 })` suits
 * the emulator and tests; `configureJobs()` restores the built-in defaults.
 */
export function configureJobs(options?: Partial<JobDefaults>): void {
  if (options === undefined) {
    defaults = { ...BUILT_IN };
    return;
  }
  if (options === null || typeof options !== 'object') throw new ValidationError({ message: 'configureJobs() takes an options object' });
  const problem = problemWith('jobs', options, 'configureJobs()');
  if (problem !== undefined) throw new ValidationError({ message: problem });
  const next = { ...defaults };
  if (options.intervalMs !== undefined) next.intervalMs = options.intervalMs;
  if (options.timeoutMs !== undefined) next.timeoutMs = options.timeoutMs;
  defaults = next;
}

/** The waiter defaults in force. */
export function jobDefaults(): JobDefaults {
  return { ...defaults };
}

/** What `within()` resolves with when the deadline passes first. */
export const TIMED_OUT = Symbol('timed out');

/** The waiter options checked, defaults filled in: the interval, the timeout and the signal. */
export function waiterSettings(options: Omit<WaitOptions, 'onProgress'>): { intervalMs: number; timeoutMs: number; signal: AbortSignal | undefined } {
  if (options === null || typeof options !== 'object') throw new ValidationError({ message: 'waiter options must be an object ({ timeoutMs, intervalMs, signal, onProgress })' });
  const intervalMs = options.intervalMs === undefined ? defaults.intervalMs : checkDuration('intervalMs', options.intervalMs);
  const timeoutMs = options.timeoutMs === undefined ? defaults.timeoutMs : checkDuration('timeoutMs', options.timeoutMs);
  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ValidationError({ message: 'signal must be an AbortSignal' });
  return { intervalMs, timeoutMs, signal };
}

/**
 * Settles with the promise, or with TIMED_OUT at the deadline, or rejects with the abort reason.
 * Timers are cleared in every case so nothing keeps the process alive.
 */
export function within<T>(promise: Promise<T>, deadline: number, signal: AbortSignal | undefined): Promise<T | typeof TIMED_OUT> {
  return new Promise<T | typeof TIMED_OUT>((resolvePromise, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      cleanup();
      reject(signal?.reason);
    };
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    const remaining = deadline - performance.now();
    if (Number.isFinite(remaining)) {
      timer = setTimeout(() => {
        cleanup();
        resolvePromise(TIMED_OUT);
      }, Math.max(0, remaining));
    }
    promise.then(
      (value) => {
        cleanup();
        resolvePromise(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}

/** A pause of `ms` (the interval between two polls). */
export function pause(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** The status attribute as received, without any request. */
export function statusOf(obj: object): unknown {
  return stateOf(obj).data?.status;
}

/** What one poll of a waiter found: done, or keep polling. A bad end state throws instead. */
export type PollVerdict = 'done' | 'pending';

export interface Poll<T extends object> {
  obj: T;
  /** Names the waiter in the debug log, e.g. `wait()`. */
  reason: string;
  options: Omit<WaitOptions, 'onProgress'> & { onProgress?: (current: T) => void };
  /** Judges the freshly read object; throws the error of a bad end state. */
  check: (obj: T) => PollVerdict | Promise<PollVerdict>;
  /** Skip the first request when the object as it stands already ends the wait. */
  settledWithoutRequest?: () => boolean;
  /** The TimeoutError's message, given the limit. */
  timedOut: (timeoutMs: number) => string;
}

/**
 * Reloads `obj` until `check` says done (resolves with it, refreshed), the deadline passes
 * (TimeoutError, also recorded as the object's lastError) or `signal` aborts (its reason).
 */
export function poll<T extends object>(spec: Poll<T>): Promise<T> {
  const type = metaOf(spec.obj.constructor).name;
  return withSpan(`${type}.${spec.reason.replace(/\(\)$/, '')}`, { 'mixcoatl.resource': type }, () => pollUntraced(spec, type));
}

/** `poll()`'s loop, inside the waiter's span; each poll has a span of its own (`Job.poll`). */
async function pollUntraced<T extends object>(spec: Poll<T>, type: string): Promise<T> {
  const { obj, options } = spec;
  const { intervalMs, timeoutMs, signal } = waiterSettings(options);
  const deadline = performance.now() + timeoutMs;
  signal?.throwIfAborted();
  let first = true;
  for (;;) {
    if (!(first && spec.settledWithoutRequest?.())) {
      // The poll's own request is aborted with the waiter (its socket closed, no retry).
      const polled = await withSpan(`${type}.poll`, { 'mixcoatl.resource': type }, () => within(loadAsync(obj, true, spec.reason, undefined, undefined, signal), deadline, signal));
      if (polled === TIMED_OUT) break;
      options.onProgress?.(obj);
    }
    first = false;
    if ((await spec.check(obj)) === 'done') return obj;
    const remaining = deadline - performance.now();
    if (remaining <= 0) break;
    // A pause never outlasts the deadline; the next poll then times out at once if it has passed.
    await within(pause(Math.min(intervalMs, remaining)), deadline, signal);
    if (performance.now() >= deadline) break;
  }
  const error = new TimeoutError({ message: spec.timedOut(timeoutMs), code: 'EWAITTIMEOUT' });
  stateOf(obj).lastError = error;
  throw error;
}

export interface StatusWaitOptions<T> extends Omit<WaitOptions, 'onProgress'> {
  /** Called after every poll with the freshly read object. */
  onProgress?: (current: T) => void;
  /** Statuses that end the wait with UnexpectedStateError (the wanted one never fails). */
  failOn?: readonly string[];
}

/**
 * Reloads `obj` until its `status` equals `wanted` (the object is left refreshed). Reaching a
 * status of `failOn` first rejects with UnexpectedStateError; the deadline with TimeoutError.
 */
export function waitForStatus<T extends object>(obj: T, wanted: string, options: StatusWaitOptions<T> = {}): Promise<T> {
  const meta = metaOf(obj.constructor);
  if (typeof wanted !== 'string' || !wanted) throw new ValidationError({ message: `${meta.name}.waitFor() needs the status to wait for, e.g. 'RUNNING'` });
  const failOn = (options?.failOn ?? []).filter((s) => s !== wanted);
  const label = (): string => `${meta.name} ${String(stateOf(obj).id)}`;
  return poll({
    obj,
    reason: `waitFor('${wanted}')`,
    options,
    check: () => {
      const status = statusOf(obj);
      if (status === wanted) return 'done';
      if (typeof status === 'string' && failOn.includes(status)) {
        const error = new UnexpectedStateError({ message: `${label()} is ${status} while waiting for ${wanted}`, status, wanted });
        stateOf(obj).lastError = error;
        throw error;
      }
      return 'pending';
    },
    timedOut: (timeoutMs) => `${label()} is still ${String(statusOf(obj))}, not ${wanted}, after ${timeoutMs} ms`,
  });
}
