/**
 * Planning, phase 3: comparison. Each record against the object it was matched with: a create
 * (and, for attributes its create does not send, the updates that set them on the new object),
 * only the updates whose attributes differ, a delete, or nothing. Every request is built by the
 * actions' request builder (`actionRequest`, lib/orm/actions.ts) from the type's lifecycle
 * declaration; each step says how it is undone, or why it cannot be.
 */
import { actionRequest } from '../../orm/actions.js';
import { isRefusal, type Lifecycle, type StepContext } from '../../orm/lifecycle.js';
import type { ActionMeta } from '../../orm/metadata.js';
import type { ResourceMeta } from '../../orm/registry.js';
import type { Id } from '../../orm/state.js';
import type { Existing } from './read.js';
import { LocalRef, isPlain, refsIn, targetOf, type Normal, type Plan, type Planned, type PlanStep, type StepInternal } from './model.js';

/** How a secret's value shows in a plan (as in the journal). */
const REDACTED_MARK = '[redacted]';

/** What comparison made: the steps (in record order), and what each waits for by local name. */
export interface Compared {
  steps: StepInternal[];
  unchanged: Plan['unchanged'];
  targets: Planned['targets'];
  /** Per step (same index): the local names of the objects it refers to. */
  refs: string[][];
  /** The step creating each local name's object. */
  createdBy: Map<string, number>;
}

function empty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
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

/** `body` with the members named in `secrets` shown as `[redacted]`, at any depth (the same object when there is none). */
function redacted(value: unknown, secrets: readonly string[]): unknown {
  if (!secrets.length) return value;
  if (Array.isArray(value)) {
    const out = value.map((v) => redacted(v, secrets));
    return out.some((v, i) => v !== value[i]) ? out : value;
  }
  if (!isPlain(value)) return value;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const shownValue = secrets.includes(k) && v !== undefined && v !== null ? REDACTED_MARK : redacted(v, secrets);
    if (shownValue !== v) (out ??= { ...value })[k] = shownValue;
  }
  return out ?? value;
}

/** A held value in the form a record gives it (references as `{ <idKey>: id }`, bare ids of `idOf` attributes). */
function wireForm(meta: ResourceMeta, key: string, held: unknown): unknown {
  const attr = meta.attributes.get(key);
  const target = targetOf(meta, attr);
  if (!target?.idKey) return held;
  const idKey = target.idKey;
  const one = (v: unknown): unknown => (isPlain(v) && v[idKey] !== undefined ? (attr?.idOf ? v[idKey] : { [idKey]: v[idKey] }) : v);
  return Array.isArray(held) ? held.map(one) : one(held);
}

/** The values of `keys` that `wire` holds, in that order. */
function pick(wire: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (wire[key] !== undefined) out[key] = wire[key];
  return out;
}

/** The query of a delete (`{ reason }` when the action's operation is `reason`; none when empty). */
function deleteQuery(type: Lifecycle, decl: ActionMeta, context: StepContext): Record<string, string> | undefined {
  const del = type.delete;
  const values = !isRefusal(del) && del.query ? del.query({}, context) : decl.operation === 'reason' ? { reason: context.reason } : {};
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null) query[k] = String(v);
  return Object.keys(query).length ? query : undefined;
}

/** The path segment of an object: its id (encoded), or `@name` for one the apply creates. */
function segment(target: Id | LocalRef): string {
  return target instanceof LocalRef ? target.toString() : encodeURIComponent(String(target));
}

const ADDITIVE = new WeakMap<Lifecycle, ReadonlySet<string>>();
/** The attributes changed by an update that only adds members (a grant). */
function additiveKeys(type: Lifecycle): ReadonlySet<string> {
  let keys = ADDITIVE.get(type);
  if (!keys) {
    keys = new Set(type.updates.filter((u) => u.additive).flatMap((u) => u.attributes));
    ADDITIVE.set(type, keys);
  }
  return keys;
}

/** The members of a list as comparable texts: through `compareAs`, else references by id, else their JSON. */
function members(value: unknown, compareAs: ((value: unknown) => unknown) | undefined, target: ResourceMeta | undefined): string[] {
  const list = compareAs ? compareAs(value) : value;
  if (!Array.isArray(list)) return [];
  return list.map((v) => (target?.idKey && isPlain(v) ? String(v[target.idKey]) : typeof v === 'string' ? v : JSON.stringify(v)));
}

const NOT_COMPARED = new WeakMap<Lifecycle, ReadonlySet<string>>();
/**
 * The attributes of a record not compared with the object: its scope or parent (it was found
 * within it), and those sent along with another by an update made only from empty (a volume's
 * `deviceId` with its `server`).
 */
function notCompared(type: Lifecycle): ReadonlySet<string> {
  let keys = NOT_COMPARED.get(type);
  if (!keys) {
    const scope = type.identity.by === 'parent' ? type.identity.parent : type.identity.by === 'name' ? type.identity.within : undefined;
    keys = new Set([...(scope === undefined ? [] : [scope]), ...type.updates.filter((u) => u.onlyFromEmpty !== undefined).flatMap((u) => u.attributes.slice(1))]);
    NOT_COMPARED.set(type, keys);
  }
  return keys;
}

/** Computes the steps of every record (see the module note); problems are collected. */
export function compare(normal: readonly Normal[], wires: ReadonlyArray<Record<string, unknown>>, existing: Existing, reason: string, problems: string[], check: () => void): Compared {
  const steps: StepInternal[] = [];
  const refs: string[][] = [];
  const unchanged: Plan['unchanged'] = [];
  const createdBy = new Map<string, number>();
  const targets: Planned['targets'] = [];
  const context: StepContext = { reason };
  // Every step is made here, with the same members in the same order (no object spread: V8 makes
  // each such copy slowly, which 100k steps feel).
  type StepFields = Pick<StepInternal, 'kind' | 'method' | 'path' | 'target' | 'undo'> & Partial<Pick<StepInternal, 'query' | 'body' | 'creates' | 'before' | 'noUndo' | 'covered'>> & { alsoSuccess?: readonly number[] };
  const add = (rec: Normal, f: StepFields, stepRefs: string[]): number => {
    const body = f.body === undefined ? undefined : (redacted(f.body, rec.type.secrets) as Record<string, unknown>);
    const step: StepInternal = {
      step: 0, record: rec.index, label: rec.label, kind: f.kind, method: f.method, path: f.path, query: f.query, body, after: [], undo: f.undo, noUndo: f.noUndo,
      type: rec.type, target: f.target, creates: f.creates, before: f.before, collectionPath: rec.meta.path, sent: body === f.body ? undefined : f.body, alsoSuccess: f.alsoSuccess ?? [], covered: f.covered,
    };
    refs.push(stepRefs);
    return steps.push(step) - 1;
  };
  const deleteUndo = (rec: Normal, target: Id | LocalRef): Pick<StepInternal, 'undo' | 'noUndo'> => {
    const type = rec.type;
    const del = type.delete;
    const create = type.create;
    if (isRefusal(del)) return { undo: null, noUndo: (!isRefusal(create) && create.noUndo) || del.refused };
    if (!isRefusal(create) && create.noUndo) return { undo: null, noUndo: create.noUndo };
    const request = actionRequest(rec.meta, del.decl, segment(target), {});
    const query = deleteQuery(type, del.decl, { reason: `${reason} (undo)` });
    return { undo: { how: del.how ?? `delete the ${type.name}`, method: request.method, path: request.path, ...(query ? { query } : {}) }, noUndo: undefined };
  };

  for (const [i, rec] of normal.entries()) {
    if (i % 4096 === 0) check();
    if (rec.broken) continue;
    const type = rec.type;
    const wire = wires[i];
    const found = existing.get(rec);
    const idKey = rec.meta.idKey as string;
    if (rec.action === 'delete') {
      if (!found) {
        unchanged.push({ record: rec.index, label: rec.label, why: 'already absent' });
        targets.push({ type, target: undefined, action: 'delete' });
        continue;
      }
      if (isRefusal(type.delete)) continue; // refused by validation
      const id = found[idKey] as Id;
      targets.push({ type, target: id, action: 'delete' });
      const request = actionRequest(rec.meta, type.delete.decl, segment(id), {});
      add(rec, { kind: 'delete', method: request.method, path: request.path, query: deleteQuery(type, type.delete.decl, context), target: id, before: found, undo: null, noUndo: 'a deletion cannot be undone', alsoSuccess: type.delete.decl.alsoSuccess }, []);
      continue;
    }
    if (!found) {
      const create = type.create;
      if (isRefusal(create)) {
        problems.push(`record ${rec.index + 1} (${rec.label}): cannot be created: ${create.refused}`);
        continue;
      }
      const sends = [...create.decl.sends.required, ...create.decl.sends.optional];
      const absent = create.decl.sends.required.filter((key) => wire[key] === undefined && !rec.bad.has(key));
      if (absent.length) {
        problems.push(`record ${rec.index + 1} (${rec.label}): creating a ${type.name} needs ${absent.join(', ')}`);
        continue;
      }
      const local = new LocalRef(rec.ref);
      const values = pick(wire, sends);
      const item = create.item ? create.item(values, context) : values;
      const request = actionRequest(rec.meta, create.decl, undefined, item);
      const undone = deleteUndo(rec, local);
      const created = add(rec, { kind: 'create', method: request.method, path: request.path, body: request.body, target: local, creates: rec.ref, undo: undone.undo, noUndo: undone.noUndo, alsoSuccess: create.decl.alsoSuccess }, refsIn(item));
      createdBy.set(rec.ref, created);
      targets.push({ type, target: local, action: 'set' });
      // Attributes the create does not send: set on the new object by their updates.
      for (const update of type.updates) {
        const keys = update.attributes.filter((k) => wire[k] !== undefined && !sends.includes(k));
        if (!keys.length || (update.onlyFromEmpty !== undefined && !keys.includes(update.attributes[0]))) continue;
        const vals = pick(wire, update.attributes.filter((k) => !sends.includes(k)));
        const updateItem = update.item ? update.item(vals, context) : vals;
        const req = actionRequest(rec.meta, update.decl, segment(local), updateItem);
        let undo: PlanStep['undo'] = null;
        let noUndo: string | undefined;
        let covered: boolean | undefined;
        if (update.undo && !isRefusal(update.undo) && update.undoDecl) {
          const undoItem = update.undo.item ? update.undo.item({}, context) : {};
          const back = actionRequest(rec.meta, update.undoDecl, segment(local), undoItem);
          undo = { how: update.undo.how, method: back.method, path: back.path, body: back.body };
        } else if (undone.undo) {
          covered = true;
          noUndo = `undone by undoing the creation of the ${type.name}`;
        } else noUndo = update.undo && isRefusal(update.undo) ? update.undo.refused : undone.noUndo;
        add(rec, { kind: update.kind ?? 'update', method: req.method, path: req.path, body: req.body, target: local, undo, noUndo, covered, alsoSuccess: update.decl.alsoSuccess }, [rec.ref, ...refsIn(updateItem)]);
      }
      continue;
    }
    // An existing object: only what differs.
    const id = found[idKey] as Id;
    targets.push({ type, target: id, action: 'set', found });
    const ignored = notCompared(type);
    const changed: string[] = [];
    const extras: string[] = [];
    for (const key of Object.keys(wire)) {
      if (ignored.has(key)) continue;
      const attr = rec.meta.attributes.get(key);
      if (attr?.writeOnly) continue;
      if (refsIn(wire[key]).length) {
        changed.push(key);
        continue;
      }
      const compareAs = Object.hasOwn(type.compareAs, key) ? type.compareAs[key] : undefined;
      if (additiveKeys(type).has(key) && Array.isArray(wire[key])) {
        // Granted members are added, never removed: what is missing is sent, what is extra refused.
        const held = new Set(members(found[key], compareAs, targetOf(rec.meta, attr)));
        const wanted = new Set(members(wire[key], compareAs, targetOf(rec.meta, attr)));
        const extra = [...held].filter((m) => !wanted.has(m));
        if (extra.length) extras.push(`${key} holds ${extra.join(', ')}, which the API cannot remove`);
        else if ([...wanted].some((m) => !held.has(m))) changed.push(key);
        continue;
      }
      const same = compareAs ? JSON.stringify(compareAs(found[key]) ?? null) === JSON.stringify(compareAs(wire[key]) ?? null) : canonical(found[key], targetOf(rec.meta, attr)) === canonical(wire[key], targetOf(rec.meta, attr));
      if (!same) changed.push(key);
    }
    if (extras.length) {
      problems.push(`record ${rec.index + 1} (${rec.label}): ${extras.join('; ')} (${type.name} ${String(id)}; it only adds)`);
      continue;
    }
    const stuck = changed.filter((key) => !type.updates.some((u) => u.attributes.includes(key)));
    if (stuck.length) {
      const plain = stuck.filter((key) => !Object.hasOwn(type.fixed, key));
      if (plain.length) problems.push(`record ${rec.index + 1} (${rec.label}): ${plain.join(', ')} cannot be changed on an existing ${type.name} (${String(id)}): no API operation updates ${plain.length > 1 ? 'them' : 'it'}`);
      for (const key of stuck.filter((k) => Object.hasOwn(type.fixed, k))) problems.push(`record ${rec.index + 1} (${rec.label}): ${key} cannot be changed on an existing ${type.name} (${String(id)}): ${type.fixed[key]}`);
      continue;
    }
    const stepsBefore = steps.length;
    let refused = false;
    for (const update of type.updates) {
      const keys = changed.filter((k) => update.attributes.includes(k));
      if (!keys.length) continue;
      const updateContext: StepContext = { reason, current: found };
      const req = (values: Record<string, unknown>) => actionRequest(rec.meta, update.decl, segment(id), update.item ? update.item(values, updateContext) : values);
      if (update.onlyFromEmpty !== undefined) {
        const first = update.attributes[0];
        const held = found[first];
        if (!empty(held)) {
          const target = targetOf(rec.meta, rec.meta.attributes.get(first));
          const current = isPlain(held) && target?.idKey ? held[target.idKey] : held;
          problems.push(`record ${rec.index + 1} (${rec.label}): ${update.onlyFromEmpty.replace('{current}', String(current))}`);
          refused = true;
          continue;
        }
        keys.push(...update.attributes.slice(1).filter((k) => wire[k] !== undefined));
      }
      const values = pick(wire, keys);
      const request = req(values);
      let undo: PlanStep['undo'] = null;
      let noUndo: string | undefined;
      if (update.undo && isRefusal(update.undo)) noUndo = update.undo.refused;
      else if (update.undo && update.undoDecl) {
        const undoItem = update.undo.item ? update.undo.item({}, updateContext) : {};
        const back = actionRequest(rec.meta, update.undoDecl, segment(id), undoItem);
        undo = { how: update.undo.how, method: back.method, path: back.path, body: back.body };
      } else {
        const previous: Record<string, unknown> = {};
        let restorable = true;
        for (const key of keys) {
          const held = found[key];
          if (empty(held)) restorable = false;
          previous[key] = wireForm(rec.meta, key, held);
        }
        if (restorable) {
          const back = req(previous);
          undo = { how: `restore ${keys.join(', ')}`, method: back.method, path: back.path, body: back.body };
        } else noUndo = `the previous value of ${keys.join(', ')} was empty and the API cannot clear it`;
      }
      add(rec, { kind: update.kind ?? 'update', method: request.method, path: request.path, body: request.body, target: id, before: found, undo, noUndo, alsoSuccess: update.decl.alsoSuccess }, refsIn(values));
    }
    if (!refused && steps.length === stepsBefore) unchanged.push({ record: rec.index, label: rec.label, why: 'no changes' });
  }
  return { steps, unchanged, targets, refs, createdBy };
}
