/**
 * Parameters of the raw tools (`dcm-get PATH [PARAMS]`).
 *
 * The argument is *parsed*, never evaluated (no code runs from the command line), and three spellings are accepted, chosen by the first non-blank character:
 *
 * - `{` — a JSON object or a Python dict literal (the union of both; see ./literal.ts):
 *   `{"regionId": 19344}`, `{'regionId': 19344, 'active': True, 'n': None}`;
 * - `[` or `(` — refused: the parameters must be a dict;
 * - anything else — a query string `a=1&b=x` or `?a=1&b=x` (see ./query.ts).
 *
 * Blank text means "no parameters" and gives `{}`. Results contain plain data only (strings,
 * finite numbers, booleans, null, arrays and plain objects); keys `__proto__`, `constructor` and
 * `prototype` and duplicate keys are refused (./types.ts). Every failure is a `ParamsError`
 * whose message points at the offending column.
 */
import { ParamsError } from './error.js';
import { parseLiteral } from './literal.js';
import { parseQuery } from './query.js';
import { checkLength, type ParamObject } from './types.js';

export { ParamsError } from './error.js';
export type { ParamsErrorOptions } from './error.js';
export { MAX_PARAMS_BYTES, MAX_PARAMS_DEPTH } from './types.js';
export type { ParamObject, ParamValue } from './types.js';

/** Parameters as parsed: a plain object of plain data. */
export type Params = ParamObject;

/** Whitespace and a byte-order mark (files saved by some editors) are ignored around the text. */
const BLANK = /[\s\uFEFF]/;

/** Parses a parameter argument (JSON object, Python dict literal or query string). */
export function parseParams(text: string): Params {
  if (typeof text !== 'string') {
    throw new ParamsError({ reason: `parameters must be text, not ${typeof text}`, input: String(text) });
  }
  checkLength(text);
  let start = 0;
  let end = text.length;
  while (start < end && BLANK.test(text[start])) start++;
  while (end > start && BLANK.test(text[end - 1])) end--;
  if (start === end) return {};
  const first = text[start];
  if (first === '{' || first === '[' || first === '(') return parseLiteral(text, start, end);
  return parseQuery(text, start, end);
}

/** A resource path split from its inline query, e.g. `infrastructure/Server?regionId=19344`. */
export interface PathAndQuery {
  /** The resource path without leading/trailing slashes, e.g. `infrastructure/Server`. */
  path: string;
  /** Parameters parsed from the text after `?` (`{}` when there is none). */
  params: Params;
}

/**
 * Splits `dcm-get`'s first argument at the first `?`. Leading and trailing slashes are removed
 * from the path, because the signed path is `<basePath>/<resourcePath>` and a
 * doubled slash would break the signature. Errors point into the whole argument.
 */
export function splitPathAndQuery(pathArg: string): PathAndQuery {
  checkLength(pathArg);
  const mark = pathArg.indexOf('?');
  const rawPath = mark === -1 ? pathArg : pathArg.slice(0, mark);
  const path = rawPath.trim().replace(/^\/+|\/+$/g, '');
  if (path === '') {
    throw new ParamsError({
      reason: 'expected a resource path such as infrastructure/Server',
      input: pathArg,
      index: 0,
    });
  }
  const params = mark === -1 ? {} : parseQuery(pathArg, mark + 1, pathArg.length);
  return { path, params };
}
