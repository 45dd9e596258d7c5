/**
 * Validation of write payloads. Every failure is a 400 whose message names
 * the member by its path in the document (`launch[0].dataCenter.dataCenterId is required`).
 * Ids are accepted as numbers or numeric strings (clients send either).
 * Shapes are otherwise strict (an array where the API wants an object is an error), so that the
 * emulator catches client bugs instead of hiding them.
 */
import { ApiError } from './api-error.js';
import { toIntId } from './ids.js';
import { resourceDef } from './resources.js';
import type { Store } from './store.js';
import type { Rec } from './types.js';

export function isObject(v: unknown): v is Rec {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const bad = (message: string) => ApiError.badRequest(message);

/**
 * The single root member of a write body: `[key, value]`. `companions` lists other members
 * tolerated next to a given root key (the installer's `{"role": "...", "grant": [...]}`).
 */
export function rootMember(body: unknown, allowed: string[], label: string, companions: Record<string, string[]> = {}): [string, unknown] {
  const expected = allowed.join(', ');
  if (!isObject(body)) throw bad(`request body for ${label} must be a JSON object with one root key (one of: ${expected})`);
  const keys = Object.keys(body);
  const root = keys.filter((k) => allowed.includes(k));
  const unknown = keys.filter((k) => !allowed.includes(k) && !root.some((r) => companions[r]?.includes(k)));
  if (unknown.length > 0) throw bad(`unknown root key "${unknown[0]}" for ${label}; expected one of: ${expected}`);
  if (root.length !== 1) throw bad(`request body for ${label} must have exactly one root key (one of: ${expected}); got ${keys.length ? keys.join(', ') : 'none'}`);
  return [root[0], body[root[0]]];
}

/** A root value that must be a non-empty array of objects (`{"launch":[{...}]}`). */
export function objectList(value: unknown, where: string): Rec[] {
  if (!Array.isArray(value) || value.length === 0) throw bad(`${where} must be a non-empty array of objects`);
  value.forEach((v, i) => {
    if (!isObject(v)) throw bad(`${where}[${i}] must be an object`);
  });
  return value as Rec[];
}

/** A member that must be an object. */
export function object(o: Rec, key: string, where: string): Rec {
  const v = o[key];
  if (v === undefined || v === null) throw bad(`${where}.${key} is required`);
  if (!isObject(v)) throw bad(`${where}.${key} must be an object`);
  return v;
}

export function str(o: Rec, key: string, where: string): string {
  const v = o[key];
  if (v === undefined || v === null || v === '') throw bad(`${where}.${key} is required`);
  if (typeof v !== 'string') throw bad(`${where}.${key} must be a string`);
  return v;
}

export function optStr(o: Rec, key: string, where: string): string | undefined {
  if (o[key] === undefined || o[key] === null) return undefined;
  if (typeof o[key] !== 'string') throw bad(`${where}.${key} must be a string`);
  return o[key];
}

/** An integer member; numeric strings are accepted. */
export function int(o: Rec, key: string, where: string, opts: { min?: number; max?: number } = {}): number {
  if (o[key] === undefined || o[key] === null || o[key] === '') throw bad(`${where}.${key} is required`);
  const n = toIntId(o[key]);
  if (n === undefined) throw bad(`${where}.${key} must be an integer, got ${JSON.stringify(o[key])}`);
  if (opts.min !== undefined && n < opts.min) throw bad(`${where}.${key} must be at least ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max) throw bad(`${where}.${key} must be at most ${opts.max}, got ${n}`);
  return n;
}

export function optInt(o: Rec, key: string, where: string, opts: { min?: number; max?: number } = {}): number | undefined {
  return o[key] === undefined || o[key] === null ? undefined : int(o, key, where, opts);
}

/** A number (money values, thresholds); numeric strings accepted. */
export function num(o: Rec, key: string, where: string): number {
  const v = o[key];
  if (v === undefined || v === null || v === '') throw bad(`${where}.${key} is required`);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw bad(`${where}.${key} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

export function optBool(o: Rec, key: string, where: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw bad(`${where}.${key} must be a boolean`);
}

export function strList(o: Rec, key: string, where: string): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(`${where}.${key} must be an array of strings`);
  return v;
}

/** Check that `id` exists in `path`; the message names the member and the missing object. */
export function mustExist(store: Store, path: string, id: number | string, where: string): void {
  if (!store.has(path, id)) throw bad(`${where}: no such ${resourceDef(path)?.type ?? path} ${id}`);
}

/** A reference member `{"<idKey>": n}` to an existing object; returns the id. */
export function ref(store: Store, o: Rec, key: string, idKey: string, path: string, where: string): number {
  const inner = object(o, key, where);
  const id = int(inner, idKey, `${where}.${key}`);
  mustExist(store, path, id, `${where}.${key}.${idKey}`);
  return id;
}

export function optRef(store: Store, o: Rec, key: string, idKey: string, path: string, where: string): number | undefined {
  return o[key] === undefined || o[key] === null ? undefined : ref(store, o, key, idKey, path, where);
}

/** An array of reference members (`owningGroups: [{"groupId": 9465}]`); returns the ids. */
export function refList(store: Store, o: Rec, key: string, idKey: string, path: string, where: string, required = false): number[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw bad(`${where}.${key} is required`);
    return undefined;
  }
  if (!Array.isArray(v) || (required && v.length === 0)) throw bad(`${where}.${key} must be a${required ? ' non-empty' : 'n'} array of {"${idKey}": n}`);
  return v.map((item, i) => {
    if (!isObject(item)) throw bad(`${where}.${key}[${i}] must be an object`);
    const id = int(item, idKey, `${where}.${key}[${i}]`);
    mustExist(store, path, id, `${where}.${key}[${i}].${idKey}`);
    return id;
  });
}

/** A billing-code id given as a plain value (`"budget": 10287` or `"10287"`). */
export function budget(store: Store, o: Rec, where: string, key = 'budget'): number {
  const id = int(o, key, where);
  mustExist(store, 'admin/BillingCode', id, `${where}.${key}`);
  return id;
}

/** A money member `{"value": n, "currency": "USD"}`; values may be numeric strings. */
export function money(o: Rec, key: string, where: string): { value: number; currency: string } {
  const m = object(o, key, where);
  return { value: num(m, 'value', `${where}.${key}`), currency: optStr(m, 'currency', `${where}.${key}`) ?? 'USD' };
}

/** Members of a describe-style update that are present, checked to be strings. */
export function describeMembers(o: Rec, keys: string[], where: string): Rec {
  const out: Rec = {};
  for (const k of keys) {
    if (o[k] === undefined) continue;
    if (o[k] !== null && typeof o[k] !== 'string') throw bad(`${where}.${k} must be a string`);
    out[k] = o[k];
  }
  if (Object.keys(out).length === 0) throw bad(`${where} must contain at least one of: ${keys.join(', ')}`);
  return out;
}

/** 400 for a member outside `allowed` — catches misspelt members such as `dataCentre`. */
export function onlyMembers(o: Rec, allowed: string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw bad(`${where}.${k} is not a known member; expected some of: ${allowed.join(', ')}`);
  }
}
