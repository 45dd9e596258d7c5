/**
 * Loaded state in the types, for programs that opt in through the strict entry (`mixcoatl/strict`,
 * lib/strict.ts). Types only: the classes are the same at run time.
 *
 * Under the strict types a reference is an `Unloaded` object: its identifier, `load()` and the
 * members that never make a request, but no attribute. An attribute of a referenced object is read
 * only after `await ref.load()`, or when the read that returned the owner named the reference in
 * `include` (`Server.all({ include: ['region'] })`): those references are typed as loaded objects.
 * A lazy read, which would block (or throw NotLoadedError in strict mode), then does not compile.
 *
 * Programs that import `mixcoatl` see none of this: their references stay typed as the classes.
 */
import type { Id, ResourceInit } from './state.js';
import type { AttributeNames, FindOptions, FindQuery } from './finder.js';
import type { RequiredFilterNames } from './filters.js';
import type { BaseClass, ListOptions, KeyOf, ReferenceNames, ResourceBase } from './base.js';

/**
 * A referenced object that may not be loaded: its identifier (`id`), `isLoaded`, `endpoint`,
 * `toJSON()` and `equals()`, and `load()`/`reload()`, which resolve with the loaded object. Its
 * attributes cannot be read before it is loaded.
 */
// Left out: the attributes, and the members that read them and so may load (get, dateOf, pprint).
export type Unloaded<T> = Omit<T, AttributeNames<T, ResourceBase> | 'get' | 'dateOf' | 'pprint' | 'load' | 'reload'> & {
  /** Loads the object if it is not loaded yet; resolves with it, its attributes readable. */
  load(): Promise<Strict<T>>;
  /** Loads the object again; resolves with it, its attributes readable. */
  reload(): Promise<Strict<T>>;
};

/** A reference attribute's value with each object made `Unloaded` (lists and `undefined` kept). */
export type UnloadedRef<V> = V extends ReadonlyArray<infer E> ? Array<Unloaded<E>> : V extends ResourceBase ? Unloaded<V> : V;

/** A reference attribute's value with each object loaded (its own references unloaded). */
export type LoadedRef<V> = V extends ReadonlyArray<infer E> ? Array<Strict<E>> : V extends ResourceBase ? Strict<V> : V;

/**
 * An object of `T` as the strict entry types it: its attributes readable, its references
 * `Unloaded` except those named in `K` (included by the read that returned it), which are loaded.
 */
export type Strict<T, K extends PropertyKey = never> = {
  [P in keyof T]: P extends ReferenceNames<T> ? (P extends K ? LoadedRef<T[P]> : UnloadedRef<T[P]>) : T[P];
};

/** `all()`'s options under the strict types: the class's filters, and `include` typed by `K`. */
export type StrictListOptions<C extends BaseClass, K extends PropertyKey> = Omit<ListOptions<C['filters'], InstanceType<C>>, 'include'> & {
  /** References to fill from the same answer: typed as loaded objects in the result. */
  include?: readonly K[];
};

/** `all()`'s parameters under the strict types: optional unless the class has a required filter. */
export type StrictListArgs<C extends BaseClass, K extends PropertyKey> = [RequiredFilterNames<C['filters']>] extends [never] ? [options?: StrictListOptions<C, K>] : [options: StrictListOptions<C, K>];

/**
 * A resource class as the strict entry types it: the same class, whose objects are `Strict` and
 * whose `get`, `all`, `find` and `findOne` type the references named in `include` as loaded.
 */
export type StrictClass<C extends BaseClass> = Omit<C, 'get' | 'all' | 'find' | 'findOne' | 'prototype'> & {
  /** `new Server(331810)`: no request; under the strict types its attributes are readable once loaded. */
  new (...args: ConstructorParameters<C>): Strict<InstanceType<C>>;
  /** The prototype (the same as the class's). */
  readonly prototype: Strict<InstanceType<C>>;
  /** A loaded object, its `include`d references loaded too. */
  get<const K extends ReferenceNames<InstanceType<C>> = never>(id: Id, options?: ResourceInit & { include?: readonly K[] }): Promise<Strict<InstanceType<C>, K>>;
  /** The identifiers of the collection (`keysOnly: true`). */
  all(options: StrictListOptions<C, ReferenceNames<InstanceType<C>>> & { keysOnly: true }): Promise<Array<KeyOf<C>>>;
  /** Every item of the collection as loaded objects, their `include`d references loaded too. */
  all<const K extends ReferenceNames<InstanceType<C>> = never>(...options: StrictListArgs<C, K>): Promise<Array<Strict<InstanceType<C>, K>>>;
  /** Every object matching `query`, their `include`d references loaded too. */
  find<const K extends ReferenceNames<InstanceType<C>> = never>(query: FindQuery<InstanceType<C>, C['filters'], ResourceBase>, options?: FindOptions<K>): Promise<Array<Strict<InstanceType<C>, K>>>;
  /** The one object matching `query`, its `include`d references loaded too. */
  findOne<const K extends ReferenceNames<InstanceType<C>> = never>(query: FindQuery<InstanceType<C>, C['filters'], ResourceBase>, options?: FindOptions<K>): Promise<Strict<InstanceType<C>, K>>;
};
