/**
 * Request building: what a caller asks for (`ApiRequest`) made into the request the transport
 * sends (`WireRequest`: URL with its query, headers, body, keys, limits), and the forms of it that
 * may be kept or shown (`summarise`, `shownUrl`), which never hold the signature or the secret.
 */
import { proxyFor } from './proxy.js';
import type { RequestSummary } from '../errors.js';
import type { Endpoint } from '../endpoint.js';
import type { Details, Resolution, Settings } from '../config/resolve.js';
import { REDACTED_MARK, scrubUrl } from '../redaction.js';
import type { HttpMethod, WireRequest } from '../wire.js';
import { USER_AGENT } from './signing.js';

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
  /**
   * Aborting closes the request in flight and sends no retry; the call rejects with the signal's
   * reason. Asynchronous calls only (a synchronous read cannot be aborted). Never crosses to the
   * transport's worker: it is handed to the transport beside the WireRequest.
   */
  signal?: AbortSignal;
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

/** The proxy of a request: the endpoint's own, else the settings' (proxy.ts); none, at no cost, when nothing names one. */
function proxyOf(endpoint: Endpoint, settings: Settings, url: string): string | undefined {
  const { proxy: own } = endpoint;
  const { proxy, httpsProxy, httpProxy, noProxy } = settings.proxy;
  if (own === undefined && proxy === undefined && httpsProxy === undefined && httpProxy === undefined) return undefined;
  return proxyFor(url, { proxy: own ?? proxy, httpsProxy, httpProxy, noProxy });
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
  const url = `${unversioned ? `${endpoint.origin}/api/enstratus` : endpoint.url}${path}${buildQuery(request.query)}`;
  const caFile = endpoint.caFile ?? settings.caFile;
  const proxy = proxyOf(endpoint, settings, url);
  return {
    method: request.method,
    url,
    signedPath: `${endpoint.basePath}${path}`,
    headers,
    body,
    signed: !unversioned,
    accessKey: endpoint.accessKey,
    secretKey: endpoint.secretKey,
    sslVerify: endpoint.sslVerify,
    ...(caFile === undefined ? {} : { caFile }),
    ...(proxy === undefined ? {} : { proxy }),
    timeout: settings.timeout,
    retry: settings.retry,
    maxBodyBytes: settings.maxBodyBytes,
  };
}

const SIGNATURE_HEADERS = new Set(['x-esauth-signature']);

/** The request's URL as it may be shown: the secret key replaced in its path and query (redaction.ts). */
export function shownUrl(wire: WireRequest): string {
  return scrubUrl(wire.url, wire.secretKey);
}

/** The request as errors keep it: access key kept, signature redacted, no secret. */
export function summarise(wire: WireRequest): RequestSummary {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(wire.headers)) headers[k] = SIGNATURE_HEADERS.has(k) ? REDACTED_MARK : v;
  if (wire.signed) {
    headers['x-esauth-access'] = wire.accessKey;
    headers['x-esauth-signature'] = REDACTED_MARK;
  }
  return { method: wire.method, url: shownUrl(wire), headers };
}

