/**
 * Request signing: HMAC-SHA256 over
 * `accessKey:METHOD:basePath/resourcePath:epochMillis:userAgent`, base64-encoded.
 * Query string and body are not signed.
 */
import { createHmac } from 'node:crypto';

export const USER_AGENT = 'mixcoatl';

/** What `sign()` signs: the keys, method, signed path and timestamp (ms) of one request. */
export interface SignInput {
  accessKey: string;
  secretKey: string;
  method: string;
  /** The signed path: base path + '/' + resource path, no query, e.g. `/api/enstratus/2015-05-25/admin/Job`. */
  path: string;
  timestamp: number;
  userAgent?: string;
}

/** The exact string the API signs. */
export function stringToSign(input: Omit<SignInput, 'secretKey'>): string {
  return [input.accessKey, input.method.toUpperCase(), input.path, String(Math.round(input.timestamp)), input.userAgent ?? USER_AGENT].join(':');
}

/** Base64 HMAC-SHA256 signature of the request. */
export function sign(input: SignInput): string {
  return createHmac('sha256', input.secretKey).update(stringToSign(input), 'utf8').digest('base64');
}

/** The authentication headers of one attempt (a retry signs again with a fresh timestamp). */
export function authHeaders(input: Omit<SignInput, 'timestamp'> & { timestamp?: number }): Record<string, string> {
  const timestamp = Math.round(input.timestamp ?? Date.now());
  return {
    'x-esauth-access': input.accessKey,
    'x-esauth-timestamp': String(timestamp),
    'x-esauth-signature': sign({ ...input, timestamp }),
  };
}
