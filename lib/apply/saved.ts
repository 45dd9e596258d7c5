/**
 * Saved plans: `savePlan(records)` plans (reads only) and returns the plan as a document to review
 * and keep (`dcm apply FILE --dry-run --out PLAN`); `applyPlan(saved)` carries out exactly that
 * plan (`dcm apply --plan PLAN`).
 *
 * The document holds a format version, the endpoint's URL (no key, no secret, no query), the
 * records, and every step with the state it was planned from (`from`: the id of the object and
 * the values of the attributes its record gives, as read; `absent` for a creation). Applying it
 * takes apply's lock, re-reads the current state and plans its records again, then compares:
 *
 * - a state that changed since (an attribute of an object a step read, an object that appeared or
 *   went, a record that now needs a step more or less) is refused with every difference
 *   ({@link StalePlanError}, nothing sent);
 * - a step that is not exactly the request its records plan (method, path, query, body, order) is
 *   refused as not made by planning ({@link ValidationError}): a plan file can only ever send the
 *   requests the declarations of its types allow, never an arbitrary path or method.
 *
 * Otherwise the steps run as one apply run (journal, compensation, lock: as `apply()`).
 * A plan file is hostile input: bounded ({@link MAX_PLAN_BYTES}), checked member by member, an
 * unknown format or version refused by name. Records holding a secret — an attribute its type
 * declares secret, a member named like one (password, token, …), or the endpoint's secret key —
 * cannot be saved: a plan file is meant to be read and kept.
 */
import { readFile, stat } from 'node:fs/promises';
import { DcmError, ValidationError } from '../errors.js';
import { resolveRequest } from '../config/resolve.js';
import type { Endpoint } from '../endpoint.js';
import { secretSpellings } from '../redaction.js';
import { SECRET_NAME } from '../journal/journal.js';
import { managedType } from '../orm/lifecycle.js';
import { apply, type ApplyOptions, type ApplyResult } from './apply.js';
import { checkPlanWith } from './hooks.js';
import { MAX_RECORDS, type ApplyRecord, type Plan, type PlanStep, type Planned, type StepInternal } from './plan.js';

/** The `format` member of a saved plan. */
export const PLAN_FORMAT = 'mixcoatl-plan';
/** The version of the saved plan format this library writes and reads. */
export const PLAN_VERSION = 1;
/** The largest plan file `readPlan()` takes: 128 MiB. */
export const MAX_PLAN_BYTES = 128 * 1024 * 1024;

/** The state a step was planned from. */
export interface PlannedFrom {
  /** A creation: no live object answered to its record. */
  absent?: true;
  /** The id of the object the step changes or deletes. */
  id?: number | string;
  /** The values, as read, of the attributes its record gives. */
  attributes?: Record<string, unknown>;
}

/** One step of a saved plan: the request, as planned, and the state it was planned from. */
export interface SavedStep extends PlanStep {
  from: PlannedFrom;
}

/** A saved plan (the JSON document of `dcm apply --dry-run --out`). */
export interface SavedPlan {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  /** The API root it was planned against, without credentials or query. */
  endpoint: string;
  /** When it was planned (ISO 8601). */
  created: string;
  /** The `reason` of its deletes. */
  reason: string;
  /** The records it was planned from. */
  records: ApplyRecord[];
  steps: SavedStep[];
  unchanged: Plan['unchanged'];
  irreversible: string[];
}

/** A saved plan whose state changed since it was planned: every difference, nothing sent. */
export class StalePlanError extends DcmError {
  /** Always `ESTALEPLAN`. */
  declare readonly code: 'ESTALEPLAN';
  /** One sentence per difference. */
  readonly differences: string[];
  /** Made by `applyPlan()` only. */
  constructor(differences: string[]) {
    super({ message: `the plan is stale: the state it was planned from has changed (${differences.length} difference${differences.length === 1 ? '' : 's'}): ${differences.join('; ')}; plan again`, code: 'ESTALEPLAN' });
    this.differences = differences;
  }
}

const STEP_KINDS = new Set(['create', 'update', 'attach', 'delete']);
const METHODS = new Set(['POST', 'PUT', 'DELETE']);
const META_KEYS = new Set(['type', '__type__', 'action', '__action__', 'ref', '__name__', 'id', '__id__']);

function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The endpoint's URL as a plan keeps it: no user, password, query or fragment. */
function publicUrl(endpoint: Endpoint): string {
  const url = new URL(endpoint.url);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/$/, '');
}

function endpointOf(options: { endpoint?: Endpoint }): Endpoint {
  const { endpoint } = resolveRequest(options.endpoint);
  if (endpoint instanceof Error) throw endpoint;
  return endpoint;
}

/** The state `step` was planned from (see {@link PlannedFrom}). */
function fromOf(step: StepInternal, records: readonly ApplyRecord[]): PlannedFrom {
  if (step.kind === 'create') return { absent: true };
  const before = step.before;
  const id = typeof step.target === 'number' || typeof step.target === 'string' ? step.target : undefined;
  const from: PlannedFrom = id === undefined ? {} : { id };
  if (!before) return from;
  const record = records[step.record];
  const attributes: Record<string, unknown> = {};
  for (const key of Object.keys(isPlain(record) ? record : {})) {
    if (META_KEYS.has(key) || !Object.hasOwn(before, key)) continue;
    attributes[key] = before[key] ?? null;
  }
  if (Object.keys(attributes).length) from.attributes = attributes;
  return from;
}

/** A value as JSON (references to objects the apply creates as `"@name"`). */
function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function savedSteps(planned: Planned, records: readonly ApplyRecord[]): SavedStep[] {
  return planned.plan.steps.map((step, i) => ({ ...(JSON.parse(JSON.stringify(step)) as PlanStep), from: fromOf(planned.steps[i], records) }));
}

/** Refuses records that hold a secret: a member named like one, or the endpoint's secret key. */
function refuseSecrets(records: readonly ApplyRecord[], endpoint: Endpoint): void {
  const named: string[] = [];
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`));
    else if (isPlain(value)) for (const [k, v] of Object.entries(value)) {
      if (SECRET_NAME.test(k) && v !== null && v !== undefined) named.push(`${at}.${k}`);
      walk(v, `${at}.${k}`);
    }
  };
  records.forEach((r, i) => {
    walk(r, `record ${i + 1}`);
    // The attributes its type declares secret, whatever their names.
    const type = isPlain(r) ? managedType(String(r.type ?? r.__type__)) : undefined;
    for (const key of type?.secrets ?? []) if (isPlain(r) && r[key] !== undefined && r[key] !== null && !SECRET_NAME.test(key)) named.push(`record ${i + 1}.${key}`);
  });
  if (named.length) throw new ValidationError({ message: `a plan holding secrets is not saved (${named.join(', ')}): apply these records directly`, problems: named.map((n) => `${n} holds a secret`) });
  const text = JSON.stringify(records);
  if (secretSpellings(endpoint.secretKey).some((s) => s.length > 0 && text.includes(s))) throw new ValidationError({ message: 'a plan holding the endpoint\'s secret key is not saved' });
}

/**
 * Plans `records` (reads only, under apply's lock, as a dry run) and returns the plan as a
 * document to review, keep and later apply with {@link applyPlan}. `JSON.stringify` it to write it.
 */
export async function savePlan(records: readonly ApplyRecord[], options: Omit<ApplyOptions, 'dryRun'> = {}): Promise<SavedPlan> {
  const endpoint = endpointOf(options);
  refuseSecrets(records, endpoint);
  let steps: SavedStep[] = [];
  const result = await apply(records, checkPlanWith({ ...options, dryRun: true }, (planned) => {
    steps = savedSteps(planned, records);
  }));
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    endpoint: publicUrl(endpoint),
    created: new Date().toISOString(),
    reason: options.reason ?? 'mixcoatl apply',
    records: JSON.parse(JSON.stringify(records)) as ApplyRecord[],
    steps,
    unchanged: result.plan.unchanged,
    irreversible: result.plan.irreversible,
  };
}

/** Checks a parsed plan document member by member; `name` names it in messages. */
export function checkSavedPlan(value: unknown, name = 'the plan'): SavedPlan {
  const bad = (problem: string): never => {
    throw new ValidationError({ message: `${name}: ${problem}` });
  };
  if (!isPlain(value)) return bad('not a plan (a JSON object was expected)');
  if (value.format !== PLAN_FORMAT) return bad(`not a mixcoatl plan (format ${JSON.stringify(value.format ?? null)}, expected "${PLAN_FORMAT}")`);
  if (value.version !== PLAN_VERSION) return bad(`plan format version ${JSON.stringify(value.version ?? null)} is not known: this mixcoatl reads version ${PLAN_VERSION}`);
  const known = new Set(['format', 'version', 'endpoint', 'created', 'reason', 'records', 'steps', 'unchanged', 'irreversible']);
  const extra = Object.keys(value).filter((k) => !known.has(k));
  if (extra.length) bad(`unknown member${extra.length > 1 ? 's' : ''} ${extra.join(', ')}`);
  if (typeof value.endpoint !== 'string' || !/^https?:\/\//.test(value.endpoint)) bad('endpoint must be the URL of an API root');
  if (typeof value.created !== 'string' || Number.isNaN(Date.parse(value.created))) bad('created must be a date (ISO 8601)');
  if (typeof value.reason !== 'string' || value.reason.length > 500) bad('reason must be a text of at most 500 characters');
  if (!Array.isArray(value.records) || !value.records.length || value.records.length > MAX_RECORDS) bad(`records must be a list of 1 to ${MAX_RECORDS.toLocaleString('en')} records`);
  if (!Array.isArray(value.steps)) return bad('steps must be a list');
  if (!Array.isArray(value.unchanged) || !Array.isArray(value.irreversible) || !value.irreversible.every((s) => typeof s === 'string')) bad('unchanged and irreversible must be lists');
  value.steps.forEach((s: unknown, i: number) => {
    const at = `step ${i + 1}`;
    if (!isPlain(s)) return bad(`${at} is not an object`);
    if (s.step !== i + 1) bad(`${at}: step must be ${i + 1} (steps are numbered in order), got ${JSON.stringify(s.step ?? null)}`);
    if (typeof s.kind !== 'string' || !STEP_KINDS.has(s.kind)) bad(`${at}: kind must be create, update, attach or delete`);
    if (typeof s.method !== 'string' || !METHODS.has(s.method)) bad(`${at}: method must be POST, PUT or DELETE, got ${JSON.stringify(s.method ?? null)}`);
    if (typeof s.path !== 'string' || !/^[A-Za-z]+\/[A-Za-z]+(\/[^/?#]+)?$/.test(s.path)) bad(`${at}: path must be a collection or object path (such as infrastructure/Volume/5001), got ${JSON.stringify(s.path ?? null)}`);
    if (typeof s.label !== 'string' || !Number.isSafeInteger(s.record)) bad(`${at}: label and record are required`);
    if (s.body !== undefined && !isPlain(s.body)) bad(`${at}: body must be an object`);
    if (s.query !== undefined && !(isPlain(s.query) && Object.values(s.query).every((v) => typeof v === 'string'))) bad(`${at}: query must map names to texts`);
    if (!Array.isArray(s.after) || !s.after.every((n) => Number.isSafeInteger(n) && n >= 1 && n <= i)) bad(`${at}: after must list earlier steps`);
    if (!isPlain(s.from)) bad(`${at}: from (the state it was planned from) is missing`);
  });
  return value as unknown as SavedPlan;
}

/** Reads and checks the plan file at `path` (its size checked before it is read). */
export async function readPlan(path: string): Promise<SavedPlan> {
  const info = await stat(path);
  if (info.isDirectory()) throw new ValidationError({ message: `${path} is a directory, not a plan` });
  if (info.size > MAX_PLAN_BYTES) throw new ValidationError({ message: `${path}: ${info.size.toLocaleString('en')} bytes is more than a plan may hold (${MAX_PLAN_BYTES / 1024 / 1024} MiB)` });
  const text = await readFile(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ValidationError({ message: `${path} is not a plan: not JSON (${(error as Error).message})` });
  }
  return checkSavedPlan(parsed, path);
}

/** What a step is, in messages. */
function named(step: Pick<PlanStep, 'step' | 'kind' | 'label'>): string {
  return `step ${step.step} (${step.kind} ${step.label})`;
}

/** The request of a step, compared member by member. */
function request(step: PlanStep): string {
  return json([step.kind, step.method, step.path, step.query ?? null, step.body ?? null, step.after]);
}

/** The differences between the state a plan was made from and the one just read; then its requests. */
function compare(saved: SavedPlan, now: SavedStep[]): void {
  const stale: string[] = [];
  const count = Math.max(saved.steps.length, now.length);
  for (let i = 0; i < count; i++) {
    const was = saved.steps[i];
    const is = now[i];
    if (!was) {
      stale.push(`${named(is)} is now needed, which the plan does not have`);
      continue;
    }
    if (!is) {
      stale.push(`${named(was)} is no longer needed`);
      continue;
    }
    if (was.label !== is.label || was.kind !== is.kind) {
      stale.push(`${named(was)} is now ${named(is)}`);
      continue;
    }
    const a = was.from;
    const b = is.from;
    if (json(a.id) !== json(b.id) || Boolean(a.absent) !== Boolean(b.absent)) {
      stale.push(`${named(was)}: planned for ${a.absent ? 'a new object' : `id ${json(a.id)}`}, now ${b.absent ? 'a new object' : `id ${json(b.id)}`}`);
      continue;
    }
    const keys = new Set([...Object.keys(a.attributes ?? {}), ...Object.keys(b.attributes ?? {})]);
    for (const key of keys) {
      const x = json(a.attributes?.[key]);
      const y = json(b.attributes?.[key]);
      if (x !== y) stale.push(`${named(was)}: ${key} was ${x} when planned, is now ${y}`);
    }
  }
  if (stale.length) throw new StalePlanError(stale);
  const tampered = saved.steps.filter((s, i) => request(s) !== request(now[i]));
  if (tampered.length) {
    throw new ValidationError({
      message: `the plan's ${tampered.map(named).join(', ')} ${tampered.length > 1 ? 'are' : 'is'} not the request${tampered.length > 1 ? 's' : ''} its records plan: a saved plan may only hold what planning made (edit the records and plan again)`,
      problems: tampered.map((s) => `${named(s)}: ${s.method} ${s.path} is not what the records plan`),
    });
  }
}

/**
 * Carries out exactly the saved plan `saved` (a {@link SavedPlan}, or any value to be checked as
 * one): under apply's lock, the current state is read again and the records planned again; a
 * difference from the state the plan was made from is a {@link StalePlanError}, a step that is not
 * what its records plan a {@link ValidationError}, and nothing is sent. Otherwise it is one apply
 * run (`options` as for `apply()`; `dryRun` checks without writing).
 */
export async function applyPlan(saved: unknown, options: ApplyOptions = {}): Promise<ApplyResult> {
  const plan = checkSavedPlan(saved);
  const endpoint = endpointOf(options);
  if (publicUrl(endpoint) !== plan.endpoint) throw new ValidationError({ message: `the plan was made for ${plan.endpoint}, not for ${publicUrl(endpoint)}: plan again against this endpoint` });
  return apply(plan.records, checkPlanWith({ ...options, reason: plan.reason }, (planned) => compare(plan, savedSteps(planned, plan.records))));
}
