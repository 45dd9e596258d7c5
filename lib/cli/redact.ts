/**
 * Keeps secrets out of anything the CLI prints about an error.
 *
 * API messages, URLs in debug output and stacks can echo request details. Two kinds of text are
 * replaced by the redaction mark (`[redacted]`, {@link REDACTED_MARK}):
 * - the value of every secret setting's variable (the settings schema marks them: `DCM_SECRET_KEY`,
 *   `ES_SECRET_KEY`, `DCM_PROXY`) from the environment, and the secret key of
 *   every endpoint the command resolved ({@link redactAlso}: a profile file, an endpoint file),
 *   wherever it appears — as is, trimmed, percent-encoded or JSON-escaped; any non-empty value
 *   counts, however short, because a garbled message is better than a leaked key;
 * - whatever follows `x-esauth-signature` or `DCM_SECRET_KEY`/`ES_SECRET_KEY` as a header, JSON
 *   member, `key=value` or `key: value`, whatever the environment holds (a secret may come from a
 *   profile file instead).
 */
import { secretEnvNames } from '../config/schema.js';
import type { Env } from './io.js';
import { REDACTED_MARK } from '../redaction.js';

/** Environment variables whose values must never be printed. */
export const SECRET_ENV_NAMES: readonly string[] = Object.freeze(secretEnvNames());

/** `name: value`, `name=value`, `"name": "value"`, `'name': 'value'`. */
const LABELLED_SECRET = new RegExp(`((?:x-esauth-signature|${SECRET_ENV_NAMES.join('|')})["']?\\s*[:=]\\s*["']?)[^\\s"',;&})\\]]+`, 'gi');

/**
 * Secret keys that came from somewhere other than the environment. A CLI run is one process that
 * resolves its endpoint once (`cliEndpoint`), so the set stays as small as the run.
 */
const resolvedSecrets = new Set<string>();

/** Adds a secret key that {@link redact} must replace from now on (any non-empty value). */
export function redactAlso(secret: string): void {
  if (secret !== '') resolvedSecrets.add(secret);
}

/** Returns `text` with secrets replaced by {@link REDACTED_MARK}. */
export function redact(text: string, env: Env): string {
  let out = text;
  for (const secret of secretForms(env)) out = out.split(secret).join(REDACTED_MARK);
  return out.replace(LABELLED_SECRET, `$1${REDACTED_MARK}`);
}

/** Every spelling of every secret value, longest first so no fragment of a long one survives. */
function secretForms(env: Env): string[] {
  const forms = new Set<string>();
  for (const value of [...SECRET_ENV_NAMES.map((name) => env[name]), ...resolvedSecrets]) {
    if (value === undefined || value === '') continue;
    for (const raw of [value, value.trim()]) {
      if (raw === '') continue;
      forms.add(raw);
      forms.add(encodeURIComponent(raw));
      forms.add(JSON.stringify(raw).slice(1, -1));
    }
  }
  return [...forms].filter((form) => form !== '').sort((a, b) => b.length - a.length);
}
