/**
 * `admin/Job` records: created RUNNING by an asynchronous action, finished by the
 * clock as COMPLETE (message = id of the created object as a decimal string, or "") or ERROR
 * (message = the error text). Timestamps use the API format.
 */
import type { Store } from './store.js';
import { dcmTimestamp } from './time.js';
import type { Rec } from './types.js';

export const JOB_PATH = 'admin/Job';

export function createJob(store: Store, description: string, now: number): Rec {
  const job: Rec = { jobId: store.allocateId(JOB_PATH), status: 'RUNNING', description, message: '', startDate: dcmTimestamp(now) };
  return store.put(JOB_PATH, job);
}

/** Finish a job; a job already finished (or removed) is left alone. */
export function finishJob(store: Store, jobId: number, outcome: { error?: string; message?: string }, at: number): void {
  const job = store.get(JOB_PATH, jobId);
  if (!job || job.status !== 'RUNNING') return;
  job.status = outcome.error === undefined ? 'COMPLETE' : 'ERROR';
  job.message = outcome.error ?? outcome.message ?? '';
  job.endDate = dcmTimestamp(at);
}

/** The body of every 202. */
export function jobsBody(jobs: Rec[]): Rec {
  return { jobs: jobs.map((j) => ({ jobId: j.jobId, status: j.status })) };
}
