/**
 * Records from a file's text: JSON (an array of records, or `{ "records": [...] }`) or YAML (a
 * sequence, the same object form, or several documents of one record each). Parsed as data only
 * (YAML's core schema: no custom tags, nothing evaluated). The YAML parser is loaded at the first
 * YAML text (synchronously, through `createRequire`), not with the library.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { ValidationError } from '../errors.js';
import type { ApplyRecord } from './plan.js';

function asRecords(value: unknown, where: string): ApplyRecord[] {
  if (Array.isArray(value)) return value as ApplyRecord[];
  if (value !== null && typeof value === 'object' && Array.isArray((value as { records?: unknown }).records)) return (value as { records: ApplyRecord[] }).records;
  throw new ValidationError({ message: `${where}: expected a list of records (or { records: [...] }), got ${value === null ? 'nothing' : typeof value}` });
}

/** Parses `text` (JSON or YAML; `name` only names it in messages). */
export function parseRecords(text: string, name = 'the input'): ApplyRecord[] {
  const trimmed = text.trimStart();
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
  const values = docs.map((d) => d.toJS({ maxAliasCount: 50 }) as unknown).filter((v) => v !== null && v !== undefined);
  if (values.length === 1) return asRecords(values[0], name);
  if (values.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) return values as ApplyRecord[];
  throw new ValidationError({ message: `${name}: several YAML documents must each be one record` });
}
