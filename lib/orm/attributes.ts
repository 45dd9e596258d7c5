/**
 * What happens when an attribute is read or assigned. The read path is the hot one: a loaded
 * object answers from its backing store with no copying; an unloaded one loads once.
 */
import { plainToInstance } from 'class-transformer';
import { ValidationError } from '../errors.js';
import type { AttributeMeta } from './metadata.js';
import { describe, referenceTarget, type ResourceMeta } from './registry.js';
import { hydration, stateOf, STATE, type State } from './state.js';
import { loadForRead } from './loader.js';
import { identityKey, lookupIdentity, rememberIdentity } from './identity.js';

/** Reads any key (declared or not), loading the object first when needed. */
export function readKey(obj: object, meta: ResourceMeta, state: State, name: string): unknown {
  if (state.changes !== undefined && name in state.changes) {
    const changed = state.changes[name];
    const ref = meta.references.get(name);
    return ref && changed !== null && typeof changed === 'object' ? toReference(meta, state, ref, changed) : changed;
  }
  if (name === meta.idKey) return state.id;
  if (!state.complete && hydration.depth === 0 && (state.data === undefined || !(name in state.data)) && (state.id !== undefined || meta.flat)) {
    loadForRead(obj, meta, state, name);
  }
  const data = state.data;
  if (data === undefined) return undefined;
  const value = data[name];
  if (value === null || typeof value !== 'object') return value;
  const ref = meta.references.get(name);
  if (!ref) return value;
  const cache = (state.refs ??= {});
  if (name in cache) return cache[name];
  return (cache[name] = toReference(meta, state, ref, value));
}

export function readAttribute(obj: object, name: string): unknown {
  const state = (obj as { [STATE]?: State })[STATE];
  if (!state) return undefined; // the prototype itself (e.g. inspected by a tool)
  return readKey(obj, describe(obj.constructor), state, name);
}

/**
 * Turns `{ "regionId": 19344, ... }` into a Region: the same object for the same id within the
 * identity map; extra members pre-fill it. class-transformer builds new instances (through the
 * accessors, under the hydration guard so no read loads).
 */
function materialise(owner: State, target: ResourceMeta, plain: Record<string, unknown>): unknown {
  const idKey = target.idKey;
  const id = idKey ? plain[idKey] : undefined;
  if (id === undefined || id === null || (typeof id !== 'number' && typeof id !== 'string')) return plain;
  const key = identityKey(owner.endpoint);
  if (key) {
    const existing = lookupIdentity(key, target.name, id);
    if (existing) {
      const s = stateOf(existing);
      if (!s.complete && Object.keys(plain).length > 1) s.data = { ...s.data, ...plain };
      return existing;
    }
  }
  hydration.depth += 1;
  let created: object;
  try {
    created = plainToInstance(target.cls as new () => object, plain) as object;
  } finally {
    hydration.depth -= 1;
  }
  const s = stateOf(created);
  // Members the class does not declare were set as own properties: move them to the store.
  for (const stray of Object.keys(created)) {
    (s.data ??= {})[stray] = (created as Record<string, unknown>)[stray];
    delete (created as Record<string, unknown>)[stray];
  }
  s.endpoint = owner.endpoint;
  s.complete = false;
  if (key) rememberIdentity(key, target.name, id, created);
  return created;
}

function toReference(meta: ResourceMeta, state: State, ref: AttributeMeta, value: object): unknown {
  const target = referenceTarget(meta.cls, ref);
  if (Array.isArray(value)) {
    return value.map((item) => (item !== null && typeof item === 'object' && !Array.isArray(item) ? materialise(state, target, item as Record<string, unknown>) : item));
  }
  return materialise(state, target, value as Record<string, unknown>);
}

const TYPE_CHECKS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  object: (v) => typeof v === 'object' && !Array.isArray(v),
  any: () => true,
};

/** The wire form of one reference value: an id, a resource object, or `{ <idKey>: id }`. */
function referenceWireValue(meta: ResourceMeta, attr: AttributeMeta, value: unknown): Record<string, unknown> {
  const target = referenceTarget(meta.cls, attr);
  const idKey = target.idKey as string;
  if (typeof value === 'number' || (typeof value === 'string' && value !== '')) {
    if (target.idType === 'number') {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isInteger(n)) throw new ValidationError({ message: `${meta.name}.${attr.name} takes a ${target.name} id (an integer), got ${JSON.stringify(value)}` });
      return { [idKey]: n };
    }
    return { [idKey]: String(value) };
  }
  if (value !== null && typeof value === 'object') {
    const s = (value as { [STATE]?: State })[STATE];
    if (s) {
      if (value.constructor !== target.cls) throw new ValidationError({ message: `${meta.name}.${attr.name} takes a ${target.name}, got a ${value.constructor.name}` });
      if (s.id === undefined) throw new ValidationError({ message: `${meta.name}.${attr.name}: the ${target.name} has no id yet (save it first)` });
      return { [idKey]: s.id };
    }
    if ((value as Record<string, unknown>)[idKey] !== undefined) return value as Record<string, unknown>;
  }
  throw new ValidationError({ message: `${meta.name}.${attr.name} takes a ${target.name}, its id, or { ${idKey}: id }; got ${JSON.stringify(value)}` });
}

/** Assigning an attribute: only settable ones; recorded as a change for save() (dirty tracking). */
export function writeAttribute(obj: object, name: string, value: unknown): void {
  const state = stateOf(obj);
  const meta = describe(obj.constructor);
  if (hydration.depth > 0) {
    if (name === meta.idKey) state.id = value as State['id'];
    (state.data ??= {})[name] = value;
    return;
  }
  const attr = meta.attributes.get(name) as AttributeMeta;
  if (name === meta.idKey) throw new ValidationError({ message: `${meta.name}.${name} is the identifier and cannot be assigned; use new ${meta.name}(id)` });
  if (!attr.settable) throw new ValidationError({ message: `${meta.name}.${name} is read-only` });
  let wire = value;
  if (value !== undefined && value !== null) {
    if (attr.reference) {
      if (attr.reference.many) {
        const list = Array.isArray(value) ? value : [value];
        wire = list.map((item) => referenceWireValue(meta, attr, item));
      } else {
        wire = referenceWireValue(meta, attr, value);
      }
    } else if (!TYPE_CHECKS[attr.type](value)) {
      throw new ValidationError({ message: `${meta.name}.${name} must be ${attr.type === 'array' ? 'an array' : `a ${attr.type}`}, got ${JSON.stringify(value)}` });
    }
  }
  if (value === undefined) {
    if (state.changes) delete state.changes[name];
    return;
  }
  (state.changes ??= {})[name] = wire;
}
