/**
 * Lifecycle declarations: what `apply()` (and export) know of a resource class, declared once on
 * the class with `@lifecycle({...})`, next to its `@action`s.
 *
 * - `create`: the action that creates an object (its `@action` gives operation, envelope, job and
 *   the attributes it sends), and how its item is built from a record's attributes; or
 *   `{ refused }`, why the API offers none.
 * - `updates`: which action changes which attributes of an existing object, how each is undone
 *   (by default the same action with the values read before), or why it cannot be.
 * - `delete`: the action that deletes (a DELETE), or `{ refused }`.
 * - `identity`: how a record finds its object: by unique `name`, within a `parent` (a rule within
 *   its firewall, found by the attributes given), or by id only.
 * - `enums`, `rules`: values the API refuses, checked before anything is sent.
 * - `gone`: when a listed object counts as gone (a terminated server stays listed).
 * - `secrets`: attributes whose values never appear in plans, output, journal or exports.
 *
 * The declarations are read with {@link lifecycleOf} (validated against the class's metadata once)
 * and {@link managedTypes}; a class that declares `@action`s and no lifecycle is listed by
 * {@link undeclaredWriters}.
 */
import { MetadataError } from '../errors.js';
import type { ActionMeta } from './metadata.js';
import { allResources, metaOf, type ResourceMeta } from './registry.js';
import { isLive } from './lookups.js';

/**
 * A rule on an attribute's value, beyond its type: a whole number (`integer`), bounds (`min`,
 * `max`, inclusive), or a non-empty text (`nonEmpty`).
 */
export interface ValueRule {
  integer?: boolean;
  min?: number;
  max?: number;
  nonEmpty?: boolean;
}

/** A TCP/UDP port. */
export const PORT: ValueRule = { integer: true, min: 0, max: 65535 };
/** A positive whole number (a size in GB, a count). */
export const POSITIVE: ValueRule = { integer: true, min: 1 };
/** A whole number ≥ 0. */
export const COUNT: ValueRule = { integer: true, min: 0 };
/** A non-empty text (a name). */
export const NON_EMPTY: ValueRule = { nonEmpty: true };

/** What a rule asks for, e.g. `a whole number from 0 to 65535`, `a positive whole number`. */
function wanted(rule: ValueRule): string {
  const kind = rule.integer ? 'whole number' : 'number';
  if (rule.min !== undefined && rule.max !== undefined) return `a ${kind} from ${rule.min} to ${rule.max}`;
  if (rule.min === 1 && rule.integer) return 'a positive whole number';
  if (rule.min !== undefined) return `a ${kind} of at least ${rule.min}`;
  if (rule.max !== undefined) return `a ${kind} of at most ${rule.max}`;
  return `a ${kind}`;
}

/** The problem with `value` under `rule` (words after the attribute's name), or undefined when it passes. */
export function breaksRule(rule: ValueRule, value: unknown): string | undefined {
  if (rule.nonEmpty && typeof value === 'string' && value.trim() === '') return 'must not be empty';
  if (typeof value !== 'number') return undefined;
  const out = (rule.integer && !Number.isInteger(value)) || (rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max);
  return out ? `must be ${wanted(rule)}, got ${value}` : undefined;
}

/** What a step's item builder is told besides the values: the reason sent with the write. */
export interface StepContext {
  /** The `reason` of the apply (`mixcoatl apply` by default). */
  reason: string;
  /** The object as listed at plan time (an update's; none for a create). */
  current?: Readonly<Record<string, unknown>>;
}

/**
 * Builds the item an action sends (the members of `{ <operation>: [item] }`, or a DELETE's query)
 * from a record's attributes in wire form (references as `{ <idKey>: id }`, ids of objects the same
 * apply creates as placeholders, passed through untouched). Pure: no request, no state.
 */
export type ItemBuilder = (values: Readonly<Record<string, unknown>>, context: StepContext) => Record<string, unknown>;

/** Something the API does not offer, and why (shown by name: "X cannot be created: <why>"). */
export interface Refusal {
  refused: string;
}

/** How an object is created. */
export interface CreateDeclaration {
  /** The `@action` method (a POST on a new object) that creates it; its `sends` are the attributes a new object takes. */
  action: string;
  /** The item sent, from the attributes given (default: those attributes as they are). */
  item?: ItemBuilder;
  /** Why a creation cannot be undone, when the type has a delete that still does not undo it. */
  noUndo?: string;
}

/** One operation that changes attributes of an existing object. */
export interface UpdateDeclaration {
  /** The `@action` method (a PUT) that sends the change. */
  action: string;
  /** The attributes it changes (any of them, sparse: only those that differ are sent). */
  attributes: readonly string[];
  /** The item sent, from the changed attributes (default: those attributes as they are). */
  item?: ItemBuilder;
  /** The kind of step shown in plans (default `update`; an attachment is `attach`). */
  kind?: 'update' | 'attach';
  /**
   * How the step is undone. Default: the same action with the values read at plan time (a
   * previous value that was empty cannot be restored, and the step is then marked). An action
   * names another operation (`detach` undoes `attach`), with the words the plan shows.
   */
  undo?: { action: string; how: string; item?: ItemBuilder } | Refusal;
  /**
   * The operation only adds members to its list attributes (a grant): a list counts as changed
   * when it lacks a wanted member, and one holding members that are not wanted is refused, naming
   * them (the API cannot remove them).
   */
  additive?: boolean;
  /**
   * The change is only made where the attribute (the first of `attributes`) holds nothing yet;
   * otherwise the record is refused with this sentence, where `{current}` is the value held
   * (e.g. `the volume is attached to Server {current}; detach it first`).
   */
  onlyFromEmpty?: string;
}

/** How an object is deleted. */
export interface DeleteDeclaration {
  /** The `@action` method (a DELETE) that deletes it. */
  action: string;
  /** The query sent (default `{ reason }` when the action's operation is `reason`, else none). */
  query?: ItemBuilder;
  /** The words of a plan for undoing a creation by this delete (default `delete the <Type>`). */
  how?: string;
}

/**
 * How a record finds its object among the live ones:
 * - `name`: by its unique `name` (or `key`), among the objects listed `within` a scope if given, or by its id;
 * - `parent`: within the object its `parent` attribute references (listed with the parent's id as
 *   filter), by the `match` attributes given (`index`: the attributes a new object always has, by
 *   which candidates are grouped; they must be among `match`), or by its id;
 * - `id`: by its id only (names are not unique).
 */
export type Identity =
  | {
      by: 'name';
      /** The attribute that is unique (default `name`; a user's is `email`). */
      key?: string;
      /** A reference attribute the type is listed within (its target's id is the listing's filter: a network's `region`); records must give it. */
      within?: string;
    }
  | { by: 'id' }
  | { by: 'parent'; parent: string; match: readonly string[]; index: readonly string[] };

/** What `@lifecycle` declares (see the module note). */
export interface LifecycleDeclaration {
  create: CreateDeclaration | Refusal;
  /** Operations on an existing object (none: nothing of an existing object can be changed). */
  updates?: readonly UpdateDeclaration[];
  delete: DeleteDeclaration | Refusal;
  identity: Identity;
  /** Attributes with a fixed set of values. */
  enums?: Readonly<Record<string, readonly string[]>>;
  /** Rules on attribute values (ranges, whole numbers, non-empty texts). */
  rules?: Readonly<Record<string, ValueRule>>;
  /** Whether a listed object counts as gone (default: status TERMINATED or DELETED). */
  gone?: (item: Readonly<Record<string, unknown>>) => boolean;
  /** Attributes whose values are secrets: sent, never shown, journaled or exported. */
  secrets?: readonly string[];
  /** Why an attribute cannot be changed on an existing object, where the API has a reason (default: no operation updates it). */
  fixed?: Readonly<Record<string, string>>;
  /**
   * How a value is compared, where the API answers another form than the one sent (a quota sent as
   * `100` reads `{ value: 100, currency: 'USD' }`): both sides pass through it first.
   */
  compareAs?: Readonly<Record<string, (value: unknown) => unknown>>;
}

/** A declaration as read: the class's metadata and its resolved actions, ready for a planner or an exporter. */
export interface Lifecycle {
  /** The class name, e.g. `Server`. */
  readonly name: string;
  readonly meta: ResourceMeta;
  readonly create: (CreateDeclaration & { decl: ActionMeta }) | Refusal;
  readonly updates: ReadonlyArray<UpdateDeclaration & { decl: ActionMeta; undoDecl?: ActionMeta }>;
  readonly delete: (DeleteDeclaration & { decl: ActionMeta }) | Refusal;
  readonly identity: Identity;
  readonly enums: Readonly<Record<string, readonly string[]>>;
  readonly rules: Readonly<Record<string, ValueRule>>;
  /** Whether a listed object counts as gone. */
  readonly gone: (item: Readonly<Record<string, unknown>>) => boolean;
  readonly secrets: readonly string[];
  readonly fixed: Readonly<Record<string, string>>;
  /** How values are compared, per attribute (see {@link LifecycleDeclaration.compareAs}). */
  readonly compareAs: Readonly<Record<string, (value: unknown) => unknown>>;
  /**
   * The attributes a record may give, in order: the create's `sends`, then those of the updates,
   * then those that identify an object (its name, scope or parent and match attributes) — what an
   * export writes, secrets and write-only ones excepted.
   */
  readonly settable: readonly string[];
}

/** Whether a part of a declaration is a refusal. */
export function isRefusal(part: object): part is Refusal {
  return Object.hasOwn(part, 'refused');
}

const DECLARED = Symbol('mixcoatl.lifecycle');
const READ = Symbol('mixcoatl.lifecycle.read');

/** Declares how `apply()` manages the class (see the module note). */
export function lifecycle(declaration: LifecycleDeclaration): ClassDecorator {
  return (cls) => {
    Object.defineProperty(cls, DECLARED, { value: declaration, enumerable: false });
  };
}

function fail(meta: ResourceMeta, problem: string): never {
  throw new MetadataError({ message: `${meta.name}: @lifecycle ${problem}` });
}

function actionOf(meta: ResourceMeta, name: string, method: string, what: string): ActionMeta {
  const decl = meta.actions.find((a) => a.name === name);
  if (!decl) fail(meta, `${what} names "${name}", which is not an @action of the class`);
  if (decl.method !== method) fail(meta, `${what} "${name}" must be a ${method} action, it is a ${decl.method}`);
  return decl;
}

/** The declaration recorded on exactly this class, validated (undefined when it declares none). */
export function lifecycleOf(cls: Function): Lifecycle | undefined {
  if (Object.hasOwn(cls, READ)) return (cls as unknown as Record<symbol, Lifecycle>)[READ];
  const declaration = Object.hasOwn(cls, DECLARED) ? (cls as unknown as Record<symbol, LifecycleDeclaration>)[DECLARED] : undefined;
  if (!declaration) return undefined;
  const meta = metaOf(cls);
  const attribute = (key: string, what: string): void => {
    if (!meta.attributes.has(key)) fail(meta, `${what} "${key}", which is not a declared attribute`);
  };
  const create = isRefusal(declaration.create) ? declaration.create : { ...declaration.create, decl: actionOf(meta, declaration.create.action, 'POST', 'create') };
  if (!isRefusal(create) && create.decl.signature.receiver !== 'new') fail(meta, `create "${create.action}" must be an action on a new object (receiver 'new'), it acts on an existing one`);
  const updates = (declaration.updates ?? []).map((u) => {
    const decl = actionOf(meta, u.action, 'PUT', 'update');
    if (!u.attributes.length) fail(meta, `update "${u.action}" changes no attribute`);
    for (const key of u.attributes) attribute(key, `update "${u.action}" changes`);
    const undoDecl = u.undo && !isRefusal(u.undo) ? actionOf(meta, u.undo.action, 'PUT', `undo of "${u.action}"`) : undefined;
    return { ...u, decl, undoDecl };
  });
  const del = isRefusal(declaration.delete) ? declaration.delete : { ...declaration.delete, decl: actionOf(meta, declaration.delete.action, 'DELETE', 'delete') };
  const identity = declaration.identity;
  if (identity.by === 'name') {
    attribute(identity.key ?? 'name', 'identity by name needs');
    if (identity.within !== undefined && !meta.attributes.get(identity.within)?.reference) fail(meta, `identity within "${identity.within}": it must be a @reference`);
  }
  if (identity.by === 'parent') {
    attribute(identity.parent, 'identity names the parent');
    if (!meta.attributes.get(identity.parent)?.reference) fail(meta, `identity's parent "${identity.parent}" must be a @reference`);
    for (const key of identity.match) attribute(key, 'identity matches');
    for (const key of identity.index) if (!identity.match.includes(key)) fail(meta, `identity index "${key}" must be one of its match attributes`);
  }
  for (const key of Object.keys(declaration.enums ?? {})) attribute(key, 'enumerates');
  for (const key of Object.keys(declaration.rules ?? {})) attribute(key, 'has a rule on');
  for (const key of declaration.secrets ?? []) attribute(key, 'names as a secret');
  for (const key of Object.keys(declaration.fixed ?? {})) attribute(key, 'says why it cannot change');
  for (const key of Object.keys(declaration.compareAs ?? {})) attribute(key, 'compares');
  const settable: string[] = [];
  const sends = isRefusal(create) ? [] : [...create.decl.sends.required, ...create.decl.sends.optional];
  const identifying = identity.by === 'name' ? [identity.key ?? 'name', ...(identity.within ? [identity.within] : [])] : identity.by === 'parent' ? [identity.parent, ...identity.match] : [];
  for (const key of [...sends, ...updates.flatMap((u) => u.attributes), ...identifying]) if (!settable.includes(key)) settable.push(key);
  const read: Lifecycle = {
    name: meta.name,
    meta,
    create,
    updates,
    delete: del,
    identity,
    enums: declaration.enums ?? {},
    rules: declaration.rules ?? {},
    gone: declaration.gone ?? ((item) => !isLive(item as Record<string, unknown>)),
    secrets: declaration.secrets ?? [],
    fixed: declaration.fixed ?? {},
    compareAs: declaration.compareAs ?? {},
    settable,
  };
  Object.defineProperty(cls, READ, { value: read, enumerable: false });
  return read;
}

/** Every resource class that declares a lifecycle, in declaration order. */
export function managedTypes(): Lifecycle[] {
  return allResources().flatMap((meta) => lifecycleOf(meta.cls) ?? []);
}

/** A managed type by class name (exact spelling), if it declares a lifecycle. */
export function managedType(name: string): Lifecycle | undefined {
  return managedTypes().find((l) => l.name === name);
}

/** Classes that declare `@action`s (writes) but no lifecycle: apply cannot manage them. */
export function undeclaredWriters(): ResourceMeta[] {
  return allResources().filter((meta) => meta.actions.length > 0 && !lifecycleOf(meta.cls));
}

/** The enumeration of `key`, if it has one (own members only: `toString` is no attribute). */
export function enumOf(type: Lifecycle, key: string): readonly string[] | undefined {
  return Object.hasOwn(type.enums, key) ? type.enums[key] : undefined;
}

/** The value rule of `key`, if it has one (own members only). */
export function ruleOf(type: Lifecycle, key: string): ValueRule | undefined {
  return Object.hasOwn(type.rules, key) ? type.rules[key] : undefined;
}
