/**
 * Loading one object: the same request and the same response handling for the synchronous path
 * (a lazy attribute read) and the asynchronous one (`load()`, `reload()`, `get()`).
 */
import { withSpan } from '../tracing.js';
import { NotFoundError, NotLoadedError, ResponseError, type DcmError } from '../errors.js';
import { perform, performSync, summarise, type ApiRequest, type ApiResponse, type Outcome } from '../http/client.js';
import { collectionItems } from '../http/read.js';
import { resolveRequest, type Details, type Resolution } from '../config/resolve.js';
import { metaOf, type ResourceMeta } from './registry.js';
import { stateOf, type State } from './state.js';
import { noteSingleLoad } from './n-plus-one.js';
import { identityKey } from './identity.js';
import { parseId } from './ids.js';

function singleRequest(meta: ResourceMeta, state: State, reason: string, resolved?: Resolution): ApiRequest {
  const path = meta.flat || state.id === undefined ? meta.path : `${meta.path}/${encodeURIComponent(String(state.id))}`;
  return { method: 'GET', path, endpoint: state.endpoint, details: state.details, reason, resolved };
}

/** Applies the outcome of a single-object GET to the object, or records and throws its error. */
function applyLoad(meta: ResourceMeta, state: State, outcome: Outcome, details: Details): void {
  state.lastRequest = outcome.record;
  try {
    const items = collectionItems(outcome, meta.collection, meta.flat);
    const item = items[0];
    if (!meta.flat) {
      const statusCode = (outcome.response as ApiResponse).statusCode;
      if (item === undefined) {
        throw new NotFoundError({ message: `no ${meta.name} with id ${String(state.id)} (the response was empty)`, statusCode, code: 'ENOTFOUND', request: summarise(outcome.wire) });
      }
      refuseOtherId(meta, state, item, statusCode, outcome.wire);
    }
    state.data = item;
    state.complete = true;
    state.refs = undefined;
    state.lastError = null;
    state.source = { how: 'single load', method: outcome.record.method, url: outcome.record.url, at: Date.now(), details };
  } catch (error) {
    state.lastError = error as DcmError;
    throw error;
  }
}

/**
 * The answer to `GET Server/7` must be server 7: a record of another object (a caching proxy, a
 * server bug) would leave the object's identifier and its attributes disagreeing. The id sent is
 * read by the resource's identifier rule (ids.ts: `"7"` is 7 for a numeric id); an item without an
 * id member is accepted.
 */
function refuseOtherId(meta: ResourceMeta, state: State, item: Record<string, unknown>, statusCode: number, sent: Outcome['wire']): void {
  if (meta.idKey === undefined || state.id === undefined) return;
  const got = item[meta.idKey];
  if (got === undefined || got === null || parseId(meta.idType, got) === state.id) return;
  const shown = typeof got === 'string' || typeof got === 'number' ? JSON.stringify(got).slice(0, 80) : `a ${typeof got}`;
  throw new ResponseError({
    message: `${statusCode} response to a read of ${meta.name} ${String(state.id)} holds ${meta.idKey} ${shown}, another object; refused`,
    statusCode,
    code: 'EWRONGID',
    request: summarise(sent),
  });
}

/**
 * A lazy read of an unloaded attribute: loads synchronously, or refuses in strict mode. `what`
 * names the trigger: an attribute (`name`) or a method (`pprint()`).
 */
export function loadForRead(meta: ResourceMeta, state: State, what: string): void {
  const resolved = resolveRequest(state.endpoint);
  const settings = resolved.settings;
  const label = `${meta.name} ${state.id === undefined ? '' : String(state.id)}`.trim();
  if (settings.lazy === 'async') {
    const error = new NotLoadedError({
      message: `${label} is not loaded: ${what.endsWith(')') ? what : `reading .${what}`} would block (strict mode, lazy: 'async'); await ${meta.name.charAt(0).toLowerCase()}${meta.name.slice(1)}.load() first, or use ${meta.name}.get(id)`,
    });
    state.lastError = error;
    throw error;
  }
  noteSingleLoad(meta, settings, state.via);
  const request = singleRequest(meta, state, `lazy read of ${meta.name}.${what}`, resolved);
  withSpan(`${meta.name}.${what} (lazy read)`, { 'mixcoatl.resource': meta.name }, () => applyLoad(meta, state, performSync(request), state.details ?? settings.details));
}

/**
 * Single-object GETs in flight, by endpoint, detail level and path: two objects standing for the
 * same resource (say `new Server(42)` twice, with the identity map bypassed) that load at the same
 * time share one request. Each applies the outcome to itself.
 */
const inflightReads = new Map<string, Promise<Outcome>>();

function sharedPerform(request: ApiRequest, resolved: Resolution): Promise<Outcome> {
  // Shared only within an identity map, like the objects themselves; no endpoint, no sharing
  // (the request then fails with the ConfigError on its own).
  const endpointKey = identityKey(request.endpoint, resolved);
  if (endpointKey === undefined) return perform(request);
  const key = `${endpointKey}\u0000${request.details ?? resolved.settings.details}\u0000${request.path}`;
  const running = inflightReads.get(key);
  if (running) return running;
  const promise = perform(request).finally(() => inflightReads.delete(key));
  inflightReads.set(key, promise);
  return promise;
}

/**
 * Loads (or reloads, with `force`) asynchronously; concurrent calls share one request. `details`
 * asks for another detail level than the object's for this one read (`include` needs extended).
 *
 * With `signal`, the read is this caller's own (not shared), so aborting it cancels nobody else's:
 * a read already in flight for the object is waited for, and the wait stops on abort; otherwise
 * the request is sent with the signal (aborting closes it and rejects with the signal's reason).
 */
export function loadAsync(obj: object, force: boolean, reason = 'load()', resolved?: Resolution, details?: Details, signal?: AbortSignal): Promise<void> {
  const meta = metaOf(obj.constructor);
  const state = stateOf(obj);
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (!force && state.complete) return Promise.resolve();
  if (state.inflight && details === undefined) return signal ? untilAborted(state.inflight as Promise<void>, signal) : (state.inflight as Promise<void>);
  if (state.id === undefined && !meta.flat) {
    return Promise.reject(new NotLoadedError({ message: `${meta.name} has no ${meta.idKey} yet: a new object cannot be loaded (save() it first)` }));
  }
  const resolution = resolved ?? resolveRequest(state.endpoint);
  noteSingleLoad(meta, resolution.settings, state.via);
  const request = singleRequest(meta, state, `${meta.name}.${reason}`, resolution);
  if (details !== undefined) request.details = details;
  if (signal) {
    request.signal = signal;
    return perform(request).then((outcome) => applyLoad(meta, state, outcome, request.details ?? resolution.settings.details));
  }
  const promise = (async () => {
    try {
      const outcome = await sharedPerform(request, resolution);
      applyLoad(meta, state, outcome, request.details ?? resolution.settings.details);
    } finally {
      state.inflight = undefined;
    }
  })();
  state.inflight = promise;
  return promise;
}

/** Settles with the promise, or rejects with the signal's reason as soon as it aborts. */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
