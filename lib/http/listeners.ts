/**
 * Exchange listeners: what the request pipeline tells about the requests it hands to the
 * transport, for whoever subscribes (the journal, lib/journal/listen.ts). The transport layer
 * knows nothing of its listeners: it calls them at two fixed points of every request.
 *
 * - Before: `onSend` is called after the request is built and before it is handed to the
 *   transport. On the synchronous path the pipeline sends once `onSend` returns; on the async path
 *   a listener may return a `ready` promise, and the pipeline hands the request to the transport
 *   only once it has settled. Either way what a listener writes there is written before any byte
 *   of the request leaves (write-ahead).
 * - After: the function `onSend` returned is called once with the outcome: the status and body
 *   of the answer, or the error's message (status null when no response arrived).
 *
 * A listener is asked first whether the request's method concerns it (`wants`), so that nothing
 * is gathered for requests no listener wants. Listeners must not throw: an exception from
 * `onSend` stops the request before it is sent, one from the outcome reaches the caller.
 */
import type { HttpMethod } from '../wire.js';
import type { ApiRequest } from './request.js';

/**
 * A request as listeners see it, just before it is handed to the transport: method, path, query
 * and body as the caller gave them, with what they became on the wire.
 */
export interface SentRequest extends Pick<ApiRequest, 'method' | 'path' | 'query' | 'body'> {
  /** The full URL sent (the API root is what precedes the path). */
  url: string;
  /** The access key the request is signed with. */
  accessKey: string;
  /** The secret key: for a listener to replace it in what it keeps, never to keep it. */
  secretKey: string;
}

/** What became of a request, for the listener that took it. */
export interface ExchangeOutcome {
  /** HTTP status of the answer, or null when no response arrived. */
  status: number | null;
  /** The body of the answer, when one arrived. */
  responseBody?: string;
  /** The error's message, when the request failed (a status is a failure too, from 300 on). */
  error?: string;
}

/** A subscriber to the requests the pipeline sends. */
export interface ExchangeListener {
  /** Whether requests of this method concern the listener (asked before anything is gathered). */
  wants(method: HttpMethod): boolean;
  /**
   * Called before the request is handed to the transport (`sync`: on the synchronous path, which
   * sends as soon as this returns); returns what the listener took of it, or undefined.
   */
  onSend(request: SentRequest, sync: boolean): ListenerTake | undefined;
}

/** What a listener took of a request. */
export interface ListenerTake {
  /** Settles when the listener has written what it keeps (never rejects); async path only. */
  ready?: Promise<void>;
  /**
   * Called once with the outcome; may return a promise that settles when the listener has written
   * what it keeps of it (never rejects): the async pipeline settles the request's promise only then.
   */
  done(outcome: ExchangeOutcome): void | Promise<void>;
}

/** What the listeners took of one request: the callbacks for its outcome, and what the pipeline waits for. */
export interface OutcomeCallbacks {
  readonly done: ReadonlyArray<(outcome: ExchangeOutcome) => void | Promise<void>>;
  /** Settles when every listener is ready for the request to leave (async path). */
  readonly ready?: Promise<void>;
  /** Set by {@link requestDone}: settles when every listener has written the outcome (async path). */
  written?: Promise<void>;
}

const listeners: ExchangeListener[] = [];

/**
 * Subscribes a listener to every request the pipeline sends from now on (once, however often it
 * is added); returns the function that unsubscribes it.
 */
export function addExchangeListener(listener: ExchangeListener): () => void {
  if (!listeners.includes(listener)) listeners.push(listener);
  return () => {
    const at = listeners.indexOf(listener);
    if (at !== -1) listeners.splice(at, 1);
  };
}

/**
 * Tells the listeners that want it that the request is about to be sent (called by the pipeline
 * just before it hands the request to the transport); returns the callbacks for its outcome.
 * `gather` makes the listeners' view of the request, only when one of them wants it.
 */
export function requestSending(method: HttpMethod, gather: () => SentRequest, sync: boolean): OutcomeCallbacks | undefined {
  let request: SentRequest | undefined;
  let done: ((outcome: ExchangeOutcome) => void | Promise<void>)[] | undefined;
  let ready: Promise<void>[] | undefined;
  for (const listener of listeners) {
    if (!listener.wants(method)) continue;
    request ??= gather();
    const take = listener.onSend(request, sync);
    if (take === undefined) continue;
    (done ??= []).push((outcome) => take.done(outcome));
    if (take.ready) (ready ??= []).push(take.ready);
  }
  if (done === undefined) return undefined;
  return { done, ...(ready ? { ready: ready.length === 1 ? ready[0] : Promise.all(ready).then(() => undefined) } : {}) };
}

/** Tells the listeners that took a request what became of it (what they return is kept as `written`). */
export function requestDone(callbacks: OutcomeCallbacks | undefined, outcome: ExchangeOutcome): void {
  if (!callbacks) return;
  let written: Promise<void>[] | undefined;
  for (const callback of callbacks.done) {
    const promise = callback(outcome);
    if (promise) (written ??= []).push(promise);
  }
  if (written) callbacks.written = written.length === 1 ? written[0] : Promise.all(written).then(() => undefined);
}
