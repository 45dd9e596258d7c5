/**
 * Planning of `apply()`: every record is checked first (types, actions, attribute names and
 * types, enumerations, required attributes, local references, unique names, references by name),
 * with every problem reported in one ValidationError; then the current state is read (one listing
 * per type; the rules of each existing firewall), and the plan is the exact ordered list of
 * requests, each with the steps it waits for and how it is undone, plus the records that change
 * nothing. Planning sends no write.
 */
import { ValidationError } from '../errors.js';
import { perform, parseJsonBody, extractCollection } from '../http/client.js';
import type { Endpoint } from '../endpoint.js';
import type { HttpMethod } from '../http/wire.js';
import { Lookup, idOf, referenceTo, referencesTo } from '../orm/ids.js';
import { hasLookups, resolveLookups } from '../orm/lookups.js';
import { referenceTarget, type ResourceMeta } from '../orm/registry.js';
import { hasType } from '../orm/metadata.js';
import type { Id } from '../orm/state.js';
import { applyTypes, metaFor, type ApplyType } from './types.js';

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
}

/** The plan of an apply: the exact ordered requests, and the records that change nothing. */
export interface Plan {
  steps: PlanStep[];
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
  attrs: Record<string, unknown>;
}

const META_KEYS: Record<string, 'type' | 'action' | 'ref' | 'id'> = {
  __type__: 'type', type: 'type', __action__: 'action', action: 'action', __name__: 'ref', ref: 'ref', __id__: 'id', id: 'id',
};
const VOLUME_ATTACH = ['server', 'deviceId'];

function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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
      problems.push(`${at}: must be an object, got ${JSON.stringify(record)}`);
      return;
    }
    const metaValues: Record<string, unknown> = {};
    const attrs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      const role = META_KEYS[key];
      if (role) {
        if (metaValues[role] !== undefined) problems.push(`${at}: ${role} is given twice (${key})`);
        metaValues[role] = value;
      } else attrs[key] = value;
    }
    const typeName = metaValues.type;
    const type = typeof typeName === 'string' ? types.get(typeName) : undefined;
    if (!type) {
      problems.push(`${at}: ${typeName === undefined ? 'no type (give "type" or "__type__")' : `unknown type ${JSON.stringify(typeName)}`}; apply manages ${[...types.keys()].join(', ')}`);
      return;
    }
    const action = metaValues.action ?? 'set';
    if (action !== 'set' && action !== 'delete') {
      problems.push(`${at}: action must be "set" or "delete", got ${JSON.stringify(action)}`);
      return;
    }
    const meta = metaFor(type);
    let ref = `#${index + 1}`;
    let userRef = false;
    if (metaValues.ref !== undefined) {
      if (typeof metaValues.ref !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(metaValues.ref)) {
        problems.push(`${at}: the local name must be letters, digits, "_", "." or "-", got ${JSON.stringify(metaValues.ref)}`);
      } else if (refs.has(metaValues.ref)) {
        problems.push(`${at}: the local name "${metaValues.ref}" is already used by record ${(refs.get(metaValues.ref) as number) + 1}`);
      } else {
        ref = metaValues.ref;
        userRef = true;
        refs.set(ref, index);
      }
    }
    let id: Id | undefined;
    const idValue = metaValues.id ?? (meta.idKey ? attrs[meta.idKey] : undefined);
    if (meta.idKey) delete attrs[meta.idKey];
    if (idValue !== undefined) {
      if ((typeof idValue === 'number' && Number.isSafeInteger(idValue) && idValue > 0) || (typeof idValue === 'string' && /^\d+$/.test(idValue))) id = Number(idValue);
      else problems.push(`${at}: the id must be a positive whole number, got ${JSON.stringify(idValue)}`);
    }
    const name = typeof attrs.name === 'string' ? attrs.name : undefined;
    const label = `${type.name} ${name ?? (userRef ? ref : id !== undefined ? String(id) : `(record ${index + 1})`)}`;
    out.push({ index, label, type, meta, action, ref, userRef, id, attrs });
  });
  return out;
}

/** Checks attribute names, types and enumerations; converts values to their wire form. */
function convert(rec: Normal, byRef: Map<string, Normal>, problems: string[]): Record<string, unknown> {
  const at = `record ${rec.index + 1} (${rec.label})`;
  const wire: Record<string, unknown> = {};
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
      problems.push(`${at}: ${attr ? `"${key}" is read-only` : `unknown attribute "${key}"`}; ${rec.type.name} takes ${settable.join(', ')}`);
      continue;
    }
    if (value === null || value === undefined) {
      problems.push(`${at}: "${key}" has no value`);
      continue;
    }
    const enumeration = rec.type.enums[key];
    if (enumeration && !enumeration.includes(value as string)) {
      problems.push(`${at}: "${key}" must be one of ${enumeration.join(', ')}, got ${JSON.stringify(value)}`);
      continue;
    }
    const targetMeta = key === 'server' && attachKey ? metaFor(applyTypes().get('Server') as ApplyType) : attr?.reference ? referenceTarget(rec.meta.cls, attr) : attr?.idOf ? referenceTarget(rec.meta.cls, { ...attr, reference: { target: attr.idOf, many: false } }) : undefined;
    const what = `${at}: ${key}`;
    const local = (v: unknown): LocalRef | undefined => {
      const name = localName(v);
      if (name === undefined) return undefined;
      const other = byRef.get(name);
      if (!other || !other.userRef) problems.push(`${what}: "@${name}" names no record of this apply`);
      else if (other.action !== 'set') problems.push(`${what}: "@${name}" is deleted by this apply (record ${other.index + 1})`);
      else if (targetMeta && other.meta.name !== targetMeta.name) problems.push(`${what}: "@${name}" is a ${other.meta.name}, a ${targetMeta.name} is wanted`);
      return new LocalRef(name);
    };
    try {
      if (targetMeta && targetMeta.idKey) {
        const idKey = targetMeta.idKey;
        const one = (v: unknown): unknown => {
          const l = local(v);
          if (l) return attr?.idOf ? l : { [idKey]: l };
          return attr?.idOf ? idOf(targetMeta, v, what) : referenceTo(targetMeta, v, what);
        };
        if (attr?.reference?.many) {
          if (!Array.isArray(value) || !value.length) throw new ValidationError({ message: `${what} must be a non-empty list` });
          wire[key] = value.map((v) => (localName(v) !== undefined ? one(v) : referencesTo(targetMeta, v, what)[0]));
        } else wire[key] = one(value);
      } else if (attr && !hasType(attr.type, value)) {
        problems.push(`${what} must be ${attr.type === 'array' ? 'an array' : `a ${attr.type}`}, got ${JSON.stringify(value)}`);
      } else if (key === 'deviceId' && typeof value !== 'string') {
        problems.push(`${what} must be a string such as /dev/sdh, got ${JSON.stringify(value)}`);
      } else wire[key] = value;
    } catch (error) {
      if (error instanceof ValidationError) problems.push(...error.problems.map((p) => (p.startsWith(at) ? p : `${what}: ${p}`)));
      else throw error;
    }
  }
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
  return decl.sends.required.filter((key) => wire[key] === undefined);
}

function sameRule(item: Record<string, unknown>, wire: Record<string, unknown>): boolean {
  for (const key of ['direction', 'source', 'sourceType', 'destination', 'destinationType', 'permission', 'protocol', 'startPort', 'endPort']) {
    if (wire[key] !== undefined && JSON.stringify(item[key]) !== JSON.stringify(wire[key])) return false;
  }
  return true;
}

/** One ValidationError with every problem, by record. */
function refusal(problems: string[]): ValidationError {
  const rank = (p: string): number => Number(/^record (\d+)/.exec(p)?.[1] ?? 0);
  const sorted = problems.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map((x) => x.p);
  return new ValidationError({ message: `apply: ${sorted.length} problem${sorted.length > 1 ? 's' : ''}: ${sorted.join('; ')}`, problems: sorted });
}

/** Orders steps: dependencies first; undoable before not undoable; deletions last. */
function order(steps: StepInternal[]): StepInternal[] {
  const remaining = new Set(steps);
  const out: StepInternal[] = [];
  const done = new Set<StepInternal>();
  const deps = new Map<StepInternal, StepInternal[]>();
  for (const s of steps) deps.set(s, s.after.map((i) => steps[i]));
  const rank = (s: StepInternal): number => (s.kind === 'delete' ? 2 : s.undo === null ? 1 : 0);
  while (remaining.size) {
    const ready = [...remaining].filter((s) => (deps.get(s) ?? []).every((d) => done.has(d)));
    const nonDelete = [...remaining].some((s) => s.kind !== 'delete');
    const candidates = ready.filter((s) => !nonDelete || s.kind !== 'delete');
    candidates.sort((a, b) => rank(a) - rank(b) || a.record - b.record);
    const next = candidates[0];
    remaining.delete(next);
    done.add(next);
    out.push(next);
  }
  return out;
}

/** Internal: run by planning once the records are valid, before its first read. */
export interface PlanHooks {
  beforeReads?: () => Promise<void>;
}

/**
 * Validates `records` and computes the plan against the current state (reads only). Throws one
 * ValidationError listing every problem.
 */
export async function planRecords(records: readonly ApplyRecord[], options: PlanOptions = {}, hooks: PlanHooks = {}): Promise<Planned> {
  if (!Array.isArray(records)) throw new ValidationError({ message: 'apply() takes a list of records' });
  const reason = options.reason ?? 'mixcoatl apply';
  const problems: string[] = [];
  const normal = normalise(records, problems);
  const byRef = new Map(normal.map((r) => [r.ref, r]));
  let wires = normal.map((rec) => convert(rec, byRef, problems));
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
    if (rec.id === undefined && (!rec.type.named || typeof rec.attrs.name !== 'string') && rec.type.name !== 'FirewallRule') {
      problems.push(`record ${rec.index + 1} (${rec.label}): give its id${rec.type.named ? ' or its name' : ''}`);
    }
    if (rec.type.name === 'FirewallRule' && rec.id === undefined && rec.attrs.firewall === undefined) problems.push(`record ${rec.index + 1} (${rec.label}): a rule without an id needs its firewall`);
  }
  if (problems.length) throw refusal(problems);
  await hooks.beforeReads?.();

  // Names given for references: one listing per type, every problem together.
  wires = await Promise.all(
    wires.map(async (wire, i) => {
      if (!hasLookups(wire)) return wire;
      try {
        return await resolveLookups(wire, { endpoint: options.endpoint, sources: [wire], what: `record ${i + 1} (${normal[i].label})` });
      } catch (error) {
        if (error instanceof ValidationError) problems.push(...error.problems.map((p) => (p.startsWith(`record ${i + 1} `) ? p : `record ${i + 1} (${normal[i].label}): ${p}`)));
        else throw error;
        return wire;
      }
    }),
  );

  // The current state: one listing per type; the rules of each existing firewall.
  const listings = new Map<string, Array<Record<string, unknown>>>();
  for (const rec of normal) {
    if (rec.type.name === 'FirewallRule' || listings.has(rec.type.name)) continue;
    listings.set(rec.type.name, await listType(rec.meta, options.endpoint));
  }
  const needsFirewalls = normal.some((r) => r.type.name === 'FirewallRule');
  if (needsFirewalls && !listings.has('Firewall')) listings.set('Firewall', await listType(metaFor(applyTypes().get('Firewall')!), options.endpoint));

  // References by id to objects of the types apply manages must name existing ones (one listing per type).
  for (const [i, rec] of normal.entries()) {
    for (const key of Object.keys(wires[i])) {
      const attr = rec.meta.attributes.get(key);
      const target = key === 'server' && rec.type.name === 'Volume' ? 'Server' : attr?.reference ? referenceTarget(rec.meta.cls, attr).name : undefined;
      const type = target ? applyTypes().get(target) : undefined;
      if (type && type.name !== 'FirewallRule' && !listings.has(type.name)) listings.set(type.name, await listType(metaFor(type), options.endpoint));
    }
  }
  for (const [i, rec] of normal.entries()) {
    for (const [key, value] of Object.entries(wires[i])) {
      const attr = rec.meta.attributes.get(key);
      const target = key === 'server' && rec.type.name === 'Volume' ? metaFor(applyTypes().get('Server')!) : attr?.reference ? referenceTarget(rec.meta.cls, attr) : undefined;
      const listing = target ? listings.get(target.name) : undefined;
      if (!target?.idKey || !listing) continue;
      for (const ref of Array.isArray(value) ? value : [value]) {
        const id = isPlain(ref) ? ref[target.idKey] : undefined;
        if (typeof id === 'number' && !listing.some((item) => Number(item[target.idKey as string]) === id && applyTypes().get(target.name)!.live(item))) {
          problems.push(`record ${rec.index + 1} (${rec.label}): ${key}: no ${target.name} ${id}`);
        }
      }
    }
  }
  const existing = new Map<Normal, Record<string, unknown> | undefined>();
  for (const rec of normal) {
    if (rec.type.name === 'FirewallRule') continue;
    const idKey = rec.meta.idKey as string;
    const live = (listings.get(rec.type.name) ?? []).filter(rec.type.live);
    let found: Record<string, unknown> | undefined;
    if (rec.id !== undefined) {
      found = live.find((item) => Number(item[idKey]) === rec.id);
      if (!found && rec.action === 'set') problems.push(`record ${rec.index + 1} (${rec.label}): no ${rec.type.name} ${rec.id}`);
      else if (found && typeof rec.attrs.name === 'string' && found.name !== rec.attrs.name && rec.action === 'delete') problems.push(`record ${rec.index + 1}: ${rec.type.name} ${rec.id} is named "${String(found.name)}", not "${rec.attrs.name}"`);
    } else {
      const matches = live.filter((item) => item.name === rec.attrs.name);
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
  const settle = (value: unknown): unknown => {
    if (value instanceof LocalRef) return known.get(value.name) ?? value;
    if (Array.isArray(value)) return value.map(settle);
    if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, settle(v)]));
    return value;
  };
  wires = wires.map((wire) => settle(wire) as Record<string, unknown>);
  // Rules: listed per existing firewall.
  const ruleLists = new Map<number, Array<Record<string, unknown>>>();
  const ruleMeta = metaFor(applyTypes().get('FirewallRule')!);
  for (const [i, rec] of normal.entries()) {
    if (rec.type.name !== 'FirewallRule') continue;
    const fw = (wires[i].firewall as Record<string, unknown> | undefined)?.firewallId;
    let firewallId: number | undefined = typeof fw === 'number' ? fw : undefined;
    if (fw instanceof LocalRef) {
      const owner = byRef.get(fw.name);
      const found = owner ? existing.get(owner) : undefined;
      firewallId = found ? Number(found.firewallId) : undefined;
      if (found) wires[i] = { ...wires[i], firewall: { firewallId } };
    } else if (firewallId !== undefined && !(listings.get('Firewall') ?? []).some((f) => Number(f.firewallId) === firewallId)) {
      problems.push(`record ${rec.index + 1} (${rec.label}): no Firewall ${firewallId}`);
      firewallId = undefined;
    }
    if (firewallId === undefined) {
      existing.set(rec, undefined);
      continue;
    }
    if (!ruleLists.has(firewallId)) ruleLists.set(firewallId, await listType(ruleMeta, options.endpoint, { firewallId }));
    const rules = ruleLists.get(firewallId)!;
    const found = rec.id !== undefined ? rules.find((r) => Number(r.firewallRuleId) === rec.id) : rules.find((r) => sameRule(r, wires[i]));
    if (!found && rec.id !== undefined && rec.action === 'set') problems.push(`record ${rec.index + 1} (${rec.label}): no FirewallRule ${rec.id} in Firewall ${firewallId}`);
    existing.set(rec, found);
  }

  // Steps.
  const steps: StepInternal[] = [];
  const unchanged: Plan['unchanged'] = [];
  const createdBy = new Map<string, number>();
  const targets: Planned['targets'] = [];
  const pendingDeps: Array<{ step: StepInternal; refs: string[] }> = [];
  const refsIn = (value: unknown, out: string[] = []): string[] => {
    if (value instanceof LocalRef) out.push(value.name);
    else if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
    else if (isPlain(value)) Object.values(value).forEach((v) => refsIn(v, out));
    return out;
  };
  const add = (step: Omit<StepInternal, 'step' | 'after'>, refs: string[]): StepInternal => {
    const full: StepInternal = { ...step, step: 0, after: [] };
    steps.push(full);
    pendingDeps.push({ step: full, refs });
    return full;
  };
  const objPath = (meta: ResourceMeta, target: Id | LocalRef): string => `${meta.path}/${target instanceof LocalRef ? target.toString() : encodeURIComponent(String(target))}`;
  const undoDelete = (meta: ResourceMeta, target: Id | LocalRef, how: string): PlanStep['undo'] => ({ how, method: 'DELETE', path: objPath(meta, target), query: { reason: `${reason} (undo)` } });

  for (const [i, rec] of normal.entries()) {
    const wire = wires[i];
    const found = existing.get(rec);
    const idKey = rec.meta.idKey as string;
    const base = { record: rec.index, label: rec.label, type: rec.type, collectionPath: rec.meta.path };
    if (rec.action === 'delete') {
      if (!found) {
        unchanged.push({ record: rec.index, label: rec.label, why: 'already absent' });
        targets.push({ type: rec.type, target: undefined, action: 'delete' });
        continue;
      }
      const id = Number(found[idKey]);
      targets.push({ type: rec.type, target: id, action: 'delete' });
      add({ ...base, kind: 'delete', method: 'DELETE', path: objPath(rec.meta, id), query: { reason }, target: id, before: found, undo: null, noUndo: 'a deletion cannot be undone' }, []);
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
      const step = add(
        {
          ...base, kind: 'create', method: 'POST', path: rec.meta.path, body: { [decl.operation]: decl.envelope === 'list' ? [item] : item }, target: local, creates: rec.ref,
          undo: rec.type.noUndoCreate ? null : undoDelete(rec.meta, local, rec.type.name === 'Server' ? 'terminate the server' : `delete the ${rec.type.name}`),
          noUndo: rec.type.noUndoCreate,
        },
        refsIn(item),
      );
      createdBy.set(rec.ref, steps.indexOf(step));
      targets.push({ type: rec.type, target: local, action: 'set' });
      if (rec.type.name === 'Volume' && wire.server !== undefined) {
        const attachItem: Record<string, unknown> = { server: wire.server };
        if (wire.deviceId !== undefined) attachItem.deviceId = wire.deviceId;
        add({ ...base, kind: 'attach', method: 'PUT', path: objPath(rec.meta, local), body: { attach: [attachItem] }, target: local, undo: { how: 'detach the volume', method: 'PUT', path: objPath(rec.meta, local), body: { detach: [{}] } } }, [rec.ref, ...refsIn(attachItem)]);
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
      const target = attr?.reference ? referenceTarget(rec.meta.cls, attr) : attr?.idOf ? referenceTarget(rec.meta.cls, { ...attr, reference: { target: attr.idOf, many: false } }) : undefined;
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
        {
          ...base, kind: 'update', method: 'PUT', path: objPath(rec.meta, id), body: { [update.operation]: [item] }, target: id, before: found,
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
        add({ ...base, kind: 'attach', method: 'PUT', path: objPath(rec.meta, id), body: { attach: [attachItem] }, target: id, undo: { how: 'detach the volume', method: 'PUT', path: objPath(rec.meta, id), body: { detach: [{}] } } }, refsIn(attachItem));
      }
    }
    if (steps.length === stepsBefore) unchanged.push({ record: rec.index, label: rec.label, why: 'no changes' });
  }
  if (problems.length) throw refusal(problems);

  // Dependencies (by position before ordering), then the order.
  for (const { step, refs } of pendingDeps) {
    const self = steps.indexOf(step);
    const after = new Set<number>();
    for (const ref of refs) {
      const by = createdBy.get(ref);
      if (by !== undefined && by !== self) after.add(by);
    }
    // An attach waits for the creation of its own volume too (a ref to itself).
    step.after = [...after];
  }
  const ordered = order(steps);
  const position = new Map(ordered.map((s, i) => [s, i + 1]));
  const original = [...steps];
  for (const s of ordered) s.step = position.get(s) as number;
  for (const s of ordered) s.after = s.after.map((i) => position.get(original[i]) as number).sort((a, b) => a - b);

  // Steps that cannot be undone must not be followed by a fallible step (deletions excepted).
  const risky = ordered.filter((s) => s.undo === null && s.kind !== 'delete' && ordered.some((o) => o.step > s.step));
  if (risky.length && !options.allowIrreversible) {
    const lines = risky.map((s) => {
      const followers = ordered.filter((o) => o.step > s.step);
      const dependents = followers.filter((o) => o.after.includes(s.step)).map((o) => o.step);
      return `step ${s.step} (${s.method} ${s.path}, ${s.kind} ${s.label}) cannot be undone (${s.noUndo ?? 'no inverse'}) and ${followers.length} step${followers.length > 1 ? 's' : ''} follow${followers.length > 1 ? '' : 's'} it${dependents.length ? ` (${dependents.join(', ')} need${dependents.length > 1 ? '' : 's'} it)` : ''}: if one of them fails, it stays`;
    });
    throw new ValidationError({
      message: `apply: the plan has steps that cannot be undone before steps that may fail: ${lines.join('; ')}. Pass allowIrreversible (dcm apply --allow-irreversible) to accept this, or apply those objects on their own first`,
      problems: lines,
    });
  }
  const plan: Plan = {
    steps: ordered.map(({ step, record, label, kind, method, path, query, body, after, undo, noUndo }) => ({ step, record, label, kind, method, path, ...(query ? { query } : {}), ...(body ? { body } : {}), after, undo, ...(noUndo ? { noUndo } : {}) })),
    unchanged,
    noChanges: ordered.length === 0,
  };
  return { plan, steps: ordered, targets };
}

export { Lookup };
