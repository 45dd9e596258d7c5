/**
 * Request authentication, verified independently of the client's code.
 *
 * String to sign: `accessKey:METHOD:<request path without query>:<x-esauth-timestamp>:<User-Agent>`,
 * HMAC-SHA256 keyed by the secret key, standard base64. Content-Type is never required. Checks, in
 * order, each failing with 403 and a message naming the check: required headers present, access
 * key known (ACTIVE `admin/ApiKey` items — the configured pairs plus keys created through
 * `generateApiKey`) and signature — one answer for both, so key existence cannot be probed —,
 * then timestamp window. The signature is checked before the clock so that a "stale timestamp"
 * answer is only given to a caller who holds the secret.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './api-error.js';
import type { Store } from './store.js';
import { dcmTimestamp } from './time.js';

const HEADERS = ['x-esauth-access', 'x-esauth-timestamp', 'x-esauth-signature'] as const;
/** Keys the HMAC of a request whose access key is unknown; no signature can match it by chance that matters. */
const UNKNOWN_KEY_SECRET = randomBytes(32).toString('base64');
/** The largest epoch-ms value a Date can represent (ECMA-262 §21.4.1.22). */
const MAX_DATE_MS = 8.64e15;

export function signature(secretKey: string, stringToSign: string): string {
  return createHmac('sha256', secretKey).update(stringToSign, 'utf8').digest('base64');
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What the signature check found, for the request log: `missing` when a signing header was absent. */
export type SignatureCheck = 'valid' | 'invalid' | 'missing';

/** Returns the caller's access key or throws a 403 ApiError; `outcome.signature` tells the log what the signature check found. */
export function authenticate(method: string, rawPath: string, headers: IncomingHttpHeaders, store: Store, windowMs: number, now: number, outcome: { signature?: SignatureCheck } = {}): string {
  const missing = HEADERS.filter((h) => !header(headers, h));
  outcome.signature = missing.length > 0 ? 'missing' : 'invalid';
  if (missing.length > 0) throw ApiError.forbidden(`Authentication failed: missing header(s) ${missing.join(', ')}`);
  const accessKey = header(headers, 'x-esauth-access') as string;
  const timestamp = header(headers, 'x-esauth-timestamp') as string;
  const given = header(headers, 'x-esauth-signature') as string;

  const userAgent = header(headers, 'user-agent') ?? '';
  const upper = method.toUpperCase();
  // An unknown (or invalidated) key and a wrong signature get one answer, so that a caller cannot
  // probe which access keys exist; an unknown key is still run through an HMAC, so the two take
  // the same time as well.
  const key = store.get('admin/ApiKey', accessKey);
  const secretKey = key && key.state === 'ACTIVE' && typeof key.secretKey === 'string' ? key.secretKey : undefined;
  const matches = (path: string) => sameSignature(signature(secretKey ?? UNKNOWN_KEY_SECRET, `${accessKey}:${upper}:${path}:${timestamp}:${userAgent}`), given);
  let ok = matches(rawPath);
  if (!ok) {
    // A client may sign the unencoded path (e.g. an access key with `+` in it).
    let decoded = rawPath;
    try { decoded = decodeURIComponent(rawPath); } catch { /* keep raw */ }
    if (decoded !== rawPath) ok = matches(decoded);
  }
  if (!ok || secretKey === undefined) {
    throw ApiError.forbidden(`Authentication failed: unknown access key "${accessKey}" or bad signature (the signed string must be ` +
      `"${accessKey}:${upper}:${rawPath}:${timestamp}:${userAgent}", HMAC-SHA256 with the key's secret, base64)`);
  }
  outcome.signature = 'valid';

  if (!/^\d+$/.test(timestamp)) throw ApiError.forbidden(`Authentication failed: x-esauth-timestamp must be epoch milliseconds, got "${timestamp}"`);
  const ts = Number(timestamp);
  if (!(Math.abs(now - ts) <= windowMs)) {
    // A timestamp beyond the Date range (e.g. 17 digits) has no calendar form; name it as sent.
    const when = Number.isSafeInteger(ts) && Math.abs(ts) <= MAX_DATE_MS ? ` (${dcmTimestamp(ts)})` : '';
    throw ApiError.forbidden(`Authentication failed: timestamp outside the allowed window of ${windowMs} ms: request timestamp ${timestamp}` +
      `${when}, server time ${now} (${dcmTimestamp(now)})`);
  }
  return accessKey;
}
