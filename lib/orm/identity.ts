/**
 * Identity map (per endpoint): within it one identifier maps to one object, so references that
 * many objects share (1,000 servers in 5 regions) become the same 5 objects and 5 loads.
 *
 * Entries are weak: an object nobody holds can be collected. Dead entries are swept when a map
 * has doubled since its last sweep (and on lookup), rather than through a FinalizationRegistry,
 * which would cost every hydrated object a registry cell and a held value.
 * Maps are nested endpoint → type → id, so numeric ids need no key string per object.
 */
import { ConfigError } from '../errors.js';
import type { Endpoint } from '../endpoint.js';
import { resolveRequest, type Resolution } from '../config/resolve.js';

interface TypeMap {
  refs: Map<string | number, WeakRef<object>>;
  sweepAt: number;
}

const MIN_SWEEP = 1024;
const maps = new Map<string, Map<string, TypeMap>>();

function typeMap(endpointKey: string, type: string, create: boolean): TypeMap | undefined {
  let byType = maps.get(endpointKey);
  if (!byType) {
    if (!create) return undefined;
    maps.set(endpointKey, (byType = new Map()));
  }
  let entry = byType.get(type);
  if (!entry && create) byType.set(type, (entry = { refs: new Map(), sweepAt: MIN_SWEEP }));
  return entry;
}

function sweep(entry: TypeMap): void {
  for (const [id, ref] of entry.refs) if (ref.deref() === undefined) entry.refs.delete(id);
  entry.sweepAt = Math.max(MIN_SWEEP, entry.refs.size * 2);
}

/** The live object for an id, dropping its entry when it was collected. */
function lookupIn(refs: TypeMap['refs'], id: string | number): object | undefined {
  const ref = refs.get(id);
  if (!ref) return undefined;
  const obj = ref.deref();
  if (obj === undefined) refs.delete(id);
  return obj;
}

export function lookupIdentity(endpointKey: string, type: string, id: string | number): object | undefined {
  const entry = typeMap(endpointKey, type, false);
  return entry && lookupIn(entry.refs, id);
}

export function rememberIdentity(endpointKey: string, type: string, id: string | number, obj: object): void {
  const entry = typeMap(endpointKey, type, true)!;
  entry.refs.set(id, new WeakRef(obj));
  if (entry.refs.size > entry.sweepAt) sweep(entry);
}

/**
 * The object standing for `type`/`id` in an endpoint's identity map, or the one `make()` builds,
 * remembered there; `found` says which. Without a map (`endpointKey` undefined) always a new one.
 */
export function objectFor<T extends object>(endpointKey: string | undefined, type: string, id: string | number, make: () => T): { obj: T; found: boolean } {
  const existing = endpointKey === undefined ? undefined : (lookupIdentity(endpointKey, type, id) as T | undefined);
  if (existing) return { obj: existing, found: true };
  const obj = make();
  if (endpointKey !== undefined) rememberIdentity(endpointKey, type, id, obj);
  return { obj, found: false };
}

/** One type's table within one endpoint's map, for registering the items of a list response. */
export interface IdentityTable {
  lookup(id: string | number): object | undefined;
  remember(id: string | number, obj: object): void;
}

/**
 * The table for a batch of `expected` items: looked up once, and swept (if due) once before the
 * batch instead of at every doubling while it fills — the objects of one list are all alive.
 */
export function identityTable(endpointKey: string, type: string, expected: number): IdentityTable {
  const entry = typeMap(endpointKey, type, true)!;
  if (entry.refs.size + expected > entry.sweepAt) {
    sweep(entry);
    entry.sweepAt = Math.max(entry.sweepAt, (entry.refs.size + expected) * 2);
  }
  const refs = entry.refs;
  return {
    lookup: (id) => lookupIn(refs, id),
    remember(id, obj) {
      refs.set(id, new WeakRef(obj));
    },
  };
}

/** Forgets every identity (e.g. between independent test cases, or to force fresh objects). */
export function clearIdentityMaps(): void {
  maps.clear();
}

/** The map key of an endpoint, or undefined when the map is off or no endpoint is configured. */
export function identityKey(endpoint: Endpoint | undefined, resolved: Resolution = resolveRequest(endpoint)): string | undefined {
  if (!resolved.settings.identityMap || resolved.endpoint instanceof ConfigError) return undefined;
  return resolved.endpoint.key;
}
