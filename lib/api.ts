/**
 * The raw escape hatch: any signed
 * request by path, with the same configuration, signing, retries and typed errors as the ORM.
 */
import './journal/listen.js';
import { ResponseError } from './errors.js';
import type { Endpoint } from './endpoint.js';
import type { Details } from './config/resolve.js';
import { perform, performSync, parseJsonBody, redactSecret, type ApiRequest, type QueryValue, type RequestRecord } from './http/client.js';
import type { HttpMethod } from './wire.js';
import { checkedBody } from './http/read.js';

export interface RawRequestOptions {
  /** Query parameters (filters, `reason` of a DELETE…), sent as given. */
  query?: Record<string, QueryValue>;
  /** JSON body of a POST or PUT. */
  body?: unknown;
  /** `basic` (references as ids) or `extended` (embedded); default: the configured level. */
  details?: Details;
  /** Another endpoint than the configured one, for this request. */
  endpoint?: Endpoint;
  /** `xml` asks for application/xml and returns the text unparsed. */
  accept?: 'json' | 'xml';
  /** Resolve with the response even for an error status instead of throwing. */
  throwOnError?: boolean;
  /**
   * Aborting closes the request in flight and sends no retry; `request()` rejects with the
   * signal's reason. `requestSync()` cannot be aborted (it blocks the thread) and refuses one.
   */
  signal?: AbortSignal;
}

/**
 * A raw response; `T` is the shape the caller expects of `data` (`request<{ servers: unknown[] }>(…)`),
 * stated by the caller and not checked: the API's JSON is handed over as parsed.
 */
export interface RawResponse<T = unknown> {
  /** HTTP status of the final attempt. */
  statusCode: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON (null for an empty body), or the text for XML. */
  data: T;
  /** The body as received. */
  text: string;
  /** Method, URL (no signature), status and duration of the request. */
  request: RequestRecord;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD']);

function toRequest(method: string, path: string, options: RawRequestOptions): ApiRequest {
  const upper = String(method).toUpperCase();
  if (!METHODS.has(upper)) throw new TypeError(`method must be one of ${[...METHODS].join(', ')}, got ${JSON.stringify(method)}`);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  return { method: upper as HttpMethod, path, query: options.query, body: options.body, details: options.details, endpoint: options.endpoint, accept: options.accept, reason: 'request()', signal: options.signal };
}

function toResult<T>(outcome: Awaited<ReturnType<typeof perform>>, options: RawRequestOptions): RawResponse<T> {
  if (outcome.error && (options.throwOnError ?? true)) throw outcome.error;
  const response = outcome.response;
  const statusCode = response?.statusCode ?? outcome.error?.statusCode ?? 0;
  // The transport replaced a longer secret key already; a short one is replaced in the text here,
  // while the data are parsed from the body as received (and cleaned by parseJsonBody).
  const text = response ? redactSecret(response.body, outcome.wire) : (outcome.error?.response?.body ?? '');
  let data: unknown = text;
  if (options.accept !== 'xml' && response) data = parseJsonBody(response, outcome.wire);
  else if (options.accept !== 'xml' && text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (data === undefined) throw new ResponseError({ message: 'empty response', statusCode });
  return { statusCode, headers: response?.headers ?? outcome.error?.response?.headers ?? {}, data: data as T, text, request: outcome.record };
}

/** What `apiVersions` reports. */
export interface ApiVersions {
  /** The API's current version, e.g. `2015-05-25` (undefined when the listing names none). */
  current: string | undefined;
  /** Every version it supports, newest first. */
  supported: string[];
}

/**
 * The versions the endpoint's API serves: `GET <origin>/api/enstratus`, unsigned, through the same
 * transport, timeouts, retries, TLS setting and typed errors as every other request.
 */
export async function apiVersions(options: { endpoint?: Endpoint } = {}): Promise<ApiVersions> {
  const outcome = await perform({ method: 'GET', path: '', endpoint: options.endpoint, unversioned: true, reason: 'apiVersions()' });
  const data = checkedBody(outcome);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ResponseError({ message: `the versions listing is not a JSON object: ${outcome.response!.body.slice(0, 120)}`, statusCode: outcome.response!.statusCode });
  }
  const { current, supported } = data as { current?: { versionId?: unknown }; supported?: unknown };
  const id = (entry: unknown): string | undefined => {
    const value = (entry as { versionId?: unknown } | null)?.versionId;
    return typeof value === 'string' ? value : undefined;
  };
  const versions = (Array.isArray(supported) ? supported : []).map(id).filter((v): v is string => v !== undefined);
  return { current: id(current), supported: versions.sort().reverse() };
}

/**
 * Sends a signed request: `await request('GET', 'geography/DataCenter', { query: { regionId: 19344 } })`.
 * `request<{ dataCenters: Array<{ name: string }> }>(…)` types `data` as the caller states (unchecked).
 */
export async function request<T = unknown>(method: string, path: string, options: RawRequestOptions = {}): Promise<RawResponse<T>> {
  return toResult<T>(await perform(toRequest(method, path, options)), options);
}

/** The synchronous twin of `request()` (blocks the thread; for scripts and the REPL). */
export function requestSync<T = unknown>(method: string, path: string, options: RawRequestOptions = {}): RawResponse<T> {
  if (options.signal !== undefined) throw new TypeError('requestSync() cannot be aborted (it blocks the thread the abort would run on): use request() with the signal');
  return toResult<T>(performSync(toRequest(method, path, options)), options);
}
