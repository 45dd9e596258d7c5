/**
 * Bookkeeping kept out of the attribute namespace: one symbol-keyed holder per
 * object. `data` IS the parsed item of the response (no per-field copy), so a loaded object costs
 * little more than its JSON.
 */
import type { Endpoint } from '../endpoint.js';
import type { Details } from '../config/resolve.js';
import type { RequestRecord } from '../http/client.js';

export const STATE = Symbol('mixcoatl.state');

/** An identifier as the API sends it: an integer for most types, a string for a few (ApiKey, Script…). */
export type Id = string | number;

/**
 * What the constructor of a type with integer ids takes: an integer, or its decimal text
 * (`new Server(331810)`, `new Server('331810')`); `new Server('abc')` does not compile (and is
 * refused at run time with a ValidationError, as before).
 */
export type NumericId = number | `${number}`;

export interface State {
  id: Id | undefined;
  /** The item exactly as received (or pre-filled from a nested reference); undefined before any. */
  data: Record<string, unknown> | undefined;
  /** `data` came from a full read of this object (not a partial nested copy). */
  complete: boolean;
  endpoint: Endpoint | undefined;
  details: Details | undefined;
  lastRequest: RequestRecord | null;
  lastError: Error | null;
  /** Attributes assigned since the last save (dirty tracking), in the API's form. */
  changes: Record<string, unknown> | undefined;
  /** Converted references, cached per attribute until the next load. */
  refs: Record<string, unknown> | undefined;
  /** The load in flight, shared by concurrent callers. */
  inflight: Promise<unknown> | undefined;
  /**
   * A create answered with a job: settles once a waiter has seen it COMPLETE (and the object has
   * adopted its identifier). `reload()` of a new object waits for it.
   */
  creation: (() => Promise<unknown>) | undefined;
  /** Where `data` came from (provenance); one record shared by every object of a response. */
  source: Source | undefined;
  /** The object stands for a reference held by another (`Server.region`): for N+1 advice. */
  via: { type: string; attribute: string } | undefined;
}

/** How an object's data arrived. */
export type SourceKind = 'single load' | 'list' | 'embedded' | 'reference';

/** The origin of an object's data: the request that brought it, when, and at what detail level. */
export interface Source {
  how: SourceKind;
  method: string;
  url: string;
  /** Milliseconds since the epoch when the answer arrived. */
  at: number;
  details: Details;
}

/** What every resource object is, as far as the layers below the base class need to know. */
export interface ResourceObject {
  [STATE]: State;
  /** The identifier (alias of e.g. `serverId`). */
  readonly id: Id | undefined;
}

export interface ResourceInit {
  /** Endpoint for every request of this object (default: the configured one, at request time). */
  endpoint?: Endpoint;
  /** Detail level of its reads (default: the configured one, `basic`). */
  details?: Details;
}

/** A resource class, as the registry and the layers below `Resource` see it. */
export type ResourceConstructor<T extends ResourceObject = ResourceObject> = new (id?: Id, options?: ResourceInit) => T;

export function newState(id: Id | undefined, endpoint: Endpoint | undefined, details: Details | undefined): State {
  return { id, data: undefined, complete: false, endpoint, details, lastRequest: null, lastError: null, changes: undefined, refs: undefined, inflight: undefined, creation: undefined, source: undefined, via: undefined };
}

/** The holder of a resource object, or undefined for anything else. */
export function stateIfAny(value: unknown): State | undefined {
  return value !== null && typeof value === 'object' ? (value as Partial<ResourceObject>)[STATE] : undefined;
}

export function stateOf(obj: object): State {
  const state = stateIfAny(obj);
  if (!state) throw new TypeError('not a mixcoatl resource object');
  return state;
}
