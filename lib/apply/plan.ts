/**
 * Planning of `apply()`: one validation pass over every record (types, actions, attribute names
 * and types, enumerations, value ranges, local references, unique names), then the reads it needs
 * (names given for references; one listing per type; the rules of each existing firewall) and the
 * checks they allow (references by id, required attributes of new objects); every problem of
 * every record is reported together in one ValidationError. The plan is the exact ordered list of
 * requests, each with the steps it waits for and how it is undone, plus the records that change
 * nothing. Planning sends no write.
 *
 * Cost: O(n log n) in the records and their references (indexes by id and by name, and a
 * priority queue for the order), so 100k records plan in seconds; at most {@link MAX_RECORDS}.
 */
import { NotFoundError, ValidationError } from '../errors.js';
import { perform, parseJsonBody, extractCollection } from '../http/client.js';
import type { Endpoint } from '../endpoint.js';
import type { HttpMethod } from '../http/wire.js';
import { Lookup, idOf, referenceTo, referencesTo } from '../orm/ids.js';
import { hasLookups, lookupCache, resolveLookups } from '../orm/lookups.js';
import { referenceTarget, type ResourceMeta } from '../orm/registry.js';
import { hasType, type AttributeMeta } from '../orm/metadata.js';
import type { Id } from '../orm/state.js';
import { applyTypes, breaksRule, enumOf, metaFor, ruleOf, type ApplyType } from './types.js';
import { stepChanges, type AttributeChange } from './changes.js';

/** The most records one apply takes (files are also bounded in bytes: lib/apply/file.ts). */
export const MAX_RECORDS = 250_000;

/** A record as given: its type, action, local name and identity, and sparse attributes. */
export type ApplyRecord = Record<string, unknown>;

/** A reference to an object the same apply creates (`"@web-fw"`); in JSON it stays `"@web-fw"`. */
export class LocalRef {
  /** `name`: the record's local name (`__name__` / `ref`), without the `@`. */
  constructor(readonly name: string) {}
  /** `"@name"`, as the plan prints it. */
  toJSON(): string {
    return `@${this.name}`;
  }
  /** `@name`. */
  toString(): string {
    return `@${this.name}`;
  }
}

/** What a step does: create an object, update one, attach a volume, or delete an object. */
export type StepKind = 'create' | 'update' | 'attach' | 'delete';

/** One request of the plan. `body`/`path` hold `"@name"` where an id created earlier goes. */
export interface PlanStep {
  /** 1-based position in the order of execution. */
  step: number;
  /** 0-based index of the record it comes from. */
  record: number;
  /** e.g. `Volume data-1`. */
  label: string;
  kind: StepKind;
  method: HttpMethod;
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** Steps that must succeed first (they create what this one refers to). */
  after: number[];
  /** How it is undone, or null when it cannot be. */
  undo: { how: string; method: HttpMethod; path: string; query?: Record<string, string>; body?: Record<string, unknown> } | null;
  /** Why it cannot be undone (when `undo` is null). */
  noUndo?: string;
  /** The attributes it changes, `current → desired` (lib/apply/changes.ts); set on the steps of a {@link Plan}. */
  changes?: AttributeChange[];
}

/** The plan of an apply: the exact ordered requests, and the records that change nothing. */
export interface Plan {
  steps: PlanStep[];
  /**
   * Why writing this plan needs `allowIrreversible`: one sentence per step that cannot be undone
   * and has steps after it, which stays if one of them fails (empty when there is none). A dry
   * run shows the plan all the same.
   */
  irreversible: string[];
  /** Records that change nothing (already as wanted, or a delete of what is absent). */
  unchanged: Array<{ record: number; label: string; why: string }>;
  /** True when there is nothing to send. */
  noChanges: boolean;
}

/** Internal: a step with what execution needs. */
export interface StepInternal extends PlanStep {
  type: ApplyType;
  /** The object's id or the local name it gets. */
  target: Id | LocalRef;
  /** Local name the step's created object answers to (creates). */
  creates?: string;
  /** The object's state at plan time (updates, deletes). */
  before?: Record<string, unknown>;
  collectionPath: string;
}

export interface Planned {
  plan: Plan;
  steps: StepInternal[];
  /** Per record: the id (known or created) of its object, for the final read-back. */
  targets: Array<{ type: ApplyType; target: Id | LocalRef | undefined; action: 'set' | 'delete' }>;
}

/** How a plan is made: where to read, and whether steps that cannot be undone may be followed by others. */
export interface PlanOptions {
  /** The endpoint of every read and write (default: the configured one). */
  endpoint?: Endpoint;
  /** Accept steps that cannot be undone with fallible steps after them. */
  allowIrreversible?: boolean;
  /** The `reason` sent with deletes (default `mixcoatl apply`). */
  reason?: string;
  /** Aborting stops planning at once (checked between records and reads): it rejects with the signal's reason. */
  signal?: AbortSignal;
}

interface Normal {
  index: number;
  label: string;
  type: ApplyType;
  meta: ResourceMeta;
  action: 'set' | 'delete';
  ref: string;
  userRef: boolean;
  id?: Id;
  /** The attributes given (own members only; the id is not one of them). */
  attrs: Record<string, unknown>;
  /** Attributes already reported as wrong (not reported again as missing). */
  bad: Set<string>;
  /** Its identity is wrong: it takes no part in matching against the current state. */
  broken: boolean;
}

const META_KEYS = new Map<string, 'type' | 'action' | 'ref' | 'id'>([
  ['__type__', 'type'], ['type', 'type'], ['__action__', 'action'], ['action', 'action'], ['__name__', 'ref'], ['ref', 'ref'], ['__id__', 'id'], ['id', 'id'],
]);
const VOLUME_ATTACH = ['server', 'deviceId'];

function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value as a message shows it: JSON, except numbers JSON cannot hold (`1e400` parses to Infinity). */
function shown(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return `${String(value)} (not a finite number)`;
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

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

/** Same value once references are reduced to ids (lists of references compared as sets). */
function canonical(value: unknown, target: ResourceMeta | undefined): string {
  if (target?.idKey) {
    const idOfItem = (v: unknown): unknown => (isPlain(v) ? v[target.idKey as string] : v);
    if (Array.isArray(value)) return JSON.stringify(value.map(idOfItem).map(String).sort());
    return JSON.stringify(idOfItem(value) ?? null);
  }
  return JSON.stringify(value ?? null);
}

/** Normalises and checks every record; collects every problem. */
function normalise(records: readonly ApplyRecord[], problems: string[]): Normal[] {
  const types = applyTypes();
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
      problems.push(`${at}: ${typeName === undefined ? 'no type (give "type" or "__type__")' : `unknown type ${shown(typeName)}`}; apply manages ${[...types.keys()].join(', ')}`);
      return;
    }
    const action = metaValues.get('action') ?? 'set';
    if (action !== 'set' && action !== 'delete') {
      problems.push(`${at}: action must be "set" or "delete", got ${shown(action)}`);
      return;
    }
    const meta = metaFor(type);
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
      if ((typeof idValue === 'number' && Number.isSafeInteger(idValue) && idValue > 0) || (typeof idValue === 'string' && /^\d+$/.test(idValue) && Number(idValue) > 0 && Number.isSafeInteger(Number(idValue)))) id = Number(idValue);
      else {
        problems.push(`${at}: the id must be a positive whole number, got ${shown(idValue)}`);
        broken = true;
      }
    }
    const name = typeof attrs.name === 'string' && attrs.name !== '' ? attrs.name : undefined;
    const label = `${type.name} ${name ?? (userRef ? ref : id !== undefined ? String(id) : `(record ${index + 1})`)}`;
    out.push({ index, label, type, meta, action, ref, userRef, id, attrs, bad: new Set(), broken });
  });
  return out;
}

/** The class an attribute refers to (a reference, or the id of another resource), memoised: no copy per record. */
const TARGETS = new WeakMap<AttributeMeta, ResourceMeta | null>();
function targetOf(meta: ResourceMeta, attr: AttributeMeta | undefined): ResourceMeta | undefined {
  if (!attr) return undefined;
  let target = TARGETS.get(attr);
  if (target === undefined) {
    target = attr.reference ? referenceTarget(meta.cls, attr) : attr.idOf ? referenceTarget(meta.cls, { ...attr, reference: { target: attr.idOf, many: false } }) : null;
    TARGETS.set(attr, target);
  }
  return target ?? undefined;
}

/** The id inside a converted reference (`{ <idKey>: id }`, or the bare id of an `idOf` attribute). */
function idInside(value: unknown, idKey: string): unknown {
  return isPlain(value) ? value[idKey] : value;
}

/** Checks attribute names, types, enumerations and value rules; converts values to their wire form. */
function convert(rec: Normal, byRef: Map<string, Normal>, problems: string[]): Record<string, unknown> {
  const at = `record ${rec.index + 1} (${rec.label})`;
  const wire: Record<string, unknown> = {};
  const bad = (key: string, problem: string): void => {
    rec.bad.add(key);
    problems.push(problem);
  };
  if (rec.action === 'delete') {
    const extra = Object.keys(rec.attrs).filter((k) => k !== 'name' && !(rec.type.name === 'FirewallRule'));
    if (extra.length) problems.push(`${at}: a delete takes only its identity (id or name), not ${extra.join(', ')}`);
  }
  for (const [key, value] of Object.entries(rec.attrs)) {
    const attachKey = rec.type.name === 'Volume' && VOLUME_ATTACH.includes(key);
    const attr = rec.meta.attributes.get(key);
    if (!attachKey && (!attr || !attr.settable)) {
      const settable = [...rec.meta.attributes.values()].filter((a) => a.settable).map((a) => a.name);
      if (rec.type.name === 'Volume') settable.push(...VOLUME_ATTACH);
      bad(key, `${at}: ${attr ? `"${key}" is read-only` : `unknown attribute "${key}"`}; ${rec.type.name} takes ${settable.join(', ')}`);
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
    const enumeration = enumOf(rec.type, key);
    if (enumeration && !enumeration.includes(value as string)) {
      bad(key, `${at}: "${key}" must be one of ${enumeration.join(', ')}, got ${shown(value)}`);
      continue;
    }
    const targetMeta = key === 'server' && attachKey ? metaFor(applyTypes().get('Server') as ApplyType) : targetOf(rec.meta, attr);
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
          if (l) return attr?.idOf ? l : { [idKey]: l };
          return attr?.idOf ? idOf(targetMeta, v, what, 'id') : referenceTo(targetMeta, v, what, 'id');
        };
        let converted: unknown;
        if (attr?.reference?.many) {
          if (!Array.isArray(value) || !value.length) throw new ValidationError({ message: `${what} must be a non-empty list` });
          converted = value.map((v) => (localName(v) !== undefined ? one(v) : referencesTo(targetMeta, v, what, 'id')[0]));
        } else converted = one(value);
        const ids = (Array.isArray(converted) ? converted : [converted]).map((c) => idInside(c, idKey));
        const notPositive = targetMeta.idType === 'number' ? ids.find((id) => typeof id === 'number' && id <= 0) : undefined;
        if (notPositive !== undefined) bad(key, `${what}: a ${targetMeta.name} id must be a positive whole number, got ${shown(notPositive)}`);
        else wire[key] = converted;
      } else if (attr && !hasType(attr.type, value)) {
        bad(key, `${what} must be ${attr.type === 'array' ? 'an array' : `a ${attr.type}`}, got ${shown(value)}`);
      } else if (key === 'deviceId' && typeof value !== 'string') {
        bad(key, `${what} must be a string such as /dev/sdh, got ${shown(value)}`);
      } else {
        const rule = ruleOf(rec.type, key);
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
  if (rec.type.named && rec.id === undefined && rec.bad.has('name')) rec.broken = true;
  return wire;
}

async function listType(meta: ResourceMeta, endpoint: Endpoint | undefined, query?: Record<string, string | number>): Promise<Array<Record<string, unknown>>> {
  const outcome = await perform({ method: 'GET', path: meta.path, query, endpoint, reason: 'apply() plan' });
  if (outcome.error) throw outcome.error;
  return extractCollection(parseJsonBody(outcome.response!, outcome.wire), meta.collection, outcome.response!, outcome.wire);
}

function createItem(rec: Normal, wire: Record<string, unknown>, reason: string): Record<string, unknown> {
  const decl = rec.meta.actions.find((a) => a.name === rec.type.createAction)!;
  const item: Record<string, unknown> = {};
  if (rec.type.name === 'FirewallRule') {
    item.firewallId = (wire.firewall as Record<string, unknown> | undefined)?.firewallId;
    for (const key of ['source', 'sourceType', 'destination', 'destinationType', 'direction', 'permission', 'protocol', 'startPort', 'endPort']) if (wire[key] !== undefined) item[key] = wire[key];
    item.reason = reason;
    return item;
  }
  for (const key of [...decl.sends.required, ...decl.sends.optional]) {
    if (wire[key] === undefined) continue;
    if (rec.type.name === 'Server' && key === 'providerProductId') item.product = { productId: wire[key] };
    else item[key] = wire[key];
  }
  return item;
}

function missingRequired(rec: Normal, wire: Record<string, unknown>): string[] {
  const decl = rec.meta.actions.find((a) => a.name === rec.type.createAction)!;
  return decl.sends.required.filter((key) => wire[key] === undefined && !rec.bad.has(key));
}

function sameRule(item: Record<string, unknown>, wire: Record<string, unknown>): boolean {
  for (const key of ['direction', 'source', 'sourceType', 'destination', 'destinationType', 'permission', 'protocol', 'startPort', 'endPort']) {
    if (wire[key] !== undefined && JSON.stringify(item[key]) !== JSON.stringify(wire[key])) return false;
  }
  return true;
}

/** One ValidationError with every problem, by record. */
function refusal(problems: string[]): ValidationError {
  const sorted = problems.map((p, i) => ({ p, i, rank: Number(/^record (\d+)/.exec(p)?.[1] ?? 0) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((x) => x.p);
  return new ValidationError({ message: `apply: ${sorted.length} problem${sorted.length > 1 ? 's' : ''}: ${sorted.join('; ')}`, problems: sorted });
}

/** The public form of a step (no spread: see `add` in planRecords). */
function publicStep(s: StepInternal): PlanStep {
  const out = { step: s.step, record: s.record, label: s.label, kind: s.kind, method: s.method, path: s.path } as PlanStep;
  if (s.query) out.query = s.query;
  if (s.body) out.body = s.body;
  out.after = s.after;
  out.undo = s.undo;
  if (s.noUndo) out.noUndo = s.noUndo;
  out.changes = stepChanges(s);
  return out;
}

/** A binary min-heap. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.before(items[l], items[m])) m = l;
        if (r < items.length && this.before(items[r], items[m])) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Orders steps: dependencies first; of the steps ready, undoable before not undoable, then by
 * record, then as planned; deletions last, once every other step is placed. Kahn's algorithm
 * with a priority queue keyed (rank, record, position): O(n log n + dependencies).
 */
function order(steps: StepInternal[], signal: AbortSignal | undefined): StepInternal[] {
  const rank = (s: StepInternal): number => (s.kind === 'delete' ? 2 : s.undo === null ? 1 : 0);
  const keys = steps.map((s, i) => ({ rank: rank(s), record: s.record, i }));
  const before = (a: number, b: number): boolean => {
    const x = keys[a];
    const y = keys[b];
    return x.rank !== y.rank ? x.rank < y.rank : x.record !== y.record ? x.record < y.record : x.i < y.i;
  };
  const waiting = steps.map((s) => s.after.length);
  const dependents: number[][] = steps.map(() => []);
  steps.forEach((s, i) => s.after.forEach((d) => dependents[d].push(i)));
  const ready = new Heap<number>(before);
  const deletes = new Heap<number>(before);
  let others = 0;
  steps.forEach((s, i) => {
    if (s.kind !== 'delete') others++;
    if (waiting[i] === 0) (s.kind === 'delete' ? deletes : ready).push(i);
  });
  const out: StepInternal[] = [];
  while (out.length < steps.length) {
    if (out.length % 4096 === 0) signal?.throwIfAborted();
    const next = ready.size ? ready.pop() : others === 0 ? deletes.pop() : undefined;
    if (next === undefined) throw new Error(`internal: the steps of the plan wait for each other (${steps.length - out.length} left)`);
    const step = steps[next];
    if (step.kind !== 'delete') others--;
    out.push(step);
    for (const d of dependents[next]) if (--waiting[d] === 0) (steps[d].kind === 'delete' ? deletes : ready).push(d);
  }
  return out;
}

/** Live objects of one listing, by id and by name. */
interface Index {
  byId: Map<number, Record<string, unknown>>;
  byName: Map<unknown, Array<Record<string, unknown>>>;
}

function indexOf(items: ReadonlyArray<Record<string, unknown>>, idKey: string, live: (item: Record<string, unknown>) => boolean): Index {
  const byId = new Map<number, Record<string, unknown>>();
  const byName = new Map<unknown, Array<Record<string, unknown>>>();
  for (const item of items) {
    if (!live(item)) continue;
    byId.set(Number(item[idKey]), item);
    const same = byName.get(item.name);
    if (same) same.push(item);
    else byName.set(item.name, [item]);
  }
  return { byId, byName };
}

/** The members a rule is found by in its firewall's listing, as one key. */
const RULE_KEY = ['direction', 'source', 'protocol'] as const;
function ruleKey(value: Record<string, unknown>): string | undefined {
  return RULE_KEY.every((k) => value[k] !== undefined) ? JSON.stringify(RULE_KEY.map((k) => value[k])) : undefined;
}

/**
 * Why writing the plan needs `allowIrreversible`: the steps that cannot be undone (deletions
 * excepted) with fallible steps after them, one sentence each. `ordered` is in step order.
 */
function irreversibleSteps(ordered: readonly StepInternal[]): string[] {
  const dependents = new Map<number, number[]>();
  for (const o of ordered) for (const a of o.after) (dependents.get(a) ?? dependents.set(a, []).get(a)!).push(o.step);
  const lines: string[] = [];
  for (const s of ordered) {
    if (s.undo !== null || s.kind === 'delete') continue;
    const followers = ordered.length - s.step;
    if (followers <= 0) continue;
    const need = (dependents.get(s.step) ?? []).sort((a, b) => a - b);
    lines.push(`step ${s.step} (${s.method} ${s.path}, ${s.kind} ${s.label}) cannot be undone (${s.noUndo ?? 'no inverse'}) and ${followers} step${followers > 1 ? 's' : ''} follow${followers > 1 ? '' : 's'} it${need.length ? ` (${need.join(', ')} need${need.length > 1 ? '' : 's'} it)` : ''}: if one of them fails, it stays`);
  }
  return lines;
}

/** The refusal to write a plan with {@link Plan.irreversible} steps without `allowIrreversible`. */
export function irreversibleRefusal(plan: Plan): ValidationError {
  return new ValidationError({
    message: `apply: the plan has steps that cannot be undone before steps that may fail: ${plan.irreversible.join('; ')}. Pass allowIrreversible (dcm apply --allow-irreversible) to accept this, or apply those objects on their own first`,
    problems: plan.irreversible,
  });
}

/** Internal: run by planning once the records are valid, before its first read. */
export interface PlanHooks {
  beforeReads?: () => Promise<void>;
}

/**
 * Validates `records` and computes the plan against the current state (reads only). Throws one
 * ValidationError listing every problem, or the signal's reason when `options.signal` aborts.
 */
export async function planRecords(records: readonly ApplyRecord[], options: PlanOptions = {}, hooks: PlanHooks = {}): Promise<Planned> {
  if (!Array.isArray(records)) throw new ValidationError({ message: 'apply() takes a list of records' });
  if (records.length === 0) throw new ValidationError({ message: 'apply: no records: the input holds no record to apply' });
  if (records.length > MAX_RECORDS) throw new ValidationError({ message: `apply: ${records.length.toLocaleString('en')} records; at most ${MAX_RECORDS.toLocaleString('en')} are taken at once (split the input)` });
  const signal = options.signal;
  const check = (): void => signal?.throwIfAborted();
  check();
  const reason = options.reason ?? 'mixcoatl apply';
  const problems: string[] = [];
  const normal = normalise(records, problems);
  check();
  const byRef = new Map(normal.map((r) => [r.ref, r]));
  let wires = normal.map((rec) => convert(rec, byRef, problems));
  check();
  // Unique names among the records of one type.
  const names = new Map<string, Normal>();
  for (const rec of normal) {
    if (!rec.type.named || typeof rec.attrs.name !== 'string') continue;
    const key = `${rec.type.name}\u0000${rec.attrs.name}`;
    const other = names.get(key);
    if (other) problems.push(`record ${rec.index + 1}: ${rec.type.name} name "${rec.attrs.name}" is also given by record ${other.index + 1}; names of a ${rec.type.name} must be unique`);
    else names.set(key, rec);
  }
  for (const rec of normal) {
    if (rec.action === 'delete' && rec.type.noDelete) problems.push(`record ${rec.index + 1} (${rec.label}): cannot be deleted: ${rec.type.noDelete}`);
    if (rec.id === undefined && !rec.broken && (!rec.type.named || typeof rec.attrs.name !== 'string') && rec.type.name !== 'FirewallRule') {
      problems.push(`record ${rec.index + 1} (${rec.label}): give its id${rec.type.named ? ' or its name' : ''}`);
      rec.broken = true;
    }
    if (rec.type.name === 'FirewallRule' && rec.id === undefined && rec.attrs.firewall === undefined) {
      problems.push(`record ${rec.index + 1} (${rec.label}): a rule without an id needs its firewall`);
      rec.broken = true;
    }
  }
  // What earlier runs left unfinished is settled before the first read, unless the records are refused already.
  if (!problems.length) await hooks.beforeReads?.();

  // Names given for references: one listing per type and scope, each name once, every problem together.
  const cache = lookupCache();
  for (const [i, wire] of wires.entries()) {
    if (!hasLookups(wire)) continue;
    check();
    try {
      wires[i] = await resolveLookups(wire, { endpoint: options.endpoint, sources: [wire], what: `record ${normal[i].index + 1} (${normal[i].label})`, cache });
    } catch (error) {
      const at = `record ${normal[i].index + 1}`;
      const within = (p: string): string => (p.startsWith(`${at} `) ? p : `${at} (${normal[i].label}): ${p}`);
      if (error instanceof ValidationError) problems.push(...error.problems.map(within));
      // Names that match nothing (a NotFoundError of the lookup, not of the API).
      else if (error instanceof NotFoundError && error.statusCode === undefined) problems.push(within(error.message));
      else throw error;
      normal[i].broken = true;
    }
  }

  // The current state: one listing per type; the rules of each existing firewall.
  const listings = new Map<string, Index>();
  const list = async (type: ApplyType): Promise<void> => {
    if (listings.has(type.name)) return;
    check();
    const meta = metaFor(type);
    listings.set(type.name, indexOf(await listType(meta, options.endpoint), meta.idKey as string, type.live));
    check();
  };
  const referenced = (rec: Normal, key: string): ApplyType | undefined => {
    const attr = rec.meta.attributes.get(key);
    const target = key === 'server' && rec.type.name === 'Volume' ? 'Server' : attr?.reference ? targetOf(rec.meta, attr)?.name : undefined;
    return target === undefined ? undefined : applyTypes().get(target);
  };
  const typesUsed = new Set<ApplyType>();
  for (const [i, rec] of normal.entries()) {
    typesUsed.add(rec.type.name === 'FirewallRule' ? (applyTypes().get('Firewall') as ApplyType) : rec.type);
    // References by id to objects of the types apply manages must name existing ones.
    for (const key of Object.keys(wires[i])) {
      const type = referenced(rec, key);
      if (type && type.name !== 'FirewallRule') typesUsed.add(type);
    }
  }
  for (const type of applyTypes().values()) if (typesUsed.has(type)) await list(type);
  for (const [i, rec] of normal.entries()) {
    for (const [key, value] of Object.entries(wires[i])) {
      const type = referenced(rec, key);
      const index = type ? listings.get(type.name) : undefined;
      if (!type || !index) continue;
      const idKey = metaFor(type).idKey as string;
      for (const ref of Array.isArray(value) ? value : [value]) {
        const id = isPlain(ref) ? ref[idKey] : undefined;
        if (typeof id === 'number' && !index.byId.has(id)) problems.push(`record ${rec.index + 1} (${rec.label}): ${key}: no ${type.name} ${id}`);
      }
    }
  }
  const existing = new Map<Normal, Record<string, unknown> | undefined>();
  for (const rec of normal) {
    if (rec.type.name === 'FirewallRule' || rec.broken) continue;
    const idKey = rec.meta.idKey as string;
    const index = listings.get(rec.type.name) as Index;
    let found: Record<string, unknown> | undefined;
    if (rec.id !== undefined) {
      found = index.byId.get(Number(rec.id));
      if (!found && rec.action === 'set') problems.push(`record ${rec.index + 1} (${rec.label}): no ${rec.type.name} ${rec.id}`);
      else if (found && typeof rec.attrs.name === 'string' && found.name !== rec.attrs.name && rec.action === 'delete') problems.push(`record ${rec.index + 1}: ${rec.type.name} ${rec.id} is named "${String(found.name)}", not "${rec.attrs.name}"`);
    } else {
      const matches = index.byName.get(rec.attrs.name) ?? [];
      if (matches.length > 1) problems.push(`record ${rec.index + 1} (${rec.label}): ${matches.length} ${rec.type.name}s are named "${String(rec.attrs.name)}" (${matches.map((m) => String(m[idKey])).join(', ')}); give the id`);
      found = matches.length === 1 ? matches[0] : undefined;
    }
    existing.set(rec, found);
  }
  // References to records whose object exists already: its id.
  const known = new Map<string, Id>();
  for (const rec of normal) {
    const found = existing.get(rec);
    if (found && rec.meta.idKey) known.set(rec.ref, Number(found[rec.meta.idKey]));
  }
  // (A copy only where something changes.)
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
  wires = wires.map((wire) => settle(wire) as Record<string, unknown>);
  check();
  // Rules: listed per existing firewall, found by their members.
  const ruleLists = new Map<number, { all: Array<Record<string, unknown>>; byId: Map<number, Record<string, unknown>>; byKey: Map<string, Array<Record<string, unknown>>> }>();
  const ruleMeta = metaFor(applyTypes().get('FirewallRule')!);
  const firewalls = listings.get('Firewall');
  for (const [i, rec] of normal.entries()) {
    if (rec.type.name !== 'FirewallRule' || rec.broken) continue;
    const fw = (wires[i].firewall as Record<string, unknown> | undefined)?.firewallId;
    let firewallId: number | undefined = typeof fw === 'number' ? fw : undefined;
    if (fw instanceof LocalRef) {
      const owner = byRef.get(fw.name);
      const found = owner ? existing.get(owner) : undefined;
      firewallId = found ? Number(found.firewallId) : undefined;
      if (found) wires[i] = { ...wires[i], firewall: { firewallId } };
    } else if (firewallId !== undefined && !firewalls?.byId.has(firewallId)) {
      problems.push(`record ${rec.index + 1} (${rec.label}): no Firewall ${firewallId}`);
      firewallId = undefined;
    }
    if (firewallId === undefined) {
      existing.set(rec, undefined);
      continue;
    }
    let rules = ruleLists.get(firewallId);
    if (!rules) {
      check();
      const all = await listType(ruleMeta, options.endpoint, { firewallId });
      rules = { all, byId: new Map(), byKey: new Map() };
      for (const r of all) {
        rules.byId.set(Number(r.firewallRuleId), r);
        const key = ruleKey(r);
        if (key !== undefined) (rules.byKey.get(key) ?? rules.byKey.set(key, []).get(key)!).push(r);
      }
      ruleLists.set(firewallId, rules);
    }
    const key = ruleKey(wires[i]);
    const candidates = key === undefined ? rules.all : (rules.byKey.get(key) ?? []);
    const found = rec.id !== undefined ? rules.byId.get(Number(rec.id)) : candidates.find((r) => sameRule(r, wires[i]));
    if (!found && rec.id !== undefined && rec.action === 'set') problems.push(`record ${rec.index + 1} (${rec.label}): no FirewallRule ${rec.id} in Firewall ${firewallId}`);
    existing.set(rec, found);
  }
  check();

  // Steps.
  const steps: StepInternal[] = [];
  const unchanged: Plan['unchanged'] = [];
  const createdBy = new Map<string, number>();
  const targets: Planned['targets'] = [];
  const pendingDeps: Array<{ self: number; refs: string[] }> = [];
  const refsIn = (value: unknown, out: string[] = []): string[] => {
    if (value instanceof LocalRef) out.push(value.name);
    else if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
    else if (isPlain(value)) Object.values(value).forEach((v) => refsIn(v, out));
    return out;
  };
  // Every step is made here, with the same members in the same order (no object spread: V8 makes
  // each such copy slowly, which 100k steps feel).
  type StepFields = Pick<StepInternal, 'kind' | 'method' | 'path' | 'target' | 'undo'> & Partial<Pick<StepInternal, 'query' | 'body' | 'creates' | 'before' | 'noUndo'>>;
  const add = (rec: Normal, f: StepFields, refs: string[]): number => {
    const step: StepInternal = {
      step: 0, record: rec.index, label: rec.label, kind: f.kind, method: f.method, path: f.path, query: f.query, body: f.body, after: [], undo: f.undo, noUndo: f.noUndo,
      type: rec.type, target: f.target, creates: f.creates, before: f.before, collectionPath: rec.meta.path,
    };
    const self = steps.push(step) - 1;
    pendingDeps.push({ self, refs });
    return self;
  };
  const objPath = (meta: ResourceMeta, target: Id | LocalRef): string => `${meta.path}/${target instanceof LocalRef ? target.toString() : encodeURIComponent(String(target))}`;
  const undoDelete = (meta: ResourceMeta, target: Id | LocalRef, how: string): PlanStep['undo'] => ({ how, method: 'DELETE', path: objPath(meta, target), query: { reason: `${reason} (undo)` } });

  for (const [i, rec] of normal.entries()) {
    if (i % 4096 === 0) check();
    if (rec.broken) continue;
    const wire = wires[i];
    const found = existing.get(rec);
    const idKey = rec.meta.idKey as string;
    if (rec.action === 'delete') {
      if (!found) {
        unchanged.push({ record: rec.index, label: rec.label, why: 'already absent' });
        targets.push({ type: rec.type, target: undefined, action: 'delete' });
        continue;
      }
      const id = Number(found[idKey]);
      targets.push({ type: rec.type, target: id, action: 'delete' });
      add(rec, { kind: 'delete', method: 'DELETE', path: objPath(rec.meta, id), query: { reason }, target: id, before: found, undo: null, noUndo: 'a deletion cannot be undone' }, []);
      continue;
    }
    if (!found) {
      const absent = missingRequired(rec, wire);
      if (absent.length) {
        problems.push(`record ${rec.index + 1} (${rec.label}): creating a ${rec.type.name} needs ${absent.join(', ')}`);
        continue;
      }
      const local = new LocalRef(rec.ref);
      const decl = rec.meta.actions.find((a) => a.name === rec.type.createAction)!;
      const item = createItem(rec, wire, reason);
      const created = add(
        rec,
        {
          kind: 'create', method: 'POST', path: rec.meta.path, body: { [decl.operation]: decl.envelope === 'list' ? [item] : item }, target: local, creates: rec.ref,
          undo: rec.type.noUndoCreate ? null : undoDelete(rec.meta, local, rec.type.name === 'Server' ? 'terminate the server' : `delete the ${rec.type.name}`),
          noUndo: rec.type.noUndoCreate,
        },
        refsIn(item),
      );
      createdBy.set(rec.ref, created);
      targets.push({ type: rec.type, target: local, action: 'set' });
      if (rec.type.name === 'Volume' && wire.server !== undefined) {
        const attachItem: Record<string, unknown> = { server: wire.server };
        if (wire.deviceId !== undefined) attachItem.deviceId = wire.deviceId;
        add(rec, { kind: 'attach', method: 'PUT', path: objPath(rec.meta, local), body: { attach: [attachItem] }, target: local, undo: { how: 'detach the volume', method: 'PUT', path: objPath(rec.meta, local), body: { detach: [{}] } } }, [rec.ref, ...refsIn(attachItem)]);
      }
      continue;
    }
    // An existing object: only what differs.
    const id = Number(found[idKey]);
    targets.push({ type: rec.type, target: id, action: 'set' });
    const changed: string[] = [];
    for (const key of Object.keys(wire)) {
      if (rec.type.name === 'Volume' && VOLUME_ATTACH.includes(key)) continue;
      if (rec.type.name === 'FirewallRule' && key === 'firewall') continue;
      const attr = rec.meta.attributes.get(key);
      if (attr?.writeOnly) continue;
      const target = targetOf(rec.meta, attr);
      const desired = refsIn(wire[key]).length ? null : wire[key];
      if (desired === null || canonical(found[key], target) !== canonical(desired, target)) changed.push(key);
    }
    const stepsBefore = steps.length;
    const stuck = changed.filter((key) => !rec.type.updates.some((u) => u.attributes.includes(key)));
    if (stuck.length) {
      problems.push(`record ${rec.index + 1} (${rec.label}): ${stuck.join(', ')} cannot be changed on an existing ${rec.type.name} (${id}): no API operation updates ${stuck.length > 1 ? 'them' : 'it'}`);
      continue;
    }
    for (const update of rec.type.updates) {
      const keys = changed.filter((k) => update.attributes.includes(k));
      if (!keys.length) continue;
      const item: Record<string, unknown> = {};
      const previous: Record<string, unknown> = {};
      let restorable = true;
      for (const key of keys) {
        item[key] = wire[key];
        const held = found[key];
        if (held === undefined || held === null || held === '') restorable = false;
        previous[key] = Array.isArray(held) ? held.map((g) => (isPlain(g) && g.groupId !== undefined ? { groupId: g.groupId } : g)) : isPlain(held) && key === 'budget' ? held.billingCodeId : held;
      }
      add(
        rec,
        {
          kind: 'update', method: 'PUT', path: objPath(rec.meta, id), body: { [update.operation]: [item] }, target: id, before: found,
          undo: restorable ? { how: `restore ${keys.join(', ')}`, method: 'PUT', path: objPath(rec.meta, id), body: { [update.operation]: [previous] } } : null,
          noUndo: restorable ? undefined : `the previous value of ${keys.join(', ')} was empty and the API cannot clear it`,
        },
        refsIn(item),
      );
    }
    if (rec.type.name === 'Volume' && wire.server !== undefined) {
      const held = isPlain(found.server) ? found.server.serverId : undefined;
      const wanted = (wire.server as Record<string, unknown>).serverId;
      if (wanted instanceof LocalRef || Number(held) !== Number(wanted)) {
        if (held !== undefined && held !== null) {
          problems.push(`record ${rec.index + 1} (${rec.label}): the volume is attached to Server ${String(held)}; detach it first`);
          continue;
        }
        const attachItem: Record<string, unknown> = { server: wire.server };
        if (wire.deviceId !== undefined) attachItem.deviceId = wire.deviceId;
        add(rec, { kind: 'attach', method: 'PUT', path: objPath(rec.meta, id), body: { attach: [attachItem] }, target: id, undo: { how: 'detach the volume', method: 'PUT', path: objPath(rec.meta, id), body: { detach: [{}] } } }, refsIn(attachItem));
      }
    }
    if (steps.length === stepsBefore) unchanged.push({ record: rec.index, label: rec.label, why: 'no changes' });
  }
  if (problems.length) throw refusal(problems);

  // Dependencies (by position before ordering), then the order.
  for (const { self, refs } of pendingDeps) {
    const after = new Set<number>();
    for (const ref of refs) {
      const by = createdBy.get(ref);
      if (by !== undefined && by !== self) after.add(by);
    }
    // An attach waits for the creation of its own volume too (a ref to itself).
    steps[self].after = [...after];
  }
  const ordered = order(steps, signal);
  const position = new Map(ordered.map((s, i) => [s, i + 1]));
  const original = [...steps];
  for (const s of ordered) s.step = position.get(s) as number;
  for (const s of ordered) s.after = s.after.map((i) => position.get(original[i]) as number).sort((a, b) => a - b);

  const plan: Plan = {
    steps: ordered.map(publicStep),
    irreversible: irreversibleSteps(ordered),
    unchanged,
    noChanges: ordered.length === 0,
  };
  return { plan, steps: ordered, targets };
}

export { Lookup };
