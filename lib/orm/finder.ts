/**
 * Finding objects by what users know: `X.find(query)` and `X.findOne(query)`.
 *
 * A query maps attribute names to wanted values, as an exact-match `query(type, filter)` does:
 * a scalar matches by equality, a RegExp against the string value, a function as a predicate.
 * A reference attribute (`region`, `server`, `firewalls`) matches by the referenced object's id,
 * or by its name or provider id (`{ region: 'us-west-2' }`), or by a resource object.
 *
 * Names find live objects only (`isLive`, lib/orm/lookups.ts): a referenced object given by name,
 * provider id or query, and the objects searched when the query gives `name` or `providerId` as
 * text (unless it also gives `status`). A reference by name or query that matches nothing is a
 * NotFoundError suggesting the nearest names; a RegExp that matches nothing is an empty answer.
 * A reference given as text of digits is the id first, then a name (one listing of the target);
 * when it is one object's id and another's name, the id wins and a `MixcoatlNameWarning` says so.
 *
 * Cost: one list request of the type searched, plus at most one list request per referenced type
 * named by name; never one request per item. Keys that are declared API filters (or references
 * whose id is one, resolved to a single id) go to the server; the rest are applied to the one
 * listing, so every object returned matches every key.
 */
import { AmbiguousError, NotFoundError, ValidationError } from '../errors.js';
import { closest } from '../suggest.js';
import type { Endpoint } from '../endpoint.js';
import type { Details } from '../config/resolve.js';
import { allResources, metaOf, referenceTarget, type ResourceMeta } from './registry.js';
import { bothMessage, digitsAmong, hasNames, isLive, listTarget, matchingAmong, nearestNames, noMatch, scopeOf, soughtIn } from './lookups.js';
import { filtersOf, type FilterDecl, type FilterValues } from './filters.js';
import { stateIfAny, stateOf, type Id } from './state.js';
import type { AttributeMeta } from './metadata.js';

/** What a plain attribute can be matched with. */
export type Matcher<V> = V | RegExp | ((value: V) => boolean);

/**
 * What a reference can be matched with: an id, a name or provider id, an object, a predicate, or
 * a query over the referenced object's attributes (`owningUser: { email: 'ops@example.com' }`).
 */
export type ReferenceMatcher<R, Base = never> = Id | R | RegExp | ((value: R) => boolean) | { [K in AttributeNames<R, Base>]?: unknown };

/** The matcher `find()` takes for an attribute of type `V`: a ReferenceMatcher for references, a Matcher otherwise. */
export type MatcherFor<V, Base> = [NonNullable<V>] extends [Base] ? ReferenceMatcher<NonNullable<V>, Base> : [NonNullable<V>] extends [ReadonlyArray<infer E>] ? ([E] extends [Base] ? ReferenceMatcher<E, Base> : Matcher<V>) : Matcher<V>;

/** The attribute names of a resource type (its data, not its methods or the base class's members). */
export type AttributeNames<T, Base> = { [K in Exclude<keyof T, keyof Base>]: T[K] extends (...args: never[]) => unknown ? never : K }[Exclude<keyof T, keyof Base>];

/**
 * The query of `X.find()`: any attribute of X (typed by its declaration) and any declared filter.
 * A misspelt key does not compile.
 */
export type FindQuery<T, F extends FilterDecl, Base> = { [K in AttributeNames<T, Base>]?: MatcherFor<T[K], Base> } & Partial<FilterValues<F>>;

/** Where and how `find()` lists, and the references to fill from the same answer. */
export interface FindOptions<K extends PropertyKey = never> {
  /** The endpoint to list from (else the configured one). */
  endpoint?: Endpoint;
  /** Detail level of the listing. */
  details?: Details;
  /** Aborting closes the listing in flight; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** References to fill from the listing's answer, as `all({ include })` does. */
  include?: readonly K[];
}

type Test = (obj: object) => boolean;

function isObjectOf(value: unknown): value is object {
  return stateIfAny(value) !== undefined;
}

function show(value: unknown): string {
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'function') return 'a predicate';
  if (isObjectOf(value)) return `${value.constructor.name} ${String(stateOf(value).id)}`;
  return JSON.stringify(value);
}

/** Identifier of a reference as the API sends it (`{ regionId: 5 }` → 5), or undefined. */
function referencedId(reference: unknown, idKey: string): unknown {
  return reference !== null && typeof reference === 'object' ? (reference as Record<string, unknown>)[idKey] : undefined;
}

function sameId(a: unknown, b: unknown): boolean {
  return a !== undefined && a !== null && String(a) === String(b);
}

/** Text of the ids, for a Set keyed on either numeric or string ids. */
function idText(id: unknown): string {
  return String(id);
}

interface Plan {
  /** Filters sent with the listing. */
  filters: Record<string, unknown>;
  /** Tests every listed object must pass. */
  tests: Test[];
  /** A pattern matched no referenced object: the answer is empty (and nothing more needs listing). */
  empty: boolean;
}

function rawValue(obj: object, key: string): unknown {
  const state = stateOf(obj);
  return state.data?.[key];
}

function plainTest(key: string, wanted: unknown): Test {
  if (wanted instanceof RegExp) {
    return (obj) => {
      const value = rawValue(obj, key);
      return value !== undefined && value !== null && typeof value !== 'object' && wanted.test(String(value));
    };
  }
  if (typeof wanted === 'function') return (obj) => Boolean((wanted as (v: unknown) => unknown)((obj as Record<string, unknown>)[key]));
  if (wanted !== null && typeof wanted === 'object') {
    const text = JSON.stringify(wanted);
    return (obj) => JSON.stringify(rawValue(obj, key)) === text;
  }
  return (obj) => rawValue(obj, key) === wanted;
}

/** The ids a reference attribute holds (one or many). */
function heldIds(obj: object, key: string, idKey: string): unknown[] {
  const value = rawValue(obj, key);
  if (Array.isArray(value)) return value.map((v) => referencedId(v, idKey));
  return value === undefined || value === null ? [] : [referencedId(value, idKey)];
}

/** A query key that points at other objects: a reference, an id attribute, or an id filter. */
interface Pointer {
  key: string;
  target: ResourceMeta;
  /** The ids an object holds under this key (none for a filter-only key). */
  held: ((obj: object) => unknown[]) | undefined;
  /** The declared filter that takes ONE such id server-side, if any. */
  filterKey: string | undefined;
  /** A predicate receives the attribute's value (objects for references). */
  predicateOn: string | undefined;
}

/** The class whose identifier a filter such as `regionId` names (Region), if any. */
function classOfIdFilter(name: string): ResourceMeta | undefined {
  if (!name.endsWith('Id')) return undefined;
  const wanted = name.slice(0, -2).toLowerCase();
  return allResources().find((m) => m.idKey === name && m.name.toLowerCase() === wanted);
}

function pointerOf(meta: ResourceMeta, decl: FilterDecl, key: string, attr: AttributeMeta | undefined, wanted: unknown): Pointer | undefined {
  if (attr?.reference) {
    const target = referenceTarget(meta.cls, attr);
    const idKey = target.idKey;
    if (!idKey) return undefined;
    return { key, target, held: (obj) => heldIds(obj, key, idKey), filterKey: !attr.reference.many && Object.prototype.hasOwnProperty.call(decl, idKey) ? idKey : undefined, predicateOn: key };
  }
  if (attr?.idOf) {
    const target = metaOf(attr.idOf() as Function);
    return { key, target, held: (obj) => [rawValue(obj, key)], filterKey: Object.prototype.hasOwnProperty.call(decl, key) ? key : undefined, predicateOn: undefined };
  }
  // A declared id filter given a name (`regionId: 'us-west-2'`): looked up, then sent.
  if (!attr && decl[key]?.type === 'number' && typeof wanted === 'string' && !/^\s*-?\d+\s*$/.test(wanted)) {
    const target = classOfIdFilter(key);
    return target ? { key, target, held: undefined, filterKey: key, predicateOn: undefined } : undefined;
  }
  return undefined;
}

/**
 * Turns the query into the filters sent and the tests applied. Names of referenced objects are
 * looked up with ONE listing of the referenced type (its declared filters taken from the query's
 * own resolved filters, e.g. the region's id for data centers).
 */
async function plan(meta: ResourceMeta, query: Record<string, unknown>, options: FindOptions<PropertyKey>, what: string): Promise<Plan> {
  const decl = filtersOf(meta.cls);
  const filters: Record<string, unknown> = {};
  const tests: Test[] = [];
  const problems: string[] = [];
  const names: Array<[Pointer, string | RegExp | Record<string, unknown>]> = [];
  for (const [key, wanted] of Object.entries(query)) {
    if (wanted === undefined) continue;
    const attr = meta.attributes.get(key);
    const declaredFilter = Object.prototype.hasOwnProperty.call(decl, key);
    if (!attr && !declaredFilter) {
      const near = closest(key, [...meta.attributes.keys(), ...Object.keys(decl)]);
      problems.push(`${meta.name} has no attribute or filter "${key}"${near ? ` (did you mean ${near}?)` : ''}`);
      continue;
    }
    const pointer = pointerOf(meta, decl, key, attr, wanted);
    if (!pointer) {
      if (!attr) {
        filters[key] = wanted;
        continue;
      }
      if (attr.reference) {
        problems.push(`${meta.name}.${key} refers to a type without an identifier to match`);
        continue;
      }
      if (declaredFilter && (typeof wanted === 'string' || typeof wanted === 'number' || typeof wanted === 'boolean')) filters[key] = wanted;
      tests.push(plainTest(key, wanted));
      continue;
    }
    const { target } = pointer;
    if (typeof wanted === 'function' && !(wanted instanceof RegExp)) {
      const on = pointer.predicateOn ?? key;
      tests.push((obj) => {
        const value = (obj as Record<string, unknown>)[on];
        return Array.isArray(value) ? value.some((v) => Boolean((wanted as (v: unknown) => unknown)(v))) : Boolean((wanted as (v: unknown) => unknown)(value));
      });
      continue;
    }
    let id: unknown;
    if (isObjectOf(wanted)) {
      id = stateOf(wanted).id;
      if (id === undefined) problems.push(`${key}: the ${wanted.constructor.name} has no id yet`);
    } else if (typeof wanted === 'number') {
      id = wanted;
    } else if (typeof wanted === 'string' && target.idType === 'number' && /^\d+$/.test(wanted)) {
      // Text of digits: the id first, then a name (one listing of the target), where it can be listed.
      if (target.requiredFilters.length || target.oneOfFilters.length || !hasNames(target)) id = Number(wanted);
      else {
        names.push([pointer, wanted]);
        continue;
      }
    } else if (typeof wanted === 'string' && target.idType === 'string') {
      id = wanted;
    } else if (typeof wanted === 'string' || wanted instanceof RegExp || (wanted !== null && typeof wanted === 'object' && !Array.isArray(wanted))) {
      names.push([pointer, wanted as string | RegExp | Record<string, unknown>]);
      continue;
    } else {
      problems.push(`${key} must be an id, a name, a query, a ${target.name} or a predicate, got ${show(wanted)}`);
      continue;
    }
    if (id === undefined) continue;
    if (pointer.filterKey) filters[pointer.filterKey] = id;
    const held = pointer.held;
    if (held) tests.push((obj) => held(obj).some((h) => sameId(h, id)));
  }
  if (problems.length) throw new ValidationError({ message: `${what}: ${problems.join('; ')}`, problems });
  let empty = false;
  for (const [pointer, wanted] of names) {
    const { target, key } = pointer;
    const scope = scopeOf(target, wanted, filters);
    const missing = target.requiredFilters.filter((f) => scope[f] === undefined);
    if (missing.length) {
      throw new ValidationError({
        message: `${what}: ${key} is given by name, but listing ${target.name} needs ${missing.join(', ')}; give its id instead, or add ${missing.join(', ')} to the query`,
      });
    }
    const candidates = await listTarget(target, scope, options);
    const sought = soughtIn(wanted, scope);
    const ids = typeof wanted === 'string' && target.idType === 'number' && /^\d+$/.test(wanted) ? digitIds(what, key, target, candidates, wanted) : new Set(matchingAmong(candidates, sought).map((c) => idText(stateOf(c).id)));
    if (ids.size === 0 && typeof wanted === 'string' && /^\d+$/.test(wanted)) {
      throw new NotFoundError({ message: `${what}: ${key}: no ${target.name} has the id or the name "${wanted}"`, code: 'ENOTFOUND' });
    }
    if (ids.size === 0) {
      // A pattern that matches nothing is an empty answer; a name or a query is a mistake.
      if (wanted instanceof RegExp) {
        empty = true;
        break;
      }
      throw noMatch(`${what}: ${key}`, target, sought, candidates);
    }
    if (ids.size === 1 && pointer.filterKey) {
      const [only] = [...ids];
      filters[pointer.filterKey] = target.idType === 'number' ? Number(only) : only;
    } else if (!pointer.held) {
      throw new ValidationError({ message: `${what}: ${key} ${show(wanted)} names ${ids.size} ${target.name} objects (${[...ids].join(', ')}); give one id` });
    }
    const held = pointer.held;
    if (held) tests.push((obj) => held(obj).some((h) => h !== undefined && h !== null && ids.has(idText(h))));
  }
  return { filters, tests, empty };
}

/** Whether a query looks objects up by name or provider id (text), without asking for a status. */
function byName(query: Record<string, unknown>): boolean {
  return (typeof query.name === 'string' || typeof query.providerId === 'string') && query.status === undefined;
}

/**
 * The ids that text of digits stands for among the listed `candidates`: the object with that id
 * (any status), else the live objects with that name. When it is the id of one and the name of
 * another, this read says so (a process warning, `MixcoatlNameWarning`) and keeps the id's.
 */
function digitIds(what: string, key: string, target: ResourceMeta, candidates: readonly object[], text: string): Set<string> {
  const { byId, named } = digitsAmong(candidates, text);
  if (byId && named.length) process.emitWarning(`${what}: ${key}: ${bothMessage(target, text, byId, named)}; using the id (give { name: '${text}' } for the other)`, 'MixcoatlNameWarning');
  if (byId) return new Set([idText(stateOf(byId).id)]);
  return new Set(named.map((c) => idText(stateOf(c).id)));
}

/** Every object of `cls` matching every key of `query` (see the module's description). */
export async function findAll<T extends object>(cls: Function, query: Record<string, unknown>, options: FindOptions<PropertyKey> = {}, caller?: string): Promise<T[]> {
  return (await findListing<T>(cls, query, options, caller)).found;
}

/** `findAll()`, with the listing it filtered (empty when a pattern matched no referenced object). */
async function findListing<T extends object>(cls: Function, query: Record<string, unknown>, options: FindOptions<PropertyKey>, caller?: string): Promise<{ found: T[]; listed: T[] }> {
  const meta = metaOf(cls);
  const what = caller ?? `${meta.name}.find()`;
  if (query === null || typeof query !== 'object' || Array.isArray(query)) throw new ValidationError({ message: `${what} takes a query object, e.g. ${meta.name}.find({ name: 'web-1' })` });
  if (options === null || typeof options !== 'object') throw new ValidationError({ message: `${what}: the second argument must be an options object ({ endpoint, details })` });
  const { filters, tests, empty } = await plan(meta, query, options, what);
  if (empty) return { found: [], listed: [] };
  const listed = (await listTarget(meta, filters, options)) as T[];
  // Looking an object up by its name or provider id finds live objects only, unless the query asks for a status.
  if (byName(query)) tests.push((obj) => isLive(stateOf(obj).data ?? {}));
  return { found: tests.length ? listed.filter((obj) => tests.every((test) => test(obj))) : listed, listed };
}

function describeQuery(query: Record<string, unknown>): string {
  return Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} = ${show(v)}`)
    .join(', ');
}

/** The one object matching `query`: NotFoundError for none, AmbiguousError for several. */
export async function findExactlyOne<T extends object>(cls: Function, query: Record<string, unknown>, options: FindOptions<PropertyKey> = {}): Promise<T> {
  const { found, listed } = await findListing<T>(cls, query, options);
  const wanted = describeQuery(query) || 'any';
  if (!found.length && typeof query.name === 'string') {
    // By name: the nearest live names of the listing.
    throw new NotFoundError({ message: `no ${metaOf(cls).name} matches ${wanted}${nearestNames(listed, { name: query.name })}`, code: 'ENOTFOUND' });
  }
  return exactlyOne(cls, found, wanted);
}

/**
 * The only element of `found`, or NotFoundError (none) / AmbiguousError listing the candidates'
 * ids and names (several). `wanted` says what was looked for, e.g. `name = "web-1"`.
 */
export function exactlyOne<T extends object>(cls: Function, found: readonly T[], wanted: string): T {
  const meta = metaOf(cls);
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new NotFoundError({ message: `no ${meta.name} matches ${wanted}`, code: 'ENOTFOUND' });
  const candidates = found.map((obj) => ({ id: stateOf(obj).id as Id, name: typeof stateOf(obj).data?.name === 'string' ? (stateOf(obj).data?.name as string) : undefined }));
  const listing = candidates
    .slice(0, 10)
    .map((c) => `${String(c.id)}${c.name === undefined ? '' : ` (${c.name})`}`)
    .join(', ');
  throw new AmbiguousError({
    message: `${found.length} ${meta.name} objects match ${wanted}: ${listing}${found.length > 10 ? ', …' : ''}; narrow the query or use an id`,
    candidates,
  });
}
