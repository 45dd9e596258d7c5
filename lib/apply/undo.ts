/**
 * `undo(run)`: removes what an apply run created, in reverse order, from the journal of the
 * endpoint and access key (`dcm undo RUN`).
 *
 * - The run's creations are its successful POSTs to the collection of a managed type; the new id
 *   is in the answer, or in the message of the job it started (read once, `admin/Job/<id>`).
 * - Each object is read first: one already gone (404, or listed as gone, such as a terminated
 *   server) is skipped; the others are deleted through the delete their class declares
 *   (`@lifecycle`), newest first, each job waited for.
 * - What cannot be undone is reported with the reason: a type the API cannot delete (a firewall),
 *   a creation whose outcome the journal does not know, a change to an object that existed
 *   before the run, a deletion.
 * - Undo takes apply's lock (one apply or undo at a time per endpoint and key), and its requests
 *   are journaled as a run of their own. `dryRun` reads and reports, and sends no write.
 */
import { randomUUID } from 'node:crypto';
import { DcmError, NotFoundError, ValidationError, type LockHolder } from '../errors.js';
import { perform, parseJsonBody } from '../http/client.js';
import type { Endpoint } from '../endpoint.js';
import { jobFromBody, waitForJob } from '../orm/job.js';
import { actionRequest, createdId } from '../orm/actions.js';
import { isRefusal, managedTypes, type Lifecycle } from '../orm/lifecycle.js';
import type { Id } from '../orm/state.js';
import { withApplyRun } from '../journal/context.js';
import { readJournalEntries, type JournalEntry } from '../journal/journal.js';
import { applyLock, DEFAULT_LOCK_TIMEOUT_MS } from './apply.js';

/** How `undo()` runs. */
export interface UndoOptions {
  /** Whose journal, and where the deletes go (default: the configured endpoint). */
  endpoint?: Endpoint;
  /** Read and report only: no write is sent. */
  dryRun?: boolean;
  /** The `reason` sent with the deletes (default `mixcoatl undo of run <run>`). */
  reason?: string;
  /** Job polling, as for `apply()`. */
  intervalMs?: number;
  timeoutMs?: number;
  /** Aborting stops before the next removal. */
  signal?: AbortSignal;
  /** How long to wait for apply's lock (default one minute, as `apply()`). */
  lockTimeoutMs?: number;
  /** Told once when another apply or undo holds the lock. */
  onLockWait?: (holder: LockHolder) => void;
  /** Told as each removal ends. */
  onRemove?: (removal: Removal) => void;
}

/** An object the run created, and its removal. */
export interface Removal {
  /** The journal serial of the request that created it. */
  serial: number;
  /** e.g. `Volume data-1`. */
  label: string;
  /** Its class. */
  type: string;
  id: Id;
  /** The request that removes it (`DELETE infrastructure/Volume/5001`). */
  method: 'DELETE';
  path: string;
}

/** What the run did that undo leaves as it is, and why. */
export interface NotUndone {
  /** The journal serial of the request. */
  serial: number;
  /** e.g. `Firewall web-fw`, or the request (`PUT infrastructure/Volume/5001`). */
  label: string;
  id?: Id;
  why: string;
}

/** The outcome of `undo()`. */
export interface UndoResult {
  /** The run undone. */
  run: string;
  /** The run of undo's own requests in the journal. */
  undoRun: string;
  dryRun: boolean;
  /** Objects removed, in the order they were (a dry run: would be) removed. */
  removed: Removal[];
  /** Objects already gone, skipped. */
  skipped: Array<Removal & { why: string }>;
  /** What cannot be undone, with the reason. */
  notUndone: NotUndone[];
}

const RUN = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The managed type whose collection a path is (`infrastructure/Volume`), or whose object it is (`…/5001`). */
function typeOfPath(path: string, types: readonly Lifecycle[]): { type: Lifecycle; object: boolean } | undefined {
  for (const type of types) {
    if (path === type.meta.path) return { type, object: false };
    if (path.startsWith(`${type.meta.path}/`) && !path.slice(type.meta.path.length + 1).includes('/')) return { type, object: true };
  }
  return undefined;
}

/** The name the creation gave (`addVolume: [{ name }]`), for the label. */
function givenName(args: unknown): string | undefined {
  if (!isPlain(args)) return undefined;
  for (const value of Object.values(args)) {
    const item = Array.isArray(value) ? value[0] : value;
    if (isPlain(item) && typeof item.name === 'string') return item.name;
  }
  return undefined;
}

async function send(method: 'GET' | 'DELETE', path: string, query: Record<string, string> | undefined, endpoint: Endpoint | undefined): Promise<unknown> {
  const outcome = await perform({ method, path, query, endpoint, reason: 'undo()' });
  if (outcome.error) throw outcome.error;
  return parseJsonBody(outcome.response!, outcome.wire);
}

/** The id a creation reported: in its answer, or in its job's message. */
async function idOfCreation(type: Lifecycle, entry: JournalEntry, endpoint: Endpoint | undefined): Promise<Id | undefined> {
  const direct = createdId(type.meta, entry.result);
  if (direct !== undefined) return direct;
  const job = jobFromBody(entry.result, { endpoint });
  if (!job) return undefined;
  const body = await send('GET', `admin/Job/${encodeURIComponent(String(job.id))}`, undefined, endpoint);
  const item = isPlain(body) && Array.isArray(body.jobs) && isPlain(body.jobs[0]) ? body.jobs[0] : undefined;
  return item && item.status === 'COMPLETE' ? createdId(type.meta, undefined, item.message) : undefined;
}

/** Whether the object is still there (not 404, not listed as gone). */
async function exists(type: Lifecycle, id: Id, endpoint: Endpoint | undefined): Promise<boolean> {
  try {
    const body = await send('GET', `${type.meta.path}/${encodeURIComponent(String(id))}`, undefined, endpoint);
    const items = isPlain(body) ? body[type.meta.collection] : undefined;
    const item = Array.isArray(items) ? (items[0] as unknown) : undefined;
    return isPlain(item) && !type.gone(item);
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/**
 * Removes what the apply run `run` created (see the module note). Throws `NotFoundError` when the
 * journal holds no request of that run, `LockedError` when another apply or undo holds the lock
 * past `lockTimeoutMs`; a removal that fails stops the undo with its error (what was removed
 * before stays removed; undo again to go on).
 */
export async function undo(run: string, options: UndoOptions = {}): Promise<UndoResult> {
  if (typeof run !== 'string' || !RUN.test(run)) throw new ValidationError({ message: `undo: the run must be the id of an apply run (as dcm apply and dcm log show it), got ${JSON.stringify(run)?.slice(0, 120)}` });
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const undoRun = randomUUID();
  const held = await applyLock(undoRun, lockTimeoutMs, { endpoint: options.endpoint, signal: options.signal, onLockWait: options.onLockWait });
  if (!held) throw new ValidationError({ message: 'undo: no endpoint is configured, so there is no journal to read' });
  try {
    return await withApplyRun(undoRun, () => undoLocked(run, undoRun, held.journal, options));
  } finally {
    held.lock.release();
  }
}

async function undoLocked(run: string, undoRun: string, journal: string, options: UndoOptions): Promise<UndoResult> {
  const { endpoint } = options;
  const entries = (await readJournalEntries(journal)).filter((e) => e.run === run && e.method !== 'GET');
  if (!entries.length) throw new NotFoundError({ message: `undo: the journal holds no write of run ${run} (${journal}); dcm log shows the runs`, code: 'ENORUN' });
  const types = managedTypes();
  const reason = options.reason ?? `mixcoatl undo of run ${run}`;
  const removals: Array<Removal & { lifecycle: Lifecycle }> = [];
  const notUndone: NotUndone[] = [];
  const created = new Set<string>();
  const later: JournalEntry[] = [];
  for (const entry of [...entries].sort((a, b) => b.serial - a.serial)) {
    options.signal?.throwIfAborted();
    const found = typeOfPath(entry.path, types);
    const request = `${entry.method} ${entry.path}`;
    if (!found || found.object || entry.method !== 'POST') {
      later.push(entry);
      continue;
    }
    const { type } = found;
    const label = `${type.name} ${givenName(entry.arguments) ?? `(serial ${entry.serial})`}`;
    if (entry.outcome !== 'done') {
      notUndone.push({ serial: entry.serial, label, why: `the outcome of its creation (${request}) is not known: its process ended before the answer; check for it by name` });
      continue;
    }
    if (entry.status === 418) continue; // an identical rule was already there: the run created nothing
    if (entry.status === null) {
      notUndone.push({ serial: entry.serial, label, why: `its creation (${request}) got no answer, so the API may have carried it out; check for it by name` });
      continue;
    }
    if (entry.status >= 300) continue; // refused: nothing was created
    const id = await idOfCreation(type, entry, endpoint);
    if (id === undefined) {
      notUndone.push({ serial: entry.serial, label, why: 'its id is not known: the answer (or the job it started) did not report it' });
      continue;
    }
    created.add(`${type.meta.path}/${String(id)}`);
    if (isRefusal(type.delete)) {
      notUndone.push({ serial: entry.serial, label, id, why: `it cannot be deleted: ${type.delete.refused}` });
      continue;
    }
    if (!isRefusal(type.create) && type.create.noUndo) {
      notUndone.push({ serial: entry.serial, label, id, why: type.create.noUndo });
      continue;
    }
    removals.push({ serial: entry.serial, label, type: type.name, id, method: 'DELETE', path: `${type.meta.path}/${encodeURIComponent(String(id))}`, lifecycle: type });
  }
  // Changes to objects that existed before the run stay (those of its own creations go with them).
  for (const entry of later.sort((a, b) => a.serial - b.serial)) {
    if (entry.status !== null && entry.status >= 300) continue;
    if (created.has(entry.path)) continue;
    const why = entry.method === 'DELETE' ? 'a deletion cannot be undone' : entry.method === 'PUT' ? 'undo removes what the run created; a change to an object that existed before it stays' : 'undo removes what the run created; this request made no object of a type apply manages';
    notUndone.push({ serial: entry.serial, label: `${entry.method} ${entry.path}`, why });
  }
  const removed: Removal[] = [];
  const skipped: Array<Removal & { why: string }> = [];
  for (const { lifecycle: type, ...removal } of removals) {
    options.signal?.throwIfAborted();
    if (!(await exists(type, removal.id, endpoint))) {
      skipped.push({ ...removal, why: 'already gone' });
      continue;
    }
    if (!options.dryRun && !isRefusal(type.delete)) {
      const decl = type.delete.decl;
      const query = type.delete.query ? type.delete.query({}, { reason }) : decl.operation === 'reason' ? { reason } : {};
      const req = actionRequest(type.meta, decl, encodeURIComponent(String(removal.id)), query);
      const answer = await sendDelete(req.path, req.query as Record<string, string> | undefined, endpoint, decl.alsoSuccess);
      const job = jobFromBody(answer, { endpoint });
      if (job) await waitForJob(job, { intervalMs: options.intervalMs, timeoutMs: options.timeoutMs });
    }
    removed.push(removal);
    try {
      options.onRemove?.(removal);
    } catch {
      /* a listener's failure never breaks the undo */
    }
  }
  return { run, undoRun, dryRun: Boolean(options.dryRun), removed, skipped, notUndone: notUndone.sort((a, b) => b.serial - a.serial) };
}

async function sendDelete(path: string, query: Record<string, string> | undefined, endpoint: Endpoint | undefined, alsoSuccess: readonly number[]): Promise<unknown> {
  const outcome = await perform({ method: 'DELETE', path, query: query && Object.keys(query).length ? query : undefined, endpoint, reason: 'undo()' });
  if (outcome.error) {
    if (outcome.error instanceof DcmError && outcome.error.statusCode !== undefined && alsoSuccess.includes(outcome.error.statusCode)) return null;
    throw outcome.error;
  }
  return parseJsonBody(outcome.response!, outcome.wire);
}
