/**
 * Command-line text → the values an action or a new object takes, converted by what the registry
 * declares: attribute types, reference targets and their identifier types, action parameter types.
 * Nothing typed on the command line is evaluated; structured values are parsed (JSON, or a
 * Python-dict literal by ../params/), `@file` reads text from a file.
 */
import { readFileSync } from 'node:fs';
import { usage } from '../args.js';
import { findCliResource, type CliParam, type CliResource } from '../catalog.js';
import { filePath, type CliIO } from '../io.js';
import { parseParams } from '../params/index.js';
import { idFromText, parseId } from '../../orm/ids.js';
import { referenceTarget } from '../../orm/registry.js';
import type { Id } from '../../orm/state.js';
import type { AttributeMeta } from '../../orm/metadata.js';

/** Where a value goes, for messages: `--name`, `<server>`. */
interface Target {
  command: string;
  what: string;
  io: CliIO;
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * An identifier typed on the command line, by the library's rule for its identifier type
 * (../../orm/ids.ts): a `number` one must be an integer, a `string` one is kept as typed; with the
 * type unknown, an integer reads as a number. The CLI's one place that reads text as an identifier.
 */
export function idValue(text: string, idType: 'number' | 'string' | undefined, where?: Omit<Target, 'io'>): Id {
  if (idType === undefined) return idFromText(text);
  const id = parseId(idType, text);
  if (id !== undefined) return id;
  if (where) throw usage(where.command, `${where.what} must be ${idType === 'number' ? 'a numeric identifier' : 'a non-empty identifier'}, got ${JSON.stringify(text)}`);
  return text;
}

/**
 * A reference given on the command line: its identifier, or — for a type with numeric ids — a name
 * or provider id, which the action looks up before it sends anything.
 */
function referenceValue(text: string, idType: 'number' | 'string', target: Omit<Target, 'io'>): Id | string {
  const id = parseId(idType, text);
  if (id !== undefined) return id;
  if (idType === 'number' && text.trim() !== '') return text;
  return idValue(text, idType, target);
}

/** A flag value for an attribute (of a new object, or an action option named like one). */
export function attributeValue(owner: CliResource, attr: AttributeMeta, value: string | true, target: Target): unknown {
  if (attr.type === 'boolean' && !attr.reference) return booleanValue(value, target);
  if (value === true) throw usage(target.command, `${target.what} needs a value`);
  if (attr.reference) {
    if (value.trim().startsWith('{') || (attr.reference.many && value.trim().startsWith('['))) return structured(textOf(value, target.io), target);
    const { idType } = referenceTarget(owner.meta.cls, attr);
    return attr.reference.many ? value.split(',').map((v) => referenceValue(v, idType, target)) : referenceValue(value, idType, target);
  }
  switch (attr.type) {
    case 'number':
      return numberValue(value, target);
    case 'string':
      return textOf(value, target.io);
    case 'object':
      return structured(textOf(value, target.io), target);
    case 'array':
      if (value.trim().startsWith('[') || value.startsWith('@')) return structured(textOf(value, target.io), target);
      return value.split(',').map((v) => v.trim());
    default:
      return looseValue(value, target);
  }
}

/**
 * An action option. Its type is read from the attribute of the same name, or, for a name such as
 * `groupId`, from the identifier type of the resource it names; otherwise the text is kept (JSON
 * and `@file` are parsed, `true`/`false` read as booleans).
 */
export function optionValue(owner: CliResource, name: string, value: string | true, target: Target): unknown {
  const attr = owner.meta.attributes.get(name);
  if (attr) return attributeValue(owner, attr, value, target);
  if (value === true) return true;
  const named = resourceByIdKey(name);
  if (named) return referenceValue(value, named.meta.idType, target);
  return looseValue(value, target);
}

/** A positional argument of an action, converted by its declared type or by what its name refers to. */
export function positionalValue(owner: CliResource, param: CliParam, value: string, target: Target): unknown {
  switch (param.type) {
    case 'number':
      return numberValue(value, target);
    case 'boolean':
      return booleanValue(value, target);
    case 'string':
      return value;
    default:
      break;
  }
  const attr = owner.meta.attributes.get(param.name);
  if (attr) return attributeValue(owner, attr, value, target);
  const trimmed = value.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || value.startsWith('@')) return looseValue(value, target);
  // `<server>`, `<user>`, `<groups>`: identifiers of the resource the parameter is named after.
  const named = findCliResource(param.name);
  if (named) return value.includes(',') ? value.split(',').map((v) => referenceValue(v, named.meta.idType, target)) : referenceValue(value, named.meta.idType, target);
  return looseValue(value, target);
}

export function booleanValue(value: string | true, target: Omit<Target, 'io'>): boolean {
  if (value === true) return true;
  const lower = value.toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(lower)) return true;
  if (['false', 'no', '0', 'off'].includes(lower)) return false;
  throw usage(target.command, `${target.what} must be true or false, got ${JSON.stringify(value)}`);
}

function numberValue(value: string, target: Omit<Target, 'io'>): number {
  if (!NUMBER.test(value.trim())) throw usage(target.command, `${target.what} must be a number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** The resource whose identifier key is `name` (`groupId` → Group). */
function resourceByIdKey(name: string): CliResource | undefined {
  if (!/Id$/.test(name)) return undefined;
  const found = findCliResource(name.slice(0, -2));
  return found?.meta.idKey === name ? found : undefined;
}

/** Text of no declared type: JSON lists and objects, `@file`, and booleans are read; the rest is kept. */
function looseValue(value: string, target: Target): unknown {
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) return structured(trimmed, target);
  if (trimmed.startsWith('[')) {
    // A JSON list, or text that merely starts with a bracket (`[fail] reason`).
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return value;
    }
  }
  if (value.startsWith('@') && value.length > 1) {
    const text = textOf(value, target.io);
    return /^\s*[[{]/.test(text) ? structured(text, target) : text;
  }
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

/** `@path` is that file's text (relative to the working directory); anything else is itself. */
function textOf(value: string, io: CliIO): string {
  return value.startsWith('@') && value.length > 1 ? readFileSync(filePath(io, value.slice(1)), 'utf8') : value;
}

function structured(text: string, target: Omit<Target, 'io'>): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return parseParams(trimmed);
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    throw usage(target.command, `${target.what} is not valid JSON: ${(error as Error).message}`);
  }
}
