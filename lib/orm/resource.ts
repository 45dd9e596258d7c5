/**
 * The base of every resource class: identifiers, lazy attributes, loading, listing, printing.
 * Bookkeeping lives in one symbol-keyed holder; attributes stay exactly what the API returned.
 */
import { inspect, type InspectOptions } from 'node:util';
import { ValidationError } from '../errors.js';
import type { Endpoint } from '../endpoint.js';
import { resolveRequest, type Details } from '../config/resolve.js';
import { perform, parseJsonBody, extractCollection, type QueryValue, type RequestRecord } from '../http/client.js';
import { describe, type ResourceMeta } from './registry.js';
import { newState, stateOf, STATE, type Id, type State } from './state.js';
import { loadAsync, loadForRead } from './loader.js';
import { readKey } from './attributes.js';
import { inspectText, prettyText } from './format.js';
import { currentJobOf } from './jobs.js';
import type { Persistence, SaveOptions } from './save.js';
import type { Job } from '../../resources/admin/job.js';
import { identityKey, identityTable, lookupIdentity, rememberIdentity, type IdentityTable } from './identity.js';

export interface ResourceInit {
  /** Endpoint for every request of this object (default: the configured one, at request time). */
  endpoint?: Endpoint;
  /** Detail level of its reads (default: the configured one, `basic`). */
  details?: Details;
}

export interface ListOptions {
  /** Endpoint to list from; default: the configured one. */
  endpoint?: Endpoint;
  /** Detail level: `basic` (references as ids) or `extended` (embedded). */
  details?: Details;
  /** Return identifiers only (from the same single request). */
  keysOnly?: boolean;
  /** Filters, sent as query parameters (REFERENCE §3.8). Also accepted at the top level. */
  filters?: Record<string, QueryValue>;
  [filter: string]: unknown;
}

export type ResourceClass<T extends Resource = Resource> = (new (id?: Id, options?: ResourceInit) => T) & typeof Resource;

const LIST_OPTION_KEYS = new Set(['endpoint', 'details', 'keysOnly', 'filters']);

function normaliseId(meta: ResourceMeta, id: unknown): Id | undefined {
  if (id === undefined || id === null) return undefined;
  if (meta.idType === 'string') {
    if (typeof id !== 'string' && typeof id !== 'number') throw new ValidationError({ message: `${meta.name} id must be a string, got ${typeof id}` });
    const text = String(id);
    if (!text) throw new ValidationError({ message: `${meta.name} id must not be empty` });
    return text;
  }
  const n = typeof id === 'string' && /^\s*-?\d+\s*$/.test(id) ? Number(id) : id;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new ValidationError({ message: `${meta.name} id must be an integer, got ${JSON.stringify(id)}` });
  return n;
}

/**
 * Makes (or, through the identity map, refreshes) the object for one item of a response. The
 * item itself becomes the backing store: no per-field copy.
 */
function hydrateItem<T extends Resource>(cls: ResourceClass<T>, meta: ResourceMeta, item: Record<string, unknown>, init: ResourceInit, id: Id | undefined, table: IdentityTable | undefined): T {
  if (table !== undefined && id !== undefined) {
    const existing = table.lookup(id) as T | undefined;
    if (existing) {
      const s = existing[STATE];
      s.data = item;
      s.complete = true;
      s.refs = undefined;
      return existing;
    }
  }
  const obj = new cls(id, init);
  const s = obj[STATE];
  s.data = item;
  s.complete = true;
  if (table !== undefined && id !== undefined) table.remember(id, obj);
  return obj;
}

export class Resource {
  /** Internal state: identifier, loaded data, changes, last request and error. */
  declare [STATE]: State;

  /** `new Server(331810)` makes no request; the first attribute read loads the object. */
  constructor(id?: Id, options: ResourceInit = {}) {
    const meta = describe(new.target);
    if (options === null || typeof options !== 'object') throw new ValidationError({ message: `${meta.name}: the second argument must be an options object ({ endpoint, details })` });
    this[STATE] = newState(normaliseId(meta, id), options.endpoint, options.details);
  }

  /** The identifier (alias of e.g. `serverId`); never makes a request. */
  get id(): Id | undefined {
    return this[STATE].id;
  }

  /** True once a full read of this object has arrived. */
  get isLoaded(): boolean {
    return this[STATE].complete;
  }

  /** Method, URL, status and duration of this object's last request, or null. */
  get lastRequest(): RequestRecord | null {
    return this[STATE].lastRequest;
  }

  /** The error of this object's last failed request or action, or null (errors are also thrown). */
  get lastError(): Error | null {
    return this[STATE].lastError;
  }

  /** The endpoint given to this object, if any (otherwise the configured one is used). */
  get endpoint(): Endpoint | undefined {
    return this[STATE].endpoint;
  }

  /** Any attribute by its JSON key, declared or not; loads like a property read. */
  get(key: string): unknown {
    if (typeof key !== 'string') throw new ValidationError({ message: 'get() takes an attribute name (a string)' });
    return readKey(this, describe(this.constructor), this[STATE], key);
  }

  /** Loads the object if it is not loaded yet (no request when it is). */
  async load(): Promise<this> {
    await loadAsync(this, false);
    return this;
  }

  /**
   * Loads the object again, whatever its state. A new object whose create answered with a job
   * (e.g. a launched server) first waits for that job and adopts the id it reports (REFERENCE §6.10).
   */
  async reload(): Promise<this> {
    const job = currentJobOf(this);
    if (this[STATE].id === undefined && job) {
      await job.wait();
      if (this[STATE].id !== undefined && this[STATE].complete) return this;
    }
    await loadAsync(this, true, 'reload()');
    return this;
  }

  /** All attributes exactly as received; identifiers only when not loaded (never a request). */
  toJSON(): Record<string, unknown> {
    const state = this[STATE];
    const meta = describe(this.constructor);
    if (state.data) return state.data;
    return meta.idKey && state.id !== undefined ? { [meta.idKey]: state.id } : {};
  }

  /** Attributes assigned and not yet saved, in their wire form. */
  changes(): Record<string, unknown> {
    return { ...this[STATE].changes };
  }

  /**
   * Active record: creates a new object from its assigned attributes (a Server's save() is its
   * launch), or sends an existing object's changed attributes through the operations the API
   * offers for them, then reloads it. Nothing changed → no request. Resolves with the job the API
   * started, if any (`{ wait: true }` waits for it). See lib/orm/save.ts.
   */
  async save(options: SaveOptions = {}): Promise<Job | undefined> {
    const { saveResource } = await import('./save.js');
    return saveResource(this, options);
  }

  /** The job started by this object's last asynchronous action (a 202), or undefined. */
  get currentJob(): Job | undefined {
    return currentJobOf(this);
  }

  /** How the class creates and updates its objects (set by resource classes; used by save()). */
  declare static persistence: Persistence<never> | undefined;

  /** Same resource type and identifier. */
  equals(other: unknown): boolean {
    return other instanceof Resource && other.constructor === this.constructor && this[STATE].id !== undefined && other[STATE].id === this[STATE].id;
  }

  /** Loads if needed, prints a readable view to stdout and returns the same text. */
  pprint(): string {
    const state = this[STATE];
    const meta = describe(this.constructor);
    if (!state.complete && (state.id !== undefined || meta.flat)) {
      loadForRead(this, meta, state, 'pprint()');
    }
    const text = prettyText(meta, state);
    process.stdout.write(text);
    return text;
  }

  /** `util.inspect` and the REPL show the loaded attributes, or `(not loaded)`; they never fetch. */
  [inspect.custom](depth: number, options: InspectOptions): string {
    return inspectText(describe(this.constructor), this[STATE], depth, options);
  }

  /**
   * Loads many objects (of any types) with at most `concurrency` requests in flight. Objects
   * already loaded, and duplicates, cost nothing; loads already in flight are shared. Rejects
   * with the first error after every load has settled (each failure is also on its lastError).
   */
  static async loadMany<T extends Resource>(objects: Iterable<T>, options: { concurrency?: number } = {}): Promise<T[]> {
    const concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new ValidationError({ message: `loadMany(): concurrency must be a whole number ≥ 1, got ${String(options.concurrency)}` });
    const list = [...objects];
    const pending = [...new Set(list)].filter((o) => !(o instanceof Resource) || !o.isLoaded);
    for (const o of pending) if (!(o instanceof Resource)) throw new ValidationError({ message: 'loadMany() takes resource objects' });
    let next = 0;
    let firstError: unknown;
    const worker = async (): Promise<void> => {
      while (next < pending.length) {
        const obj = pending[next++];
        try {
          await loadAsync(obj, false, 'loadMany()');
        } catch (error) {
          firstError ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
    if (firstError !== undefined) throw firstError;
    return list;
  }

  /** Builds an object from an item of a response (already loaded). */
  static fromItem<T extends Resource>(this: ResourceClass<T>, item: Record<string, unknown>, options: ResourceInit = {}): T {
    const meta = describe(this);
    const id = meta.idKey ? normaliseId(meta, item[meta.idKey]) : undefined;
    const key = id !== undefined ? identityKey(options.endpoint) : undefined;
    return hydrateItem(this, meta, item, options, id, key !== undefined ? identityTable(key, meta.name, 1) : undefined);
  }

  /** A loaded object; rejects with NotFoundError when there is none with that id. */
  static async get<T extends Resource>(this: ResourceClass<T>, id: Id, options: ResourceInit = {}): Promise<T> {
    const meta = describe(this);
    const normalised = normaliseId(meta, id);
    if (normalised === undefined && !meta.flat) throw new ValidationError({ message: `${meta.name}.get() needs an id` });
    const resolved = resolveRequest(options.endpoint);
    const key = normalised !== undefined ? identityKey(options.endpoint, resolved) : undefined;
    const existing = key !== undefined ? (lookupIdentity(key, meta.name, normalised as Id) as T | undefined) : undefined;
    const obj = existing ?? new this(normalised, options);
    if (!existing && key !== undefined) rememberIdentity(key, meta.name, normalised as Id, obj);
    // An object found in the map loads through its own endpoint, resolved afresh.
    await loadAsync(obj, true, 'get()', existing ? undefined : resolved);
    return obj;
  }

  /**
   * Every item of the collection from ONE request, as loaded objects (no further request when
   * their attributes are read). `keysOnly: true` gives the identifiers instead.
   */
  static async all<T extends Resource>(this: ResourceClass<T>, options: ListOptions & { keysOnly: true }): Promise<Id[]>;
  static async all<T extends Resource>(this: ResourceClass<T>, options?: ListOptions): Promise<T[]>;
  static async all<T extends Resource>(this: ResourceClass<T>, options: ListOptions = {}): Promise<T[] | Id[]> {
    const meta = describe(this);
    if (options === null || typeof options !== 'object') throw new ValidationError({ message: `${meta.name}.all() takes an options object` });
    const query: Record<string, QueryValue> = { ...(options.filters ?? {}) };
    for (const [key, value] of Object.entries(options)) if (!LIST_OPTION_KEYS.has(key)) query[key] = value as QueryValue;
    for (const [key, value] of Object.entries(query)) {
      if (value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value)) {
        throw new ValidationError({ message: `${meta.name}.all(): filter ${key} must be a string, number or boolean` });
      }
    }
    const missing = meta.requiredFilters.filter((f) => query[f] === undefined || query[f] === null);
    if (missing.length) {
      throw new ValidationError({ message: `${meta.name}.all() requires the filter${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (e.g. ${meta.name}.all({ ${missing[0]}: … }))`, problems: missing.map((f) => `missing filter ${f}`) });
    }
    const request = { method: 'GET' as const, path: meta.path, query, details: options.details, endpoint: options.endpoint, reason: `${meta.name}.all()` };
    const outcome = await perform(request);
    if (outcome.error) throw outcome.error;
    const response = outcome.response!;
    const parsed = parseJsonBody(response, outcome.wire);
    const items = meta.flat ? [parsed as Record<string, unknown>] : extractCollection(parsed, meta.collection, response, outcome.wire);
    if (options.keysOnly) {
      if (!meta.idKey) throw new ValidationError({ message: `${meta.name} has no identifier: keysOnly does not apply` });
      return items.map((item) => item[meta.idKey as string] as Id);
    }
    const init: ResourceInit = { endpoint: options.endpoint, details: options.details };
    const key = identityKey(options.endpoint);
    const table = key !== undefined ? identityTable(key, meta.name, items.length) : undefined;
    const idKey = meta.idKey;
    return items.map((item) => {
      const id = idKey ? normaliseId(meta, item[idKey]) : undefined;
      const obj = hydrateItem(this, meta, item, init, id, table);
      obj[STATE].lastRequest = outcome.record;
      return obj;
    });
  }
}

export { stateOf };
