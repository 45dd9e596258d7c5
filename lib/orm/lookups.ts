/**
 * Names wherever ids go: before an action sends anything, every reference given by name, provider
 * id or query (a `Lookup`, lib/orm/ids.ts) is resolved, with ONE listing per referenced type (and
 * per scope, for a type whose listing needs a filter). Every name that matches nothing and every
 * one that matches several objects is reported together in one ValidationError, and nothing is
 * sent.
 *
 * A type whose listing requires a filter (a data center needs its region) takes it from the query
 * (`{ name: 'us-west-2a', regionId: 19344 }`), or from the other references of the same call: a
 * machine image looked up alongside tells the region (`region: { regionId }` in its data).
 */
import { ValidationError } from '../errors.js';
import { filtersOf } from './filters.js';
import { Lookup } from './ids.js';
import { stateOf, type Id } from './state.js';

interface Listable {
  all(options: Record<string, unknown>): Promise<object[]>;
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
export async function resolveLookups(values: Record<string, unknown>, context: { endpoint: unknown; sources: Array<Record<string, unknown> | undefined>; what: string; cache?: LookupCache }): Promise<Record<string, unknown>> {
  const lookups: Lookup[] = [];
  collectLookups(values, lookups);
  if (!lookups.length) return values;
  const resolved = new Map<Lookup, unknown>();
  const objects = new Map<Lookup, object>();
  const problems: string[] = [];
  // Types that can be listed without a filter first: what they find may scope the others.
  const pending = [...lookups].sort((a, b) => a.target.requiredFilters.length - b.target.requiredFilters.length);
  const listings = context.cache?.listings ?? new Map<string, Promise<object[]>>();
  for (const lookup of pending) {
    const target = lookup.target;
    const scope: Record<string, unknown> = {};
    const wanted = typeof lookup.wanted === 'string' ? undefined : lookup.wanted;
    const declared = filtersOf(target.cls);
    for (const name of Object.keys(declared)) if (wanted && wanted[name] !== undefined && typeof wanted[name] !== 'object') scope[name] = wanted[name];
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
    if (missing.length) {
      problems.push(`${lookup.what}: ${lookup.describe()} cannot be looked up without ${missing.join(', ')} (listing ${target.name} needs it); give its id, or { name, ${missing.join(', ')} }`);
      continue;
    }
    const key = `${target.name}\u0000${JSON.stringify(scope)}`;
    let listing = listings.get(key);
    if (!listing) {
      listing = (target.cls as unknown as Listable).all({ ...scope, endpoint: context.endpoint });
      listings.set(key, listing);
    }
    const matchKey = context.cache && plainQuery(lookup.wanted) ? `${key}\u0000${JSON.stringify(lookup.wanted)}` : undefined;
    const known = matchKey === undefined ? undefined : context.cache?.matches.get(matchKey);
    const candidates = known ?? (await listing).filter((obj) => {
      const data = stateOf(obj).data ?? {};
      if (!wanted) return matches(data, lookup.wanted);
      const rest: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(wanted)) if (!Object.hasOwn(scope, k)) rest[k] = v;
      return matches(data, rest);
    });
    if (matchKey !== undefined && !known) context.cache?.matches.set(matchKey, candidates);
    if (candidates.length === 0) {
      problems.push(`${lookup.what}: no ${lookup.describe()}`);
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
    const id = stateOf(candidates[0]).id as Id;
    objects.set(lookup, candidates[0]);
    resolved.set(lookup, lookup.form === 'id' ? id : { [target.idKey as string]: id });
  }
  if (problems.length) throw new ValidationError({ message: `${context.what}: ${problems.join('; ')}`, problems });
  return substitute(values, resolved) as Record<string, unknown>;
}

/** Whether `value` holds a Lookup anywhere. */
export function hasLookups(value: unknown): boolean {
  const found: Lookup[] = [];
  collectLookups(value, found);
  return found.length > 0;
}

