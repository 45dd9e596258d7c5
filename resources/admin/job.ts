/**
 * An asynchronous job (REFERENCE §3.5). Actions answered with 202 return one. On success of a
 * create, `message` is the new resource's id as a decimal string; on ERROR, the error text.
 *
 * `await job.wait()` polls `admin/Job/<id>` and THROWS when the job fails (JobFailedError), runs
 * out of time (TimeoutError) or is aborted (the signal's reason) — unlike the original client,
 * whose waiter reported success for a failed job and never timed out (REFERENCE §7.17).
 */
import { attribute, resource } from '../../lib/orm/metadata.js';
import { Resource } from '../../lib/orm/resource.js';
import { waitForJob, type JobWaitOptions } from '../../lib/orm/jobs.js';

export type JobStatus = 'RUNNING' | 'COMPLETE' | 'ERROR';

@resource({ path: 'admin/Job', collection: 'jobs', id: 'jobId' })
export class Job extends Resource {
  @attribute() jobId!: number;
  @attribute() status!: JobStatus;
  @attribute() description!: string;
  @attribute() message!: string;
  @attribute() startDate!: string;
  @attribute() endDate!: string;
  @attribute() jobMessage!: string;

  /**
   * Polls until the job is COMPLETE and resolves with it (refreshed). Rejects with
   * JobFailedError (`error.job`, `error.message` = the job's message) on ERROR, TimeoutError after
   * `timeoutMs`, and `signal.reason` when `signal` aborts. Default interval 5 s
   * (`configureJobs({ intervalMs })` or per call; 0 for the emulator and tests).
   */
  wait(options: JobWaitOptions = {}): Promise<this> {
    return waitForJob(this, options) as Promise<this>;
  }
}
