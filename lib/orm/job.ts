/**
 * An asynchronous job. Actions answered with 202 return one. On success of a
 * create, `message` is the new resource's id as a decimal string; on ERROR, the error text.
 *
 * `await job.wait()` polls `admin/Job/<id>` and THROWS when the job fails (JobFailedError), runs
 * out of time (TimeoutError) or is aborted (the signal's reason).
 *
 * The second layer of lib/orm: a Job is a resource of the base layer (it is read, never written),
 * so the actions layer above can hand out jobs without a cycle.
 */
import { DcmError, hide, TimeoutError, type DcmErrorOptions } from '../errors.js';
import type { Endpoint } from '../endpoint.js';
import { attribute, resource, type JobShape } from './metadata.js';
import { ResourceBase } from './base.js';
import { stateOf, type ResourceInit } from './state.js';
import { loadAsync } from './loader.js';
import { pause, poll, statusOf, TIMED_OUT, waiterSettings, within, type WaitOptions } from './waiters.js';

export type JobStatus = 'RUNNING' | 'COMPLETE' | 'ERROR';

/** A job ended in ERROR; `job` is the finished job and `message` its error text. */
export class JobFailedError extends DcmError {
  /** The finished job (non-enumerable): `error.job.message`, `error.job.description`. */
  declare readonly job: Job;
  /** Id of the failed job. */
  jobId: number | undefined;
  /** Made by the job waiter with the failed job and its id. */
  constructor(options: DcmErrorOptions & { job: Job; jobId?: number }) {
    super({ code: 'EJOBFAILED', ...options });
    this.jobId = options.jobId;
    hide(this, 'job', options.job);
  }
}

/** The job waiter's options, with `onProgress` typed for jobs. */
export interface JobWaitOptions extends Omit<WaitOptions, 'onProgress'> {
  /** Called after every poll with the freshly read job. */
  onProgress?: (job: Job) => void;
}

@resource({ path: 'admin/Job', collection: 'jobs', id: 'jobId' })
export class Job extends ResourceBase implements JobShape {
  @attribute() jobId!: number;
  @attribute() status!: JobStatus;
  @attribute() description!: string;
  @attribute() message!: string;
  @attribute() startDate!: string;
  @attribute() endDate!: string;
  @attribute() jobMessage?: string;

  /**
   * Polls until the job is COMPLETE and resolves with it (refreshed). Rejects with
   * JobFailedError (`error.job`, `error.message` = the job's message) on ERROR, TimeoutError after
   * `timeoutMs`, and `signal.reason` when `signal` aborts. Default interval 5 s
   * (`configureJobs({ intervalMs })` or per call; 0 for the emulator and tests).
   */
  wait(options: JobWaitOptions = {}): Promise<this> {
    return waitForJob(this, options);
  }

  /**
   * Waits for many jobs at once: each round lists the jobs with ONE request (`GET admin/Job`) per
   * endpoint, never one GET per job (a job the listing lacks is read on its own). Resolves when
   * every job has ended, with one outcome per job, in the order given: `COMPLETE`, `ERROR` (with
   * its JobFailedError) or, past `timeoutMs`, `TIMEOUT` (with a TimeoutError). Rejects only when
   * `signal` aborts (with its reason). Jobs already read in full and ended cost no request.
   */
  static waitAll(jobs: Iterable<Job>, options: JobWaitAllOptions = {}): Promise<JobOutcome[]> {
    return waitForJobs([...jobs], options);
  }
}

/** How one job of `Job.waitAll()` ended. */
export interface JobOutcome {
  /** The job, refreshed by the last listing. */
  job: Job;
  /** `COMPLETE`, `ERROR`, or `TIMEOUT` when it had not ended by the deadline. */
  status: 'COMPLETE' | 'ERROR' | 'TIMEOUT';
  /** JobFailedError (ERROR) or TimeoutError (TIMEOUT). */
  error?: JobFailedError | TimeoutError;
}

/** Progress of `Job.waitAll()`, reported after every round. */
export interface JobsProgress {
  /** Jobs waited for. */
  total: number;
  /** Jobs COMPLETE so far. */
  complete: number;
  /** Jobs in ERROR so far. */
  failed: number;
  /** Jobs still running. */
  running: number;
  /** Rounds of polling so far (one listing per endpoint each). */
  rounds: number;
}

/** Options of `Job.waitAll()`. */
export interface JobWaitAllOptions extends Omit<WaitOptions, 'onProgress'> {
  /** Called after every round. */
  onProgress?: (progress: JobsProgress) => void;
}

function ended(job: Job): boolean {
  const status = statusOf(job);
  return status === 'COMPLETE' || status === 'ERROR';
}

function failureOf(job: Job): JobFailedError {
  const state = stateOf(job);
  const text = typeof state.data?.message === 'string' && state.data.message ? state.data.message : 'no message';
  const error = new JobFailedError({ message: `${jobLabel(job)} ended in ERROR: ${text}`, job, jobId: typeof job.id === 'number' ? job.id : undefined });
  state.lastError = error;
  return error;
}

/** One listing of the jobs of an endpoint; the given jobs take the items listed for them. */
async function listJobs(endpoint: Endpoint | undefined, jobs: readonly Job[], signal: AbortSignal | undefined): Promise<Job[]> {
  const listed = await (Job as unknown as { all(options: { endpoint?: Endpoint; signal?: AbortSignal }): Promise<Job[]> }).all({ endpoint, signal });
  const byId = new Map<string, Job>();
  for (const item of listed) byId.set(String(item.id), item);
  const missing: Job[] = [];
  for (const job of jobs) {
    const found = byId.get(String(job.id));
    if (!found) {
      missing.push(job);
      continue;
    }
    if (found === job) continue;
    const state = stateOf(job);
    state.data = stateOf(found).data;
    state.complete = true;
    state.lastRequest = found.lastRequest;
  }
  return missing;
}

async function waitForJobs(jobs: Job[], options: JobWaitAllOptions): Promise<JobOutcome[]> {
  const { intervalMs, timeoutMs, signal } = waiterSettings(options);
  const onProgress = options.onProgress;
  const deadline = performance.now() + timeoutMs;
  signal?.throwIfAborted();
  const outcomes = new Map<Job, JobOutcome>();
  let rounds = 0;
  /** Records the outcome of every job that has ended (followers of a COMPLETE one run first). */
  const settle = async (pending: readonly Job[]): Promise<void> => {
    for (const job of pending) {
      if (outcomes.has(job) || !ended(job)) continue;
      if (statusOf(job) === 'COMPLETE') {
        await runFollowers(job);
        outcomes.set(job, { job, status: 'COMPLETE' });
      } else outcomes.set(job, { job, status: 'ERROR', error: failureOf(job) });
    }
  };
  const unique = [...new Set(jobs)];
  await settle(unique.filter((job) => stateOf(job).complete));
  for (;;) {
    const pending = unique.filter((job) => !outcomes.has(job));
    if (!pending.length) break;
    if (rounds > 0) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      await within(pause(Math.min(intervalMs, remaining)), deadline, signal);
      if (performance.now() >= deadline) break;
    }
    rounds += 1;
    // One listing per endpoint the jobs belong to.
    const groups = new Map<Endpoint | undefined, Job[]>();
    for (const job of pending) {
      const endpoint = stateOf(job).endpoint;
      groups.set(endpoint, [...(groups.get(endpoint) ?? []), job]);
    }
    const round = Promise.all(
      [...groups].map(async ([endpoint, group]) => {
        const missing = await listJobs(endpoint, group, signal);
        // A job the listing lacks (a listing cut short by the API) is read on its own.
        for (const job of missing) await loadAsync(job, true, 'Job.waitAll()', undefined, undefined, signal);
      }),
    );
    if ((await within(round, deadline, signal)) === TIMED_OUT) break;
    await settle(pending);
    if (onProgress) {
      const all = [...outcomes.values()];
      onProgress({ total: unique.length, complete: all.filter((o) => o.status === 'COMPLETE').length, failed: all.filter((o) => o.status === 'ERROR').length, running: unique.length - all.length, rounds });
    }
  }
  return jobs.map((job) => {
    const found = outcomes.get(job);
    if (found) return found;
    const error = new TimeoutError({ message: `${jobLabel(job)} still ${String(statusOf(job) ?? 'RUNNING')} after ${timeoutMs} ms`, code: 'EWAITTIMEOUT' });
    stateOf(job).lastError = error;
    const outcome: JobOutcome = { job, status: 'TIMEOUT', error };
    outcomes.set(job, outcome);
    return outcome;
  });
}

/**
 * The job a response body announces (`{"jobs":[{"jobId":…,"status":…}]}`, a 202), or undefined.
 * Its identifier and status are known; it is NOT marked loaded, so reading e.g. `message` loads
 * it, and `wait()` polls it.
 */
export function jobFromBody(body: unknown, init: ResourceInit): Job | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const jobs = (body as { jobs?: unknown }).jobs;
  const first = Array.isArray(jobs) ? (jobs[0] as unknown) : undefined;
  if (!first || typeof first !== 'object') return undefined;
  const item = first as Record<string, unknown>;
  if (item.jobId === undefined || item.jobId === null) return undefined;
  const job = new Job(item.jobId as number, init);
  stateOf(job).data = { ...item };
  return job;
}

/** Callbacks run once when a waiter sees a job COMPLETE (e.g. a create adopting its new id). */
const followers = new WeakMap<Job, Array<(job: Job) => void | Promise<void>>>();

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
export function waitForJob<T extends Job>(job: T, options: JobWaitOptions = {}): Promise<T> {
  const state = stateOf(job);
  return poll<T>({
    obj: job,
    reason: 'wait()',
    options,
    settledWithoutRequest: () => state.complete && (statusOf(job) === 'COMPLETE' || statusOf(job) === 'ERROR'),
    check: async () => {
      const status = statusOf(job);
      if (status === 'COMPLETE') {
        await runFollowers(job);
        return 'done';
      }
      if (status !== 'ERROR') return 'pending';
      const text = typeof state.data?.message === 'string' && state.data.message ? state.data.message : 'no message';
      const error = new JobFailedError({ message: `${jobLabel(job)} ended in ERROR: ${text}`, job, jobId: typeof job.id === 'number' ? job.id : undefined });
      state.lastError = error;
      throw error;
    },
    timedOut: (timeoutMs) => `${jobLabel(job)} still ${String(statusOf(job) ?? 'RUNNING')} after ${timeoutMs} ms`,
  });
}
