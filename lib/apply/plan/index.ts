/**
 * Planning of `apply()`, in four phases, each its own module, all reading only the types' lifecycle
 * declarations (`@lifecycle`, lib/orm/lifecycle.ts):
 *
 * 1. validate.ts: every record checked (types, actions, identity, attribute names and types,
 *    enumerations, value ranges, local references, unique names), no request;
 * 2. read.ts: the reads it needs (names given for references; one listing per type, or per scope
 *    or parent object) and the checks they allow (references by id);
 * 3. compare.ts: the requests of each record against its object, built by the actions' request
 *    builder, each with how it is undone;
 * 4. order.ts: dependency order, and the steps that cannot be undone.
 *
 * Every problem of every record is reported together in one ValidationError. The plan is the
 * exact ordered list of requests, plus the records that change nothing. Planning sends no write.
 *
 * Cost: O(n log n) in the records and their references (indexes by id and by name, and a
 * priority queue for the order), so 100k records plan in seconds; at most {@link MAX_RECORDS}.
 */
import { ValidationError } from '../../errors.js';
import { compare } from './compare.js';
import { MAX_RECORDS, refusal, type ApplyRecord, type Plan, type PlanOptions, type PlanStep, type Planned, type StepInternal } from './model.js';
import { irreversibleSteps, order } from './order.js';
import { readLookups, readState } from './read.js';
import { checkIdentities, convert, normalise } from './validate.js';
import { stepChanges } from '../changes.js';
import { lookupCache } from '../../orm/lookups.js';

export { MAX_RECORDS, LocalRef, type ApplyRecord, type Plan, type PlanOptions, type PlanStep, type Planned, type StepInternal, type StepKind } from './model.js';
export { irreversibleRefusal } from './order.js';

/** The public form of a step (no spread: see `add` in compare.ts). */
export function publicStep(s: StepInternal): PlanStep {
  const out = { step: s.step, record: s.record, label: s.label, kind: s.kind, method: s.method, path: s.path } as PlanStep;
  if (s.query) out.query = s.query;
  if (s.body) out.body = s.body;
  out.after = s.after;
  out.undo = s.undo;
  if (s.noUndo) out.noUndo = s.noUndo;
  out.changes = stepChanges(s);
  return out;
}

/** Internal: run by planning once the records are valid, before its first read. */
export interface PlanHooks {
  beforeReads?: () => Promise<void>;
}

/**
 * Validates `records` and computes the plan against the current state (reads only). Throws one
 * ValidationError listing every problem, or the signal's reason when `options.signal` aborts.
 */
export async function planRecords(records: readonly ApplyRecord[], options: PlanOptions = {}, hooks: PlanHooks = {}): Promise<Planned> {
  if (!Array.isArray(records)) throw new ValidationError({ message: 'apply() takes a list of records' });
  if (records.length === 0) throw new ValidationError({ message: 'apply: no records: the input holds no record to apply' });
  if (records.length > MAX_RECORDS) throw new ValidationError({ message: `apply: ${records.length.toLocaleString('en')} records; at most ${MAX_RECORDS.toLocaleString('en')} are taken at once (split the input)` });
  const signal = options.signal;
  const check = (): void => signal?.throwIfAborted();
  check();
  const reason = options.reason ?? 'mixcoatl apply';
  const problems: string[] = [];

  // 1. Validation.
  const normal = normalise(records, problems);
  check();
  const byRef = new Map(normal.map((r) => [r.ref, r]));
  const wires = normal.map((rec) => convert(rec, byRef, problems));
  check();
  checkIdentities(normal, wires, problems);
  // What earlier runs left unfinished is settled before the first read, unless the records are refused already.
  if (!problems.length) await hooks.beforeReads?.();

  // 2. The current state.
  const context = { endpoint: options.endpoint, signal, check, problems, cache: lookupCache() };
  await readLookups(normal, wires, context);
  const existing = await readState(normal, wires, context);

  // 3. The steps of each record.
  const { steps, unchanged, targets, refs, createdBy } = compare(normal, wires, existing, reason, problems, check);
  if (problems.length) throw refusal(problems);

  // 4. The order.
  const ordered = order(steps, refs, createdBy, signal);
  const plan: Plan = {
    steps: ordered.map(publicStep),
    irreversible: irreversibleSteps(ordered),
    unchanged,
    noChanges: ordered.length === 0,
  };
  return { plan, steps: ordered, targets };
}
