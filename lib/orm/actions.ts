/**
 * Actions: the third layer of lib/orm. An action is declared once, with
 * `@action(method, operation, { envelope, sends, alsoSuccess, … })`; its method computes the
 * values and calls `this.act('<method name>', values, options)`, which builds the request from
 * the declaration and interprets the answer.
 *
 * - Success is any 2xx — 200 included — plus statuses an action declares (FirewallRule: 418 "already exists").
 * - Every outcome is recorded on the object (`lastRequest`, `lastError`); failures throw the
 *   typed error of lib/errors.ts. Nothing is returned as a string or `false`.
 * - A body `{"jobs":[{"jobId":…}]}` (202) becomes a Job, remembered as the object's `currentJob`.
 * - A create answered 201 adopts the new identifier from the envelope (`groups[0].groupId`), and
 *   one answered 202 adopts `job.message` once a waiter sees the job COMPLETE.
 * - Everything an action needs is checked before the request: ValidationError lists every
 *   missing attribute at once and nothing is sent.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { withSpan } from '../tracing.js';
import { hasLookups, resolveLookups } from './lookups.js';
import { MetadataError, NotFoundError, ResponseError, ValidationError, type DcmError } from '../errors.js';
import { perform, parseJsonBody, type QueryValue } from '../http/client.js';
import type { ActionMeta } from './metadata.js';
import { metaOf, type ResourceMeta } from './registry.js';
import { stateOf, type Id } from './state.js';
import { identityKey, rememberIdentity } from './identity.js';
import { parseId } from './ids.js';
import type { ResourceBase } from './base.js';
import { followJob, jobFromBody, waitForJob, type Job, type JobWaitOptions } from './job.js';

/**
 * Options of an action answered with a job: `{ wait: true }` waits for it, then reloads the object.
 * `signal` (from the waiter's options) also aborts the action's own request: its socket is closed,
 * nothing is retried, and the action rejects with the signal's reason.
 */
export interface ActionOptions extends JobWaitOptions {
  /** Wait for the job (if the API started one), then reload the object. Default false. */
  wait?: boolean;
}

/** Options of an action that deletes (terminates, removes) its object. */
export interface RemoveOptions extends ActionOptions {
  /**
   * A missing object is not an error (the API's 404 resolves with undefined): deleting what is
   * already gone succeeds, so a delete can be repeated safely.
   */
  ignoreMissing?: boolean;
}

/** A write an action would send: what a dry run of a bulk action shows instead of sending it. */
export type PlannedRequest = ActionRequest;

/** Thrown inside a dry run where the write would be sent: it carries the request instead. */
export class PlannedWrite extends Error {
  /** @param request the write that was not sent. */
  constructor(readonly request: PlannedRequest) {
    super(`${request.method} ${request.path} (dry run: not sent)`);
    this.name = 'PlannedWrite';
  }
}

const dryRuns = new AsyncLocalStorage<true>();

/**
 * Runs `fn` as a dry run: reads (lookups of names) are sent, and the first write an action would
 * send is not; the action rejects with a PlannedWrite carrying it.
 */
export function dryRun<T>(fn: () => Promise<T>): Promise<T> {
  return dryRuns.run(true, fn);
}

function label(meta: ResourceMeta, id: Id | undefined): string {
  return id === undefined ? `${meta.name} (new)` : `${meta.name} ${String(id)}`;
}

/** The declaration of the action `name` of the object's class. */
function declared(obj: object, name: string): ActionMeta {
  const meta = metaOf(obj.constructor);
  const act = meta.actions.find((a) => a.name === name);
  if (!act) throw new MetadataError({ message: `${meta.name}.${name}: not declared with @action` });
  return act;
}

/** The job started by each object's last asynchronous action (weak: no leak). */
const currentJobs = new WeakMap<object, Job>();

export function currentJobOf(obj: object): Job | undefined {
  return currentJobs.get(obj);
}

/** Makes `obj` the object for identifier `id` (after a create), keeping what it already knows. */
function adoptIdentity(obj: object, id: unknown, item?: Record<string, unknown>): void {
  const meta = metaOf(obj.constructor);
  const state = stateOf(obj);
  if (!meta.idKey || id === undefined || id === null || id === '') return;
  const value = parseId(meta.idType, id);
  if (value === undefined) {
    throw new ResponseError({ message: `${meta.name}: the API reported ${JSON.stringify(id)} as the new ${meta.idKey}, which is not ${meta.idType === 'string' ? 'a string' : 'an integer'}`, code: 'EBADID' });
  }
  state.id = value;
  state.data = { ...state.data, ...item, [meta.idKey]: value };
  state.complete = false;
  state.refs = undefined;
  const key = identityKey(state.endpoint);
  if (key !== undefined) rememberIdentity(key, meta.name, value, obj);
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

/** The request of an action: method, path, and the body (`{ <operation>: [item] }`) or a DELETE's query. */
export interface ActionRequest {
  /** `POST`, `PUT` or `DELETE`. */
  method: ActionMeta['method'];
  /** Resource path below the API root, e.g. `infrastructure/Server/331810`. */
  path: string;
  /** The JSON body (POST, PUT). */
  body?: Record<string, unknown>;
  /** Query parameters (a DELETE's values). */
  query?: Record<string, QueryValue>;
}

/**
 * The request the action `decl` of `meta`'s class sends with `item` (the members of its body
 * item, or a DELETE's query parameters): the one request builder of actions and `apply()`.
 * `segment` is the object's path segment, already encoded (a POST goes to the collection).
 */
export function actionRequest(meta: ResourceMeta, decl: ActionMeta, segment: string | undefined, item: Record<string, unknown>): ActionRequest {
  const path = decl.method === 'POST' ? meta.path : `${meta.path}/${segment ?? ''}`;
  if (decl.method === 'DELETE') return { method: decl.method, path, query: item as Record<string, QueryValue> };
  return { method: decl.method, path, body: { [decl.operation]: decl.envelope === 'list' ? [item] : item } };
}

/**
 * The identifier a create's answer reports: its job's message once COMPLETE (202), or the id of
 * the first item of the envelope (201, and FirewallRule's 418 when it carries the rule).
 */
export function createdId(meta: ResourceMeta, body: unknown, jobMessage?: unknown): Id | undefined {
  const raw = jobMessage ?? createdItem(meta, body)?.[meta.idKey as string];
  if (raw === undefined || raw === null || raw === '') return undefined;
  return parseId(meta.idType, raw);
}

function createdItem(meta: ResourceMeta, body: unknown): Record<string, unknown> | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const items = (body as Record<string, unknown>)[meta.collection];
  const first = Array.isArray(items) ? (items[0] as unknown) : undefined;
  return first && typeof first === 'object' && !Array.isArray(first) && meta.idKey && (first as Record<string, unknown>)[meta.idKey] !== undefined ? (first as Record<string, unknown>) : undefined;
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * `act()` for an action declared `job: 'always'`: resolves with the job (an answer without one
 * is refused by `act()`); a delete's `ignoreMissing` 404 is the only answer without a job, and
 * resolves with undefined through `act()` instead.
 */
export async function actForJob(obj: ResourceBase, name: string, values: Record<string, unknown> = {}, options: ActionOptions = {}): Promise<Job> {
  const decl = declared(obj, name);
  if (decl.job !== 'always') throw new MetadataError({ message: `${metaOf(obj.constructor).name}.${name}: not declared with job: 'always'` });
  const job = await act(obj, name, values, options);
  if (!job) throw new ResponseError({ message: `${metaOf(obj.constructor).name}.${name}() expects a job, and the answer had none`, code: 'ENOJOB' });
  return job;
}

/**
 * Sends the action `name` declared on the object's class with `values` — the members of its body
 * item, or the query parameters of a DELETE (undefined ones are left out) — and interprets the
 * answer. With `{ wait: true }` and a job, waits for it and reloads the object. Resolves with the
 * job (202) or undefined (200/201/204); throws the typed error (also recorded as `lastError`)
 * when the API refuses. Inside its span (`Server.stop`): its requests, and the wait for its job,
 * are children.
 */
export function act(obj: ResourceBase, name: string, values: Record<string, unknown> = {}, options: ActionOptions = {}): Promise<Job | undefined> {
  const type = metaOf(obj.constructor).name;
  return withSpan(`${type}.${name}`, { 'mixcoatl.resource': type, 'mixcoatl.action': name }, () => actUntraced(obj, name, values, options));
}

/** The action itself (see {@link act}). */
async function actUntraced(obj: ResourceBase, name: string, values: Record<string, unknown>, options: ActionOptions): Promise<Job | undefined> {
  const meta = metaOf(obj.constructor);
  const state = stateOf(obj);
  const decl = declared(obj, name);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ValidationError({ message: `${meta.name}.${name}() takes an options object` });
  const creates = decl.method === 'POST' && decl.signature.receiver === 'new';
  if (creates && state.id !== undefined) {
    throw new ValidationError({ message: `${label(meta, state.id)} already exists: ${name}() creates a new ${meta.name}` });
  }
  if (decl.method !== 'POST' && state.id === undefined) {
    throw new ValidationError({ message: `${meta.name}.${name}() needs an existing ${meta.name} (this one has no ${meta.idKey} yet: save() it first)` });
  }
  let item = defined(values);
  const consumes = [...decl.sends.required, ...decl.sends.optional];
  if (hasLookups(item)) {
    // Names and queries given for references: looked up (one listing per type), all problems
    // reported together, before anything is sent; the object keeps the resolved references.
    item = await resolveLookups(item, { endpoint: state.endpoint, sources: [item, state.changes, state.data], what: `${meta.name}.${name}()`, signal: options.signal });
    for (const key of Object.keys(state.changes ?? {})) if (key in item && hasLookups(state.changes?.[key])) (state.changes as Record<string, unknown>)[key] = item[key];
  }
  const request = actionRequest(meta, decl, encodeURIComponent(String(state.id)), item);
  if (dryRuns.getStore()) throw new PlannedWrite(request);
  const outcome = await perform({
    ...request,
    signal: options.signal,
    endpoint: state.endpoint,
    details: state.details,
    reason: `${meta.name}.${name}()`,
  });
  state.lastRequest = outcome.record;
  if (outcome.error) {
    const status = outcome.error.statusCode;
    if (decl.method === 'DELETE' && (options as RemoveOptions).ignoreMissing === true && outcome.error instanceof NotFoundError) {
      state.lastError = null;
      return undefined;
    }
    if (status === undefined || !decl.alsoSuccess.includes(status)) {
      state.lastError = outcome.error;
      throw outcome.error;
    }
    state.lastError = null;
    commitSent(obj, consumes);
    const existing = creates ? createdItem(meta, bodyOf(outcome.error.response?.body)) : undefined;
    if (existing) adoptIdentity(obj, existing[meta.idKey as string], existing);
    return undefined;
  }
  let body: unknown;
  try {
    body = parseJsonBody(outcome.response!, outcome.wire);
  } catch (error) {
    state.lastError = error as DcmError;
    throw error;
  }
  state.lastError = null;
  commitSent(obj, consumes);
  const job = jobFromBody(body, { endpoint: state.endpoint });
  if (job) currentJobs.set(obj, job);
  else if (decl.job === 'always') {
    // The declaration (and the method's type) promise a job: an answer without one is refused.
    const statusCode = outcome.response!.statusCode;
    const error = new ResponseError({ message: `${label(meta, state.id)}: ${name}() expects a job (202 with {"jobs":[…]}), but the API answered ${statusCode} without one`, statusCode, code: 'ENOJOB' });
    state.lastError = error;
    throw error;
  }
  if (creates && job) {
    // On success of a create, the job's message is the new identifier; the
    // object adopts it and loads itself before the waiter resolves.
    followJob(job, async (done) => {
      const message = stateOf(done).data?.message;
      if (state.id !== undefined || message === undefined || message === null || message === '') return;
      adoptIdentity(obj, message);
      await obj.reload();
    });
    state.creation = () => waitForJob(job);
  } else if (creates) {
    const created = createdItem(meta, body);
    if (created) adoptIdentity(obj, created[meta.idKey as string], created);
  }
  if (options.wait && job) {
    await waitForJob(job, options);
    // A create's job adopts the new id and reloads the object itself (above).
    if (state.id !== undefined && !creates) {
      try {
        await obj.reload({ signal: options.signal });
      } catch (error) {
        // A deleted object may be gone once its job is done: that is the action's success.
        if (!(decl.method === 'DELETE' && error instanceof NotFoundError)) throw error;
        state.lastError = null;
      }
    }
  }
  return job;
}

/** The value an object holds for `key` right now — assigned or received — without any request. */
export function peek(obj: object, key: string): unknown {
  const state = stateOf(obj);
  if (state.changes && key in state.changes) return state.changes[key];
  if (key === metaOf(obj.constructor).idKey) return state.id;
  return state.data?.[key];
}

function missing(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * The attributes the create `name` sends (its declared `sends`), in the API's form, read without any
 * request. Every missing required one is reported in ONE ValidationError (`problems` lists them)
 * before anything is sent. Optional ones are included only when set.
 */
export function collect(obj: object, name: string): Record<string, unknown> {
  const meta = metaOf(obj.constructor);
  const { required, optional } = declared(obj, name).sends;
  const values: Record<string, unknown> = {};
  const absent: string[] = [];
  for (const key of required) {
    const value = peek(obj, key);
    if (missing(value)) absent.push(key);
    else values[key] = value;
  }
  if (absent.length) {
    throw new ValidationError({
      message: `${meta.name}.${name}() needs ${absent.length > 1 ? 'these attributes, which are' : 'this attribute, which is'} missing: ${absent.join(', ')}`,
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
export function refuse(obj: object, name: string, problems: string[]): void {
  if (!problems.length) return;
  throw new ValidationError({ message: `${metaOf(obj.constructor).name}.${name}(): ${problems.join('; ')}`, problems });
}

/**
 * Pending changes that were sent stop being pending: their values join the object's data (so
 * reads keep answering them until the next load), except write-only ones, which are dropped.
 */
export function commitSent(obj: object, keys: readonly string[]): void {
  const state = stateOf(obj);
  if (!state.changes) return;
  const meta = metaOf(obj.constructor);
  for (const key of keys) {
    if (!(key in state.changes)) continue;
    if (!meta.attributes.get(key)?.writeOnly) (state.data ??= {})[key] = state.changes[key];
    delete state.changes[key];
  }
  state.refs = undefined;
  if (!Object.keys(state.changes).length) state.changes = undefined;
}
