/**
 * Detail levels. Records are stored in basic form; `x-es-details: extended`
 * embeds each top-level reference (`{"regionId": 19344}` → the region object, arrays of references
 * likewise). One level only: references inside an embedded object stay basic, which keeps output
 * finite and matches the extended samples. Unknown header values mean basic.
 */
import { REF_BY_FIELD, REF_BY_KEY } from './resources.js';
import type { Store } from './store.js';
import type { Rec } from './types.js';

export type Detail = 'basic' | 'extended';

export function detailLevel(header: string | string[] | undefined): Detail {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && value.trim().toLowerCase() === 'extended' ? 'extended' : 'basic';
}

/** `[path, id]` when `value` is a bare reference object such as `{"regionId": 19344}`. */
export function refTarget(field: string, value: unknown): [string, number] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const id = (value as Rec)[keys[0]];
  if (typeof id !== 'number') return undefined;
  const path = keys[0] === 'productId' ? REF_BY_FIELD[field] : REF_BY_KEY[keys[0]];
  return path ? [path, id] : undefined;
}

function expandOne(store: Store, field: string, value: unknown): unknown {
  const target = refTarget(field, value);
  if (!target) return value;
  return store.get(target[0], target[1]) ?? value;
}

/** A shallow copy of `rec` with its references embedded; `rec` itself is never modified. */
export function expand(store: Store, rec: Rec): Rec {
  const out: Rec = {};
  for (const key of Object.keys(rec)) {
    const value = rec[key];
    out[key] = Array.isArray(value) ? value.map((v) => expandOne(store, key, v)) : expandOne(store, key, value);
  }
  return out;
}

export function present(store: Store, rec: Rec, detail: Detail): Rec {
  return detail === 'extended' ? expand(store, rec) : rec;
}
