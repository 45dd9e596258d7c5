/**
 * Active record: `save()` turns assigned attributes into the API's own operations.
 *
 * - A new object (no identifier) is created with its class's create action (a Server's is
 *   `launch`), whose payload is built from the assigned attributes.
 * - An existing object sends only the attributes that changed, each through the operation the
 *   API offers for it (e.g. name/description/label → `describeServer`, budget → `assignBudget`,
 *   owningGroups → `assignGroups`), then forgets those changes and reloads.
 * - Attributes no operation can change are refused up front, all named in one ValidationError,
 *   with nothing sent. Nothing changed → nothing sent.
 *
 * Each class states its routes in `static persistence` (see `Persistence`). `Resource.save()`
 * imports this module on first use, which keeps lib/orm/resource.ts free of a static import
 * cycle (this module → actions → Job → Resource).
 */
import { ValidationError } from '../errors.js';
import { describe } from './registry.js';
import { stateOf } from './state.js';
import { waitForJob, type JobWaitOptions } from './jobs.js';
import { settle, type ActionOptions } from './actions.js';
import { Job } from '../../resources/admin/job.js';

export interface SaveOptions extends JobWaitOptions {
  /**
   * For a create the API answers with a job (servers, volumes, snapshots, images, firewalls,
   * networks): wait for it, adopt the new identifier and load the object. Default false: `save()`
   * resolves with the job and the identifier is adopted when a waiter sees it COMPLETE.
   */
  wait?: boolean;
}

/** One way of sending changed attributes of an existing object. */
export interface UpdateRoute<T> {
  /** The attributes this operation sends (JSON keys). */
  attributes: readonly string[];
  /** Sends the changed ones among them (`changes` holds only those, in wire form). */
  send: (obj: T, changes: Record<string, unknown>) => Promise<unknown>;
}

/** How a class persists: its create action, and the operations that update an existing object. */
export interface Persistence<T> {
  create?: (obj: T, options: ActionOptions) => Promise<Job | undefined>;
  update?: ReadonlyArray<UpdateRoute<T>>;
}

interface Persistable {
  reload(): Promise<unknown>;
}

function persistenceOf(cls: Function): Persistence<object> | undefined {
  return (cls as { persistence?: Persistence<object> }).persistence;
}

function idsOf(value: unknown, idKey: string): unknown {
  if (Array.isArray(value)) return value.map((item) => idsOf(item, idKey));
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[idKey] : value;
}

/**
 * Dirty tracking: an assigned value equal to the one the loaded object already holds is not a
 * change (references compare by identifier, other values by their JSON form).
 */
function dropUnchanged(obj: object): void {
  const state = stateOf(obj);
  if (!state.complete || !state.data || !state.changes) return;
  const meta = describe(obj.constructor);
  const same: string[] = [];
  for (const [key, wire] of Object.entries(state.changes)) {
    if (!(key in state.data)) continue;
    const attr = meta.attributes.get(key);
    const held = state.data[key];
    if (attr?.writeOnly) continue;
    const target = attr?.reference ? (attr.reference.target() as Function) : undefined;
    const idKey = target ? describe(target).idKey : undefined;
    const equal = idKey ? JSON.stringify(idsOf(held, idKey)) === JSON.stringify(idsOf(wire, idKey)) : JSON.stringify(held) === JSON.stringify(wire);
    if (equal) same.push(key);
  }
  if (same.length) settle(obj, same);
}

export async function saveResource(obj: object, options: SaveOptions = {}): Promise<Job | undefined> {
  const meta = describe(obj.constructor);
  if (options === null || typeof options !== 'object') throw new ValidationError({ message: `${meta.name}.save() takes an options object` });
  const state = stateOf(obj);
  const persistence = persistenceOf(obj.constructor);
  if (meta.flat || !meta.idKey) throw new ValidationError({ message: `${meta.name} is read-only: it cannot be saved` });

  if (state.id === undefined) {
    if (!persistence?.create) throw new ValidationError({ message: `${meta.name} cannot be created through the API (no create operation): it is read-only` });
    const job = await persistence.create(obj, { ...options, wait: false });
    // Waiting adopts the job's message as the identifier and reloads the object (actions.ts).
    if (job && options.wait) await waitForJob(job, options);
    return job;
  }

  dropUnchanged(obj);
  const changes = state.changes ?? {};
  const changed = Object.keys(changes);
  if (!changed.length) return undefined;
  const routes = persistence?.update ?? [];
  const covered = new Set(routes.flatMap((r) => r.attributes));
  const stuck = changed.filter((key) => !covered.has(key));
  if (stuck.length) {
    const changeable = [...covered];
    throw new ValidationError({
      message: `${meta.name} ${String(state.id)}: ${stuck.join(', ')} cannot be changed on an existing ${meta.name} (no API operation updates ${stuck.length > 1 ? 'them' : 'it'}); ${changeable.length ? `changeable: ${changeable.join(', ')}` : `nothing of a ${meta.name} can be changed`}`,
      problems: stuck.map((key) => `"${key}" cannot be changed on an existing ${meta.name}`),
    });
  }
  let last: Job | undefined;
  for (const route of routes) {
    const subset: Record<string, unknown> = {};
    for (const key of route.attributes) if (state.changes && key in state.changes) subset[key] = state.changes[key];
    if (!Object.keys(subset).length) continue;
    const result = await route.send(obj, subset);
    if (result instanceof Job) last = result;
    settle(obj, Object.keys(subset));
  }
  if (last && options.wait) await waitForJob(last, options);
  await (obj as Persistable).reload();
  return last;
}
