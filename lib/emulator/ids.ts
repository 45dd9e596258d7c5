/** Parsing of ids from paths and payloads. */
import { ApiError } from './api-error.js';
import type { ResourceDef } from './resources.js';
import type { Id } from './types.js';

/** The key under which `raw` is stored for `def`: a number for numeric types (400 otherwise). */
export function parsePathId(def: ResourceDef, raw: string): Id {
  if (def.idKind === 'string') return raw;
  if (!/^\d+$/.test(raw)) throw ApiError.badRequest(`${def.idKey} must be a numeric id, got "${raw}" in ${def.path}/${raw}`);
  return Number(raw);
}

/** A numeric id from a payload: an integer, or a string of digits. */
export function toIntId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}
