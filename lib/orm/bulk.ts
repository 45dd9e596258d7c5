/**
 * Actions over a set: `Server.where(query).stop({ reason }, { concurrency, dryRun, wait })`.
 *
 * - The set is resolved with ONE listing, as `find()` does (the same query, the same rules).
 * - Every action a class declares on existing objects can be run on the set; its own arguments
 *   come first, exactly as on one object, then the bulk options.
 * - At most `concurrency` writes are in flight. The result is one outcome per object (the
 *   object, its job, its error) and totals; a failure is an outcome, never a rejection, so what
 *   was done is never lost. An abort stops starting writes: the objects not started are
 *   `skipped`, and the result says `aborted`.
 * - `dryRun` resolves the set and each object's request (names are looked up, every check is
 *   made) and sends no write: each outcome is `planned`, with the request.
 * - `wait` waits for the jobs with `Job.waitAll()`: one listing of jobs per round.
 * - A bulk run is one run in the journal (its writes carry the run's id), like an apply run.
 */
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { Endpoint } from '../endpoint.js';
import type { Details } from '../config/resolve.js';
import { withApplyRun } from '../journal/context.js';
import { dryRun, PlannedWrite, type PlannedRequest } from './actions.js';
import { findAll } from './finder.js';
import { Job } from './job.js';
import type { ActionMeta } from './metadata.js';
import { metaOf } from './registry.js';
import { stateOf } from './state.js';

/** Options of a bulk action (after the action's own arguments). */
export interface BulkOptions {
  /** Writes in flight at once (default 8). */
  concurrency?: number;
  /** List the objects and the exact requests; send no write. */
  dryRun?: boolean;
  /** Wait for the jobs the writes started (`Job.waitAll()`: one job listing per round). */
  wait?: boolean;
  /** Limit of the wait, in milliseconds (as `job.wait()`). */
  timeoutMs?: number;
  /** Pause between two rounds of the wait, in milliseconds (as `job.wait()`). */
  intervalMs?: number;
  /** Aborting stops the run: nothing more is started, the request in flight is cancelled. */
  signal?: AbortSignal;
  /** Called as each object's write ends, and as each round of the wait ends. */
  onProgress?: (progress: BulkProgress) => void;
}

/** Where the set is listed: what `find()` takes as its options. */
export interface WhereOptions {
  /** Whose objects (default: the configured endpoint). */
  endpoint?: Endpoint;
  /** Detail level of the listing. */
  details?: Details;
}

/**
 * What happened to one object: `done` (the write was accepted and, with `wait`, its job
 * COMPLETE), `failed` (`error` says why), `planned` (a dry run: `request` is what would be sent),
 * or `skipped` (not started: the run was aborted first).
 */
export interface BulkOutcome<T> {
  /** The object acted on. */
  object: T;
  /** How it ended. */
  status: 'done' | 'failed' | 'planned' | 'skipped';
  /** The job the write started, if the API answered with one. */
  job?: Job;
  /** Why it failed (the API's typed error, a JobFailedError, a TimeoutError, an abort reason). */
  error?: unknown;
  /** A dry run's request. */
  request?: PlannedRequest;
}

/** Counts of a bulk run's outcomes. */
export interface BulkTotals {
  /** Objects the query matched. */
  matched: number;
  /** Outcomes `done`. */
  done: number;
  /** Outcomes `failed`. */
  failed: number;
  /** Outcomes `planned` (dry run). */
  planned: number;
  /** Outcomes `skipped` (aborted before they started). */
  skipped: number;
}

/** The result of a bulk action: one outcome per object, in the listing's order, and totals. */
export interface BulkResult<T> {
  /** The action's name, e.g. `stop`. */
  action: string;
  /** The journal run of the writes. */
  run: string;
  /** True for a dry run (nothing was written). */
  dryRun: boolean;
  /** True when the signal aborted the run (objects not started are `skipped`). */
  aborted: boolean;
  /** One per object matched. */
  outcomes: Array<BulkOutcome<T>>;
  /** Counts per status. */
  totals: BulkTotals;
}

/** Progress of a bulk run. */
export interface BulkProgress {
  /** `write` while sending, `wait` while waiting for jobs. */
  phase: 'write' | 'wait';
  /** Objects in the run. */
  total: number;
  /** Objects whose write (or job, while waiting) has ended. */
  ended: number;
  /** Of those, the failed ones. */
  failed: number;
}

/**
 * The names of the actions of `T` a set offers: its methods that return a promise, except those
 * that create (`launch`, `create`, `add`, `generate`), the waiters (`waitFor…`) and what every
 * resource has (`save`, `load`…). At run time the set offers exactly the class's `@action`s whose
 * receiver is an existing object.
 */
export type BulkActionNames<T> = {
  [K in keyof T]: K extends 'launch' | 'create' | 'add' | 'generate' | 'save' | 'load' | 'reload' | `waitFor${string}` ? never : T[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof T];

/** A set's actions: each takes the action's own arguments, then the bulk options. */
export type BulkActions<T> = {
  [K in BulkActionNames<T>]: T[K] extends (...args: infer A) => Promise<unknown> ? (...args: [...A, BulkOptions?]) => Promise<BulkResult<T>> : never;
};

/** `X.where(query)`: the objects matching a query, to act on together. */
export interface SelectionBase<T> {
  /** The objects the query matches now (one listing, as `find()`). */
  find(): Promise<T[]>;
}

/** `X.where(query)`: `find()` and one method per action (`stop`, `start`, `terminate`, …). */
export type Selection<T> = SelectionBase<T> & BulkActions<T>;

const BULK_KEYS = new Set(['concurrency', 'dryRun', 'wait', 'timeoutMs', 'intervalMs', 'signal', 'onProgress']);

function checkBulkOptions(what: string, options: unknown): BulkOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ValidationError({ message: `${what}: the bulk options must be an object ({ concurrency, dryRun, wait, signal, … })` });
  const unknown = Object.keys(options).filter((k) => !BULK_KEYS.has(k));
  if (unknown.length) throw new ValidationError({ message: `${what}: unknown bulk option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known: ${[...BULK_KEYS].join(', ')}` });
  const given = options as BulkOptions;
  if (given.concurrency !== undefined && (!Number.isSafeInteger(given.concurrency) || given.concurrency < 1)) throw new ValidationError({ message: `${what}: concurrency must be a whole number ≥ 1, got ${JSON.stringify(given.concurrency)}` });
  if (given.signal !== undefined && !(given.signal instanceof AbortSignal)) throw new ValidationError({ message: `${what}: signal must be an AbortSignal` });
  return given;
}

function tell(options: BulkOptions, progress: BulkProgress): void {
  try {
    options.onProgress?.(progress);
  } catch {
    /* a listener's failure never breaks the run */
  }
}

function totalsOf<T>(outcomes: ReadonlyArray<BulkOutcome<T>>): BulkTotals {
  const count = (status: BulkOutcome<T>['status']): number => outcomes.filter((o) => o.status === status).length;
  return { matched: outcomes.length, done: count('done'), failed: count('failed'), planned: count('planned'), skipped: count('skipped') };
}

/** The number of arguments the action method takes before its options (and the options, if any). */
function arity(decl: ActionMeta): number {
  return decl.signature.args.length + (decl.signature.optionsParam === undefined ? 0 : 1);
}

/**
 * Runs the action `decl` on every object matching `query`: see the module note.
 * The action's options (`wait`, the waiter's) are not used per object: the bulk options decide.
 */
async function runBulk<T extends object>(cls: Function, query: Record<string, unknown>, where: WhereOptions, decl: ActionMeta, args: unknown[]): Promise<BulkResult<T>> {
  const meta = metaOf(cls);
  const what = `${meta.name}.where(…).${decl.name}()`;
  const count = arity(decl);
  const own = args.slice(0, count);
  const options = checkBulkOptions(what, args[count]);
  if (args.length > count + 1) throw new ValidationError({ message: `${what} takes ${count} argument${count === 1 ? '' : 's'} of the action, then the bulk options` });
  // The action itself never waits: the jobs are waited for together.
  if (decl.signature.optionsParam !== undefined) {
    const last = own[count - 1];
    if (last !== undefined && (last === null || typeof last !== 'object' || Array.isArray(last))) throw new ValidationError({ message: `${what}: the action's ${decl.signature.optionsParam} must be an object` });
    own[count - 1] = { ...(last as object | undefined), wait: false, signal: options.signal };
  }
  const signal = options.signal;
  signal?.throwIfAborted();
  const objects = await findAll<T>(cls, query, { ...where, signal });
  const run = randomUUID();
  const outcomes: Array<BulkOutcome<T>> = objects.map((object) => ({ object, status: 'skipped' }));
  const concurrency = Math.min(options.concurrency ?? 8, Math.max(1, objects.length));
  let next = 0;
  let ended = 0;
  let aborted = false;
  const call = (object: T): Promise<unknown> => (object as Record<string, (...a: unknown[]) => Promise<unknown>>)[decl.name](...own);
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      if (signal?.aborted) {
        aborted = true;
        return;
      }
      const index = next++;
      const outcome = outcomes[index];
      try {
        if (options.dryRun) {
          await dryRun(() => call(outcome.object));
          // An action that sends nothing (its checks decided so) plans no request.
          outcome.status = 'planned';
        } else {
          const answer = await call(outcome.object);
          outcome.status = 'done';
          if (answer instanceof Job) outcome.job = answer;
        }
      } catch (error) {
        if (error instanceof PlannedWrite) {
          outcome.status = 'planned';
          outcome.request = error.request;
        } else {
          outcome.status = 'failed';
          outcome.error = error;
        }
      }
      ended += 1;
      tell(options, { phase: 'write', total: objects.length, ended, failed: outcomes.filter((o) => o.status === 'failed').length });
    }
  };
  await withApplyRun(run, () => Promise.all(Array.from({ length: concurrency }, worker)));
  if (signal?.aborted) aborted = true;
  const jobs = outcomes.filter((o) => o.status === 'done' && o.job).map((o) => o.job as Job);
  if (options.wait && !aborted && jobs.length) {
    try {
      const ends = await Job.waitAll(jobs, {
        timeoutMs: options.timeoutMs,
        intervalMs: options.intervalMs,
        signal,
        onProgress: (p) => tell(options, { phase: 'wait', total: p.total, ended: p.complete + p.failed, failed: p.failed }),
      });
      const byJob = new Map(ends.map((e) => [e.job, e]));
      for (const outcome of outcomes) {
        const end = outcome.job && byJob.get(outcome.job);
        if (end && end.status !== 'COMPLETE') {
          outcome.status = 'failed';
          outcome.error = end.error;
          stateOf(outcome.object).lastError = end.error ?? null;
        }
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
      aborted = true;
    }
  }
  return { action: decl.name, run, dryRun: options.dryRun === true, aborted, outcomes, totals: totalsOf(outcomes) };
}

/** The set of `cls` objects matching `query`, with one method per action of the class. */
export function selection<T extends object>(cls: Function, query: Record<string, unknown>, where: WhereOptions = {}): Selection<T> {
  const meta = metaOf(cls);
  if (query === null || typeof query !== 'object' || Array.isArray(query)) throw new ValidationError({ message: `${meta.name}.where() takes a query object, as find() does, e.g. ${meta.name}.where({ status: 'RUNNING' })` });
  if (where === null || typeof where !== 'object') throw new ValidationError({ message: `${meta.name}.where(): the second argument must be an options object ({ endpoint, details })` });
  const set: Record<string, unknown> = {
    find: () => findAll<T>(cls, query, where),
  };
  for (const decl of meta.actions) {
    if (decl.signature.receiver !== 'existing') continue;
    set[decl.name] = (...args: unknown[]) => runBulk<T>(cls, query, where, decl, args);
  }
  return set as Selection<T>;
}

/** The names of the actions a set of `cls` offers (its `@action`s on existing objects). */
export function bulkActionNames(cls: Function): string[] {
  return metaOf(cls)
    .actions.filter((a) => a.signature.receiver === 'existing')
    .map((a) => a.name);
}
