/**
 * Sends one WireRequest with got: signs every attempt afresh (the timestamp is part of the
 * signature), applies the timeouts, and retries what is safe to retry.
 *
 * Retry policy (README "Failure behaviour"):
 * - GET and HEAD read only: retried on network errors, timeouts, 429 and 500/502/503/504.
 * - PUT and DELETE are actions in this API (start, stop, attach, terminate…): a second copy may
 *   start a second job. They are retried only when the request provably never reached the server
 *   (connection refused, DNS failure, connect timeout) or the server said 429 (refused unprocessed).
 * - POST creates things (a retried launch could create a second server): never retried.
 * A Retry-After (seconds or HTTP date) is honoured up to `retry.maxRetryAfterMs`; beyond that the
 * 429/503 is returned as it is. Other pauses are exponential with full jitter
 * (`retry.baseDelayMs`·2^n, at most `retry.maxDelayMs`).
 *
 * Timeouts: `connect` (until a connection is open), `response` (until the headers are in) and
 * `request` (the whole attempt) per attempt, each counted from the attempt's start, and `total`
 * for the whole call — no pause or attempt is started that would end past it.
 *
 * Hostile responses: a body larger than `maxBodyBytes` is refused while it streams in, and a
 * response that echoes this attempt's signature (or the secret key), plainly or JSON-escaped, has
 * it replaced by `[redacted]` before anything else can see, keep or print it (the rule is in
 * redaction.ts).
 *
 * Abort (`signal`, async path only): the attempt in flight is destroyed (its socket closed), no
 * pause or further attempt follows, and the send rejects with the signal's reason, as fetch() does.
 * The limiter (`gate`, limiter.ts) gives each attempt its slot and hears each answer.
 *
 * This module is shared by the in-process async path and the synchronous worker, so both behave
 * the same. It never throws for an HTTP status: statuses are interpreted by the caller.
 */
import type { IncomingMessage } from 'node:http';
import type { Got, OptionsInit, Request } from 'got';
import { freshAgents, isStaleFailure, pooledAgents } from './connections.js';
import { proxyAgents } from './proxy.js';
import { trustedWith } from '../config/ca-bundle.js';
import { authHeaders } from './signing.js';
import { scrubProxy, shownProxy, canonicalJsonEscapes, MIN_RAW_SECRET, scrub, scrubHeaders, scrubUrl, secretSpellings } from '../redaction.js';
import type { AttemptSlot, HttpMethod, SendOptions, WireError, WireRequest, WireResponse } from '../wire.js';
import { TransportFailure } from './failure.js';

const RETRY_STATUS_READ = new Set([429, 500, 502, 503, 504]);
/** Errors raised before the request could have been received by the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * got is imported at the first request, not with this module: a program that only reads
 * synchronously never needs it on its main thread (the worker sends), and a first synchronous
 * read then does not wait for the main thread to load it.
 */
let gotModule: typeof import('got') | undefined;
let client: Got | undefined;
let loading: Promise<Got> | undefined;

/** Imports got and builds the client once; later calls return the same promise. */
export function loadGot(): Promise<Got> {
  loading ??= import('got').then((module) => {
    gotModule = module;
    client = module.default.extend({
      throwHttpErrors: false,
      retry: { limit: 0 },
      responseType: 'text',
      followRedirect: false,
      agent: pooledAgents,
    });
    return client;
  });
  return loading;
}

/** A got instance whose requests are streams (`isStream` is one of its defaults). */
type StreamClient = (url: string, options: OptionsInit) => Request;

/**
 * got instances by certificate check, CA bundle and proxy, extended from the client once: those
 * options, and the stream interface, are then part of the instance's defaults, and a request
 * passes only what is its own (headers, and method and body when not a plain GET). got merges
 * every option a request passes into a copy of the defaults, so this saves that merge per request.
 */
const clients = new Map<string, StreamClient>();

function clientFor(base: Got, request: WireRequest): StreamClient {
  const { sslVerify, caFile, proxy } = request;
  const key = caFile === undefined && proxy === undefined ? (sslVerify ? 'verify' : 'no-verify') : JSON.stringify([sslVerify, caFile ?? null, proxy ?? null]);
  let found = clients.get(key);
  if (!found) {
    found = base.extend({
      isStream: true,
      // Verification is got's (and Node's) default; the option is given only to turn it off, or
      // to trust a bundle's authorities besides Node's roots.
      ...(!sslVerify ? { https: { rejectUnauthorized: false } } : caFile !== undefined ? { https: { certificateAuthority: trustedWith(caFile) } } : {}),
      ...(proxy !== undefined ? { agent: proxyAgents(proxy) } : {}),
    }) as unknown as StreamClient;
    clients.set(key, found);
  }
  return found;
}

/**
 * An attempt failed on a kept-alive connection the server had closed, before any byte of an
 * answer (connections.ts): a read is retried at once on a fresh connection.
 */
class StaleConnection extends Error {
  constructor(readonly failure: Error) {
    super(failure.message);
  }
}

/** A pause; rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return new Promise((resolve) => setTimeout(resolve, ms));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Thrown in place of an attempt's failure when the signal aborted it: carries the reason as is. */
class Aborted extends Error {
  constructor(readonly reason: unknown) {
    super('aborted');
  }
}

/** Milliseconds the server asked to wait, from a Retry-After of seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter, capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  return Math.round(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

function mayRetryStatus(method: string, status: number): boolean {
  if (method === 'GET' || method === 'HEAD') return RETRY_STATUS_READ.has(status);
  if (method === 'PUT' || method === 'DELETE') return status === 429;
  return false;
}

function mayRetryFailure(method: string, failure: WireError, connectTimeout: boolean): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  if (method === 'PUT' || method === 'DELETE') return NOT_SENT_CODES.has(failure.code) || connectTimeout;
  return false;
}

function describeFailure(caught: unknown, request: WireRequest): { wire: WireError; connectTimeout: boolean } {
  const error = caught instanceof StaleConnection ? caught.failure : caught;
  if (error instanceof TransportFailure) return { wire: error.wire, connectTimeout: error.connectTimeout };
  if (gotModule && error instanceof gotModule.RequestError) {
    const code = error.code ?? 'ENETWORK';
    return { wire: { name: 'NetworkError', code, message: `${request.method} ${redactUrl(request)} failed: ${scrubProxy(error.message, request.proxy)}${throughProxy(request)}` }, connectTimeout: false };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { wire: { name: 'NetworkError', code: 'ENETWORK', message: `${request.method} ${redactUrl(request)} failed: ${scrubProxy(message, request.proxy)}${throughProxy(request)}` }, connectTimeout: false };
}

/** ` (through the proxy …)` for a request that was proxied, the proxy shown without credentials. */
function throughProxy(request: WireRequest): string {
  return request.proxy === undefined ? '' : ` (through the proxy ${shownProxy(request.proxy)})`;
}

/** The request's URL for a message: the secret key replaced (a path or query may hold it), kept short. */
function redactUrl(request: WireRequest): string {
  const url = scrubUrl(request.url, request.secretKey);
  return url.length > 500 ? `${url.slice(0, 500)}…` : url;
}

type AttemptResponse = Omit<WireResponse, 'durationMs' | 'attempts'>;

/** The phase of an attempt a timeout is reported for. */
type TimeoutEvent = 'connect' | 'response' | 'request' | 'total';

/**
 * One attempt. `cutTo` is the attempt's time limit when the total timeout leaves less than a whole
 * one (else `timeout.request` applies).
 *
 * got's stream interface is used, the body collected here: it reports the response as soon as the
 * headers are in (where the size limit is checked first) and then each chunk (counted against the
 * limit), without the promise interface's cancelable promise, proxied events and buffering.
 *
 * The three limits of an attempt are kept by one timer, all measured from the attempt's start:
 * `connect` while no connection is open (name lookup included), `response` until the headers are
 * in, `request` (or `cutTo`) until the body has ended. When the timer fires, it ends the attempt
 * if the limit of the phase the request is still in has run out, else it is set again for the
 * next limit that could. (got's own timeouts cost two timers and a dozen listeners per request.)
 */
function attempt(request: WireRequest, cutTo: number | undefined, fresh = false, signal?: AbortSignal): Promise<AttemptResponse> {
  if (!client) return loadGot().then(() => attempt(request, cutTo, fresh, signal));
  if (signal?.aborted) return Promise.reject(new Aborted(signal.reason));
  let headers = request.headers;
  let secrets: string[] | undefined;
  if (request.signed) {
    const auth = authHeaders({ accessKey: request.accessKey, secretKey: request.secretKey, method: request.method, path: request.signedPath, userAgent: headers['user-agent'] });
    headers = { ...headers, ...auth };
    // A short secret key is not replaced in the raw body, where it could cut through the JSON syntax (redaction.ts).
    secrets = request.secretKey.length < MIN_RAW_SECRET ? [auth['x-esauth-signature']] : [auth['x-esauth-signature'], ...secretSpellings(request.secretKey)];
  }
  const options: { headers: Record<string, string>; method?: HttpMethod; body?: string; agent?: OptionsInit['agent'] } = { headers };
  if (request.method !== 'GET') options.method = request.method;
  if (request.body !== undefined) options.body = request.body;
  if (fresh) options.agent = request.proxy === undefined ? freshAgents : proxyAgents(request.proxy, true);
  const started = performance.now();
  const stream = clientFor(client, request)(request.url, options);
  // A request without a body is ended here: got's stream ends only GET and HEAD by itself.
  if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD') stream.end();
  const limit = request.maxBodyBytes;
  const { connect, response: toHeaders } = request.timeout;
  const whole = cutTo ?? request.timeout.request;
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    /** Ends the attempt once, stopping its timer; false when it had ended already. */
    const endOnce = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const fail = (failure: TransportFailure | Aborted): void => {
      if (!endOnce()) return;
      stream.destroy();
      reject(failure);
    };
    // Aborting destroys the request: its socket is closed, whatever phase it is in.
    const onAbort = (): void => fail(new Aborted(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    const refuse = (): void => {
      const status = response?.statusCode;
      fail(new TransportFailure({
        name: 'ResponseError',
        code: 'EBODYTOOLARGE',
        statusCode: status,
        message: `${request.method} ${redactUrl(request)}: response body${status ? ` (status ${status})` : ''} exceeds maxBodyBytes (${limit} bytes); refused`,
      }));
    };
    const timeUp = (event: TimeoutEvent, ms: number): void =>
      fail(new TransportFailure({ name: 'TimeoutError', code: 'ETIMEDOUT', message: `${request.method} ${redactUrl(request)} timed out (${event} timeout of ${ms} ms)` }, event === 'connect'));
    /** Ends the attempt if the limit of its current phase has run out, else waits for the next one. */
    const check = (): void => {
      const elapsed = performance.now() - started;
      let next = whole;
      if (!response) {
        const socket = stream.socket;
        if (!socket || socket.connecting) {
          if (elapsed >= connect) return timeUp('connect', connect);
          next = Math.min(next, connect);
        }
        if (elapsed >= toHeaders) return timeUp('response', toHeaders);
        next = Math.min(next, toHeaders);
      }
      if (elapsed >= whole) return timeUp(cutTo === undefined ? 'request' : 'total', cutTo === undefined ? whole : request.timeout.total);
      timer = setTimeout(check, Math.max(1, Math.ceil(next - elapsed)));
      timer.unref();
    };
    let timer = setTimeout(check, Math.min(connect, toHeaders, whole));
    timer.unref();
    stream.on('response', (answer: IncomingMessage) => {
      response = answer;
      const declared = Number(answer.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) refuse();
    });
    // The decompressed body, counted as it streams in.
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) refuse();
      else chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!endOnce()) return;
      const answer = response as IncomingMessage;
      const body = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString();
      resolve(
        secrets === undefined
          ? { statusCode: answer.statusCode as number, headers: answer.headers, body }
          : { statusCode: answer.statusCode as number, headers: scrubHeaders(answer.headers, secrets), body: scrub(canonicalJsonEscapes(body), secrets) },
      );
    });
    stream.on('error', (error: Error) => {
      if (!endOnce()) return;
      reject(response === undefined && isStaleFailure(stream.reusedSocket, (error as NodeJS.ErrnoException).code, stream.socket) ? new StaleConnection(error) : error);
    });
  });
}

/**
 * Sends the request, retrying per the policy above. Resolves with the last response (whatever
 * its status); rejects with a TransportFailure when no usable response arrived.
 *
 * Every attempt counts (`attempts` of the answer): no further attempt is made once
 * `request.maxAttempts` have been made, nor when `mayAttemptAgain` (the live request budget of the
 * async path) refuses one; the last answer or failure is then returned as when the retries run
 * out. A read that failed on a kept-alive connection the server had closed is retried at once, on
 * a fresh connection (connections.ts). Every attempt waits for its slot of `options.gate` (the
 * limiter; a retry first in line) and reports its answer to it; `options.signal` aborts (rejects
 * with its reason, the attempt in flight destroyed, nothing retried).
 */
export async function send(request: WireRequest, mayAttemptAgain?: () => boolean, options: SendOptions = {}): Promise<WireResponse> {
  const { signal, gate } = options;
  const started = performance.now();
  const deadline = started + request.timeout.total;
  const maxAttempts = request.maxAttempts ?? Infinity;
  /** Whether one more attempt may be made (counted against the budget when it may). */
  const another = (): boolean => attempts < maxAttempts && (mayAttemptAgain === undefined || mayAttemptAgain());
  let attempts = 0;
  let retries = 0;
  let fresh = false;
  let queuedMs = 0;
  for (;;) {
    attempts += 1;
    const retriesLeft = retries < request.retry.limit;
    let slot: AttemptSlot | undefined;
    try {
      if (gate) {
        slot = await gate.acquire(signal, attempts > 1);
        queuedMs += slot.queuedMs;
      }
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    }
    const remaining = Math.max(1, Math.floor(deadline - performance.now()));
    const cutByTotal = remaining < request.timeout.request;
    try {
      const response = await attempt(request, cutByTotal ? remaining : undefined, fresh, signal);
      fresh = false;
      const retryAfter = parseRetryAfter(response.headers['retry-after']);
      slot?.release({ status: response.statusCode, retryAfterMs: retryAfter === undefined ? undefined : Math.min(retryAfter, request.retry.maxRetryAfterMs) });
      slot = undefined;
      if (retriesLeft && mayRetryStatus(request.method, response.statusCode)) {
        if (retryAfter === undefined || retryAfter <= request.retry.maxRetryAfterMs) {
          if (await pauseBefore(deadline, retryAfter ?? backoffDelay(retries, request.retry.baseDelayMs, request.retry.maxDelayMs), another, signal)) {
            retries += 1;
            continue;
          }
        }
      }
      return { statusCode: response.statusCode, headers: response.headers, body: response.body, durationMs: performance.now() - started, attempts, ...(gate ? { queuedMs } : {}) };
    } catch (error) {
      slot?.release({});
      if (error instanceof Aborted) throw error.reason;
      if (signal?.aborted) throw signal.reason;
      fresh = false;
      // A read that met a connection the server had closed: retried at once, on a fresh connection.
      if (error instanceof StaleConnection && retriesLeft && (request.method === 'GET' || request.method === 'HEAD') && performance.now() < deadline && another()) {
        retries += 1;
        fresh = true;
        continue;
      }
      const { wire, connectTimeout } = describeFailure(error, request);
      if (wire.code !== 'EBODYTOOLARGE' && retriesLeft && mayRetryFailure(request.method, wire, connectTimeout)) {
        if (await pauseBefore(deadline, backoffDelay(retries, request.retry.baseDelayMs, request.retry.maxDelayMs), another, signal)) {
          retries += 1;
          continue;
        }
      }
      throw new TransportFailure({ ...wire, attempts, ...(gate ? { queuedMs } : {}), message: attempts > 1 ? `${wire.message} (after ${attempts} attempts)` : wire.message });
    }
  }
}

/**
 * Waits `ms` before the next attempt, unless the pause would run past the deadline or `another`
 * allows no further attempt (then false, at once).
 */
async function pauseBefore(deadline: number, ms: number, another: () => boolean, signal?: AbortSignal): Promise<boolean> {
  if (performance.now() + ms >= deadline || !another()) return false;
  await sleep(ms, signal);
  return true;
}
