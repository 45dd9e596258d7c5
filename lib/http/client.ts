/**
 * The request pipeline: build (request.ts) → tell the listeners (listeners.ts) → send (async, or
 * sync through the worker) → record → map a failure or a status to a typed error
 * (response-errors.ts); the caller then parses (parse.ts). Signing happens per attempt inside
 * `send`, so a retry carries a fresh timestamp.
 *
 * Layers: this module reads the settings from lib/config (which returns data only) and picks the
 * transport: the configured one, else `defaultTransport`. A synchronous read gets a budget of its
 * own (`syncTimeoutMs`, 30 s by default), which caps `timeout.total` for that read.
 */
import { admit, chargeAttempts, remainingBudget } from './budget.js';
import { emit, listening } from '../events.js';
import { callSite } from '../callsite.js';
import { BudgetExceededError, DcmError, NetworkError } from '../errors.js';
import { DEFAULTS } from '../config/defaults.js';
import { resolveRequest, type Settings } from '../config/resolve.js';
import { MIN_RAW_SECRET, scrubHeaders, scrubUrl } from '../redaction.js';
import type { AttemptSlot, WireError, WireRequest, WireResponse } from '../wire.js';
import { defaultTransport, TransportFailure } from './transport.js';
import { buildWireRequest, shownUrl, type ApiRequest, type ApiResponse, type RequestRecord } from './request.js';
import { errorFromFailure, errorFromResponse, redactSecret, secretsOf } from './response-errors.js';
import { parseRetryAfter } from './send.js';
import { requestDone, requestSending, type OutcomeCallbacks } from './listeners.js';
import { processLimiter } from './limiter.js';
import { startRequestSpan, type RequestSpan } from '../tracing.js';

export type { ApiRequest, ApiResponse, QueryValue, RequestRecord } from './request.js';
export { summarise } from './request.js';
export { redactSecret } from './response-errors.js';
export { extractCollection, parseJsonBody } from './parse.js';

function log(settings: Settings, request: ApiRequest, record: RequestRecord, attempts: number, sync: boolean): void {
  if (!settings.debug) return;
  const status = record.statusCode ?? 'failed';
  const why = request.reason ? ` [${request.reason}]` : '';
  settings.debug(`${sync ? 'sync ' : ''}${record.method} ${record.url} -> ${status} in ${record.durationMs.toFixed(1)} ms${attempts > 1 ? ` after ${attempts} attempts` : ''}${why}`);
}

export interface Outcome {
  response?: ApiResponse;
  error?: DcmError;
  record: RequestRecord;
  /** The request as sent (holds the secret: never store or log it; use summarise()). */
  wire: WireRequest;
}

function finish(request: ApiRequest, wire: WireRequest, settings: Settings, result: { response?: WireResponse; failure?: WireError; durationMs: number; queuedMs?: number }, sync: boolean, site: string | undefined, listeners: OutcomeCallbacks | undefined, span: RequestSpan | undefined): Outcome {
  const record: RequestRecord = {
    method: wire.method,
    url: shownUrl(wire),
    statusCode: result.response?.statusCode ?? null,
    durationMs: Math.round((result.response?.durationMs ?? result.durationMs) * 1000) / 1000,
  };
  const attempts = result.response?.attempts ?? result.failure?.attempts ?? 1;
  log(settings, request, record, attempts, sync);
  let outcome: Outcome;
  if (result.failure) outcome = { record, wire, error: errorFromFailure(result.failure, wire) };
  // 3xx included: the transport does not follow redirects (see redirectMessage).
  else if ((result.response as WireResponse).statusCode >= 300) outcome = { record, wire, error: errorFromResponse(wire, result.response as WireResponse) };
  else {
    const response = result.response as WireResponse;
    // The transport has replaced a longer secret already; a short one is replaced here, in headers
    // only: the body is replaced after parsing (parseJsonBody) or when shown (redactSecret).
    const headers = wire.secretKey.length < MIN_RAW_SECRET ? scrubHeaders(response.headers, secretsOf(wire)) : response.headers;
    outcome = { record, wire, response: { statusCode: response.statusCode, headers, body: response.body, record } };
  }
  requestDone(listeners, { status: record.statusCode, responseBody: result.response?.body, error: outcome.error?.message });
  span?.end({ status: record.statusCode, attempts, error: outcome.error });
  if (listening('request')) {
    emit('request', {
      method: record.method,
      url: record.url,
      path: scrubUrl(request.path, wire.secretKey),
      status: record.statusCode,
      errorCode: outcome.error?.code,
      durationMs: record.durationMs,
      attempts,
      queuedMs: Math.round((result.queuedMs ?? result.response?.queuedMs ?? result.failure?.queuedMs ?? 0) * 1000) / 1000,
      trigger: scrubUrl(triggerOf(request), wire.secretKey),
      callSite: site,
      sync,
    });
  }
  return outcome;
}

function triggerOf(request: ApiRequest): string {
  return request.reason ?? `${request.method} ${request.path}`;
}

/**
 * Counts the request against the budgets (budget.ts); a refusal names the path and what asked,
 * with the secret key replaced (a path may hold it).
 */
function admitRequest(request: ApiRequest): void {
  try {
    admit(triggerOf(request), request.method, request.path);
  } catch (error) {
    if (!(error instanceof BudgetExceededError)) throw error;
    let secret = '';
    try {
      const endpoint = (request.resolved ?? resolveRequest(request.endpoint)).endpoint;
      if (!(endpoint instanceof Error)) secret = endpoint.secretKey;
    } catch {
      /* no endpoint: no secret to replace */
    }
    if (!secret || scrubUrl(error.message, secret) === error.message) throw error;
    throw new BudgetExceededError({ message: scrubUrl(error.message, secret), limit: error.limit, trigger: scrubUrl(error.trigger, secret), callSite: error.callSite });
  }
}

function prepare(request: ApiRequest): { wire: WireRequest; settings: Settings } {
  const { settings, endpoint } = request.resolved ?? resolveRequest(request.endpoint);
  if (endpoint instanceof Error) throw endpoint;
  return { wire: buildWireRequest(request, endpoint, settings), settings };
}

/**
 * The request budget's share of a call (budget.ts): the attempts its budgets leave, carried with
 * the request, since a retry is an attempt too.
 */
function allowAttempts(wire: WireRequest): void {
  const further = remainingBudget();
  if (further !== Infinity) wire.maxAttempts = 1 + further;
}

/** Counts the retries a transport reports against the budgets, unless it counted them as it made them. */
function chargeRetries(result: { attempts?: number }, countedLive: boolean): void {
  if (!countedLive && result.attempts !== undefined) chargeAttempts(result.attempts - 1);
}

/**
 * Tells the exchange listeners (the journal) of the request, just before it is handed to the
 * transport: what they write then is written before the request leaves.
 */
function sending(request: ApiRequest, wire: WireRequest, sync: boolean): OutcomeCallbacks | undefined {
  return requestSending(wire.method, () => ({ method: wire.method, path: request.path, query: request.query, body: request.body, url: wire.url, accessKey: wire.accessKey, secretKey: wire.secretKey }), sync);
}

/** The outcome of a request the listeners took, that failed with something other than a transport failure. */
function unexpected(listeners: OutcomeCallbacks | undefined, error: unknown, wire: WireRequest, span: RequestSpan | undefined): void {
  requestDone(listeners, { status: null, error: redactSecret(error instanceof Error ? error.message : String(error), wire) });
  span?.end({ status: null, attempts: 1, error: { name: error instanceof Error ? error.name : 'Error', code: 'EUNEXPECTED' } });
}

/**
 * The request's span (tracing.ts), a child of the active one, when a tracer provider is
 * registered; its trace context goes with the request as the `traceparent` header.
 */
function traced(wire: WireRequest): RequestSpan | undefined {
  const span = startRequestSpan(wire.method, shownUrl(wire));
  if (span) wire.headers = { ...wire.headers, traceparent: span.traceparent };
  return span;
}

/**
 * Settles with the promise, or rejects with the signal's reason as soon as it aborts (for a
 * transport that does not take the signal itself).
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Sends through the transport. The default transport takes the signal and the limiter (a slot per
 * attempt); another one is given the signal, and the pipeline itself waits for one slot around the
 * whole call and stops waiting on abort.
 */
async function transmit(transport: NonNullable<Settings['transport']>, wire: WireRequest, settings: Settings, signal: AbortSignal | undefined): Promise<{ response: WireResponse; queuedMs?: number }> {
  processLimiter.configure(settings.limiter);
  if (transport === defaultTransport) return { response: await transport.send(wire, { signal, gate: processLimiter }) };
  const slot: AttemptSlot = await processLimiter.acquire(signal);
  let status: number | undefined;
  let retryAfterMs: number | undefined;
  try {
    const response = await untilAborted(transport.send(wire, { signal }), signal);
    status = response.statusCode;
    const asked = parseRetryAfter(response.headers['retry-after']);
    retryAfterMs = asked === undefined ? undefined : Math.min(asked, settings.retry.maxRetryAfterMs);
    return { response, queuedMs: slot.queuedMs };
  } catch (error) {
    if (error instanceof TransportFailure) error.wire.queuedMs = slot.queuedMs;
    throw error;
  } finally {
    slot.release({ status, retryAfterMs });
  }
}

/** The outcome, once the listeners have written what they keep of it (the journal's outcome line). */
async function written(listeners: OutcomeCallbacks | undefined, outcome: Outcome): Promise<Outcome> {
  if (listeners?.written) await listeners.written;
  return outcome;
}

/**
 * Sends a request asynchronously. Never throws for a status: the outcome carries the typed error.
 * Rejects with `request.signal`'s reason when it aborts (before anything is sent, nothing is).
 */
export async function perform(request: ApiRequest): Promise<Outcome> {
  const signal = request.signal;
  signal?.throwIfAborted();
  admitRequest(request);
  const site = listening('request') ? callSite() : undefined;
  const { wire, settings } = prepare(request);
  allowAttempts(wire);
  const transport = settings.transport ?? defaultTransport;
  const listeners = sending(request, wire, false);
  // What the listeners keep of the request (the journal's intent) is written before it leaves.
  if (listeners?.ready) await listeners.ready;
  const span = traced(wire);
  const started = performance.now();
  try {
    const { response, queuedMs } = await transmit(transport, wire, settings, signal);
    chargeRetries(response, transport === defaultTransport);
    return await written(listeners, finish(request, wire, settings, { response, durationMs: performance.now() - started, queuedMs }, false, site, listeners, span));
  } catch (error) {
    if (!(error instanceof TransportFailure)) {
      unexpected(listeners, error, wire, span);
      await listeners?.written;
      throw error;
    }
    chargeRetries(error.wire, transport === defaultTransport);
    return await written(listeners, finish(request, wire, settings, { failure: error.wire, durationMs: performance.now() - started }, false, site, listeners, span));
  }
}

/** Sends a request and blocks until the outcome (the synchronous twin of `perform`). */
export function performSync(request: ApiRequest): Outcome {
  admitRequest(request);
  const site = listening('request') ? callSite() : undefined;
  const { wire: unbounded, settings } = prepare(request);
  const transport = settings.transport ?? defaultTransport;
  if (!transport.sendSync) {
    throw new NetworkError({ message: 'the configured transport cannot send synchronously; use the async API (await x.load())', code: 'ENOSYNC' });
  }
  const budget = Math.min(unbounded.timeout.total, settings.syncTimeoutMs);
  const wire: WireRequest = { ...unbounded, timeout: { ...unbounded.timeout, total: budget } };
  // The worker cannot see this thread's budgets: it gets the attempts they allow, and reports back.
  allowAttempts(wire);
  const listeners = sending(request, wire, true);
  const span = traced(wire);
  const started = performance.now();
  try {
    const response = transport.sendSync(wire, budget + DEFAULTS.syncTimeoutMarginMs);
    chargeRetries(response, false);
    return finish(request, wire, settings, { response, durationMs: performance.now() - started }, true, site, listeners, span);
  } catch (error) {
    if (!(error instanceof TransportFailure)) {
      unexpected(listeners, error, wire, span);
      throw error;
    }
    chargeRetries(error.wire, false);
    return finish(request, wire, settings, { failure: error.wire, durationMs: performance.now() - started }, true, site, listeners, span);
  }
}
