/**
 * `apply(records, options)`: a desired state, applied all-or-nothing where the API allows it.
 *
 * 1. Plan (lib/apply/plan.ts): every record validated, the current state read, the exact ordered
 *    requests computed. `{ dryRun: true }` stops here: no write is sent.
 * 2. Execute: steps in dependency order, independent ones concurrently (`concurrency`, default 4);
 *    every job is waited for; deletions run last, once everything else has succeeded.
 * 3. On a failure: the steps already done are compensated in reverse order (a creation deleted or
 *    terminated, an update restored to the values read at plan time, an attachment detached).
 *    `ApplyError` says what was done, what was compensated and what could not be, with ids.
 * 4. The result holds every record as the API shows it at the end: read back (one GET each) where a
 *    step changed the object, else as read while planning.
 *
 * Before planning, apply takes the apply lock of the endpoint and access key (one apply at a time,
 * across processes) and settles the writes an earlier run may have left unfinished
 * (lib/apply/recover.ts); the lock is held until the apply ends.
 */
import { withSpan } from '../tracing.js';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DcmError, LockedError, ValidationError, type LockHolder } from '../errors.js';
import { perform } from '../http/client.js';
import { checkedBody } from '../http/read.js';
import type { Endpoint } from '../endpoint.js';
import type { HttpMethod } from '../wire.js';
import { JobFailedError, jobFromBody, waitForJob, type JobWaitOptions } from '../orm/job.js';
import { stateOf, type Id } from '../orm/state.js';
import { withApplyRun } from '../journal/context.js';
import { journalPath } from '../journal/index.js';
import { acquireLock, type FileLock } from '../lock.js';
import { settleUnfinishedWrites, type RecoveryWait } from './recover.js';
import { createdId } from '../orm/actions.js';
import { irreversibleRefusal, LocalRef, planRecords, publicStep, type ApplyRecord, type Plan, type PlanOptions, type PlanStep, type StepInternal } from './plan.js';
import { planCheckOf } from './hooks.js';

export interface ApplyOptions extends PlanOptions, Omit<JobWaitOptions, 'signal'> {
  /**
   * Plan only: validate, read the current state, and return the plan (with the steps that cannot
   * be undone marked, whether or not `allowIrreversible` is given). No write is sent.
   */
  dryRun?: boolean;
  /**
   * Aborting stops planning at once; during execution it counts as a failure: no new step starts,
   * the running ones end (their jobs are waited for), and what was done is compensated. The
   * ApplyError then has the signal's reason as its cause.
   */
  signal?: AbortSignal;
  /** Independent steps run at once, up to this many (default 4). */
  concurrency?: number;
  /** Told as each step (or compensation) starts and ends. */
  onStep?: (event: ApplyStepEvent) => void;
  /**
   * How long to wait while another apply (of any process) holds the lock of the same endpoint and
   * access key, in milliseconds (default {@link DEFAULT_LOCK_TIMEOUT_MS}, one minute; 0 = do not
   * wait). Then `LockedError`, naming the holder's pid and run.
   */
  lockTimeoutMs?: number;
  /** Told once, when another apply holds the lock and this one starts waiting for it. */
  onLockWait?: (holder: LockHolder) => void;
  /** Told once, before planning, when apply waits for jobs that earlier writes left running. */
  onRecoveryWait?: (waits: RecoveryWait[]) => void;
}

/** How long `apply()` waits for another apply's lock by default: one minute. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

export interface ApplyStepEvent {
  phase: 'apply' | 'compensate';
  status: 'start' | 'done' | 'failed';
  step: PlanStep;
  /** The object's id, once known. */
  id?: Id;
  error?: Error;
}

/** A step as it was carried out: its request with the real ids. */
export interface DoneStep {
  step: number;
  label: string;
  kind: PlanStep['kind'];
  method: HttpMethod;
  path: string;
  /** The id of the object the step created or changed. */
  id?: Id;
}

export interface ApplyResult {
  /** The apply run (also in the journal's entries). */
  run: string;
  dryRun: boolean;
  plan: Plan;
  /** Steps carried out (empty for a dry run). */
  done: DoneStep[];
  /**
   * Per record, the object as read at the end: read back where a step changed it, else as read
   * while planning (null for a deletion; undefined for a dry run).
   */
  records: Array<Record<string, unknown> | null | undefined>;
}

/**
 * A failed apply: what was done, what was compensated, and what could not be, with ids. A
 * `DcmError` whose `statusCode` and `cause` are those of the failed step (the CLI exits with the
 * code of its cause); `summary` says it one point a line.
 */
export class ApplyError extends DcmError {
  /** Always `EAPPLY`. */
  declare readonly code: 'EAPPLY';
  /** The failure in a few lines: the failed step, what was done and compensated, each step left done. */
  readonly summary: string[];
  /** Made by apply() only. */
  constructor(
    message: string,
    /** The apply run. */
    readonly run: string,
    /** The step that failed, and how. `mayHaveApplied`: the API may have carried it out (no answer, or a 5xx). */
    readonly failed: DoneStep & { error: string; statusCode?: number; mayHaveApplied: boolean },
    /** Steps that succeeded before the failure (in completion order). */
    readonly done: DoneStep[],
    /** Steps undone (in the order they were undone). */
    readonly compensated: DoneStep[],
    /** Steps that stay done: cannot be undone, or their undoing failed (`why`). */
    readonly notCompensated: Array<DoneStep & { why: string }>,
    readonly plan: Plan,
    cause: unknown,
    summary: string[] = [message],
  ) {
    super({ message, code: 'EAPPLY', statusCode: failed.statusCode, cause });
    this.summary = summary;
  }

  /** Plain form for logs and `--json`: every step with its id (no request headers, no secret). */
  override toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, run: this.run, failed: this.failed, done: this.done, compensated: this.compensated, notCompensated: this.notCompensated };
  }
}

function substitute(value: unknown, ids: Map<string, Id>): unknown {
  if (value instanceof LocalRef) {
    const id = ids.get(value.name);
    if (id === undefined) throw new Error(`internal: @${value.name} has no id yet`);
    return id;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  return value;
}

function pathOf(step: StepInternal, ids: Map<string, Id>): { path: string; id?: Id } {
  if (step.kind === 'create') return { path: step.collectionPath };
  const id = substitute(step.target, ids) as Id;
  return { path: `${step.collectionPath}/${encodeURIComponent(String(id))}`, id };
}

interface Sent {
  body: unknown;
  statusCode: number;
}

async function send(method: HttpMethod, path: string, query: Record<string, string> | undefined, body: unknown, endpoint: Endpoint | undefined, alsoSuccess: readonly number[] = []): Promise<Sent> {
  const outcome = await perform({ method, path, query, body, endpoint, reason: 'apply()' });
  if (outcome.error) {
    const status = outcome.error.statusCode;
    if (status !== undefined && alsoSuccess.includes(status)) {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(outcome.error.response?.body ?? 'null');
      } catch {
        parsed = null;
      }
      return { body: parsed, statusCode: status };
    }
    throw outcome.error;
  }
  return { body: checkedBody(outcome), statusCode: outcome.response!.statusCode };
}

/** Sends a request and waits for its job; resolves with the job's message or the answer's body. */
async function sendAndWait(method: HttpMethod, path: string, query: Record<string, string> | undefined, body: unknown, options: ApplyOptions, alsoSuccess: readonly number[] = []): Promise<{ body: unknown; statusCode: number; jobMessage?: unknown }> {
  const sent = await send(method, path, query, body, options.endpoint, alsoSuccess);
  const job = jobFromBody(sent.body, { endpoint: options.endpoint });
  if (!job) return sent;
  // Not aborted by options.signal: a step that started ends (and can then be compensated).
  const { intervalMs, timeoutMs } = options;
  await waitForJob(job, { intervalMs, timeoutMs });
  return { ...sent, jobMessage: stateOf(job).data?.message };
}

function mayHaveApplied(error: unknown): boolean {
  if (!(error instanceof DcmError)) return false;
  return error.statusCode === undefined || error.statusCode >= 500;
}

/**
 * Applies `records` (see the module note). Throws ValidationError (every problem, nothing sent)
 * or ApplyError (a step failed; what was done has been compensated where the API allows it).
 */
export async function apply(records: readonly ApplyRecord[], options: ApplyOptions = {}): Promise<ApplyResult> {
  if (options === null || typeof options !== 'object') throw new ValidationError({ message: 'apply() takes an options object' });
  const concurrency = options.concurrency ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new ValidationError({ message: `apply(): concurrency must be a positive whole number, got ${JSON.stringify(options.concurrency)}` });
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  if (!(typeof lockTimeoutMs === 'number' && Number.isFinite(lockTimeoutMs) && lockTimeoutMs >= 0)) throw new ValidationError({ message: `apply(): lockTimeoutMs must be a number of milliseconds ≥ 0, got ${JSON.stringify(options.lockTimeoutMs)}` });
  const run = randomUUID();
  return withSpan('apply', { 'mixcoatl.apply.run': run, 'mixcoatl.apply.records': records.length, 'mixcoatl.apply.dry_run': options.dryRun === true }, async () => {
    const held = await applyLock(run, lockTimeoutMs, options);
    try {
      return await applyLocked(run, records, options, concurrency, held?.journal);
    } finally {
      held?.lock.release();
    }
  });
}

/**
 * Takes the apply lock of the endpoint and access key: `<journal file>.apply.lock`. Undefined when
 * no endpoint is configured (planning then says so, and nothing can be sent).
 */
export async function applyLock(run: string, timeoutMs: number, options: ApplyOptions): Promise<{ lock: FileLock; journal: string } | undefined> {
  let journal: string;
  try {
    journal = journalPath({ endpoint: options.endpoint });
  } catch {
    return undefined;
  }
  mkdirSync(dirname(journal), { recursive: true, mode: 0o700 });
  const path = `${journal}.apply.lock`;
  try {
    const lock = await acquireLock(path, {
      label: `apply run ${run}`,
      timeoutMs,
      signal: options.signal,
      onWait: (holder) => {
        try {
          options.onLockWait?.(holder);
        } catch {
          /* a listener's failure never breaks the apply */
        }
      },
    });
    return { lock, journal };
  } catch (error) {
    if (!(error instanceof LockedError)) throw error;
    throw new LockedError({ message: `apply: another apply of this endpoint and access key is running: ${error.message}`, path: error.path, holder: error.holder });
  }
}

/** Plans (settling what earlier runs left unfinished once the records are valid) and executes; the lock is held. */
function applyLocked(run: string, records: readonly ApplyRecord[], options: ApplyOptions, concurrency: number, journal: string | undefined): Promise<ApplyResult> {
  return withApplyRun(run, async () => {
    // Once the records are valid, before the current state is read.
    const settleUnfinished = async (): Promise<void> => {
      if (journal === undefined) return;
      const { intervalMs, timeoutMs, signal } = options;
      await settleUnfinishedWrites(journal, { endpoint: options.endpoint, intervalMs, timeoutMs, signal, onWait: options.onRecoveryWait });
    };
    const planned = await planRecords(records, options, { beforeReads: settleUnfinished });
    planCheckOf(options)?.(planned);
    const { plan, steps, targets } = planned;
    if (!options.dryRun && plan.irreversible.length && !options.allowIrreversible) throw irreversibleRefusal(plan);
    if (options.dryRun) return { run, dryRun: true, plan, done: [], records: records.map(() => undefined) };
    const ids = new Map<string, Id>();
    const done: Array<DoneStep & { internal: StepInternal; preexisting?: boolean }> = [];
    const finished = new Set<number>();
    const nonDeletes = steps.filter((s) => s.kind !== 'delete').length;
    let failure: { step: StepInternal; error: unknown; path: string; id?: Id; notStarted?: number } | undefined;
    const tell = (event: ApplyStepEvent): void => {
      try {
        options.onStep?.(event);
      } catch {
        /* a listener's failure never breaks the apply */
      }
    };

    const execute = (step: StepInternal): Promise<void> =>
      withSpan('apply.step', { 'mixcoatl.apply.step': step.step, 'mixcoatl.apply.kind': step.kind, 'mixcoatl.resource': step.type.name }, () => executeStep(step));
    const executeStep = async (step: StepInternal): Promise<void> => {
      const { path, id: known } = pathOf(step, ids);
      tell({ phase: 'apply', status: 'start', step: publicStep(step), id: known });
      try {
        const sent = step.sent ?? step.body;
        const body = sent === undefined ? undefined : substitute(sent, ids);
        const answer = await sendAndWait(step.method, path, step.query, body, options, step.alsoSuccess);
        let id = known;
        if (step.kind === 'create') {
          const meta = step.type.meta;
          id = createdId(meta, answer.body, answer.jobMessage);
          if (id === undefined) throw new Error(`${step.label}: the API did not report the new ${meta.idKey}`);
          ids.set(step.creates as string, id);
        }
        finished.add(step.step);
        done.push({ step: step.step, label: step.label, kind: step.kind, method: step.method, path: step.kind === 'create' ? `${path}/${String(id)}` : path, id, internal: step, preexisting: answer.statusCode === 418 });
        tell({ phase: 'apply', status: 'done', step: publicStep(step), id });
      } catch (error) {
        failure ??= { step, error, path, id: known };
        tell({ phase: 'apply', status: 'failed', step: publicStep(step), id: known, error: error as Error });
      }
    };

    const pending = [...steps];
    const running = new Set<Promise<void>>();
    while (pending.length || running.size) {
      if (!failure && pending.length && options.signal?.aborted) failure = { step: pending[0], error: options.signal.reason ?? new DOMException('This operation was aborted', 'AbortError'), path: pending[0].path, notStarted: pending.length };
      if (!failure) {
        for (const step of [...pending]) {
          if (running.size >= concurrency) break;
          const ready = step.after.every((n) => finished.has(n)) && (step.kind !== 'delete' || [...finished].filter((n) => steps[n - 1].kind !== 'delete').length === nonDeletes);
          if (!ready) continue;
          pending.splice(pending.indexOf(step), 1);
          const p: Promise<void> = execute(step).finally(() => running.delete(p));
          running.add(p);
        }
      }
      if (!running.size) break;
      await Promise.race(running);
    }

    if (failure) {
      const compensated: DoneStep[] = [];
      const notCompensated: Array<DoneStep & { why: string }> = [];
      for (const entry of [...done].reverse()) {
        const { internal, preexisting, ...shown } = entry;
        const undo = internal.undo;
        if (preexisting) continue; // an identical rule was already there: nothing was changed
        if (internal.covered) continue; // a change of an object created here: undone with its creation
        if (!undo) {
          notCompensated.push({ ...shown, why: internal.noUndo ?? 'no inverse operation' });
          continue;
        }
        const path = `${internal.collectionPath}/${encodeURIComponent(String(entry.id))}`;
        tell({ phase: 'compensate', status: 'start', step: publicStep(internal), id: entry.id });
        try {
          await sendAndWait(undo.method, path, undo.query, undo.body === undefined ? undefined : substitute(undo.body, ids), options);
          compensated.push({ ...shown, method: undo.method, path });
          tell({ phase: 'compensate', status: 'done', step: publicStep(internal), id: entry.id });
        } catch (error) {
          notCompensated.push({ ...shown, why: `undoing it (${undo.how}) failed: ${(error as Error).message}` });
          tell({ phase: 'compensate', status: 'failed', step: publicStep(internal), id: entry.id, error: error as Error });
        }
      }
      const error = failure.error as Error;
      const f = failure.step;
      const statusCode = error instanceof DcmError ? error.statusCode : undefined;
      const maybe = mayHaveApplied(error) && !(error instanceof JobFailedError);
      const summary = [
        failure.notStarted === undefined
          ? `step ${f.step} (${f.method} ${failure.path}, ${f.kind} ${f.label}) failed: ${error.message}`
          : `interrupted (${error.message}): step ${f.step} (${f.method} ${failure.path}, ${f.kind} ${f.label}) and ${failure.notStarted - 1} other step${failure.notStarted === 2 ? '' : 's'} not started`,
        `${done.length} step${done.length === 1 ? '' : 's'} done before`,
        `${compensated.length} compensated`,
        ...(notCompensated.length ? notCompensated.map((s) => `not compensated: step ${s.step} ${s.label}${s.id !== undefined ? ` (id ${String(s.id)})` : ''}: ${s.why}`) : ['nothing left uncompensated']),
      ];
      if (maybe) summary.push(`the API may have carried out step ${f.step} before failing: check ${f.label}`);
      throw new ApplyError(
        `apply failed: ${summary.join('; ')}`,
        run,
        { step: f.step, label: f.label, kind: f.kind, method: f.method, path: failure.path, id: failure.id, error: error.message, statusCode, mayHaveApplied: maybe },
        done.map(({ internal: _i, preexisting: _p, ...shown }) => shown),
        compensated,
        notCompensated,
        plan,
        error,
        summary,
      );
    }

    // The records as the API shows them now: read back where a step changed the object, else as
    // read while planning (nothing sent: nothing read).
    const changed = new Set(done.map((d) => d.internal.record));
    const final = await Promise.all(
      targets.map(async (target, i) => {
        if (target.action === 'delete' || target.target === undefined) return null;
        if (!changed.has(i) && target.found) return withoutSecrets(target.found, target.type.secrets);
        const id = substitute(target.target, ids) as Id;
        const meta = target.type.meta;
        const items = async (path: string): Promise<Array<Record<string, unknown>>> => {
          const answer = (await send('GET', path, undefined, undefined, options.endpoint)).body as Record<string, unknown> | null;
          return (answer?.[meta.collection] as Array<Record<string, unknown>> | undefined) ?? [];
        };
        // A type the API only lists (no GET by id) is found in its listing.
        const found = meta.listOnly ? (await items(meta.path)).find((item) => String(item[meta.idKey as string]) === String(id)) : (await items(`${meta.path}/${encodeURIComponent(String(id))}`))[0];
        return found ? withoutSecrets(found, target.type.secrets) : null;
      }),
    );
    return { run, dryRun: false, plan, done: done.map(({ internal: _i, preexisting: _p, ...shown }) => shown), records: final };
  });
}

/** An object as read, without the members that hold secrets (an API key's secret). */
function withoutSecrets(item: Record<string, unknown>, secrets: readonly string[]): Record<string, unknown> {
  if (!secrets.some((key) => Object.hasOwn(item, key))) return item;
  const out = { ...item };
  for (const key of secrets) delete out[key];
  return out;
}

/**
 * The plan as text: one line per request, with what it waits for and how it is undone (`undo: NOT
 * POSSIBLE` marks a step that cannot be), then the records that change nothing, then (`!`) the
 * steps that make writing need `allowIrreversible`.
 */
export function formatPlan(plan: Plan): string {
  const lines: string[] = [];
  if (plan.noChanges) lines.push('No changes: every record is already as wanted.');
  for (const s of plan.steps) {
    const query = s.query ? `?${new URLSearchParams(s.query).toString()}` : '';
    lines.push(`${String(s.step).padStart(2)}. ${s.method} ${s.path}${query}  (${s.kind} ${s.label})`);
    if (s.body !== undefined) lines.push(`      body: ${JSON.stringify(s.body)}`);
    if (s.after.length) lines.push(`      after: step${s.after.length > 1 ? 's' : ''} ${s.after.join(', ')}`);
    lines.push(s.undo ? `      undo: ${s.undo.how} (${s.undo.method} ${s.undo.path}${s.undo.query ? `?${new URLSearchParams(s.undo.query).toString()}` : ''})` : `      undo: NOT POSSIBLE: ${s.noUndo ?? 'no inverse operation'}`);
  }
  for (const u of plan.unchanged) lines.push(`    = ${u.label}: ${u.why}`);
  if (plan.irreversible?.length) {
    lines.push('Steps that cannot be undone, with steps after them (writing this plan needs allowIrreversible, dcm apply --allow-irreversible):');
    for (const why of plan.irreversible) lines.push(`  ! ${why}`);
  }
  return lines.join('\n');
}
