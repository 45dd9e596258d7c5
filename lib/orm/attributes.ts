/**
 * What happens when an attribute is read or assigned, and the accessors that do it. The read
 * path is the hot one: a loaded object answers from its backing store with no copying; an
 * unloaded one loads once.
 */
import { ValidationError, MetadataError } from '../errors.js';
import { hasType, type AttributeMeta } from './metadata.js';
import { metaOf, onDiscovery, referenceTarget, type ResourceMeta } from './registry.js';
import { stateIfAny, stateOf, type State } from './state.js';
import { loadForRead } from './loader.js';
import { identityKey, objectFor } from './identity.js';
import { idOf, parseId, referenceTo, referencesTo } from './ids.js';

/** Reads any key (declared or not), loading the object first when needed. */
export function readKey(meta: ResourceMeta, state: State, name: string): unknown {
  if (state.changes !== undefined && name in state.changes) {
    const changed = state.changes[name];
    const ref = meta.references.get(name);
    return ref && changed !== null && typeof changed === 'object' ? toReference(meta, state, ref, changed) : changed;
  }
  if (name === meta.idKey) return state.id;
  if (!state.complete && (state.data === undefined || !(name in state.data)) && (state.id !== undefined || meta.flat)) {
    loadForRead(meta, state, name);
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

/**
 * Turns `{ "regionId": 19344, ... }` into a Region: the same object for the same id within the
 * identity map; the members it arrived with pre-fill it (a copy, so the owner's data stays as
 * received). An item without a usable identifier stays a plain object.
 */
function materialise(owner: State, ownerMeta: ResourceMeta, attribute: string, target: ResourceMeta, plain: Record<string, unknown>): unknown {
  const id = target.idKey ? parseId(target.idType, plain[target.idKey]) : undefined;
  if (id === undefined) return plain;
  const { obj, found } = objectFor(identityKey(owner.endpoint), target.name, id, () => new target.cls(id, { endpoint: owner.endpoint }));
  const s = stateOf(obj);
  const source = owner.source === undefined ? undefined : { ...owner.source, how: 'reference' as const };
  if (!found) {
    s.data = { ...plain };
    s.via = { type: ownerMeta.name, attribute };
    s.source = source;
  } else if (!s.complete && Object.keys(plain).length > 1) {
    s.data = { ...s.data, ...plain };
    s.source = source;
  }
  return obj;
}

function toReference(meta: ResourceMeta, state: State, ref: AttributeMeta, value: object): unknown {
  const target = referenceTarget(meta.cls, ref);
  if (Array.isArray(value)) {
    return value.map((item) => (item !== null && typeof item === 'object' && !Array.isArray(item) ? materialise(state, meta, ref.name, target, item as Record<string, unknown>) : item));
  }
  return materialise(state, meta, ref.name, target, value as Record<string, unknown>);
}

/** Assigning an attribute: only settable ones; recorded as a change for save() (dirty tracking). */
function writeAttribute(obj: object, name: string, value: unknown): void {
  const state = stateOf(obj);
  const meta = metaOf(obj.constructor);
  const attr = meta.attributes.get(name) as AttributeMeta;
  if (name === meta.idKey) throw new ValidationError({ message: `${meta.name}.${name} is the identifier and cannot be assigned; use new ${meta.name}(id)` });
  if (!attr.settable) throw new ValidationError({ message: `${meta.name}.${name} is read-only` });
  if (value === undefined) {
    if (state.changes) delete state.changes[name];
    return;
  }
  let sent = value;
  if (value !== null) {
    if (attr.reference) {
      const target = referenceTarget(meta.cls, attr);
      const what = `${meta.name}.${name}`;
      sent = attr.reference.many ? referencesTo(target, value, what, 'id') : referenceTo(target, value, what, 'id');
    } else if (attr.idOf && typeof value !== 'number') {
      // An id attribute (`budget`) given as the object, `{ billingCodeId }` or a name to look up.
      sent = idOf(metaOf(attr.idOf() as Function), value, `${meta.name}.${name}`, 'id');
    } else if (!hasType(attr.type, value)) {
      throw new ValidationError({ message: `${meta.name}.${name} must be ${attr.type === 'array' ? 'an array' : `a ${attr.type}`}, got ${JSON.stringify(value)}` });
    }
  }
  (state.changes ??= {})[name] = sent;
}

/** Getters installed by this module, so a subclass may redeclare an inherited attribute. */
const accessorGetters = new WeakSet<Function>();

function install(cls: Function, attr: AttributeMeta): void {
  const proto = cls.prototype as object;
  for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const existing = Object.getOwnPropertyDescriptor(p, attr.name);
    if (existing && !(existing.get && accessorGetters.has(existing.get))) {
      throw new MetadataError({
        message: `${cls.name}.${attr.name}: the attribute name collides with a ${p === proto ? 'method or property of the class' : 'member of its base class'}; read it with .get('${attr.name}') instead of declaring it`,
      });
    }
  }
  const name = attr.name;
  const get = function (this: object): unknown {
    const state = stateIfAny(this);
    if (!state) return undefined; // the prototype itself (e.g. inspected by a tool)
    return readKey(metaOf(this.constructor), state, name);
  };
  accessorGetters.add(get);
  Object.defineProperty(proto, name, {
    get,
    set(this: object, value: unknown) {
      writeAttribute(this, name, value);
    },
    enumerable: false,
    configurable: true,
  });
}

onDiscovery((cls, attributes) => {
  for (const attr of attributes) install(cls, attr);
});
