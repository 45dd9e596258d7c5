/**
 * Shared shapes and rules of the parameter parsers (query string and dict/JSON literal).
 *
 * Keys `__proto__`, `constructor` and `prototype` are refused outright rather than stored: no DCM
 * query parameter has those names, and refusing them means a result can be handed to any code
 * (`Object.assign`, spreading, `target[key] = …` loops) without a prototype-pollution risk.
 * Duplicate keys are refused too: `regionId=1&regionId=2` is almost certainly a mistake, and
 * "last one wins" would silently drop a filter.
 */
import { ParamsError } from './error.js';

/** A parameter value: plain data only, never anything callable. */
export type ParamValue = string | number | boolean | null | ParamValue[] | ParamObject;
export interface ParamObject {
  [key: string]: ParamValue;
}

/** Longest accepted parameter text, in UTF-8 bytes. */
export const MAX_PARAMS_BYTES = 64 * 1024;
/** Deepest accepted nesting of dicts/lists/tuples (the top-level dict is depth 1). */
export const MAX_PARAMS_DEPTH = 32;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Stores `value` under `key`, refusing forbidden and duplicate keys. `index` locates the key in
 * `input` for the error message.
 */
export function putParam(target: ParamObject, key: string, value: ParamValue, input: string, index: number): void {
  if (FORBIDDEN_KEYS.has(key)) {
    throw new ParamsError({ reason: `the name '${key}' is not allowed`, input, index });
  }
  if (Object.hasOwn(target, key)) {
    throw new ParamsError({ reason: `'${key}' is given more than once`, input, index });
  }
  target[key] = value;
}

/** Refuses texts over {@link MAX_PARAMS_BYTES} before any parsing work is done. */
export function checkLength(input: string): void {
  // Cheap pre-check: a UTF-16 string's UTF-8 size is at most 3 bytes per unit.
  if (input.length * 3 <= MAX_PARAMS_BYTES) return;
  const bytes = Buffer.byteLength(input, 'utf8');
  if (bytes > MAX_PARAMS_BYTES) {
    throw new ParamsError({
      reason: `parameters are too long (${bytes} bytes; the limit is ${MAX_PARAMS_BYTES})`,
      input,
    });
  }
}
