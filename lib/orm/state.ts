/**
 * Bookkeeping kept out of the attribute namespace (STYLE.md §4): one symbol-keyed holder per
 * object. `data` IS the parsed item of the response (no per-field copy), so a loaded object costs
 * little more than its JSON.
 */
import type { Endpoint } from '../endpoint.js';
import type { Details } from '../config/resolve.js';
import type { RequestRecord } from '../http/client.js';

export const STATE = Symbol('mixcoatl.state');

export type Id = string | number;

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
  /** Attributes assigned since the last save (dirty tracking), in their wire form. */
  changes: Record<string, unknown> | undefined;
  /** Converted references, cached per attribute until the next load. */
  refs: Record<string, unknown> | undefined;
  /** The load in flight, shared by concurrent callers. */
  inflight: Promise<unknown> | undefined;
  /** Id of the job started by this object's last asynchronous action. */
  job: number | undefined;
}

export function newState(id: Id | undefined, endpoint: Endpoint | undefined, details: Details | undefined): State {
  return { id, data: undefined, complete: false, endpoint, details, lastRequest: null, lastError: null, changes: undefined, refs: undefined, inflight: undefined, job: undefined };
}

export function stateOf(obj: object): State {
  const state = (obj as { [STATE]?: State })[STATE];
  if (!state) throw new TypeError('not a mixcoatl resource object');
  return state;
}

/**
 * Depth of hydration in progress. While above zero, attribute reads never load and writes go
 * straight to the backing store: class-transformer reads every accessor while it builds an
 * object, which would otherwise recurse into loads (TOOLCHAIN §3, problem 1).
 */
export const hydration = { depth: 0 };
