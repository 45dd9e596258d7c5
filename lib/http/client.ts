/**
 * The request pipeline in small steps: build → send (async, or sync through the
 * worker) → record → map status to a typed error → parse. Signing happens per attempt inside
 * `send`, so a retry carries a fresh timestamp.
 *
 * Layers: this module reads the settings from lib/config (which returns data only) and picks the
 * transport: the configured one, else `defaultTransport`. A synchronous read gets a budget of its
 * own (`syncTimeoutMs`, 30 s by default), which caps `timeout.total` for that read.
 */
import { admit, chargeAttempts, remainingBudget } from './budget.js';
import { callSite, emit, listening } from '../events.js';
import { errorForStatus, BudgetExceededError, DcmError, NetworkError, ResponseError, TimeoutError, type RequestSummary, type ResponseSummary } from '../errors.js';
import type { Endpoint } from '../endpoint.js';
import { DEFAULTS } from '../config/defaults.js';
import { resolveRequest, type Details, type Resolution, type Settings } from '../config/resolve.js';
import { defaultTransport, TransportFailure } from './transport.js';
import { USER_AGENT } from './signing.js';
import { parseRetryAfter } from './send.js';
import { checkParsed, MAX_JSON_DEPTH, MIN_RAW_SECRET, scrub, scrubHeaders, scrubUrl, secretSpellings, TooDeepError } from './redaction.js';
import type { HttpMethod, WireError, WireRequest, WireResponse } from './wire.js';
import { journalIntent, journalOutcome, journalsRequest, type JournalTicket } from '../journal/journal.js';

/** A query parameter's value: a scalar, or a list sent as repeated parameters; null and undefined are left out. */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

export interface ApiRequest {
  method: HttpMethod;
  /** Resource path below the API root, e.g. `infrastructure/Server/331810`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** A JSON-serialisable value, or a ready string (sent as is). */
  body?: unknown;
  details?: Details;
  accept?: 'json' | 'xml';
  endpoint?: Endpoint;
  /** Why the request is made, for the debug log (e.g. `lazy read of Server.name`). */
  reason?: string;
  /** Settings and endpoint already resolved by the caller for this request (else resolved here). */
  resolved?: Resolution;
  /**
   * Below the unversioned root `<origin>/api/enstratus` instead of the endpoint's versioned one,
   * and unsigned: the versions listing, where `path` is empty.
   */
  unversioned?: boolean;
}

/** What every call leaves behind (`lastRequest`); never holds the signature or the secret. */
export interface RequestRecord {
  /** HTTP method. */
  method: string;
  /** Full URL with the query (never a signature). */
  url: string;
  /** Status of the final attempt; `null` when no response arrived. */
  statusCode: number | null;
  /** Wall time of all attempts, in milliseconds. */
  durationMs: number;
}

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  record: RequestRecord;
}

const SIGNATURE_HEADERS = new Set(['x-esauth-signature']);

/** Builds the query string: null/undefined omitted, booleans as true/false, arrays repeated. */
export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function normalisePath(path: string): string {
  if (typeof path !== 'string' || !path.trim()) throw new TypeError('request path must be a non-empty string such as infrastructure/Server');
  // Most paths have no slash at either end: no replacement to make.
  if (path.charCodeAt(0) !== 0x2f && path.charCodeAt(path.length - 1) !== 0x2f) return path;
  return path.replace(/^\/+/, '').replace(/\/+$/, '');
}

export function buildWireRequest(request: ApiRequest, endpoint: Endpoint, settings: Settings): WireRequest {
  const unversioned = request.unversioned === true;
  const path = unversioned && request.path === '' ? '' : `/${normalisePath(request.path)}`;
  const headers: Record<string, string> = {
    accept: request.accept === 'xml' ? 'application/xml' : 'application/json',
    'user-agent': USER_AGENT,
    'x-es-details': request.details ?? settings.details,
  };
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    headers['content-type'] = request.accept === 'xml' && typeof request.body === 'string' && request.body.trimStart().startsWith('<') ? 'application/xml' : 'application/json';
  }
  return {
    method: request.method,
    url: `${unversioned ? `${endpoint.origin}/api/enstratus` : endpoint.url}${path}${buildQuery(request.query)}`,
    signedPath: `${endpoint.basePath}${path}`,
    headers,
    body,
    signed: !unversioned,
    accessKey: endpoint.accessKey,
    secretKey: endpoint.secretKey,
    sslVerify: endpoint.sslVerify,
    timeout: settings.timeout,
    retry: settings.retry,
    maxBodyBytes: settings.maxBodyBytes,
  };
}

/** The request's URL as it may be shown: the secret key replaced in its path and query (redaction.ts). */
export function shownUrl(wire: WireRequest): string {
  return scrubUrl(wire.url, wire.secretKey);
}

/** The request as errors keep it: access key kept, signature redacted, no secret. */
export function summarise(wire: WireRequest): RequestSummary {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(wire.headers)) headers[k] = SIGNATURE_HEADERS.has(k) ? '[redacted]' : v;
  if (wire.signed) {
    headers['x-esauth-access'] = wire.accessKey;
    headers['x-esauth-signature'] = '[redacted]';
  }
  return { method: wire.method, url: shownUrl(wire), headers };
}

const EXCERPT = 300;
/** Only the start of a body is looked at when making an excerpt (bodies may be megabytes). */
const EXCERPT_SCAN = 20_000;

/** An HTML error page (a proxy's 502, a login page…) reduced to its title and text. */
function htmlText(html: string): string | undefined {
  if (!/^\s*(<!doctype html|<html|<head|<body|<title|<h1)/i.test(html)) return undefined;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
  const text = html
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return `HTML page${title ? ` "${title}"` : ''}: ${text}`;
}

/**
 * A short one-line excerpt of a body for messages. A body that fits is kept as it is (the
 * raw text is the message); a longer HTML page is reduced to its title and text first.
 */
export function excerpt(text: string, max = EXCERPT): string {
  const head = text.length > EXCERPT_SCAN ? text.slice(0, EXCERPT_SCAN) : text;
  let flat = head.replace(/\s+/g, ' ').trim();
  if (flat.length > max) flat = (htmlText(head) ?? head).replace(/\s+/g, ' ').trim();
  return flat.length > max || text.length > EXCERPT_SCAN ? `${flat.slice(0, max)}…` : flat;
}

/**
 * The spellings of the secret key that text kept from a response is cleaned of, whatever the
 * key's length (redaction.ts states the rule): as is, and JSON-escaped.
 */
function secretsOf(wire: WireRequest): readonly string[] {
  return secretSpellings(wire.secretKey);
}

/** `text` with every occurrence of the request's secret key replaced by `[redacted]`. */
export function redactSecret(text: string, wire: WireRequest): string {
  return scrub(text, secretsOf(wire));
}

/** An excerpt without the secret: replaced first, so that the cut cannot leave part of it. */
function cleanExcerpt(text: string, max: number, secrets: readonly string[]): string {
  return excerpt(scrub(text, secrets), max);
}

/** JSON.parse's complaint without the slice of the body V8 quotes (it may cut through a secret). */
function parseFailure(error: Error): string {
  return error.message.replace(/,? ?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '');
}

/** What an error keeps of a response: status, headers and a short excerpt, all without the secret. */
function responseSummary(response: WireResponse | ApiResponse, secrets: readonly string[]): ResponseSummary {
  return { statusCode: response.statusCode, headers: scrubHeaders(response.headers, secrets), body: cleanExcerpt(response.body, 2000, secrets) };
}

function errorFromFailure(failure: WireError, wire: WireRequest): DcmError {
  // The URL first (a transport's message may quote it with the secret percent-encoded), then the rest.
  const options = { message: redactSecret(failure.message.split(wire.url).join(shownUrl(wire)), wire), code: failure.code, statusCode: failure.statusCode, request: summarise(wire) };
  if (failure.name === 'TimeoutError') return new TimeoutError(options);
  if (failure.name === 'ResponseError') return new ResponseError(options);
  return new NetworkError(options);
}

/** The API's error text, falling back to the raw body; without the secret. */
function apiMessage(body: string, secrets: readonly string[]): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    const message = parsed?.error?.message;
    if (typeof message === 'string' && message) return message.length > 1000 ? cleanExcerpt(message, 1000, secrets) : scrub(message, secrets);
  } catch {
    /* not JSON: the raw text is the message */
  }
  return body.trim() ? cleanExcerpt(body, EXCERPT, secrets) : undefined;
}

/**
 * A redirect (a sign-in page, a proxy, a moved host): the DCM API never answers one, and following
 * it would send signed requests elsewhere, so it is a ResponseError naming the status and target.
 */
function redirectMessage(response: WireResponse, secrets: readonly string[]): string {
  const location = headerValue(response.headers, 'location');
  const target = location ? `to ${cleanExcerpt(location, 300, secrets)}` : 'without a Location header';
  return `the API answered with a redirect (${response.statusCode}) ${target}; the endpoint URL may be wrong, or a proxy or sign-in page answered`;
}

function headerValue(headers: WireResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Maps a non-success status to its typed error (with a clock-skew hint for a rejected timestamp). */
export function errorFromResponse(wire: WireRequest, response: WireResponse): DcmError {
  const status = response.statusCode;
  const secrets = secretsOf(wire);
  let message = status >= 300 && status < 400 ? redirectMessage(response, secrets) : (apiMessage(response.body, secrets) ?? `HTTP ${status}`);
  let code: string | undefined;
  if ((status === 401 || status === 403) && /timestamp|clock|skew/i.test(message)) {
    code = 'ECLOCKSKEW';
    const serverDate = headerValue(response.headers, 'date');
    const local = new Date().toISOString();
    const server = serverDate && !Number.isNaN(Date.parse(serverDate)) ? new Date(Date.parse(serverDate)).toISOString() : undefined;
    message = `${message} (request timestamp rejected: check the clock; local time ${local}${server ? `, server time ${server}` : ''})`;
  }
  return errorForStatus({
    statusCode: status,
    code,
    message: `${message} (${wire.method} ${new URL(shownUrl(wire)).pathname}: ${status})`,
    request: summarise(wire),
    response: responseSummary(response, secrets),
    retryAfterMs: parseRetryAfter(response.headers['retry-after']),
  });
}

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

function finish(request: ApiRequest, wire: WireRequest, settings: Settings, result: { response?: WireResponse; failure?: WireError; durationMs: number }, sync: boolean, site: string | undefined, ticket: JournalTicket | undefined): Outcome {
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
  journalOutcome(ticket, { status: record.statusCode, responseBody: result.response?.body, error: outcome.error?.message });
  if (listening('request')) {
    emit('request', {
      method: record.method,
      url: record.url,
      path: scrubUrl(request.path, wire.secretKey),
      status: record.statusCode,
      errorCode: outcome.error?.code,
      durationMs: record.durationMs,
      attempts,
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

/** The journal's intent line, appended before the request is handed to the transport (write-ahead). */
function intent(request: ApiRequest, wire: WireRequest): JournalTicket | undefined {
  // Reads are not journaled unless asked for: nothing is gathered for them.
  if (!journalsRequest(wire.method)) return undefined;
  return journalIntent({ method: wire.method, path: request.path, query: request.query, body: request.body, url: wire.url, accessKey: wire.accessKey, secretKey: wire.secretKey });
}

/** The outcome of a journaled request that failed with something other than a transport failure. */
function unexpected(ticket: JournalTicket | undefined, error: unknown, wire: WireRequest): void {
  if (ticket) journalOutcome(ticket, { status: null, error: redactSecret(error instanceof Error ? error.message : String(error), wire) });
}

/** Sends a request asynchronously. Never throws for a status: the outcome carries the typed error. */
export async function perform(request: ApiRequest): Promise<Outcome> {
  admitRequest(request);
  const site = listening('request') ? callSite() : undefined;
  const { wire, settings } = prepare(request);
  allowAttempts(wire);
  const transport = settings.transport ?? defaultTransport;
  const ticket = intent(request, wire);
  const started = performance.now();
  try {
    const response = await transport.send(wire);
    chargeRetries(response, transport === defaultTransport);
    return finish(request, wire, settings, { response, durationMs: performance.now() - started }, false, site, ticket);
  } catch (error) {
    if (!(error instanceof TransportFailure)) {
      unexpected(ticket, error, wire);
      throw error;
    }
    chargeRetries(error.wire, transport === defaultTransport);
    return finish(request, wire, settings, { failure: error.wire, durationMs: performance.now() - started }, false, site, ticket);
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
  const ticket = intent(request, wire);
  const started = performance.now();
  try {
    const response = transport.sendSync(wire, budget + DEFAULTS.syncTimeoutMarginMs);
    chargeRetries(response, false);
    return finish(request, wire, settings, { response, durationMs: performance.now() - started }, true, site, ticket);
  } catch (error) {
    if (!(error instanceof TransportFailure)) {
      unexpected(ticket, error, wire);
      throw error;
    }
    chargeRetries(error.wire, false);
    return finish(request, wire, settings, { failure: error.wire, durationMs: performance.now() - started }, true, site, ticket);
  }
}

/**
 * Parses a JSON body; a body that is not JSON, nests deeper than MAX_JSON_DEPTH, or is a 2xx that
 * carries an error, is a ResponseError. The value comes back with the secret key replaced in its
 * strings and member names (redaction.ts), checked in the same pass as the depth.
 */
export function parseJsonBody(response: ApiResponse, wire: WireRequest): unknown {
  if (response.statusCode === 204 || response.body === '') return null;
  const secrets = secretsOf(wire);
  let parsed: unknown;
  try {
    parsed = checkParsed(JSON.parse(response.body), wire.secretKey);
  } catch (error) {
    const tooDeep = error instanceof TooDeepError;
    throw new ResponseError({
      message: tooDeep
        ? `${response.statusCode} response nests JSON deeper than ${MAX_JSON_DEPTH} levels; refused: ${cleanExcerpt(response.body, 60, secrets)}`
        : `response is not JSON (${response.statusCode}, ${parseFailure(error as Error)}): ${cleanExcerpt(response.body, 120, secrets)}`,
      statusCode: response.statusCode,
      code: tooDeep ? 'ETOODEEP' : 'EBADJSON',
      request: summarise(wire),
      response: responseSummary(response, secrets),
    });
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const keys = Object.keys(parsed);
    const err = (parsed as { error?: { message?: unknown } }).error;
    if (keys.length === 1 && keys[0] === 'error' && err && typeof err === 'object') {
      throw new ResponseError({
        message: `${response.statusCode} response carries an error: ${typeof err.message === 'string' ? err.message : cleanExcerpt(response.body, 120, secrets)}`,
        statusCode: response.statusCode,
        code: 'EERRORBODY',
        request: summarise(wire),
        response: responseSummary(response, secrets),
      });
    }
  }
  return parsed;
}

/** The array under `collection` in an envelope, or a ResponseError. */
export function extractCollection(parsed: unknown, collection: string, response: ApiResponse, wire: WireRequest): Record<string, unknown>[] {
  const items = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>)[collection] : undefined;
  if (!Array.isArray(items) || items.some((item) => item === null || typeof item !== 'object' || Array.isArray(item))) {
    const found =
      parsed === null ? 'an empty body'
      : Array.isArray(parsed) ? 'a bare array'
      : typeof parsed === 'object' ? (Object.keys(parsed).length ? `members ${Object.keys(parsed).slice(0, 5).join(', ')}` : 'an empty object')
      : `a ${typeof parsed}`;
    const secrets = secretsOf(wire);
    throw new ResponseError({
      message: `${response.statusCode} response envelope has no "${collection}" array of objects (found ${scrub(found, secrets)}): ${cleanExcerpt(response.body, 120, secrets)}`,
      statusCode: response.statusCode,
      code: 'EENVELOPE',
      request: summarise(wire),
      response: responseSummary(response, secrets),
    });
  }
  return items as Record<string, unknown>[];
}
