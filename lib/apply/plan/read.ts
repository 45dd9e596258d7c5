/**
 * Planning, phase 2: the current state. Names given for references are looked up (one listing per
 * type and scope); then each type is listed once — per scope where its declaration says it is
 * found within one (a network within its region) or within a parent (a rule within its firewall)
 * — and every record is matched with its object: by id, by unique name, or by the attributes
 * given within its parent. References by id to objects of a managed type must name existing ones.
 * Reads only; every problem is collected.
 */
import { NotFoundError, ValidationError } from '../../errors.js';
import { readCollection } from '../../http/read.js';
import type { Endpoint } from '../../endpoint.js';
import { lifecycleOf, type Lifecycle } from '../../orm/lifecycle.js';
import { hasLookups, lookupCache, resolveLookups, type LookupCache } from '../../orm/lookups.js';
import type { ResourceMeta } from '../../orm/registry.js';
import { stateOf, type Id } from '../../orm/state.js';
import { LocalRef, isPlain, nameKey, targetOf, type Normal } from './model.js';

/** Live objects of one listing, by id and by name (or the type's unique key). */
interface Index {
  all: Array<Record<string, unknown>>;
  byId: Map<string, Record<string, unknown>>;
  byName: Map<unknown, Array<Record<string, unknown>>>;
  /** For a type found within a parent: the objects by the values of the identity's `index` attributes. */
  byKey?: Map<string, Array<Record<string, unknown>>>;
}

/** The current state each record was matched with (undefined: no such object yet). */
export type Existing = Map<Normal, Record<string, unknown> | undefined>;

async function listType(meta: ResourceMeta, context: ReadContext, query?: Record<string, string | number>): Promise<Array<Record<string, unknown>>> {
  return (await readCollection({ method: 'GET', path: meta.path, query, endpoint: context.endpoint, signal: context.signal, reason: 'apply() plan' }, meta.collection)).items;
}

/** The members of `value` named by `keys`, as one key (undefined when one is missing). */
function keyOf(value: Record<string, unknown>, keys: readonly string[]): string | undefined {
  return keys.every((k) => value[k] !== undefined) ? JSON.stringify(keys.map((k) => value[k])) : undefined;
}

function indexOf(type: Lifecycle, items: ReadonlyArray<Record<string, unknown>>): Index {
  const idKey = type.meta.idKey as string;
  const key = nameKey(type);
  const keys = type.identity.by === 'parent' ? type.identity.index : undefined;
  const index: Index = { all: [], byId: new Map(), byName: new Map(), byKey: keys ? new Map() : undefined };
  for (const item of items) {
    if (type.gone(item)) continue;
    index.all.push(item);
    index.byId.set(String(item[idKey]), item);
    if (key !== undefined) {
      const same = index.byName.get(item[key]);
      if (same) same.push(item);
      else index.byName.set(item[key], [item]);
    }
    if (keys && index.byKey) {
      const k = keyOf(item, keys);
      if (k !== undefined) (index.byKey.get(k) ?? index.byKey.set(k, []).get(k)!).push(item);
    }
  }
  return index;
}

/** Whether a type can be listed without a filter. */
function listable(type: Lifecycle): boolean {
  return type.identity.by !== 'parent' && !(type.identity.by === 'name' && type.identity.within) && type.meta.requiredFilters.length === 0 && type.meta.oneOfFilters.length === 0;
}

/** The attribute that scopes a type's listing (a network's region, a rule's firewall), if any. */
function scopeOf(type: Lifecycle): string | undefined {
  const identity = type.identity;
  return identity.by === 'parent' ? identity.parent : identity.by === 'name' ? identity.within : undefined;
}

/** The managed type a reference attribute points at, if any. */
function referenced(rec: Normal, key: string): Lifecycle | undefined {
  const attr = rec.meta.attributes.get(key);
  if (!attr?.reference) return undefined;
  const target = targetOf(rec.meta, attr);
  return target ? lifecycleOf(target.cls) : undefined;
}

/** What the reads need: where to read, how to stop, and where problems go. */
export interface ReadContext {
  endpoint?: Endpoint;
  /** Aborting closes the read in flight (and no retry follows). */
  signal?: AbortSignal;
  /** Throws when planning is aborted. */
  check: () => void;
  problems: string[];
  /** The listings the names were resolved with: a type listed whole for them is not listed again. */
  cache?: LookupCache;
}

/** Resolves names given for references (all lookups of all records share one cache). */
export async function readLookups(normal: readonly Normal[], wires: Array<Record<string, unknown>>, context: ReadContext): Promise<void> {
  const cache = context.cache ?? lookupCache();
  for (const [i, wire] of wires.entries()) {
    if (!hasLookups(wire)) continue;
    context.check();
    try {
      wires[i] = await resolveLookups(wire, { endpoint: context.endpoint, signal: context.signal, sources: [wire], what: `record ${normal[i].index + 1} (${normal[i].label})`, cache });
    } catch (error) {
      const at = `record ${normal[i].index + 1}`;
      const within = (p: string): string => (p.startsWith(`${at} `) ? p : `${at} (${normal[i].label}): ${p}`);
      if (error instanceof ValidationError) context.problems.push(...error.problems.map(within));
      // Names that match nothing (a NotFoundError of the lookup, not of the API).
      else if (error instanceof NotFoundError && error.statusCode === undefined) context.problems.push(within(error.message));
      else throw error;
      normal[i].broken = true;
    }
  }
}

/**
 * Reads the current state and matches every record with its object; settles references to
 * records whose object exists already to its id (in `wires`). Returns the match of each record.
 */
export async function readState(normal: readonly Normal[], wires: Array<Record<string, unknown>>, context: ReadContext): Promise<Existing> {
  const { problems, check } = context;
  const listings = new Map<Lifecycle, Index>();
  const list = async (type: Lifecycle): Promise<void> => {
    if (listings.has(type)) return;
    check();
    // The listing the names of references were resolved with, if it was read (the same whole listing).
    const resolved = context.cache?.listings.get(`${type.meta.name}\u0000{}`);
    const items = resolved ? (await resolved).map((obj) => stateOf(obj).data ?? {}) : await listType(type.meta, context);
    listings.set(type, indexOf(type, items));
    check();
  };
  // One listing per type: the records' own types, and the managed types they refer to by id.
  const used = new Set<Lifecycle>();
  for (const [i, rec] of normal.entries()) {
    if (listable(rec.type)) used.add(rec.type);
    for (const key of Object.keys(wires[i])) {
      const type = referenced(rec, key);
      if (type && listable(type)) used.add(type);
    }
  }
  for (const type of [...used].sort((a, b) => a.meta.path.localeCompare(b.meta.path))) await list(type);
  for (const [i, rec] of normal.entries()) {
    for (const [key, value] of Object.entries(wires[i])) {
      const type = referenced(rec, key);
      const index = type ? listings.get(type) : undefined;
      if (!type || !index) continue;
      const idKey = type.meta.idKey as string;
      for (const ref of Array.isArray(value) ? value : [value]) {
        const id = isPlain(ref) ? ref[idKey] : undefined;
        if ((typeof id === 'number' || typeof id === 'string') && !index.byId.has(String(id))) problems.push(`record ${rec.index + 1} (${rec.label}): ${key}: no ${type.name} ${id}`);
      }
    }
  }

  const existing: Existing = new Map();
  const known = new Map<string, Id>();
  const remember = (rec: Normal, found: Record<string, unknown> | undefined): void => {
    existing.set(rec, found);
    if (found && rec.meta.idKey) known.set(rec.ref, found[rec.meta.idKey] as Id);
  };
  const byId = (rec: Normal, index: Index): Record<string, unknown> | undefined => (rec.id === undefined ? undefined : index.byId.get(String(rec.id)));
  // Types listed once: found by id or by unique name.
  for (const rec of normal) {
    if (rec.broken || !listable(rec.type)) continue;
    const index = listings.get(rec.type) as Index;
    remember(rec, matchByName(rec, index, byId(rec, index), problems));
  }
  // Types listed within a scope or a parent: one listing per scope object.
  const scoped = new Map<string, Index>();
  for (const [i, rec] of normal.entries()) {
    const scope = scopeOf(rec.type);
    if (rec.broken || scope === undefined) continue;
    const target = targetOf(rec.meta, rec.meta.attributes.get(scope)) as ResourceMeta;
    const scopeKey = target.idKey as string;
    const held = wires[i][scope];
    let scopeId = isPlain(held) ? held[scopeKey] : undefined;
    if (scopeId instanceof LocalRef) scopeId = known.get(scopeId.name);
    else if (scopeId !== undefined) {
      const parents = listings.get(lifecycleOf(target.cls) as Lifecycle);
      if (parents && !parents.byId.has(String(scopeId))) {
        problems.push(`record ${rec.index + 1} (${rec.label}): no ${target.name} ${String(scopeId)}`);
        scopeId = undefined;
      }
    }
    if (scopeId === undefined) {
      // Within an object this apply creates (or none): a new object.
      remember(rec, undefined);
      continue;
    }
    const cacheKey = `${rec.type.name}\u0000${String(scopeId)}`;
    let index = scoped.get(cacheKey);
    if (!index) {
      check();
      index = indexOf(rec.type, await listType(rec.type.meta, context, { [scopeKey]: scopeId as string | number }));
      scoped.set(cacheKey, index);
    }
    const identity = rec.type.identity;
    if (identity.by !== 'parent') {
      remember(rec, matchByName(rec, index, byId(rec, index), problems));
      continue;
    }
    let found = byId(rec, index);
    if (rec.id === undefined) {
      const key = keyOf(wires[i], identity.index);
      const candidates = key === undefined ? index.all : (index.byKey?.get(key) ?? []);
      found = candidates.find((item) => identity.match.every((k) => wires[i][k] === undefined || JSON.stringify(item[k]) === JSON.stringify(wires[i][k])));
    } else if (!found && rec.action === 'set') problems.push(`record ${rec.index + 1} (${rec.label}): no ${rec.type.name} ${rec.id} in ${target.name} ${String(scopeId)}`);
    remember(rec, found);
  }
  check();

  // References to records whose object exists already: its id (a copy only where something changes).
  const settle = (value: unknown): unknown => {
    if (value instanceof LocalRef) return known.get(value.name) ?? value;
    if (Array.isArray(value)) {
      const out = value.map(settle);
      return out.some((v, i) => v !== value[i]) ? out : value;
    }
    if (isPlain(value)) {
      let out: Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(value)) {
        const settled = settle(v);
        if (settled !== v) (out ??= { ...value })[k] = settled;
      }
      return out ?? value;
    }
    return value;
  };
  if (known.size) for (const [i, wire] of wires.entries()) wires[i] = settle(wire) as Record<string, unknown>;
  return existing;
}

/** The object of a record found by id (given) or by its unique name; problems when neither is clear. */
function matchByName(rec: Normal, index: Index, found: Record<string, unknown> | undefined, problems: string[]): Record<string, unknown> | undefined {
  const key = nameKey(rec.type);
  const idKey = rec.meta.idKey as string;
  if (rec.id !== undefined) {
    if (!found && rec.action === 'set') problems.push(`record ${rec.index + 1} (${rec.label}): no ${rec.type.name} ${rec.id}`);
    else if (found && key !== undefined && typeof rec.attrs[key] === 'string' && found[key] !== rec.attrs[key] && rec.action === 'delete') {
      problems.push(`record ${rec.index + 1}: ${rec.type.name} ${rec.id} is ${key === 'name' ? 'named' : `${key}`} "${String(found[key])}", not "${String(rec.attrs[key])}"`);
    }
    return found;
  }
  if (key === undefined) return undefined;
  const matches = index.byName.get(rec.attrs[key]) ?? [];
  if (matches.length > 1) problems.push(`record ${rec.index + 1} (${rec.label}): ${matches.length} ${rec.type.name}s are ${key === 'name' ? 'named' : `of ${key}`} "${String(rec.attrs[key])}" (${matches.map((m) => String(m[idKey])).join(', ')}); give the id`);
  return matches.length === 1 ? matches[0] : undefined;
}
