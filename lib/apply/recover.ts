/**
 * What `apply()` does before it plans, so that a re-run after a crash never makes a second copy.
 *
 * - One apply at a time per endpoint and access key: planning and executing hold a cross-process
 *   lock (lib/lock.ts), the file `<journal file>.apply.lock` beside the journal (it is taken even
 *   when the journal is turned off). A second apply waits for it, up to `lockTimeoutMs`, then fails
 *   with `LockedError` naming the holder's pid and run. A lock left by a dead process is taken over
 *   at once.
 * - Unfinished writes are settled first. An object of DCM appears in its listing only when the job
 *   that creates it ends, so a re-run planned while a dead run's create job still runs would create
 *   the object again. Before planning, apply reads the journal's recent writes (every write is
 *   appended before it is sent) and waits for the jobs they may have started that still run:
 *   - a write whose answer was seen names its job (`jobs[0].jobId` of the answer);
 *   - a write without an answer (its process died, or is still waiting: "sent, outcome unknown";
 *     or it failed with no answer or a 5xx, which the API may have carried out all the same)
 *     names none: apply waits for every RUNNING job that started from a little before the write
 *     ({@link RECOVERY_SKEW_MS}) to a while after it ({@link RECOVERY_IN_FLIGHT_MS}).
 *   Once those jobs have ended, what they created is in the listings, and planning adopts it by
 *   name like any existing object. A job that ended in ERROR created nothing. Writes older than
 *   {@link RECOVERY_HORIZON_MS} are not looked at.
 */
import { TimeoutError } from '../errors.js';
import { readCollection } from '../http/read.js';
import type { Endpoint } from '../endpoint.js';
import { JobFailedError, jobFromBody, waitForJob, type JobWaitOptions } from '../orm/job.js';
import { jobDefaults } from '../orm/waiters.js';
import { readJournalEntries, type JournalOutcome } from '../journal/journal.js';

/** Writes older than this (24 hours) are not looked at: their jobs have long ended, or never will. */
export const RECOVERY_HORIZON_MS = 24 * 3_600_000;
/** A job tied to a write without an answer may have started this long (2 minutes) before the write was journaled: the API's clock may be behind ours. */
export const RECOVERY_SKEW_MS = 2 * 60_000;
/** …or this long (10 minutes) after it: the request's time on the wire, retries included, and the API's clock ahead of ours. */
export const RECOVERY_IN_FLIGHT_MS = 10 * 60_000;

/** A journaled write that may have left a job running. */
export interface UnfinishedWrite {
  /** Its journal serial. */
  serial: number;
  /** The apply run it belonged to, or null. */
  run: string | null;
  /** The process that sent it, when the journal says. */
  pid?: number;
  method: string;
  path: string;
  /** When it was journaled (ISO 8601). */
  timestamp: string;
  /** `done`: its answer (or failure) is recorded; `pending`: its process still waits for it; `unknown`: its process died first. */
  outcome: JournalOutcome;
}

/** A job that `apply()` waits for before it plans, and the writes it may belong to. */
export interface RecoveryWait {
  jobId: number;
  /** The job's description, as the API gives it (e.g. `CREATE VOLUME data`). */
  description: string;
  /** When it started, as the API gives it. */
  startDate: string;
  /** The journaled writes it belongs to, or may belong to. */
  writes: UnfinishedWrite[];
}

/** How the unfinished writes are settled. */
export interface RecoveryOptions extends JobWaitOptions {
  endpoint?: Endpoint;
  /** Told once, before waiting, with every job waited for. */
  onWait?: (waits: RecoveryWait[]) => void;
}

interface Write extends UnfinishedWrite {
  result: unknown;
  status: number | null;
}

/** The journal's writes sent since `since` (intent and outcome merged by the journal's reader). */
async function journaledWrites(file: string, since: number): Promise<Write[]> {
  const writes: Write[] = [];
  for (const entry of await readJournalEntries(file)) {
    if (entry.method === 'GET' || entry.method === 'HEAD' || !(Date.parse(entry.timestamp) >= since)) continue;
    const { serial, run, pid, method, path, timestamp, outcome, result, status } = entry;
    writes.push({ serial, run, ...(pid === null ? {} : { pid }), method, path, timestamp, outcome, result, status });
  }
  return writes;
}

/** The job a write's answer announced (`{"jobs":[{"jobId":…}]}`), if any. */
function jobIdOf(result: unknown): number | undefined {
  const jobs = result !== null && typeof result === 'object' ? (result as { jobs?: unknown }).jobs : undefined;
  const first = Array.isArray(jobs) ? (jobs[0] as { jobId?: unknown } | undefined) : undefined;
  const id = Number(first?.jobId);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

async function runningJobs(endpoint: Endpoint | undefined): Promise<Array<Record<string, unknown>>> {
  const { items: jobs } = await readCollection({ method: 'GET', path: 'admin/Job', endpoint, reason: 'apply() recovery' }, 'jobs');
  return jobs.filter((job) => job.status === 'RUNNING');
}

/**
 * Waits for the jobs that the journal's recent writes (of any process, a dead one's included) may
 * have left running; see the module note. Resolves with what it waited for (empty when nothing
 * was running). A job still running after `timeoutMs` fails the apply before planning: nothing is
 * sent, and the error names the job and the write.
 */
export async function settleUnfinishedWrites(journal: string, options: RecoveryOptions = {}): Promise<RecoveryWait[]> {
  const writes = await journaledWrites(journal, Date.now() - RECOVERY_HORIZON_MS);
  // No answer, or a 5xx: the API may have carried the write out all the same.
  const unanswered = writes.filter((w) => w.outcome !== 'done' || typeof w.status !== 'number' || w.status >= 500);
  const byJob = new Map<number, Write[]>();
  for (const write of writes) {
    const jobId = write.outcome === 'done' ? jobIdOf(write.result) : undefined;
    if (jobId !== undefined) byJob.set(jobId, [...(byJob.get(jobId) ?? []), write]);
  }
  if (!unanswered.length && !byJob.size) return [];
  const waits: RecoveryWait[] = [];
  for (const job of await runningJobs(options.endpoint)) {
    const jobId = Number(job.jobId);
    if (!Number.isSafeInteger(jobId)) continue;
    const started = Date.parse(String(job.startDate ?? ''));
    // Started about when the write was sent (a start date that cannot be read: maybe).
    const near = (w: Write): boolean => Number.isNaN(started) || (started >= Date.parse(w.timestamp) - RECOVERY_SKEW_MS && started <= Date.parse(w.timestamp) + RECOVERY_IN_FLIGHT_MS);
    const tied = [...(byJob.get(jobId) ?? []).filter(near), ...unanswered.filter(near)];
    if (!tied.length) continue;
    waits.push({ jobId, description: String(job.description ?? ''), startDate: String(job.startDate ?? ''), writes: tied.map(({ result: _r, status: _s, ...shown }) => shown) });
  }
  if (!waits.length) return [];
  try {
    options.onWait?.(waits);
  } catch {
    /* a listener's failure never breaks the apply */
  }
  const { intervalMs, timeoutMs, signal } = options;
  await Promise.all(
    waits.map(async (wait) => {
      const job = jobFromBody({ jobs: [{ jobId: wait.jobId, status: 'RUNNING' }] }, { endpoint: options.endpoint })!;
      try {
        await waitForJob(job, { intervalMs, timeoutMs, signal });
      } catch (error) {
        if (error instanceof JobFailedError) return; // it created nothing
        if (error instanceof TimeoutError) {
          const writes = wait.writes.map((w) => `serial ${w.serial} ${w.method} ${w.path}${w.run ? ` of apply run ${w.run}` : ''}`).join(', ');
          throw new TimeoutError({
            message: `apply: job ${wait.jobId} (${wait.description}) of an earlier write (${writes}) is still running after ${timeoutMs ?? jobDefaults().timeoutMs} ms; nothing was sent: apply again once it has ended`,
            code: 'EWAITTIMEOUT',
            cause: error,
          });
        }
        throw error;
      }
    }),
  );
  return waits;
}
