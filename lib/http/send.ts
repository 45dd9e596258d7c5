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
 * Timeouts: `connect`, `response` (headers) and `request` (one attempt) per attempt, and `total`
 * for the whole call — no pause or attempt is started that would end past it.
 *
 * Hostile responses: a body larger than `maxBodyBytes` is refused while it streams in, and a
 * response that echoes this attempt's signature (or the secret key), plainly or JSON-escaped, has
 * it replaced by `[redacted]` before anything else can see, keep or print it (the rule is in
 * redaction.ts).
 *
 * This module is shared by the in-process async path and the synchronous worker, so both behave
 * the same. It never throws for an HTTP status: statuses are interpreted by the caller.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Got, OptionsInit, Request, RequestError } from 'got';
import { authHeaders } from './signing.js';
import { canonicalJsonEscapes, MIN_RAW_SECRET, scrub, scrubHeaders } from './redaction.js';
import type { HttpMethod, WireError, WireRequest, WireResponse } from './wire.js';

const RETRY_STATUS_READ = new Set([429, 500, 502, 503, 504]);
/** Errors raised before the request could have been received by the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 32 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

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
      agent: agents,
    });
    return client;
  });
  return loading;
}

/** A got instance whose requests are streams (`isStream` is one of its defaults). */
type StreamClient = (url: string, options: OptionsInit) => Request;

/**
 * got instances by attempt timeouts and certificate check, extended from the client once: those
 * options, and the stream interface, are then part of the instance's defaults, and a request
 * passes only what is its own (headers, and method and body when not a plain GET). got merges
 * every option a request passes into a copy of the defaults, so this saves that merge per
 * request. A handful of settings is usual; the cache is emptied if a program cycles through many.
 */
const clients = new Map<string, StreamClient>();
const MAX_CLIENTS = 32;

function clientFor(base: Got, timeout: WireRequest['timeout'], sslVerify: boolean): StreamClient {
  const key = `${timeout.connect}/${timeout.response}/${timeout.request}/${sslVerify ? 1 : 0}`;
  let found = clients.get(key);
  if (!found) {
    if (clients.size >= MAX_CLIENTS) clients.clear();
    found = base.extend({
      isStream: true,
      timeout: { connect: timeout.connect, response: timeout.response, request: timeout.request },
      // Verification is got's (and Node's) default; the option is given only to turn it off.
      ...(sslVerify ? {} : { https: { rejectUnauthorized: false } }),
    }) as unknown as StreamClient;
    clients.set(key, found);
  }
  return found;
}

/** Failure of a request that got no usable response; carried as data across the worker boundary. */
export class WireFailure extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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

function describeFailure(error: unknown, request: WireRequest, cutByTotal: boolean): { wire: WireError; connectTimeout: boolean } {
  if (error instanceof WireFailure) return { wire: error.wire, connectTimeout: false };
  if (gotModule && error instanceof gotModule.RequestError) {
    const code = error.code ?? 'ENETWORK';
    if (code === 'ETIMEDOUT') {
      const gotEvent = (error as RequestError & { event?: string }).event ?? 'request';
      const event = gotEvent === 'request' && cutByTotal ? 'total' : gotEvent;
      const limit = event === 'total' ? request.timeout.total : (request.timeout as unknown as Record<string, number>)[event];
      return {
        wire: { name: 'TimeoutError', code, message: `${request.method} ${redactUrl(request.url)} timed out (${event} timeout${limit ? ` of ${limit} ms` : ''})` },
        connectTimeout: event === 'connect' || event === 'lookup',
      };
    }
    return { wire: { name: 'NetworkError', code, message: `${request.method} ${redactUrl(request.url)} failed: ${error.message}` }, connectTimeout: false };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { wire: { name: 'NetworkError', code: 'ENETWORK', message: `${request.method} ${redactUrl(request.url)} failed: ${message}` }, connectTimeout: false };
}

/** URLs carry no secrets in this API, but user-supplied query strings might; keep them short. */
function redactUrl(url: string): string {
  return url.length > 500 ? `${url.slice(0, 500)}…` : url;
}

/** The spellings of a secret key a response is cleaned of besides the signature (redaction.ts). */
let secretsFor: { key: string; spellings: string[] } | undefined;

function secretSpellings(secretKey: string): string[] {
  if (secretKey.length < MIN_RAW_SECRET) return [];
  if (secretsFor?.key !== secretKey) {
    const escaped = JSON.stringify(secretKey).slice(1, -1);
    secretsFor = { key: secretKey, spellings: escaped === secretKey ? [secretKey] : [secretKey, escaped] };
  }
  return secretsFor.spellings;
}

type AttemptResponse = Omit<WireResponse, 'durationMs' | 'attempts'>;

/**
 * One attempt. `cutTo` is the attempt's timeout when the total timeout leaves less than a whole
 * one (else the configured one applies).
 *
 * got's stream interface is used, the body collected here: it reports the response as soon as the
 * headers are in (where the size limit is checked first) and then each chunk (counted against the
 * limit), without the promise interface's cancelable promise, proxied events and buffering.
 */
function attempt(request: WireRequest, cutTo: number | undefined): Promise<AttemptResponse> {
  if (!client) return loadGot().then(() => attempt(request, cutTo));
  let headers = request.headers;
  let secrets: string[] | undefined;
  if (request.signed) {
    const auth = authHeaders({ accessKey: request.accessKey, secretKey: request.secretKey, method: request.method, path: request.signedPath, userAgent: headers['user-agent'] });
    headers = { ...headers, ...auth };
    secrets = [auth['x-esauth-signature'], ...secretSpellings(request.secretKey)];
  }
  const options: { headers: Record<string, string>; method?: HttpMethod; body?: string; timeout?: { request: number } } = { headers };
  if (request.method !== 'GET') options.method = request.method;
  if (request.body !== undefined) options.body = request.body;
  if (cutTo !== undefined) options.timeout = { request: cutTo };
  const stream = clientFor(client, request.timeout, request.sslVerify)(request.url, options);
  // A request without a body is ended here: got's stream ends only GET and HEAD by itself.
  if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD') stream.end();
  const limit = request.maxBodyBytes;
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const refuse = (): void => {
      if (done) return;
      done = true;
      stream.destroy();
      const status = response?.statusCode;
      reject(new WireFailure({
        name: 'ResponseError',
        code: 'EBODYTOOLARGE',
        statusCode: status,
        message: `${request.method} ${redactUrl(request.url)}: response body${status ? ` (status ${status})` : ''} exceeds maxBodyBytes (${limit} bytes); refused`,
      }));
    };
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
      if (done) return;
      done = true;
      const answer = response as IncomingMessage;
      const body = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString();
      resolve(
        secrets === undefined
          ? { statusCode: answer.statusCode as number, headers: answer.headers, body }
          : { statusCode: answer.statusCode as number, headers: scrubHeaders(answer.headers, secrets), body: scrub(canonicalJsonEscapes(body), secrets) },
      );
    });
    stream.on('error', (error: Error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

/**
 * Sends the request, retrying per the policy above. Resolves with the last response (whatever
 * its status); rejects with a WireFailure when no usable response arrived.
 */
export async function send(request: WireRequest): Promise<WireResponse> {
  const started = performance.now();
  const deadline = started + request.timeout.total;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const retriesLeft = attempts <= request.retry.limit;
    const remaining = Math.max(1, Math.floor(deadline - performance.now()));
    const cutByTotal = remaining < request.timeout.request;
    try {
      const response = await attempt(request, cutByTotal ? remaining : undefined);
      if (retriesLeft && mayRetryStatus(request.method, response.statusCode)) {
        const retryAfter = parseRetryAfter(response.headers['retry-after']);
        if (retryAfter === undefined || retryAfter <= request.retry.maxRetryAfterMs) {
          if (await pauseBefore(deadline, retryAfter ?? backoffDelay(attempts - 1, request.retry.baseDelayMs, request.retry.maxDelayMs))) continue;
        }
      }
      return { statusCode: response.statusCode, headers: response.headers, body: response.body, durationMs: performance.now() - started, attempts };
    } catch (error) {
      const { wire, connectTimeout } = describeFailure(error, request, cutByTotal);
      if (wire.code !== 'EBODYTOOLARGE' && retriesLeft && mayRetryFailure(request.method, wire, connectTimeout)) {
        if (await pauseBefore(deadline, backoffDelay(attempts - 1, request.retry.baseDelayMs, request.retry.maxDelayMs))) continue;
      }
      throw new WireFailure({ ...wire, attempts, message: attempts > 1 ? `${wire.message} (after ${attempts} attempts)` : wire.message });
    }
  }
}

/** Waits `ms` before the next attempt, unless the pause would run past the deadline (then false). */
async function pauseBefore(deadline: number, ms: number): Promise<boolean> {
  if (performance.now() + ms >= deadline) return false;
  await sleep(ms);
  return true;
}
