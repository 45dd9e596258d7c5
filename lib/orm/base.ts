/**
 * The first layer of every resource class: identifiers, lazy attributes, loading, listing,
 * printing. Bookkeeping lives in one symbol-keyed holder; attributes stay exactly what the API
 * returned. Jobs extend this layer; actions, save() and `Resource` are built on it
 * (lib/orm/actions.ts, save.ts, resource.ts).
 */
import { inspect, type InspectOptions } from 'node:util';
import { ResponseError, ValidationError } from '../errors.js';
import type { Endpoint } from '../endpoint.js';
import { resolveRequest, type Details } from '../config/resolve.js';
import { perform, type RequestRecord } from '../http/client.js';
import { readCollection } from '../http/read.js';
import { metaOf, type ResourceMeta } from './registry.js';
import { findAll, findExactlyOne, type AttributeNames, type FindOptions, type FindQuery } from './finder.js';
import { checkFilters, type FilterDecl, type FilterDef, type FilterRules, type FilterValues, type RequiredFilterNames } from './filters.js';
import { newState, STATE, type Id, type NumericId, type ResourceInit, type Source, type State } from './state.js';
import { checkInclude, embedIncluded } from './include.js';
import { loadAsync, loadForRead } from './loader.js';
import { readKey } from './attributes.js';
import { inspectText, prettyText } from './format.js';
import { toId } from './ids.js';
import { dateFromApi } from './timestamps.js';
import { identityKey, identityTable, objectFor, type IdentityTable } from './identity.js';
import { withSpan } from '../tracing.js';

export type { ResourceInit };

/** What every listing takes besides its filters. */
export interface ListControls {
  endpoint?: Endpoint;
  details?: Details;
  /** Return identifiers only (from the same single request). */
  keysOnly?: boolean;
  /**
   * Query parameters sent as they are, unchecked: for a parameter the API accepts that the class
   * does not declare. Declared filters belong at the top level, where they are checked.
   */
  rawQuery?: Readonly<Record<string, string | number | boolean>>;
  /** Aborting closes the request in flight; the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What every asynchronous call takes to be cancelled. */
export interface CallOptions {
  /**
   * Aborting closes the request in flight and sends no retry; the call rejects with the signal's
   * reason (an `AbortError` DOMException by default).
   */
  signal?: AbortSignal;
}

/** The attributes of `T` that refer to other resources (what `include` may name). */
export type ReferenceNames<T> = {
  [K in AttributeNames<T, ResourceBase>]: NonNullable<T[K]> extends ResourceBase | ReadonlyArray<ResourceBase> ? K : never;
}[AttributeNames<T, ResourceBase>];

/** References to fill from the same answer (`include: ['region', 'dataCenter']`). */
export interface IncludeOption<T> {
  /**
   * Ask for the detail level in which the API embeds these references, and make each embedded
   * object a loaded one: reading `server.region.name` then costs no request.
   */
  include?: ReadonlyArray<ReferenceNames<T>>;
}

/**
 * The options of `X.all()`: the controls and the class's declared filters, typed from its
 * `filters` declaration (`Server.all({ regionID: 1 })` does not compile; `DataCenter.all()`
 * without its required `regionId` neither), and the references to include.
 */
export type ListOptions<F extends FilterDecl = FilterDecl, T = never> = ListControls & FilterValues<F> & IncludeOption<T>;

/** `all()`'s parameter list: optional unless the class has a required filter. */
export type ListArgs<F extends FilterDecl, T = never> = [RequiredFilterNames<F>] extends [never] ? [options?: ListOptions<F, T>] : [options: ListOptions<F, T>];

/** The options of `X.get(id)`: where and how to read, and the references to include. */
export type GetOptions<T = never> = ResourceInit & IncludeOption<T> & CallOptions;

/**
 * The identifier of a class's objects as `all({ keysOnly: true })` gives them: `number`, or
 * `string` for a class whose identifiers are text (its constructor takes any `Id`: ApiKey, Script…).
 */
export type KeyOf<C> = C extends abstract new (id?: infer I, ...rest: never[]) => unknown ? (string extends I ? string : number) : Id;

/** A class of this layer (the static side: `get`, `all`, `fromItem`, `loadMany`). */
export type BaseClass<T extends ResourceBase = ResourceBase> = (new (id?: never, options?: ResourceInit) => T) & typeof ResourceBase;

/**
 * Makes an object of `cls` for an identifier the library holds as an `Id` (from a response, a
 * command line, a reference): the constructor's own id type is for callers; the run-time check
 * (`toId`) applies in every case.
 */
export function construct<T extends ResourceBase>(cls: BaseClass<T>, id: Id | undefined, init?: ResourceInit): T {
  return new (cls as unknown as new (id?: Id, options?: ResourceInit) => T)(id, init);
}

/** The `signal` of a call's options, checked: an AbortSignal or nothing. */
export function signalOf(options: { signal?: unknown } | undefined, what: string): AbortSignal | undefined {
  const signal = options?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ValidationError({ message: `${what}: signal must be an AbortSignal` });
  return signal;
}

/** The detail level a read with `include` needs: extended, unless the caller asked otherwise (refused). */
function includeDetails(meta: { name: string }, include: readonly string[], details: Details | undefined, what: string): Details | undefined {
  if (!include.length) return details;
  if (details !== undefined && details !== 'extended') {
    throw new ValidationError({ message: `${meta.name}.${what}(): include needs the extended detail level, in which the API embeds references; details: '${details}' cannot include ${include.join(', ')}` });
  }
  return 'extended';
}

const LIST_CONTROLS = new Set(['endpoint', 'details', 'keysOnly', 'rawQuery', 'include', 'signal']);

/** The query of a listing: the declared filters checked (one ValidationError), then `rawQuery`. */
function listQuery(cls: Function, what: string, options: ListControls & Record<string, unknown>): Record<string, string | number | boolean | null | undefined> {
  const given: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (!LIST_CONTROLS.has(key)) given[key] = value;
  const query = checkFilters(cls, what, given) as Record<string, string | number | boolean | null | undefined>;
  if (options.rawQuery !== undefined) {
    if (options.rawQuery === null || typeof options.rawQuery !== 'object' || Array.isArray(options.rawQuery)) throw new ValidationError({ message: `${what}: rawQuery must be an object of query parameters` });
    for (const [key, value] of Object.entries(options.rawQuery)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new ValidationError({ message: `${what}: rawQuery.${key} must be a string, number or boolean` });
      query[key] = value;
    }
  }
  return query;
}

/**
 * Makes (or, through the identity map, refreshes) the object for one item of a response. The
 * item itself becomes the backing store: no per-field copy.
 */
function hydrateItem<T extends ResourceBase>(cls: BaseClass<T>, item: Record<string, unknown>, init: ResourceInit, id: Id | undefined, table: IdentityTable | undefined, source: Source | undefined): T {
  if (table !== undefined && id !== undefined) {
    const existing = table.lookup(id) as T | undefined;
    if (existing) {
      const s = existing[STATE];
      s.data = item;
      s.complete = true;
      s.refs = undefined;
      s.source = source;
      return existing;
    }
  }
  const obj = construct(cls, id, init);
  const s = obj[STATE];
  s.data = item;
  s.complete = true;
  s.source = source;
  if (table !== undefined && id !== undefined) table.remember(id, obj);
  return obj;
}

/** `X.get(id)`'s work, inside its span. */
async function getOne<T extends ResourceBase>(cls: BaseClass<T>, meta: ResourceMeta, id: Id, options: GetOptions<T>): Promise<T> {
  const include = checkInclude(meta, options.include, `${meta.name}.get()`);
  const details = includeDetails(meta, include, options.details, 'get');
  const normalised = toId(meta, id);
  if (normalised === undefined && !meta.flat) throw new ValidationError({ message: `${meta.name}.get() needs an id` });
  const resolved = resolveRequest(options.endpoint);
  const key = normalised !== undefined ? identityKey(options.endpoint, resolved) : undefined;
  const { obj, found } = objectFor(key, meta.name, normalised as Id, () => construct(cls, normalised, { endpoint: options.endpoint, details: options.details }));
  // An object found in the map loads through its own endpoint, resolved afresh.
  await loadAsync(obj, true, 'get()', found ? undefined : resolved, details, signalOf(options, `${meta.name}.get()`));
  const source = obj[STATE].source;
  if (include.length && source) embedIncluded(meta, [obj], include, source);
  return obj;
}

/** `X.all()`'s work, inside its span. */
async function listAll<T extends ResourceBase>(cls: BaseClass<T>, meta: ResourceMeta, options: ListControls & Record<string, unknown>): Promise<T[] | Id[]> {
  if (options === null || typeof options !== 'object') throw new ValidationError({ message: `${meta.name}.all() takes an options object` });
  const query = listQuery(cls, `${meta.name}.all()`, options);
  const include = checkInclude(meta, options.include, `${meta.name}.all()`);
  const details = includeDetails(meta, include, options.details, 'all');
  // Settings and endpoint resolved once, for the request, the identity map and the provenance.
  const resolved = resolveRequest(options.endpoint);
  const request = { method: 'GET' as const, path: meta.path, query, details, endpoint: options.endpoint, reason: `${meta.name}.all()`, resolved, signal: signalOf(options, `${meta.name}.all()`) };
  const { items, outcome } = await readCollection(request, meta.collection, meta.flat);
  if (options.keysOnly) {
    if (!meta.idKey) throw new ValidationError({ message: `${meta.name} has no identifier: keysOnly does not apply` });
    return items.map((item) => item[meta.idKey as string] as Id);
  }
  const init: ResourceInit = { endpoint: options.endpoint, details: options.details };
  const key = identityKey(options.endpoint, resolved);
  const table = key !== undefined ? identityTable(key, meta.name, items.length) : undefined;
  const idKey = meta.idKey;
  // One provenance record for the whole answer.
  const source: Source = { how: 'list', method: outcome.record.method, url: outcome.record.url, at: Date.now(), details: details ?? resolved.settings.details };
  const objects = items.map((item) => {
    const id = idKey ? toId(meta, item[idKey]) : undefined;
    const obj = hydrateItem(cls, item, init, id, table, source);
    obj[STATE].lastRequest = outcome.record;
    return obj;
  });
  embedIncluded(meta, objects, include, source);
  return objects;
}

/**
 * What every resource object can do without writing: a Job is one of these; `Resource` adds
 * actions and save().
 */
export class ResourceBase {
  declare [STATE]: State;

  /**
   * The list filters the API accepts for this type (none unless the class declares them with
   * `defineFilters`); they type and check `all()`, `find()` and `count()`.
   */
  static readonly filters: Record<never, FilterDef> = {};

  /** Rules over several filters (Network needs one of three). */
  static readonly filterRules: FilterRules = {};

  /**
   * `new Server(331810)` makes no request; the first attribute read loads the object. The id is
   * an integer or its decimal text; classes with string ids (ApiKey, Script…) take any string.
   */
  constructor(id?: NumericId, options: ResourceInit = {}) {
    const meta = metaOf(new.target);
    if (options === null || typeof options !== 'object') throw new ValidationError({ message: `${meta.name}: the second argument must be an options object ({ endpoint, details })` });
    this[STATE] = newState(toId(meta, id), options.endpoint, options.details);
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
    return readKey(metaOf(this.constructor), this[STATE], key);
  }

  /**
   * Loads the object if it is not loaded yet (no request when it is). A synchronous lazy read
   * (`server.name`) cannot be aborted: it blocks the thread an abort would run on; use
   * `load({ signal })` first where a read must be cancellable.
   */
  async load(options: CallOptions = {}): Promise<this> {
    await loadAsync(this, false, 'load()', undefined, undefined, signalOf(options, 'load()'));
    return this;
  }

  /**
   * Loads the object again, whatever its state. A new object whose create answered with a job
   * (e.g. a launched server) first waits for that job and adopts the id it reports.
   */
  async reload(options: CallOptions = {}): Promise<this> {
    const signal = signalOf(options, 'reload()');
    const creation = this[STATE].creation;
    if (this[STATE].id === undefined && creation) {
      await creation();
      if (this[STATE].id !== undefined && this[STATE].complete) return this;
    }
    await loadAsync(this, true, 'reload()', undefined, undefined, signal);
    return this;
  }

  /** All attributes exactly as received; identifiers only when not loaded (never a request). */
  toJSON(): Record<string, unknown> {
    const state = this[STATE];
    const meta = metaOf(this.constructor);
    if (state.data) return state.data;
    return meta.idKey && state.id !== undefined ? { [meta.idKey]: state.id } : {};
  }

  /** Attributes assigned and not yet saved, in the API's form. */
  changes(): Record<string, unknown> {
    return { ...this[STATE].changes };
  }

  /**
   * A date attribute (`startDate`, `creationTimestamp`, …) as a `Date`, or undefined when it is
   * absent or not a date; loads like a property read. The attribute itself, and `toJSON()`, keep
   * the text the API sent.
   */
  dateOf(key: string): Date | undefined {
    return dateFromApi(this.get(key));
  }

  /** Same resource type and identifier. */
  equals(other: unknown): boolean {
    return other instanceof ResourceBase && other.constructor === this.constructor && this[STATE].id !== undefined && other[STATE].id === this[STATE].id;
  }

  /** Loads if needed, prints a readable view to stdout and returns the same text. */
  pprint(): string {
    const state = this[STATE];
    const meta = metaOf(this.constructor);
    if (!state.complete && (state.id !== undefined || meta.flat)) {
      loadForRead(meta, state, 'pprint()');
    }
    const text = prettyText(meta, state);
    process.stdout.write(text);
    return text;
  }

  /** `util.inspect` and the REPL show the loaded attributes, or `(not loaded)`; they never fetch. */
  [inspect.custom](depth: number, options: InspectOptions): string {
    return inspectText(metaOf(this.constructor), this[STATE], depth, options);
  }

  /**
   * Loads many objects (of any types) with at most `concurrency` requests in flight. Objects
   * already loaded, and duplicates, cost nothing; loads already in flight are shared. Rejects
   * with the first error after every load has settled (each failure is also on its lastError).
   * Aborting `signal` starts no further load, closes those in flight, and rejects with its reason.
   */
  static async loadMany<T extends ResourceBase>(objects: Iterable<T>, options: { concurrency?: number; signal?: AbortSignal } = {}): Promise<T[]> {
    const signal = signalOf(options, 'loadMany()');
    const concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new ValidationError({ message: `loadMany(): concurrency must be a whole number ≥ 1, got ${String(options.concurrency)}` });
    const list = [...objects];
    const pending = [...new Set(list)].filter((o) => !(o instanceof ResourceBase) || !o.isLoaded);
    for (const o of pending) if (!(o instanceof ResourceBase)) throw new ValidationError({ message: 'loadMany() takes resource objects' });
    let next = 0;
    let firstError: unknown;
    const worker = async (): Promise<void> => {
      while (next < pending.length && !signal?.aborted) {
        const obj = pending[next++];
        try {
          await loadAsync(obj, false, 'loadMany()', undefined, undefined, signal);
        } catch (error) {
          firstError ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
    signal?.throwIfAborted();
    if (firstError !== undefined) throw firstError;
    return list;
  }

  /** Builds an object from an item of a response (already loaded). */
  static fromItem<T extends ResourceBase>(this: BaseClass<T>, item: Record<string, unknown>, options: ResourceInit = {}): T {
    const meta = metaOf(this);
    const id = meta.idKey ? toId(meta, item[meta.idKey]) : undefined;
    const key = id !== undefined ? identityKey(options.endpoint) : undefined;
    return hydrateItem(this, item, options, id, key !== undefined ? identityTable(key, meta.name, 1) : undefined, undefined);
  }

  /** A loaded object; rejects with NotFoundError when there is none with that id. */
  static async get<T extends ResourceBase>(this: BaseClass<T>, id: Id, options: GetOptions<T> = {}): Promise<T> {
    const meta = metaOf(this);
    return withSpan(`${meta.name}.get`, { 'mixcoatl.resource': meta.name }, () => getOne(this, meta, id, options));
  }

  /**
   * Every item of the collection from ONE request, as loaded objects (no further request when
   * their attributes are read). `keysOnly: true` gives the identifiers instead.
   */
  static async all<T extends ResourceBase, F extends FilterDecl, C>(this: BaseClass<T> & { readonly filters: F } & C, options: ListOptions<F, T> & { keysOnly: true }): Promise<Array<KeyOf<C>>>;
  static async all<T extends ResourceBase, F extends FilterDecl>(this: BaseClass<T> & { readonly filters: F }, ...options: ListArgs<F, T>): Promise<T[]>;
  static async all<T extends ResourceBase>(this: BaseClass<T>, options: ListControls & Record<string, unknown> = {}): Promise<T[] | Id[]> {
    const meta = metaOf(this);
    return withSpan(`${meta.name}.all`, { 'mixcoatl.resource': meta.name }, () => listAll(this, meta, options));
  }

  /**
   * Every object whose attributes match `query` exactly (as `query(type, filter)` does): a scalar
   * by equality, a RegExp against the text, a function as a predicate, and a reference by id, by
   * the referenced object's name or provider id, or by the object: `Server.find({ region:
   * 'us-west-2', name: /^web-/ })`. Declared filters in the query go to the server; the rest are
   * applied to the ONE listing. Loaded objects, like `all()`'s.
   */
  static async find<T extends ResourceBase, F extends FilterDecl>(this: BaseClass<T> & { readonly filters: F }, query: FindQuery<T, F, ResourceBase>, options: FindOptions<ReferenceNames<T>> = {}): Promise<T[]> {
    return findAll<T>(this, query as Record<string, unknown>, options);
  }

  /**
   * The one object matching `query` (see `find()`): `await Server.findOne({ name: 'web-1' })`.
   * NotFoundError when none matches; AmbiguousError, listing the candidates' ids and names, when
   * several do.
   */
  static async findOne<T extends ResourceBase, F extends FilterDecl>(this: BaseClass<T> & { readonly filters: F }, query: FindQuery<T, F, ResourceBase>, options: FindOptions<ReferenceNames<T>> = {}): Promise<T> {
    return findExactlyOne<T>(this, query as Record<string, unknown>, options);
  }

  /**
   * How many objects the listing with these filters holds, from ONE `HEAD` request (the API's
   * `x-es-count` header): no list is transferred.
   */
  static async count<T extends ResourceBase, F extends FilterDecl>(this: BaseClass<T> & { readonly filters: F }, ...options: ListArgs<F>): Promise<number> {
    const meta = metaOf(this);
    const opts = (options[0] ?? {}) as ListControls & Record<string, unknown>;
    if (opts === null || typeof opts !== 'object') throw new ValidationError({ message: `${meta.name}.count() takes an options object` });
    const query = listQuery(this, `${meta.name}.count()`, opts);
    const outcome = await perform({ method: 'HEAD', path: meta.path, query, details: opts.details, endpoint: opts.endpoint, reason: `${meta.name}.count()`, signal: signalOf(opts, `${meta.name}.count()`) });
    if (outcome.error) throw outcome.error;
    const header = outcome.response!.headers['x-es-count'];
    const text = Array.isArray(header) ? header[0] : header;
    const count = text === undefined ? NaN : Number(text);
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new ResponseError({ message: `HEAD ${meta.path}: the answer has no usable x-es-count header (got ${JSON.stringify(text ?? null)})`, statusCode: outcome.response!.statusCode, code: 'EBADCOUNT' });
    }
    return count;
  }
}

