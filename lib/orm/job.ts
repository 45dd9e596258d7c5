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
import { DcmError, hide, type DcmErrorOptions } from '../errors.js';
import { attribute, resource, type JobShape } from './metadata.js';
import { ResourceBase } from './base.js';
import { stateOf, type ResourceInit } from './state.js';
import { poll, statusOf, type WaitOptions } from './waiters.js';

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
