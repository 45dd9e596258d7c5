/**
 * The specs' own request signer (HMAC-SHA256 of access key, method, path, timestamp and user agent), written independently of both the client's signing
 * code and the emulator's verifier so that neither can mask a bug in the other.
 */
import { createHmac } from 'node:crypto';

export interface SignParts {
  accessKey: string;
  secretKey: string;
  method: string;
  /** Full request path without query, e.g. `/api/enstratus/2015-05-25/admin/Job`. */
  path: string;
  /** Epoch milliseconds; a string is signed exactly as given (e.g. out-of-range values). */
  timestamp: number | string;
  userAgent: string;
}

export function signature(p: SignParts): string {
  const message = [p.accessKey, p.method.toUpperCase(), p.path, String(p.timestamp), p.userAgent].join(':');
  return createHmac('sha256', p.secretKey).update(message, 'utf8').digest('base64');
}

export function authHeaders(p: SignParts): Record<string, string> {
  return { 'x-esauth-access': p.accessKey, 'x-esauth-timestamp': String(p.timestamp), 'x-esauth-signature': signature(p) };
}
