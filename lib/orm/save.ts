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
 * Each class states its routes in `static persistence` (see `Persistence`). The fourth layer of
 * lib/orm: `Resource.save()` (lib/orm/resource.ts) calls `saveResource()`.
 */
import { hasLookups } from './lookups.js';
import { ValidationError } from '../errors.js';
import { metaOf } from './registry.js';
import { stateOf } from './state.js';
import { idsIn } from './ids.js';
import type { ResourceBase } from './base.js';
import { Job, waitForJob, type JobWaitOptions } from './job.js';
import { commitSent, type ActionOptions } from './actions.js';

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
  /** Sends the changed ones among them (`changes` holds only those, in the API's form). */
  send: (obj: T, changes: Record<string, unknown>) => Promise<unknown>;
}

/** How a class persists: its create action, and the operations that update an existing object. */
export interface Persistence<T> {
  /** Creates a new object (a Server's is its launch). */
  create?: (obj: T, options: ActionOptions) => Promise<Job | undefined>;
  /** The operations that send an existing object's changed attributes. */
  update?: ReadonlyArray<UpdateRoute<T>>;
}

/**
 * Dirty tracking: an assigned value equal to the one the loaded object already holds is not a
 * change (references compare by identifier, other values by their JSON form).
 */
function dropUnchanged(obj: object): void {
  const state = stateOf(obj);
  if (!state.complete || !state.data || !state.changes) return;
  const meta = metaOf(obj.constructor);
  const same: string[] = [];
  for (const [key, change] of Object.entries(state.changes)) {
    if (!(key in state.data)) continue;
    const attr = meta.attributes.get(key);
    const held = state.data[key];
    if (attr?.writeOnly) continue;
    const target = attr?.reference ? (attr.reference.target() as Function) : undefined;
    if (hasLookups(change)) continue;
    const equal = target ? JSON.stringify(idsIn(held, target)) === JSON.stringify(idsIn(change, target)) : JSON.stringify(held) === JSON.stringify(change);
    if (equal) same.push(key);
  }
  if (same.length) commitSent(obj, same);
}

/**
 * Saves `obj` through the routes `persistence` states (its class's `static persistence`). Resolves
 * with the job the API started, if any.
 */
export async function saveResource<T extends ResourceBase>(obj: T, persistence: Persistence<T> | undefined, options: SaveOptions = {}): Promise<Job | undefined> {
  const meta = metaOf(obj.constructor);
  if (options === null || typeof options !== 'object') throw new ValidationError({ message: `${meta.name}.save() takes an options object` });
  const state = stateOf(obj);
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
    commitSent(obj, Object.keys(subset));
  }
  if (last && options.wait) await waitForJob(last, options);
  await obj.reload();
  return last;
}
