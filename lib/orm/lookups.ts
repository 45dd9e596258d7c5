/**
 * Names wherever ids go: before an action sends anything, every reference given by name, provider
 * id or query (a `Lookup`, lib/orm/ids.ts) is resolved, with ONE listing per referenced type (and
 * per scope, for a type whose listing needs a filter). Only live objects answer to a name
 * (`isLive`: not terminated, not deleted). Names that match nothing are a NotFoundError that
 * suggests the nearest names; with a name that matches several objects (or another problem),
 * every problem is reported together in one ValidationError. Either way nothing is sent.
 *
 * A type whose listing requires a filter (a data center needs its region) takes it from the query
 * (`{ name: 'us-west-2a', regionId: 19344 }`), or from the other references of the same call: a
 * machine image looked up alongside tells the region (`region: { regionId }` in its data).
 */
import { NotFoundError, ValidationError } from '../errors.js';
import { closest } from '../suggest.js';
import { filtersOf } from './filters.js';
import { Lookup } from './ids.js';
import type { ResourceMeta } from './registry.js';
import { stateOf, type Id } from './state.js';

/** Statuses of an object that is gone: still listed by the API, but no longer there to use. */
export const GONE_STATUSES: readonly string[] = ['TERMINATED', 'DELETED'];

/**
 * Whether a listed object is live: not terminated, not deleted. The one rule every lookup by name
 * uses (the finder, actions given names, the command line, `apply`); an explicit id still reaches
 * an object that is gone.
 */
export function isLive(data: Record<string, unknown>): boolean {
  return !GONE_STATUSES.includes(String(data.status ?? ''));
}

/**
 * An object's name without the parenthesised provider id that ends it: `Oregon` for a region named
 * `Oregon (us-west-2)` whose provider id is `us-west-2`. Nothing when the parentheses hold anything
 * else (a server `db (replica)` does not answer to `db`).
 */
function shortName(data: Record<string, unknown>): string | undefined {
  if (typeof data.name !== 'string' || typeof data.providerId !== 'string' || data.providerId === '') return undefined;
  const m = /^(.*\S)\s*\(([^()]*)\)\s*$/.exec(data.name);
  return m && m[2].trim() === data.providerId ? m[1] : undefined;
}

/**
 * The live objects among `candidates` that `wanted` names: by name or provider id (exactly, or a
 * RegExp); failing that, by the name without the parenthesised provider id that ends it
 * (`'Oregon'` for `'Oregon (us-west-2)'`). Several results mean the name is ambiguous.
 */
export function namedAmong<T extends object>(candidates: readonly T[], wanted: string | RegExp): T[] {
  const live = candidates.filter((c) => isLive(stateOf(c).data ?? {}));
  const exact = live.filter((c) => isNamed(stateOf(c).data ?? {}, wanted));
  if (exact.length || typeof wanted !== 'string') return exact;
  return live.filter((c) => shortName(stateOf(c).data ?? {}) === wanted);
}

/** The live objects among `candidates` that match a name or provider id, or every key of a query. */
export function matchingAmong<T extends object>(candidates: readonly T[], wanted: string | RegExp | Readonly<Record<string, unknown>>): T[] {
  if (typeof wanted === 'string' || wanted instanceof RegExp) return namedAmong(candidates, wanted);
  return candidates.filter((c) => isLive(stateOf(c).data ?? {}) && matches(stateOf(c).data ?? {}, wanted));
}

/** Whether objects of a type can be named at all (it declares `name` or `providerId`): only then can digits be a name. */
export function hasNames(meta: Pick<ResourceMeta, 'attributes'>): boolean {
  return meta.attributes.has('name') || meta.attributes.has('providerId');
}

/**
 * Text of digits among listed objects: the object with that id (whatever its status: an id reaches
 * a terminated object), and the OTHER live objects that have it for a name. Digits are an id
 * first, then a name; both at once is for the caller to settle (a read warns, a write refuses).
 */
export function digitsAmong<T extends object>(candidates: readonly T[], text: string): { byId: T | undefined; named: T[] } {
  const byId = candidates.find((c) => String(stateOf(c).id) === text);
  return { byId, named: namedAmong(candidates, text).filter((c) => c !== byId) };
}

/** `"12345" is the id of Server 12345 (web-1) and the name of Server 339460 (12345)`. */
export function bothMessage(target: Pick<ResourceMeta, 'name'>, text: string, byId: object, named: readonly object[]): string {
  const label = (obj: object): string => `${String(stateOf(obj).id)}${typeof stateOf(obj).data?.name === 'string' ? ` (${String(stateOf(obj).data?.name)})` : ''}`;
  return `"${text}" is the id of ${target.name} ${label(byId)} and the name of ${target.name} ${named.map(label).join(', ')}`;
}

/** What a lookup looked for, for messages: `Group "Admn"`, `User { email: "x@y" }`. */
export function describeWanted(target: Pick<ResourceMeta, 'name'>, wanted: string | RegExp | Readonly<Record<string, unknown>>): string {
  if (typeof wanted === 'string') return `${target.name} ${JSON.stringify(wanted)}`;
  if (wanted instanceof RegExp) return `${target.name} ${String(wanted)}`;
  return `${target.name} { ${Object.entries(wanted).map(([k, v]) => `${k}: ${v instanceof RegExp ? String(v) : JSON.stringify(v)}`).join(', ')} }`;
}

/**
 * The end of a "matches nothing" message: the nearest live name (or value of the one key a query
 * gives) among `candidates`, or a few of them when none is near.
 */
export function nearestNames(candidates: readonly object[], wanted: string | RegExp | Readonly<Record<string, unknown>>): string {
  if (wanted instanceof RegExp) return '';
  const keys = typeof wanted === 'string' ? ['name', 'providerId'] : Object.keys(wanted).length === 1 ? Object.keys(wanted) : [];
  const text = typeof wanted === 'string' ? wanted : keys.length ? wanted[keys[0]] : undefined;
  if (typeof text !== 'string') return '';
  const known = new Set<string>();
  const shown = new Set<string>();
  for (const c of candidates) {
    const data = stateOf(c).data ?? {};
    if (!isLive(data)) continue;
    for (const key of keys) {
      const value = data[key];
      if (typeof value !== 'string' || value === '') continue;
      known.add(value);
      if (key === keys[0]) shown.add(value);
    }
    const short = shortName(data);
    if (short !== undefined && keys.includes('name')) known.add(short);
  }
  const near = closest(text, known);
  if (near !== undefined) return ` (did you mean ${JSON.stringify(near)}?)`;
  if (!shown.size) return '';
  const some = [...shown].slice(0, 5).map((k) => JSON.stringify(k));
  return ` (known: ${some.join(', ')}${shown.size > 5 ? ', …' : ''})`;
}

/** NotFoundError for a name, provider id or query that matches no live object (`what` prefixes it). */
export function noMatch(what: string, target: Pick<ResourceMeta, 'name'>, wanted: string | RegExp | Readonly<Record<string, unknown>>, candidates: readonly object[]): NotFoundError {
  return new NotFoundError({ message: `${what}: no ${describeWanted(target, wanted)}${nearestNames(candidates, wanted)}`, code: 'ENOTFOUND' });
}

/** A resource class as the resolvers list it: its static `all()`. */
interface Listable {
  all(options: Record<string, unknown>): Promise<object[]>;
}

/**
 * Every object of `target` in `scope` (values of its declared filters), from ONE listing: the
 * listing every look-up by name reads (the finder's references, the names actions and `apply`
 * are given).
 */
export function listTarget(target: Pick<ResourceMeta, 'cls'>, scope: Readonly<Record<string, unknown>>, options: { endpoint?: unknown; details?: unknown; include?: unknown; signal?: AbortSignal }): Promise<object[]> {
  const listOptions: Record<string, unknown> = { ...scope, endpoint: options.endpoint };
  if (options.details !== undefined) listOptions.details = options.details;
  if (options.include !== undefined) listOptions.include = options.include;
  if (options.signal !== undefined) listOptions.signal = options.signal;
  return (target.cls as unknown as Listable).all(listOptions);
}

/**
 * The scope a look-up of `target` lists in: the target's declared filters, valued from `known`
 * (filters already settled), then from the look-up's own query (`{ name: 'us-west-2a', regionId:
 * 19344 }`); values that are objects (a RegExp, a nested query) are matched, not sent.
 */
export function scopeOf(target: Pick<ResourceMeta, 'cls'>, wanted: Lookup['wanted'] | RegExp, known: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  const query = typeof wanted === 'string' || wanted instanceof RegExp ? undefined : wanted;
  for (const name of Object.keys(filtersOf(target.cls))) {
    if (known[name] !== undefined) scope[name] = known[name];
    if (query && query[name] !== undefined && typeof query[name] !== 'object') scope[name] = query[name];
  }
  return scope;
}

/** What is matched against the listing: a name or pattern as it is, a query without the keys its scope sent. */
export function soughtIn<W extends Lookup['wanted'] | RegExp>(wanted: W, scope: Readonly<Record<string, unknown>>): W {
  if (typeof wanted === 'string' || wanted instanceof RegExp) return wanted;
  return Object.fromEntries(Object.entries(wanted).filter(([k]) => !Object.hasOwn(scope, k))) as W;
}

/** Every Lookup inside `value` (arrays and plain objects are searched; resource objects are not). */
function collectLookups(value: unknown, found: Lookup[]): void {
  if (value instanceof Lookup) found.push(value);
  else if (Array.isArray(value)) for (const item of value) collectLookups(item, found);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value as Record<string, unknown>)) collectLookups(item, found);
  }
}

/** `value` with each Lookup replaced by what it resolved to. */
function substitute(value: unknown, resolved: Map<Lookup, unknown>): unknown {
  if (value instanceof Lookup) return resolved.get(value);
  if (Array.isArray(value)) return value.map((item) => substitute(item, resolved));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[key] = substitute(item, resolved);
    return out;
  }
  return value;
}

/** Whether an object's data names it: its name or its provider id, exactly or by a RegExp. */
export function isNamed(data: Record<string, unknown>, wanted: string | RegExp): boolean {
  for (const key of ['name', 'providerId']) {
    const value = data[key];
    if (typeof value === 'string' && (wanted instanceof RegExp ? wanted.test(value) : value === wanted)) return true;
  }
  return false;
}

/** Whether an item's data matches a name or provider id, or every key of a query exactly. */
export function matches(data: Record<string, unknown>, wanted: Lookup['wanted']): boolean {
  if (typeof wanted === 'string') return isNamed(data, wanted);
  return Object.entries(wanted).every(([key, want]) => {
    const have = data[key];
    if (want instanceof RegExp) return typeof have === 'string' && want.test(have);
    if (want !== null && typeof want === 'object') return JSON.stringify(have) === JSON.stringify(want);
    return have === want;
  });
}

/** The value of filter `name` (`regionId`) carried by a reference in `data` (`region: { regionId }`). */
function carried(data: Record<string, unknown> | undefined, name: string): unknown {
  if (!data) return undefined;
  if (data[name] !== undefined && typeof data[name] !== 'object') return data[name];
  if (name.endsWith('Id')) {
    const ref = data[name.slice(0, -2)];
    if (ref !== null && typeof ref === 'object' && !Array.isArray(ref)) return (ref as Record<string, unknown>)[name];
  }
  return undefined;
}

/**
 * Listings and matches kept across calls of `resolveLookups()` (apply resolves the names of many
 * records against one listing per type and scope, and the same name once).
 */
export interface LookupCache {
  listings: Map<string, Promise<object[]>>;
  matches: Map<string, object[]>;
}

/** A fresh {@link LookupCache}. */
export function lookupCache(): LookupCache {
  return { listings: new Map(), matches: new Map() };
}

/** Whether a query holds only plain values (a RegExp cannot be a cache key). */
function plainQuery(wanted: Lookup['wanted']): boolean {
  return typeof wanted === 'string' || Object.values(wanted).every((v) => !(v instanceof RegExp) && (v === null || typeof v !== 'object'));
}

/**
 * Resolves every Lookup inside `values`: one listing per type and scope, all problems in one
 * ValidationError. Returns `values` with each replaced by `{ <idKey>: id }` or the bare id.
 * `cache` shares listings and matches with other calls.
 */
export async function resolveLookups(values: Record<string, unknown>, context: { endpoint: unknown; sources: Array<Record<string, unknown> | undefined>; what: string; cache?: LookupCache; signal?: AbortSignal }): Promise<Record<string, unknown>> {
  const lookups: Lookup[] = [];
  collectLookups(values, lookups);
  if (!lookups.length) return values;
  const resolved = new Map<Lookup, unknown>();
  const objects = new Map<Lookup, object>();
  const problems: string[] = [];
  let missed = 0;
  // Types that can be listed without a filter first: what they find may scope the others.
  const pending = [...lookups].sort((a, b) => a.target.requiredFilters.length - b.target.requiredFilters.length);
  const listings = context.cache?.listings ?? new Map<string, Promise<object[]>>();
  for (const lookup of pending) {
    const target = lookup.target;
    const scope = scopeOf(target, lookup.wanted);
    const wanted = typeof lookup.wanted === 'string' ? undefined : lookup.wanted;
    const missing: string[] = [];
    for (const name of target.requiredFilters) {
      if (scope[name] !== undefined) continue;
      const seen = new Set<string>();
      for (const source of context.sources) {
        const value = carried(source, name);
        if (value !== undefined) seen.add(String(value));
      }
      for (const obj of objects.values()) {
        const value = carried(stateOf(obj).data, name);
        if (value !== undefined) seen.add(String(value));
      }
      if (seen.size === 1) scope[name] = Number.isNaN(Number([...seen][0])) ? [...seen][0] : Number([...seen][0]);
      else missing.push(name);
    }
    if (lookup.digits && (missing.length || !hasNames(target))) {
      // Digits for a type that cannot be listed here, or has no names: the id, as a number would be.
      resolved.set(lookup, asResolved(lookup, Number(lookup.wanted)));
      continue;
    }
    if (missing.length) {
      problems.push(`${lookup.what}: ${lookup.describe()} cannot be looked up without ${missing.join(', ')} (listing ${target.name} needs it); give its id, or { name, ${missing.join(', ')} }`);
      continue;
    }
    const key = `${target.name}\u0000${JSON.stringify(scope)}`;
    let listing = listings.get(key);
    if (!listing) {
      listing = listTarget(target, scope, { endpoint: context.endpoint, signal: context.signal });
      listings.set(key, listing);
    }
    const listed = await listing;
    if (lookup.digits) {
      const { byId, named } = digitsAmong(listed, lookup.wanted as string);
      if (byId && named.length) {
        problems.push(`${lookup.what}: ${bothMessage(target, lookup.wanted as string, byId, named)}; give ${lookup.wanted as string} (a number) for the id, or { name: '${lookup.wanted as string}' } for the name`);
        continue;
      }
      if (byId || !named.length) {
        if (byId) objects.set(lookup, byId);
        resolved.set(lookup, asResolved(lookup, Number(lookup.wanted)));
        continue;
      }
    }
    const matchKey = context.cache && plainQuery(lookup.wanted) ? `${key}\u0000${JSON.stringify(lookup.wanted)}` : undefined;
    const known = matchKey === undefined ? undefined : context.cache?.matches.get(matchKey);
    let candidates: object[];
    if (known) candidates = known;
    else if (!wanted) candidates = namedAmong(listed, lookup.wanted as string);
    else candidates = matchingAmong(listed, soughtIn(wanted, scope));
    if (matchKey !== undefined && !known) context.cache?.matches.set(matchKey, candidates);
    if (candidates.length === 0) {
      missed += 1;
      problems.push(`${lookup.what}: no ${lookup.describe()}${nearestNames(listed, soughtIn(lookup.wanted, scope))}`);
      continue;
    }
    if (candidates.length > 1) {
      const list = candidates
        .slice(0, 5)
        .map((obj) => `${String(stateOf(obj).id)}${typeof stateOf(obj).data?.name === 'string' ? ` (${String(stateOf(obj).data?.name)})` : ''}`)
        .join(', ');
      problems.push(`${lookup.what}: ${candidates.length} objects match ${lookup.describe()}: ${list}${candidates.length > 5 ? ', …' : ''}; use an id`);
      continue;
    }
    objects.set(lookup, candidates[0]);
    resolved.set(lookup, asResolved(lookup, stateOf(candidates[0]).id as Id));
  }
  // Names that match nothing alone are NotFoundError; with other problems, all are one ValidationError.
  if (missed && missed === problems.length) throw new NotFoundError({ message: prefixed(context.what, problems.join('; ')), code: 'ENOTFOUND' });
  if (problems.length) throw new ValidationError({ message: prefixed(context.what, problems.join('; ')), problems });
  return substitute(values, resolved) as Record<string, unknown>;
}

/** What a lookup stands for once resolved to `id`: the bare id or `{ <idKey>: id }`. */
function asResolved(lookup: Lookup, id: Id): unknown {
  return lookup.form === 'id' ? id : { [lookup.target.idKey as string]: id };
}

/** `text` under the heading `what`, unless it already starts with it (`Volume.attach() server: …`). */
function prefixed(what: string, text: string): string {
  return text.startsWith(what) ? text : `${what}: ${text}`;
}

/** Whether `value` holds a Lookup anywhere. */
export function hasLookups(value: unknown): boolean {
  const found: Lookup[] = [];
  collectLookups(value, found);
  return found.length > 0;
}

