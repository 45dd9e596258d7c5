/**
 * Query-string parameters: `a=1&b=x`, optionally starting with `?`.
 *
 * The rules:
 * - a piece without `=` is a `ParamsError` pointing at it;
 * - the value is everything after the *first* `=` (a base64 value keeps its `=` padding);
 * - names and values are percent-decoded, and `+` means a space (WHATWG URLSearchParams rules), so a
 *   query copied from a URL means what it meant there;
 * - empty pieces (`a=1&&b=2`, a trailing `&`) are skipped;
 * - a name must look like a parameter name (letters, digits, `_ - . [ ]`), so that stray text such
 *   as `x = 'y'` or `${...}` is refused rather than sent.
 * A value made only of ASCII digits becomes a number. Exceptions that stay
 * strings: leading zeros (`007`, an id or code, not a quantity) and integers beyond 2^53 (they would
 * lose digits). `true`/`false` and negative numbers stay strings: a query string is text, the API
 * receives it as text either way.
 */
import { ParamsError } from './error.js';
import { putParam, type ParamObject, type ParamValue } from './types.js';

/**
 * Parses `text.slice(start, end)` as a query string. `text` is the whole argument, so error
 * columns point into what the user typed.
 */
export function parseQuery(text: string, start = 0, end = text.length): ParamObject {
  const result: ParamObject = {};
  let pos = start;
  if (pos < end && text[pos] === '?') pos++;
  while (pos <= end) {
    let amp = text.indexOf('&', pos);
    if (amp === -1 || amp > end) amp = end;
    if (amp > pos) readPiece(text, pos, amp, result);
    pos = amp + 1;
  }
  return result;
}

function readPiece(text: string, start: number, end: number, result: ParamObject): void {
  const eq = text.indexOf('=', start);
  if (eq === -1 || eq >= end) {
    throw new ParamsError({
      reason: "expected name=value (a query string such as regionId=19344&active=true, or a JSON object / Python dict starting with '{')",
      input: text,
      index: start,
    });
  }
  if (eq === start) {
    throw new ParamsError({ reason: "expected a parameter name before '='", input: text, index: start });
  }
  const name = decode(text, start, eq);
  const bad = name.search(NOT_NAME);
  if (bad !== -1) {
    // The caret can point at the character itself only when decoding did not shift positions.
    const exact = !/[%+]/.test(text.slice(start, eq));
    throw new ParamsError({
      reason: "expected a parameter name (letters, digits, '_', '-', '.', '[', ']') before '='",
      input: text,
      index: exact ? start + bad : start,
    });
  }
  const value = decode(text, eq + 1, end);
  putParam(result, name, coerce(value), text, start);
}

/**
 * A character that cannot be part of a parameter name. DCM's names are camelCase identifiers; the
 * brackets and dots allow conventional `a[b]`/`a.b` spellings. Anything else (spaces, quotes,
 * `$`, `(`) means the text was not meant as a query string, so it is refused instead of being
 * sent as a strange parameter.
 */
const NOT_NAME = /[^A-Za-z0-9_.\-[\]]/;

function decode(text: string, start: number, end: number): string {
  const raw = text.slice(start, end).replaceAll('+', ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    const bad = findBadEscape(text, start, end);
    throw new ParamsError({
      reason: "invalid percent-encoding (write %25 for a literal '%')",
      input: text,
      index: bad,
    });
  }
}

/** Locates the first `%` escape that does not decode, for the caret. */
function findBadEscape(text: string, start: number, end: number): number {
  for (let i = text.indexOf('%', start); i !== -1 && i < end; i = text.indexOf('%', i + 1)) {
    if (!/^%[0-9A-Fa-f]{2}/.test(text.slice(i, i + 3))) return i;
  }
  // Every escape is well-formed hex, so the bytes are not valid UTF-8; point at the first one.
  const first = text.indexOf('%', start);
  return first === -1 || first >= end ? start : first;
}

/** Digits-only → number, with the exceptions described at the top of this file. */
export function coerce(value: string): ParamValue {
  if (!/^[0-9]+$/.test(value)) return value;
  if (value.length > 1 && value.startsWith('0')) return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
