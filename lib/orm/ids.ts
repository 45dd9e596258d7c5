/**
 * Identifiers: the one place that says what an identifier is and how a reference travels.
 *
 * One rule per identifier type (`@resource({ idType })`):
 * - `number` (the default): a safe integer, or a string of decimal digits, which becomes that
 *   integer (`'331810'` → 331810; the API's job messages and command lines carry ids as text).
 * - `string` (ApiKey, Environment, Script, Personality): a non-empty string; a finite number
 *   becomes its decimal text.
 *
 * A reference in the API's JSON is `{ "<idKey>": id, … }`; a caller may give the id, the resource
 * object, or such an object, and `referenceTo()` turns any of them into the API's form.
 */
import { ValidationError } from '../errors.js';
import { metaOf, type ResourceMeta } from './registry.js';
import { stateIfAny, type Id } from './state.js';

type IdType = ResourceMeta['idType'];

const DIGITS = /^\s*-?\d+\s*$/;

/** `value` as an identifier of that type, or undefined when it is not one. */
export function parseId(idType: IdType, value: unknown): Id | undefined {
  if (idType === 'string') {
    if (typeof value === 'string') return value === '' ? undefined : value;
    return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
  }
  const n = typeof value === 'string' && DIGITS.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

function expected(idType: IdType): string {
  return idType === 'string' ? 'a non-empty string' : 'an integer';
}

/** The identifier of a `meta.name` for `value` (undefined and null stay undefined); ValidationError otherwise. */
export function toId(meta: Pick<ResourceMeta, 'name' | 'idType'>, value: unknown): Id | undefined {
  if (value === undefined || value === null) return undefined;
  const id = parseId(meta.idType, value);
  if (id === undefined) throw new ValidationError({ message: `${meta.name} id must be ${expected(meta.idType)}, got ${JSON.stringify(value)}` });
  return id;
}

/**
 * A command-line word given where an identifier is expected, before its type is known: an
 * integer if it reads as one, otherwise the text. The ORM applies the target's rule on assignment.
 */
export function idFromText(text: string): Id {
  return parseId('number', text) ?? text;
}

/**
 * A reference given by what users know instead of an id: a name or provider id
 * (`dataCenter: 'us-west-2a'`), or a query object (`machineImage: { name: 'ubuntu-22' }`); text of
 * digits (`'12345'`) is the id, unless another object has that name (see `digits`). An action
 * resolves every lookup among its values before anything is sent (lib/orm/lookups.ts); one that
 * reaches a request unresolved refuses to be serialised.
 */
export class Lookup {
  constructor(
    /** The class looked in. */
    readonly target: ResourceMeta,
    /** A name or provider id, or attribute values to match exactly. */
    readonly wanted: string | Readonly<Record<string, unknown>>,
    /** What it stands for once resolved: `{ <idKey>: id }`, or the bare id. */
    readonly form: 'reference' | 'id',
    /** The argument or attribute, for messages. */
    readonly what: string,
    /** `wanted` is a name even when it is digits (the command line's `--name`). */
    readonly asName = false,
  ) {}

  /**
   * Text of digits for a type with numeric ids (`'12345'`): the id first, then a name. A number
   * (`12345`) or `{ <idKey>: 12345 }` is always the id, `{ name: '12345' }` always a name.
   */
  get digits(): boolean {
    return !this.asName && typeof this.wanted === 'string' && this.target.idType === 'number' && /^\d+$/.test(this.wanted);
  }

  /** Human form: `DataCenter "us-west-2a"`, `MachineImage { name: "ubuntu-22" }`. */
  describe(): string {
    return `${this.target.name} ${typeof this.wanted === 'string' ? JSON.stringify(this.wanted) : `{ ${Object.entries(this.wanted).map(([k, v]) => `${k}: ${v instanceof RegExp ? String(v) : JSON.stringify(v)}`).join(', ')} }`}`;
  }

  toJSON(): never {
    throw new ValidationError({ message: `${this.what}: ${this.describe()} was never looked up; names are resolved by actions and save()` });
  }
}

/**
 * What text of digits is for a target with numeric ids: `'either'` (an action's argument: the id,
 * unless another object has it for a name; resolved with the names) or `'id'` (an attribute
 * assigned, an apply record: the id, as the identifier rule says).
 */
export type DigitText = 'either' | 'id';

/** A name, provider id or query for a target of this id type (else undefined: not a lookup). */
function lookupFor(meta: ResourceMeta, value: unknown, form: 'reference' | 'id', what: string, digits: DigitText): Lookup | undefined {
  if (!meta.idKey) return undefined;
  if (typeof value === 'string' && value.trim() !== '' && meta.idType === 'number') {
    if (parseId('number', value) === undefined) return new Lookup(meta, value, form, what);
    if (digits === 'either' && /^\s*\d+\s*$/.test(value)) return new Lookup(meta, value.trim(), form, what);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Lookup) && stateIfAny(value) === undefined) {
    const plain = value as Record<string, unknown>;
    if (plain[meta.idKey] === undefined && Object.keys(plain).length > 0) return new Lookup(meta, plain, form, what);
  }
  return undefined;
}

function targetMeta(target: Function | ResourceMeta): ResourceMeta {
  return typeof target === 'function' ? metaOf(target) : target;
}

/**
 * The API's form of a reference to a `target`: from its id, a `target` object (which must have an
 * id), or a plain `{ <idKey>: id, … }` (kept with its other members, its id normalised).
 * `what` names the argument or attribute in the ValidationError.
 */
export function referenceTo(target: Function | ResourceMeta, value: unknown, what: string, digits: DigitText = 'either'): Record<string, unknown> | Lookup {
  const meta = targetMeta(target);
  const idKey = meta.idKey as string;
  if (value instanceof Lookup) return value;
  const lookup = lookupFor(meta, value, 'reference', what, digits);
  if (lookup) return lookup;
  const state = stateIfAny(value);
  if (state) {
    if (!(value instanceof meta.cls)) throw new ValidationError({ message: `${what} takes a ${meta.name}, got a ${(value as object).constructor.name}` });
    if (state.id === undefined) throw new ValidationError({ message: `${what}: the ${meta.name} has no id yet (save it first)` });
    return { [idKey]: state.id };
  }
  const plain = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const raw = plain ? plain[idKey] : value;
  const id = raw === undefined || raw === null ? undefined : parseId(meta.idType, raw);
  if (id === undefined) {
    throw new ValidationError({ message: `${what} takes a ${meta.name}, its id (${expected(meta.idType)}) or { ${idKey}: id }; got ${JSON.stringify(value)}` });
  }
  return plain ? { ...plain, [idKey]: id } : { [idKey]: id };
}

/** `referenceTo()` for a list (a single value is taken as a list of one; an empty list is refused). */
export function referencesTo(target: Function | ResourceMeta, value: unknown, what: string, digits: DigitText = 'either'): Array<Record<string, unknown> | Lookup> {
  const list = Array.isArray(value) ? value : [value];
  if (!list.length) throw new ValidationError({ message: `${what} must not be empty` });
  return list.map((item) => referenceTo(target, item, what, digits));
}

/** Just the identifier of a reference to a `target` (`budget: 5` from a BillingCode, its id or `{ billingCodeId: 5 }`). */
export function idOf(target: Function | ResourceMeta, value: unknown, what: string, digits: DigitText = 'either'): Id | Lookup {
  const meta = targetMeta(target);
  const lookup = value instanceof Lookup ? value : lookupFor(meta, value, 'id', what, digits);
  if (lookup) return lookup.form === 'id' ? lookup : new Lookup(lookup.target, lookup.wanted, 'id', lookup.what, lookup.asName);
  return (referenceTo(meta, value, what, digits) as Record<string, unknown>)[meta.idKey as string] as Id;
}

/**
 * The identifier inside a reference as the API sends it (`{ regionId: 5 }` → 5, a list → a list of them), or the
 * value itself when it is not such an object; for comparing references by identifier.
 */
export function idsIn(value: unknown, target: Function | ResourceMeta): unknown {
  const meta = targetMeta(target);
  if (Array.isArray(value)) return value.map((item) => idsIn(item, meta));
  const raw = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[meta.idKey as string] : value;
  return parseId(meta.idType, raw) ?? raw;
}
