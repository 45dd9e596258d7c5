/**
 * Actions: the one helper every write operation of resources/ is built on (REFERENCE §3.4, §4.9).
 *
 * - Success is any 2xx — including 200, which the original client treated as a failure
 *   (REFERENCE §7.7) — plus statuses an action names itself (FirewallRule: 418 "already exists").
 * - Every outcome is recorded on the object (`lastRequest`, `lastError`); failures throw the
 *   typed error of lib/errors.ts. Nothing is returned as a string or `false`.
 * - A body `{"jobs":[{"jobId":…}]}` (202) becomes a Job, remembered as the object's `currentJob`.
 * - A create answered 201 adopts the new identifier from the envelope (`groups[0].groupId`), and
 *   one answered 202 adopts `job.message` once a waiter sees the job COMPLETE (§7.15: the original
 *   reloaded `…/None`).
 * - Everything an action needs is checked before the request: ValidationError lists every
 *   missing attribute at once and nothing is sent.
 */
import { ResponseError, ValidationError, type DcmError } from '../errors.js';
import { perform, parseJsonBody, type QueryValue } from '../http/client.js';
import { describe, type ResourceMeta } from './registry.js';
import { stateOf, type Id } from './state.js';
import { identityKey, rememberIdentity } from './identity.js';
import { followJob, setCurrentJob, waitForJob, type JobWaitOptions } from './jobs.js';
import { Job } from '../../resources/admin/job.js';

/** Options of an action answered with a job: `{ wait: true }` waits for it, then reloads the object. */
export interface ActionOptions extends JobWaitOptions {
  /** Wait for the job (if the API started one), then reload the object. Default false. */
  wait?: boolean;
}

export interface SendSpec {
  method: 'POST' | 'PUT' | 'DELETE';
  /** Name used in messages and the debug log, e.g. `stop`. */
  action: string;
  /** The JSON body (POST/PUT). */
  body?: unknown;
  /** Query parameters (DELETE options, REFERENCE §3.8). */
  query?: Record<string, QueryValue>;
  /** Another path than the default (POST: the class path; PUT/DELETE: `<path>/<id>`). */
  path?: string;
  /** Statuses that also mean success (FirewallRule create: 418). */
  alsoSuccess?: readonly number[];
  /** This action creates the object itself: refuse if it has an id, adopt the new one. */
  creates?: boolean;
  /** Assigned attributes this request sends: on success they stop being pending changes. */
  consumes?: readonly string[];
}

export interface SendResult {
  statusCode: number;
  /** Parsed body (null when empty). */
  body: unknown;
  /** The job the API started (202), if any. */
  job: Job | undefined;
}

function label(meta: ResourceMeta, id: Id | undefined): string {
  return id === undefined ? `${meta.name} (new)` : `${meta.name} ${String(id)}`;
}

function jobItem(body: unknown): Record<string, unknown> | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const jobs = (body as { jobs?: unknown }).jobs;
  if (!Array.isArray(jobs) || !jobs.length) return undefined;
  const first = jobs[0] as Record<string, unknown> | null;
  return first && typeof first === 'object' && first.jobId !== undefined && first.jobId !== null ? first : undefined;
}

/**
 * A job hydrated from a 202 body: identifier and status are known; it is NOT marked loaded, so
 * reading e.g. `message` loads it, and `wait()` polls it.
 */
function jobFrom(item: Record<string, unknown>, endpoint: SendContext['endpoint']): Job {
  const job = new Job(item.jobId as Id, { endpoint });
  const state = stateOf(job);
  state.data = { ...item };
  state.complete = false;
  return job;
}

interface SendContext {
  endpoint: ReturnType<typeof stateOf>['endpoint'];
}

/** Makes `obj` the object for identifier `id` (after a create), keeping what it already knows. */
export function adoptIdentity(obj: object, id: unknown, item?: Record<string, unknown>): void {
  const meta = describe(obj.constructor);
  const state = stateOf(obj);
  if (!meta.idKey || id === undefined || id === null || id === '') return;
  const value: Id = meta.idType === 'string' ? String(id) : typeof id === 'number' ? id : Number(id);
  if (meta.idType === 'number' && !Number.isSafeInteger(value)) {
    throw new ResponseError({ message: `${meta.name}: the API reported ${JSON.stringify(id)} as the new ${meta.idKey}, which is not an integer`, code: 'EBADID' });
  }
  state.id = value;
  state.data = { ...state.data, ...item, [meta.idKey]: value };
  state.complete = false;
  state.refs = undefined;
  const key = identityKey(state.endpoint);
  if (key !== undefined) rememberIdentity(key, meta.name, value, obj);
}

/**
 * Sends one action request for `obj` and interprets the answer. Throws the typed error (after
 * recording it as `lastError`) when the API refuses.
 */
export async function send(obj: object, spec: SendSpec): Promise<SendResult> {
  const meta = describe(obj.constructor);
  const state = stateOf(obj);
  if (spec.creates && state.id !== undefined) {
    throw new ValidationError({ message: `${label(meta, state.id)} already exists: ${spec.action}() creates a new ${meta.name}` });
  }
  if (!spec.path && spec.method !== 'POST' && state.id === undefined) {
    throw new ValidationError({ message: `${meta.name}.${spec.action}() needs an existing ${meta.name} (this one has no ${meta.idKey} yet: save() it first)` });
  }
  const path = spec.path ?? (spec.method === 'POST' ? meta.path : `${meta.path}/${encodeURIComponent(String(state.id))}`);
  const outcome = await perform({
    method: spec.method,
    path,
    body: spec.body,
    query: spec.query,
    endpoint: state.endpoint,
    details: state.details,
    reason: `${meta.name}.${spec.action}()`,
  });
  state.lastRequest = outcome.record;
  if (outcome.error) {
    if (outcome.error.statusCode !== undefined && spec.alsoSuccess?.includes(outcome.error.statusCode)) {
      state.lastError = null;
      if (spec.consumes) settle(obj, spec.consumes);
      const answered = bodyOf(outcome.error.response?.body);
      if (spec.creates) {
        const existing = createdItem(meta, answered);
        if (existing) adoptIdentity(obj, existing[meta.idKey as string], existing);
      }
      return { statusCode: outcome.error.statusCode, body: answered, job: undefined };
    }
    state.lastError = outcome.error;
    throw outcome.error;
  }
  let body: unknown;
  try {
    body = parseJsonBody(outcome.response!, outcome.wire);
  } catch (error) {
    state.lastError = error as DcmError;
    throw error;
  }
  state.lastError = null;
  if (spec.consumes) settle(obj, spec.consumes);
  const item = jobItem(body);
  const job = item ? jobFrom(item, state.endpoint) : undefined;
  if (job) setCurrentJob(obj, job);
  if (spec.creates) {
    if (job) {
      // REFERENCE §3.5: on success of a create, the job's message is the new identifier; the
      // object adopts it and loads itself before the waiter resolves.
      followJob(job, async (done) => {
        const message = stateOf(done).data?.message;
        if (stateOf(obj).id !== undefined || message === undefined || message === null || message === '') return;
        adoptIdentity(obj, message);
        await (obj as { reload(): Promise<unknown> }).reload();
      });
    } else {
      const created = createdItem(meta, body);
      if (created) adoptIdentity(obj, created[meta.idKey as string], created);
    }
  }
  return { statusCode: outcome.response!.statusCode, body, job };
}

/** The JSON of an error response kept on the error (an excerpt: may be cut, then undefined). */
function bodyOf(text: string | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function createdItem(meta: ResourceMeta, body: unknown): Record<string, unknown> | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const items = (body as Record<string, unknown>)[meta.collection];
  const first = Array.isArray(items) ? (items[0] as unknown) : undefined;
  return first && typeof first === 'object' && !Array.isArray(first) && meta.idKey && (first as Record<string, unknown>)[meta.idKey] !== undefined ? (first as Record<string, unknown>) : undefined;
}

/**
 * `send()`, then — with `{ wait: true }` and a job — waits for the job and reloads the object.
 * Resolves with the job (202) or undefined (200/201/204).
 */
export async function run(obj: object, spec: SendSpec, options: ActionOptions = {}): Promise<Job | undefined> {
  checkActionOptions(obj, spec.action, options);
  const { job } = await send(obj, spec);
  if (options.wait && job) {
    const before = stateOf(obj).id;
    await waitForJob(job, options);
    // A create's job adopts the new id and reloads the object itself (see send()).
    const state = stateOf(obj);
    if (state.id !== undefined && !(spec.creates && before === undefined)) await (obj as { reload(): Promise<unknown> }).reload();
  }
  return job;
}

export function checkActionOptions(obj: object, action: string, options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError({ message: `${describe(obj.constructor).name}.${action}() takes an options object` });
  }
}

/** The value an object holds for `key` right now — assigned or received — without any request. */
export function peek(obj: object, key: string): unknown {
  const state = stateOf(obj);
  if (state.changes && key in state.changes) return state.changes[key];
  const meta = describe(obj.constructor);
  if (key === meta.idKey) return state.id;
  return state.data?.[key];
}

function missing(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * The attributes an action sends, in wire form, read without any request. Every missing required
 * one is reported in ONE ValidationError (`problems` lists them) before anything is sent.
 * Optional ones are included only when set.
 */
export function collect(obj: object, action: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  const meta = describe(obj.constructor);
  const values: Record<string, unknown> = {};
  const absent: string[] = [];
  for (const key of required) {
    const value = peek(obj, key);
    if (missing(value)) absent.push(key);
    else values[key] = value;
  }
  if (absent.length) {
    throw new ValidationError({
      message: `${meta.name}.${action}() needs ${absent.length > 1 ? 'these attributes, which are' : 'this attribute, which is'} missing: ${absent.join(', ')}`,
      problems: absent.map((key) => `Required attribute "${key}" is missing`),
    });
  }
  for (const key of optional) {
    const value = peek(obj, key);
    if (value !== undefined && value !== null) values[key] = value;
  }
  return values;
}

/** Throws one ValidationError listing every problem, if there is any. */
export function refuse(obj: object, action: string, problems: string[]): void {
  if (!problems.length) return;
  const meta = describe(obj.constructor);
  throw new ValidationError({ message: `${meta.name}.${action}(): ${problems.join('; ')}`, problems });
}

/**
 * `{ "<idKey>": id }` from an id, a resource object or such a plain object — for action
 * arguments such as `volume.attach(server)`. Throws ValidationError naming the argument.
 */
export function ref(value: unknown, idKey: string, what: string): Record<string, Id> {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { [idKey]: value };
  if (typeof value === 'string' && value.trim() !== '') return { [idKey]: /^-?\d+$/.test(value) ? Number(value) : value };
  if (value !== null && typeof value === 'object') {
    const holder = value as Record<string | symbol, unknown>;
    let state: ReturnType<typeof stateOf> | undefined;
    try {
      state = stateOf(value);
    } catch {
      state = undefined;
    }
    if (state) {
      if (state.id === undefined) throw new ValidationError({ message: `${what}: the ${value.constructor.name} has no id yet (save it first)` });
      return { [idKey]: state.id };
    }
    const id = holder[idKey];
    if (typeof id === 'number' || (typeof id === 'string' && id !== '')) return { [idKey]: id };
  }
  throw new ValidationError({ message: `${what} must be an id, a resource object or { ${idKey}: id }; got ${JSON.stringify(value)}` });
}

/** `ref()` for a list (a single value is accepted as a list of one). */
export function refs(value: unknown, idKey: string, what: string): Array<Record<string, Id>> {
  const list = Array.isArray(value) ? value : [value];
  if (!list.length) throw new ValidationError({ message: `${what} must not be empty` });
  return list.map((item) => ref(item, idKey, what));
}

/** The identifier inside a wire reference (`{ regionId: 5 }` → 5). */
export function idIn(wire: unknown, idKey: string): unknown {
  return wire && typeof wire === 'object' ? (wire as Record<string, unknown>)[idKey] : wire;
}

/**
 * Pending changes that were sent stop being pending: their values join the object's data (so
 * reads keep answering them until the next load), except write-only ones, which are dropped.
 */
export function settle(obj: object, keys: readonly string[]): void {
  const state = stateOf(obj);
  if (!state.changes) return;
  const meta = describe(obj.constructor);
  for (const key of keys) {
    if (!(key in state.changes)) continue;
    if (!meta.attributes.get(key)?.writeOnly) (state.data ??= {})[key] = state.changes[key];
    delete state.changes[key];
  }
  state.refs = undefined;
  if (!Object.keys(state.changes).length) state.changes = undefined;
}
