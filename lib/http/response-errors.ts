/**
 * Response errors: a transport failure or a non-success status made into the typed error it
 * stands for (lib/errors.ts), with what the error keeps of the request and the response (status,
 * headers, a short excerpt), all without the secret key.
 */
import { errorForStatus, DcmError, NetworkError, TlsError, ResponseError, TimeoutError, type ResponseSummary } from '../errors.js';
import { scrub, scrubHeaders, secretSpellings } from '../redaction.js';
import type { WireError, WireRequest, WireResponse } from '../wire.js';
import { shownUrl, summarise, type ApiResponse } from './request.js';
import { parseRetryAfter } from './send.js';

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
export function secretsOf(wire: WireRequest): readonly string[] {
  return secretSpellings(wire.secretKey);
}

/** `text` with every occurrence of the request's secret key replaced by `[redacted]`. */
export function redactSecret(text: string, wire: WireRequest): string {
  return scrub(text, secretsOf(wire));
}

/** An excerpt without the secret: replaced first, so that the cut cannot leave part of it. */
export function cleanExcerpt(text: string, max: number, secrets: readonly string[]): string {
  return excerpt(scrub(text, secrets), max);
}

/** What an error keeps of a response: status, headers and a short excerpt, all without the secret. */
export function responseSummary(response: WireResponse | ApiResponse, secrets: readonly string[]): ResponseSummary {
  return { statusCode: response.statusCode, headers: scrubHeaders(response.headers, secrets), body: cleanExcerpt(response.body, 2000, secrets) };
}

/** A transport failure (no usable response) as its typed error, its message without the secret. */
/** The certificate checks Node reports when it cannot verify a server's certificate. */
const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
  'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'CERT_CHAIN_TOO_LONG', 'INVALID_CA', 'HOSTNAME_MISMATCH',
]);

/** What a TLS failure's message adds: the check that failed, and how to trust the issuer. */
function tlsAdvice(code: string, wire: WireRequest): string {
  const trusting = wire.caFile === undefined ? 'set caFile (DCM_CA_BUNDLE) to the PEM file of the authority that issued it' : `the CA bundle ${wire.caFile} does not hold the authority that issued it`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return ` [${code}: the server's TLS certificate is outside its validity period]`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return ` [${code}: the server's TLS certificate is not issued for this host name]`;
  return ` [${code}: the server's TLS certificate could not be verified; ${trusting}]`;
}

export function errorFromFailure(failure: WireError, wire: WireRequest): DcmError {
  // The URL first (a transport's message may quote it with the secret percent-encoded), then the rest.
  const options = { message: redactSecret(failure.message.split(wire.url).join(shownUrl(wire)), wire), code: failure.code, statusCode: failure.statusCode, request: summarise(wire) };
  if (TLS_CODES.has(failure.code)) return new TlsError({ ...options, message: options.message + tlsAdvice(failure.code, wire) });
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

