/**
 * Identity map (per endpoint): within it one identifier maps to one object, so references that
 * many objects share (1,000 servers in 5 regions) become the same 5 objects and 5 loads.
 * Entries are weak: an object nobody holds can be collected.
 */
import { ConfigError } from '../errors.js';
import type { Endpoint } from '../endpoint.js';
import { resolveEndpoint, resolveSettings } from '../config/resolve.js';

const maps = new Map<string, Map<string, WeakRef<object>>>();
const cleanup = new FinalizationRegistry<{ endpointKey: string; key: string }>(({ endpointKey, key }) => {
  const map = maps.get(endpointKey);
  const ref = map?.get(key);
  if (map && ref && ref.deref() === undefined) map.delete(key);
});

function keyOf(type: string, id: string | number): string {
  return `${type}:${id}`;
}

export function lookupIdentity(endpointKey: string, type: string, id: string | number): object | undefined {
  return maps.get(endpointKey)?.get(keyOf(type, id))?.deref();
}

export function rememberIdentity(endpointKey: string, type: string, id: string | number, obj: object): void {
  let map = maps.get(endpointKey);
  if (!map) maps.set(endpointKey, (map = new Map()));
  const key = keyOf(type, id);
  map.set(key, new WeakRef(obj));
  cleanup.register(obj, { endpointKey, key });
}

/** Forgets every identity (e.g. between independent test cases, or to force fresh objects). */
export function clearIdentityMaps(): void {
  maps.clear();
}

/** Number of live entries, for diagnostics. */
export function identityMapSize(): number {
  let n = 0;
  for (const map of maps.values()) n += map.size;
  return n;
}

/** The map key of an endpoint, or undefined when the map is off or no endpoint is configured. */
export function identityKey(endpoint: Endpoint | undefined): string | undefined {
  if (!resolveSettings().identityMap) return undefined;
  try {
    return resolveEndpoint(endpoint).key;
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}
