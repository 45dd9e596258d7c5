/**
 * Redaction of what the dashboard shows: request and answer bodies and downloaded state. Members
 * whose name says secret, password, token, credential or private key are replaced, and so is every
 * occurrence of a known secret key anywhere in the text (a body that is not JSON, a message that
 * quotes one).
 */
import { REDACTED_MARK, scrub } from '../../redaction.js';

const SECRET_MEMBER = /secret|passw|passphrase|token|credential|private.?key/i;

/** A JSON value with secret-named members replaced (a copy; the input is left alone). */
export function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_MEMBER.test(k) && v !== null && v !== '' ? REDACTED_MARK : redactValue(v);
  return out;
}

/** Each secret in `text` replaced, by the library's rule (`scrub`: a short one only where it stands alone). */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  return scrub(text, [...secrets].filter((s) => s !== ''));
}

/** A body for display: pretty JSON with secret members redacted, or the text as it was; known secrets removed either way. */
export function redactBody(text: string, secrets: Iterable<string>): string {
  if (text === '') return '';
  let shown = text;
  try {
    shown = JSON.stringify(redactValue(JSON.parse(text)), null, 2);
  } catch {
    // Not JSON (or cut at the capture limit): shown as text.
  }
  return redactSecrets(shown, secrets);
}
