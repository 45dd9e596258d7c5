/**
 * Where a value came from: `provenanceOf(server, 'name')` tells, without any request, whether the
 * attribute is loaded, and if so from which request (method and URL), when, at which detail level
 * and how (a single load, a listing, embedded in another object's answer, pre-filled from a
 * reference another object holds, or set locally and not yet saved).
 */
import { ValidationError } from '../errors.js';
import type { Details } from '../config/resolve.js';
import { metaOf } from './registry.js';
import { stateIfAny, type SourceKind } from './state.js';

/** The answer of `provenanceOf()`. Never holds a value, a secret or a signature. */
export interface Provenance {
  attribute: string;
  /**
   * - `not loaded`: nothing has been read for it yet (reading it would load the object);
   * - `absent`: the object is loaded and the answer did not carry the attribute;
   * - `null`: the answer carried null;
   * - `value`: the answer carried a value;
   * - `set locally`: assigned and not saved yet;
   * - `identifier`: the object's id, known without any request.
   */
  state: 'not loaded' | 'absent' | 'null' | 'value' | 'set locally' | 'identifier';
  /** How the data arrived (undefined when nothing did). */
  how: SourceKind | undefined;
  /** The request that brought it. */
  request: { method: string; url: string } | undefined;
  /** When its answer arrived. */
  at: Date | undefined;
  /** The detail level it was read at. */
  details: Details | undefined;
}

/** Where `obj[attribute]` came from; makes no request. */
export function provenanceOf(obj: object, attribute: string): Provenance {
  const state = stateIfAny(obj);
  if (!state) throw new ValidationError({ message: 'provenanceOf() takes a resource object and an attribute name' });
  if (typeof attribute !== 'string' || attribute === '') throw new ValidationError({ message: 'provenanceOf(): the attribute name must be a non-empty string' });
  const meta = metaOf(obj.constructor);
  const source = state.source;
  const origin = {
    how: source?.how,
    request: source ? { method: source.method, url: source.url } : undefined,
    at: source ? new Date(source.at) : undefined,
    details: source?.details,
  };
  const none = { how: undefined, request: undefined, at: undefined, details: undefined };
  if (state.changes !== undefined && attribute in state.changes) return { attribute, state: 'set locally', ...none };
  if (attribute === meta.idKey && state.id !== undefined) return { attribute, state: 'identifier', ...origin };
  const data = state.data;
  if (data === undefined || !(attribute in data)) {
    return state.complete ? { attribute, state: 'absent', ...origin } : { attribute, state: 'not loaded', ...none };
  }
  return { attribute, state: data[attribute] === null ? 'null' : 'value', ...origin };
}
