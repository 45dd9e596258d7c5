/**
 * Jobs and waiters (REFERENCE §3.5). Waiters THROW (STYLE.md §7): a job that ends in ERROR
 * rejects with JobFailedError, a waiter that runs out of time with TimeoutError, and an aborted
 * one with the signal's reason — exactly what `fetch()` and `signal.throwIfAborted()` do, so
 * `AbortSignal.timeout()` and `controller.abort(reason)` behave as callers expect.
 *
 * Unlike the original client (REFERENCE §7.17) every waiter has a timeout and observes ERROR.
 * Polls go through the asynchronous path only (never a blocking read).
 *
 * This module must not import resource classes at run time: `lib/orm/resource.ts` imports it,
 * and `resources/admin/job.ts` imports both.
 */
import { JobFailedError, TimeoutError, UnexpectedStateError, ValidationError } from '../errors.js';
import { loadAsync } from './loader.js';
import { describe } from './registry.js';
import { stateOf } from './state.js';
import type { Job } from '../../resources/admin/job.js';

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

/** The job waiter's options, with `onProgress` typed for jobs. */
export interface JobWaitOptions extends Omit<WaitOptions, 'onProgress'> {
  /** Called after every poll with the freshly read job. */
  onProgress?: (job: Job) => void;
}

export interface JobDefaults {
  /** REFERENCE §3.5: the original client polled every 5 s. */
  intervalMs: number;
  /** The original never timed out (§7.17); 30 minutes covers slow launches. `Infinity` allowed. */
  timeoutMs: number;
}

const BUILT_IN: JobDefaults = Object.freeze({ intervalMs: 5_000, timeoutMs: 30 * 60_000 });
let defaults: JobDefaults = { ...BUILT_IN };

function checkDuration(name: string, value: unknown, allowInfinity: boolean): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowInfinity && !Number.isFinite(value))) {
    throw new ValidationError({ message: `${name} must be a number of milliseconds ≥ 0${allowInfinity ? ' (or Infinity)' : ''}, got ${JSON.stringify(value)}` });
  }
  return value;
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
  const next = { ...defaults };
  if (options.intervalMs !== undefined) next.intervalMs = checkDuration('intervalMs', options.intervalMs, false);
  if (options.timeoutMs !== undefined) next.timeoutMs = checkDuration('timeoutMs', options.timeoutMs, true);
  defaults = next;
}

/** The waiter defaults in force. */
export function jobDefaults(): JobDefaults {
  return { ...defaults };
}

interface Resolved {
  intervalMs: number;
  timeoutMs: number;
  deadline: number;
  signal: AbortSignal | undefined;
}

function resolve(options: WaitOptions | JobWaitOptions): Resolved {
  if (options === null || typeof options !== 'object') throw new ValidationError({ message: 'waiter options must be an object ({ timeoutMs, intervalMs, signal, onProgress })' });
  const intervalMs = options.intervalMs === undefined ? defaults.intervalMs : checkDuration('intervalMs', options.intervalMs, false);
  const timeoutMs = options.timeoutMs === undefined ? defaults.timeoutMs : checkDuration('timeoutMs', options.timeoutMs, true);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new ValidationError({ message: 'signal must be an AbortSignal' });
  return { intervalMs, timeoutMs, deadline: performance.now() + timeoutMs, signal: options.signal };
}

const TIMED_OUT = Symbol('timed out');

/**
 * Settles with the promise, or with TIMED_OUT at the deadline, or rejects with the abort reason.
 * Timers are cleared in every case so nothing keeps the process alive.
 */
function within<T>(promise: Promise<T>, deadline: number, signal: AbortSignal | undefined): Promise<T | typeof TIMED_OUT> {
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

function pause(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Callbacks run once when a job is seen COMPLETE by a waiter (e.g. a create adopting its new id). */
const followers = new WeakMap<object, Array<(job: Job) => void | Promise<void>>>();

/** Runs `fn` when a waiter sees `job` COMPLETE (before the waiter resolves). */
export function followJob(job: Job, fn: (job: Job) => void | Promise<void>): void {
  const list = followers.get(job) ?? [];
  list.push(fn);
  followers.set(job, list);
}

async function runFollowers(job: Job): Promise<void> {
  const list = followers.get(job);
  if (!list) return;
  followers.delete(job);
  for (const fn of list) await fn(job);
}

/** The job started by each object's last asynchronous action (weak: no leak). */
const currentJobs = new WeakMap<object, Job>();

export function setCurrentJob(obj: object, job: Job): void {
  currentJobs.set(obj, job);
  stateOf(obj).job = typeof job.id === 'number' ? job.id : undefined;
}

export function currentJobOf(obj: object): Job | undefined {
  return currentJobs.get(obj);
}

function statusOf(obj: object): unknown {
  return stateOf(obj).data?.status;
}

function jobLabel(job: Job): string {
  const data = stateOf(job).data ?? {};
  const description = typeof data.description === 'string' && data.description ? ` (${data.description})` : '';
  return `job ${String(job.id)}${description}`;
}

/**
 * Polls `admin/Job/<id>` until COMPLETE (resolves with the job), ERROR (JobFailedError carrying
 * the job and its message), the deadline (TimeoutError) or an abort (`signal.reason`).
 * A job already read in full and finished answers without a request.
 */
export async function waitForJob(job: Job, options: JobWaitOptions = {}): Promise<Job> {
  const { intervalMs, timeoutMs, deadline, signal } = resolve(options);
  signal?.throwIfAborted();
  const state = stateOf(job);
  let first = true;
  for (;;) {
    const finished = state.complete && (statusOf(job) === 'COMPLETE' || statusOf(job) === 'ERROR');
    if (!(first && finished)) {
      const polled = await within(loadAsync(job, true, 'wait()'), deadline, signal);
      if (polled === TIMED_OUT) break;
      options.onProgress?.(job);
    }
    first = false;
    const status = statusOf(job);
    if (status === 'COMPLETE') {
      await runFollowers(job);
      return job;
    }
    if (status === 'ERROR') {
      const text = typeof state.data?.message === 'string' && state.data.message ? state.data.message : 'no message';
      const error = new JobFailedError({ message: `${jobLabel(job)} ended in ERROR: ${text}`, job, jobId: typeof job.id === 'number' ? job.id : undefined });
      state.lastError = error;
      throw error;
    }
    const remaining = deadline - performance.now();
    if (remaining <= 0) break;
    // A pause never outlasts the deadline; the next poll then times out at once if it has passed.
    await within(pause(Math.min(intervalMs, remaining)), deadline, signal);
    if (performance.now() >= deadline) break;
  }
  const error = new TimeoutError({ message: `${jobLabel(job)} still ${String(statusOf(job) ?? 'RUNNING')} after ${timeoutMs} ms`, code: 'EWAITTIMEOUT' });
  state.lastError = error;
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
export async function waitForStatus<T extends object>(obj: T, wanted: string, options: StatusWaitOptions<T> = {}): Promise<T> {
  const meta = describe(obj.constructor);
  if (typeof wanted !== 'string' || !wanted) throw new ValidationError({ message: `${meta.name}.waitFor() needs the status to wait for, e.g. 'RUNNING'` });
  const { intervalMs, timeoutMs, deadline, signal } = resolve(options);
  const failOn = (options.failOn ?? []).filter((s) => s !== wanted);
  signal?.throwIfAborted();
  for (;;) {
    const polled = await within(loadAsync(obj, true, `waitFor('${wanted}')`), deadline, signal);
    if (polled === TIMED_OUT) break;
    options.onProgress?.(obj);
    const status = statusOf(obj);
    if (status === wanted) return obj;
    if (typeof status === 'string' && failOn.includes(status)) {
      const error = new UnexpectedStateError({
        message: `${meta.name} ${String(stateOf(obj).id)} is ${status} while waiting for ${wanted}`,
        status,
        wanted,
      });
      stateOf(obj).lastError = error;
      throw error;
    }
    const remaining = deadline - performance.now();
    if (remaining <= 0) break;
    await within(pause(Math.min(intervalMs, remaining)), deadline, signal);
    if (performance.now() >= deadline) break;
  }
  const error = new TimeoutError({ message: `${meta.name} ${String(stateOf(obj).id)} is still ${String(statusOf(obj))}, not ${wanted}, after ${timeoutMs} ms`, code: 'EWAITTIMEOUT' });
  stateOf(obj).lastError = error;
  throw error;
}
