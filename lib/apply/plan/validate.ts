/**
 * Planning, phase 1: validation. Every record is checked against its type's lifecycle declaration
 * (lib/orm/lifecycle.ts) without any request: type, action, identity, attribute names and types,
 * enumerations, value rules, local references, unique names; values are converted to their wire
 * form (references as `{ <idKey>: id }`, local ones as {@link LocalRef}). Every problem of every
 * record is collected.
 */
import { ValidationError } from '../../errors.js';
import { idOf, referenceTo, referencesTo } from '../../orm/ids.js';
import { breaksRule, enumOf, isRefusal, managedTypes, ruleOf, type Lifecycle } from '../../orm/lifecycle.js';
import { hasType } from '../../orm/metadata.js';
import type { Id } from '../../orm/state.js';
import { LocalRef, idInside, isPlain, nameKey, shown, targetOf, type ApplyRecord, type Normal } from './model.js';

const META_KEYS = new Map<string, 'type' | 'action' | 'ref' | 'id'>([
  ['__type__', 'type'], ['type', 'type'], ['__action__', 'action'], ['action', 'action'], ['__name__', 'ref'], ['ref', 'ref'], ['__id__', 'id'], ['id', 'id'],
]);

/** Whether `value` holds a number that is not finite (Infinity from `1e400`, NaN), anywhere. */
function nonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(nonFinite);
  if (isPlain(value)) return Object.values(value).some(nonFinite);
  return false;
}

function localName(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('@') && value.length > 1 ? value.slice(1) : undefined;
}

/** The id given, checked against the type's kind of identifier; undefined when it is not one. */
function parsedId(type: Lifecycle, value: unknown): Id | undefined {
  if (type.meta.idType === 'string') return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  if ((typeof value === 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0 && Number.isSafeInteger(Number(value)))) return Number(value);
  return undefined;
}

/** The attributes that identify an object of `type` besides its id (what a delete may give). */
function identityAttributes(type: Lifecycle): string[] {
  const identity = type.identity;
  if (identity.by === 'name') return identity.within ? [nameKey(type) as string, identity.within] : [nameKey(type) as string];
  if (identity.by === 'parent') return [identity.parent, ...identity.match];
  return [];
}

/** The managed types by class name (case-sensitive, as the classes are spelled), as declared now. */
export function typesByName(): Map<string, Lifecycle> {
  return new Map(managedTypes().map((t) => [t.name, t]));
}

/** Normalises and checks every record's type, action, local name and id; collects every problem. */
export function normalise(records: readonly ApplyRecord[], problems: string[]): Normal[] {
  const types = typesByName();
  const out: Normal[] = [];
  const refs = new Map<string, number>();
  records.forEach((record, index) => {
    const at = `record ${index + 1}`;
    if (!isPlain(record)) {
      problems.push(`${at}: must be an object, got ${shown(record)}`);
      return;
    }
    const metaValues = new Map<'type' | 'action' | 'ref' | 'id', unknown>();
    const given: Array<[string, unknown]> = [];
    for (const [key, value] of Object.entries(record)) {
      const role = META_KEYS.get(key);
      if (role) {
        if (metaValues.get(role) !== undefined) problems.push(`${at}: ${role} is given twice (${key})`);
        metaValues.set(role, value);
      } else given.push([key, value]);
    }
    const typeName = metaValues.get('type');
    const type = typeof typeName === 'string' ? types.get(typeName) : undefined;
    if (!type) {
      problems.push(`${at}: ${typeName === undefined ? 'no type (give "type" or "__type__")' : `unknown type ${shown(typeName)}`}; apply manages ${[...types.keys()].sort().join(', ')}`);
      return;
    }
    const action = metaValues.get('action') ?? 'set';
    if (action !== 'set' && action !== 'delete') {
      problems.push(`${at}: action must be "set" or "delete", got ${shown(action)}`);
      return;
    }
    const meta = type.meta;
    // Own members only: a name such as `toString` is an unknown attribute like any other, and
    // `__proto__` is kept as a member (an assignment would set the prototype).
    let idAttr: unknown;
    const attrs: Record<string, unknown> = {};
    for (const [key, value] of given) {
      if (key === meta.idKey) idAttr = value;
      else if (key === '__proto__') Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
      else attrs[key] = value;
    }
    let ref = `#${index + 1}`;
    let userRef = false;
    const givenRef = metaValues.get('ref');
    if (givenRef !== undefined) {
      if (typeof givenRef !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(givenRef)) {
        problems.push(`${at}: the local name must be letters, digits, "_", "." or "-", got ${shown(givenRef)}`);
      } else if (refs.has(givenRef)) {
        problems.push(`${at}: the local name "${givenRef}" is already used by record ${(refs.get(givenRef) as number) + 1}`);
      } else {
        ref = givenRef;
        userRef = true;
        refs.set(ref, index);
      }
    }
    let id: Id | undefined;
    let broken = false;
    const idValue = metaValues.get('id') ?? idAttr;
    if (idValue !== undefined) {
      id = parsedId(type, idValue);
      if (id === undefined) {
        problems.push(`${at}: the id must be ${meta.idType === 'string' ? 'a non-empty string' : 'a positive whole number'}, got ${shown(idValue)}`);
        broken = true;
      }
    }
    const key = nameKey(type);
    const nameValue = key === undefined ? undefined : attrs[key];
    const name = typeof nameValue === 'string' && nameValue !== '' ? nameValue : undefined;
    const label = `${type.name} ${name ?? (userRef ? ref : id !== undefined ? String(id) : `(record ${index + 1})`)}`;
    out.push({ index, label, type, meta, action, ref, userRef, id, attrs, bad: new Set(), broken });
  });
  return out;
}

/** Checks attribute names, types, enumerations and value rules; converts values to their wire form. */
export function convert(rec: Normal, byRef: Map<string, Normal>, problems: string[]): Record<string, unknown> {
  const at = `record ${rec.index + 1} (${rec.label})`;
  const wire: Record<string, unknown> = {};
  const type = rec.type;
  const bad = (key: string, problem: string): void => {
    rec.bad.add(key);
    problems.push(problem);
  };
  if (rec.action === 'delete') {
    const identifying = identityAttributes(type);
    const extra = Object.keys(rec.attrs).filter((k) => !identifying.includes(k));
    if (extra.length) problems.push(`${at}: a delete takes only its identity (${['id', ...identifying].join(', ')}), not ${extra.join(', ')}`);
  }
  for (const [key, value] of Object.entries(rec.attrs)) {
    const attr = rec.meta.attributes.get(key);
    if (!attr || !type.settable.includes(key)) {
      const takes = [...rec.meta.attributes.keys()].filter((k) => type.settable.includes(k));
      bad(key, `${at}: ${attr ? `"${key}" is read-only` : `unknown attribute "${key}"`}; ${type.name} takes ${takes.join(', ') || 'no attribute'}`);
      continue;
    }
    if (value === null || value === undefined) {
      bad(key, `${at}: "${key}" has no value`);
      continue;
    }
    const what = `${at}: ${key}`;
    if (nonFinite(value)) {
      bad(key, `${what} is not a finite number (a number as large as 1e400 cannot be sent), got ${shown(value)}`);
      continue;
    }
    const enumeration = enumOf(type, key);
    if (enumeration && !enumeration.includes(value as string)) {
      bad(key, `${at}: "${key}" must be one of ${enumeration.join(', ')}, got ${shown(value)}`);
      continue;
    }
    const targetMeta = targetOf(rec.meta, attr);
    const local = (v: unknown): LocalRef | undefined => {
      const name = localName(v);
      if (name === undefined) return undefined;
      const other = byRef.get(name);
      if (!other || !other.userRef) bad(key, `${what}: "@${name}" names no record of this apply`);
      else if (other.action !== 'set') bad(key, `${what}: "@${name}" is deleted by this apply (record ${other.index + 1})`);
      else if (targetMeta && other.meta.name !== targetMeta.name) bad(key, `${what}: "@${name}" is a ${other.meta.name}, a ${targetMeta.name} is wanted`);
      return new LocalRef(name);
    };
    try {
      if (targetMeta && targetMeta.idKey) {
        const idKey = targetMeta.idKey;
        const one = (v: unknown): unknown => {
          const l = local(v);
          if (l) return attr.idOf ? l : { [idKey]: l };
          return attr.idOf ? idOf(targetMeta, v, what, 'id') : referenceTo(targetMeta, v, what, 'id');
        };
        let converted: unknown;
        if (attr.reference?.many) {
          if (!Array.isArray(value) || !value.length) throw new ValidationError({ message: `${what} must be a non-empty list` });
          converted = value.map((v) => (localName(v) !== undefined ? one(v) : referencesTo(targetMeta, v, what, 'id')[0]));
        } else converted = one(value);
        const ids = (Array.isArray(converted) ? converted : [converted]).map((c) => idInside(c, idKey));
        const notPositive = targetMeta.idType === 'number' ? ids.find((id) => typeof id === 'number' && id <= 0) : undefined;
        if (notPositive !== undefined) bad(key, `${what}: a ${targetMeta.name} id must be a positive whole number, got ${shown(notPositive)}`);
        else wire[key] = converted;
      } else if (!hasType(attr.type, value)) {
        bad(key, `${what} must be ${attr.type === 'array' ? 'an array' : `a ${attr.type}`}, got ${shown(value)}`);
      } else {
        const rule = ruleOf(type, key);
        const broken = rule ? breaksRule(rule, value) : undefined;
        if (broken) bad(key, `${what} ${broken}`);
        else wire[key] = value;
      }
    } catch (error) {
      if (error instanceof ValidationError) {
        rec.bad.add(key);
        problems.push(...error.problems.map((p) => (p.startsWith(at) ? p : `${what}: ${p}`)));
      } else throw error;
    }
  }
  const start = wire.startPort;
  const end = wire.endPort;
  if (typeof start === 'number' && typeof end === 'number' && start > end) bad('endPort', `${at}: startPort ${start} is after endPort ${end}`);
  const key = nameKey(type);
  if (key !== undefined && rec.id === undefined && rec.bad.has(key)) rec.broken = true;
  return wire;
}

/**
 * What can be checked of the records together before any read: unique names among the records
 * of a type (within their scope), deletes of types the API cannot delete, an identity for every
 * record. Marks the records whose identity is missing as broken.
 */
export function checkIdentities(normal: readonly Normal[], wires: ReadonlyArray<Record<string, unknown>>, problems: string[]): void {
  const names = new Map<string, Normal>();
  for (const [i, rec] of normal.entries()) {
    const key = nameKey(rec.type);
    const name = key === undefined ? undefined : rec.attrs[key];
    if (typeof name !== 'string') continue;
    const identity = rec.type.identity;
    const scope = identity.by === 'name' && identity.within ? JSON.stringify(wires[i][identity.within] ?? null) : '';
    const unique = `${rec.type.name}\u0000${scope}\u0000${name}`;
    const other = names.get(unique);
    if (other) problems.push(`record ${rec.index + 1}: ${rec.type.name} ${key} "${name}" is also given by record ${other.index + 1}; ${key === 'name' ? 'names' : `${key}s`} of a ${rec.type.name} must be unique`);
    else names.set(unique, rec);
  }
  for (const [i, rec] of normal.entries()) {
    const type = rec.type;
    const identity = type.identity;
    if (rec.action === 'delete' && isRefusal(type.delete)) problems.push(`record ${rec.index + 1} (${rec.label}): cannot be deleted: ${type.delete.refused}`);
    if (rec.broken) continue;
    if (identity.by === 'name' && identity.within && wires[i][identity.within] === undefined && !rec.bad.has(identity.within)) {
      problems.push(`record ${rec.index + 1} (${rec.label}): give its ${identity.within} (a ${type.name} is found within its ${identity.within})`);
      rec.broken = true;
      continue;
    }
    if (rec.id !== undefined) continue;
    const key = nameKey(type);
    if (identity.by === 'id') {
      // Without its id, a record of a type identified by id only is a new object.
      if (rec.action === 'delete') {
        problems.push(`record ${rec.index + 1} (${rec.label}): give its id (a ${type.name} is identified by its id only)`);
        rec.broken = true;
      }
    } else if (identity.by === 'parent') {
      if (rec.attrs[identity.parent] === undefined) {
        problems.push(`record ${rec.index + 1} (${rec.label}): a ${type.name} without an id needs its ${identity.parent}`);
        rec.broken = true;
      }
    } else if (typeof rec.attrs[key as string] !== 'string') {
      problems.push(`record ${rec.index + 1} (${rec.label}): give its id or its ${key as string}`);
      rec.broken = true;
    }
  }
}
