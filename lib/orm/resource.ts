/**
 * `Resource`, the class every resource extends: the base layer (identifiers, lazy attributes,
 * loading, listing, printing; lib/orm/base.ts) with actions (`act()`, `currentJob`;
 * lib/orm/actions.ts) and the active record's `save()` (lib/orm/save.ts).
 */
import '../journal/listen.js';
import type { Id, ResourceInit } from './state.js';
import { ResourceBase, type BaseClass, type ListOptions, type ListControls, type ListArgs, type GetOptions, type IncludeOption, type ReferenceNames, type KeyOf } from './base.js';
import type { Job } from './job.js';
import { act, actForJob, currentJobOf, type ActionOptions } from './actions.js';
import { saveResource, type Persistence, type SaveOptions } from './save.js';
import { selection, type Selection, type WhereOptions } from './bulk.js';
import type { FilterDecl } from './filters.js';
import type { FindQuery } from './finder.js';

export type { ResourceInit, ListOptions, ListControls, ListArgs, GetOptions, IncludeOption, ReferenceNames, KeyOf };

/** A resource class (`ResourceClass<ResourceBase>` takes Job too). */
export type ResourceClass<T extends ResourceBase = Resource> = BaseClass<T>;

/**
 * A reference given by what users know: the object's name or provider id as text (for types with
 * numeric ids), or `{ name }` / `{ providerId }`, with the filter its listing needs when it has one
 * (`{ name: 'us-west-2a', regionId: 19344 }`). Actions look it up before anything is sent.
 */
export type NameQuery = { name: string | RegExp; regionId?: number } | { providerId: string | RegExp; regionId?: number };

/**
 * An identifier, a resource object, `{ <idKey>: id }`, or a name to look up: what an action
 * argument or a reference attribute accepts for a `T` (`IdOr<Group, 'groupId'>`).
 */
export type IdOr<T, K extends string> = Id | T | { [P in K]: Id } | NameQuery;

export class Resource extends ResourceBase {
  /** How the class creates and updates its objects (set by resource classes; used by save()). */
  declare static persistence: Persistence<never> | undefined;

  /**
   * Active record: creates a new object from its assigned attributes (a Server's save() is its
   * launch), or sends an existing object's changed attributes through the operations the API
   * offers for them, then reloads it. Nothing changed → no request. Resolves with the job the API
   * started, if any (`{ wait: true }` waits for it). See lib/orm/save.ts.
   */
  save(options: SaveOptions = {}): Promise<Job | undefined> {
    const persistence = (this.constructor as typeof Resource).persistence as Persistence<this> | undefined;
    return saveResource(this, persistence, options);
  }

  /**
   * The objects matching `query` (what `find()` takes), to act on together:
   * `await Server.where({ status: 'RUNNING' }).stop({ reason }, { concurrency: 8, wait: true })`.
   * Nothing is sent until an action is called; the set is then listed with ONE request, and the
   * result has one outcome per object and totals (see lib/orm/bulk.ts).
   */
  static where<T extends Resource, F extends FilterDecl>(this: BaseClass<T> & { readonly filters: F }, query: FindQuery<T, F, ResourceBase>, options: WhereOptions = {}): Selection<T> {
    return selection<T>(this, query as Record<string, unknown>, options);
  }

  /** The job started by this object's last asynchronous action (a 202), or undefined. */
  get currentJob(): Job | undefined {
    return currentJobOf(this);
  }

  /**
   * Sends the action `name` (a method of this class declared with `@action`, which states its
   * HTTP method, operation and body shape) with `values`: the members of the body item, or the
   * query parameters of a DELETE. See lib/orm/actions.ts.
   */
  protected act(name: string, values: Record<string, unknown> = {}, options: ActionOptions = {}): Promise<Job | undefined> {
    return act(this, name, values, options);
  }

  /**
   * `act()` for an action declared `job: 'always'` (`@action('PUT', 'stop', { job: 'always' })`):
   * resolves with the Job; a success answer without one is refused (ResponseError `ENOJOB`).
   */
  protected actForJob(name: string, values: Record<string, unknown> = {}, options: ActionOptions = {}): Promise<Job> {
    return actForJob(this, name, values, options);
  }
}
