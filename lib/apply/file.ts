/**
 * Records from a file's text: JSON (an array of records, or `{ "records": [...] }`) or YAML (a
 * sequence, the same object form, or several documents of one record each). Parsed as data only
 * (YAML's core schema: no custom tags, nothing evaluated; an alias may be expanded at most
 * {@link MAX_YAML_ALIASES} times). The YAML parser is loaded at the first YAML text (synchronously,
 * through `createRequire`), not with the library.
 *
 * Bounded: at most {@link MAX_INPUT_BYTES} of text (checked before parsing: on the file's size, or
 * on the bytes read from a stream) and {@link MAX_RECORDS} records. An input without a record is
 * refused ("no records").
 */
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { ValidationError } from '../errors.js';
import { MAX_RECORDS, type ApplyRecord } from './plan.js';

/** The largest input `parseRecords()` and `dcm apply` take: 64 MiB (a few hundred thousand records). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** How many times one YAML alias may be expanded (an "alias bomb" is refused). */
export const MAX_YAML_ALIASES = 50;

/** The most records one apply takes: 250,000. */
export { MAX_RECORDS };

function tooLarge(name: string, bytes: number | string): ValidationError {
  return new ValidationError({ message: `${name}: ${typeof bytes === 'number' ? `${bytes.toLocaleString('en')} bytes` : bytes} is more than an apply input may hold (${MAX_INPUT_BYTES.toLocaleString('en')} bytes = ${MAX_INPUT_BYTES / 1024 / 1024} MiB); split it` });
}

function noRecords(name: string): ValidationError {
  return new ValidationError({ message: `${name}: no records (the input is empty or holds nothing to apply)` });
}

/** The text of the file at `path` (its size checked first); a directory or a too large file is refused naming `name`. */
export async function readRecordsText(path: string, name = path): Promise<string> {
  const info = await stat(path);
  if (info.isDirectory()) throw new ValidationError({ message: `${name} is a directory, not a file of records` });
  if (info.size > MAX_INPUT_BYTES) throw tooLarge(name, info.size);
  const text = await readFile(path, 'utf8');
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw tooLarge(name, 'the file grew while read: it');
  return text;
}

/** The text of a stream (stdin), refused as soon as more than {@link MAX_INPUT_BYTES} have arrived. */
export async function readRecordsStream(stream: AsyncIterable<unknown>, name = 'stdin'): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    bytes += buffer.length;
    if (bytes > MAX_INPUT_BYTES) throw tooLarge(name, `more than ${MAX_INPUT_BYTES.toLocaleString('en')} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function counted(records: ApplyRecord[], name: string): ApplyRecord[] {
  if (records.length === 0) throw noRecords(name);
  if (records.length > MAX_RECORDS) throw new ValidationError({ message: `${name}: ${records.length.toLocaleString('en')} records; at most ${MAX_RECORDS.toLocaleString('en')} are taken at once (split the input)` });
  return records;
}

function asRecords(value: unknown, where: string): ApplyRecord[] {
  if (value === null || value === undefined) throw noRecords(where);
  if (Array.isArray(value)) return counted(value as ApplyRecord[], where);
  if (typeof value === 'object' && Object.hasOwn(value, 'records') && Array.isArray((value as { records?: unknown }).records)) return counted((value as { records: ApplyRecord[] }).records, where);
  throw new ValidationError({ message: `${where}: expected a list of records (or { records: [...] }), got ${value === null ? 'nothing' : typeof value}` });
}

/** Parses `text` (JSON or YAML; `name` only names it in messages). */
export function parseRecords(text: string, name = 'the input'): ApplyRecord[] {
  if (typeof text !== 'string') throw new ValidationError({ message: `parseRecords() takes the text of a file, got ${text === null ? 'null' : typeof text}` });
  if (text.length > MAX_INPUT_BYTES || Buffer.byteLength(text) > MAX_INPUT_BYTES) throw tooLarge(name, Buffer.byteLength(text));
  const trimmed = text.trimStart();
  if (trimmed === '') throw noRecords(name);
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      return asRecords(JSON.parse(text) as unknown, name);
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      // Not JSON: YAML's flow style also starts with [ or {.
    }
  }
  const { parseAllDocuments } = createRequire(import.meta.url)('yaml') as typeof Yaml;
  const docs = parseAllDocuments(text, { schema: 'core', customTags: [], merge: false });
  if (!Array.isArray(docs)) throw new ValidationError({ message: `${name}: empty` });
  const problems = docs.flatMap((d) => d.errors.map((e) => `${name}: ${e.message.split('\n')[0]}`));
  if (problems.length) throw new ValidationError({ message: `${name} is not valid YAML or JSON: ${problems.join('; ')}`, problems });
  const values = docs.map((d) => {
    try {
      return d.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown;
    } catch (error) {
      // yaml throws a ReferenceError when aliases expand beyond the limit.
      if (error instanceof ReferenceError) throw new ValidationError({ message: `${name}: too many YAML aliases: an alias may be expanded at most ${MAX_YAML_ALIASES} times (${error.message})` });
      throw error;
    }
  }).filter((v) => v !== null && v !== undefined);
  if (values.length === 0) throw noRecords(name);
  if (values.length === 1) return asRecords(values[0], name);
  if (values.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) return counted(values as ApplyRecord[], name);
  throw new ValidationError({ message: `${name}: several YAML documents must each be one record` });
}
