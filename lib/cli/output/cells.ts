/**
 * How one value becomes the text of a table, describe or CSV cell. Shared so the three agree.
 *
 * - null/undefined → the caller's placeholder (`-` in tables, empty in CSV);
 * - strings as they are; numbers, booleans and bigints via String(); dates as ISO 8601;
 * - arrays → their items rendered the same way, joined by `, ` (empty array → placeholder);
 * - objects → a *reference* renders as its identifier, so `{regionId: 19344}` → `19344`, and the
 *   same column shows the same thing whether the API answered with `basic` or `extended` detail.
 *   The identifier is found by, in order: the object's only member when it has
 *   exactly one scalar member; a member named after the column (`dataCenter` → `dataCenterId`,
 *   `data_center` → `data_center_id`, `firewalls` → `firewallId`); a member `id`; the only scalar
 *   member whose name ends in `Id`/`_id` other than `providerId`. Objects with none of these
 *   (e.g. a price `{currency, value}`) render as compact JSON with sorted keys; `{}` renders as
 *   the placeholder.

 */

export interface CellOptions {
  /** Text for null/undefined/empty arrays. */
  empty: string;
  /** Collapse line breaks and tabs to spaces and drop control characters (tables, describe). */
  singleLine: boolean;
}

type Scalar = string | number | boolean | bigint;

const isScalar = (value: unknown): value is Scalar =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint';

/** Renders `value` found under `key` (used to recognise a reference's identifier). */
export function cellText(value: unknown, options: CellOptions, key?: string): string {
  const text = rawText(value, options, key, 0);
  return options.singleLine ? toSingleLine(text) : text;
}

function rawText(value: unknown, options: CellOptions, key: string | undefined, depth: number): string {
  if (value === null || value === undefined) return options.empty;
  if (isScalar(value)) return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? options.empty : value.toISOString();
  if (Array.isArray(value)) {
    if (value.length === 0) return options.empty;
    return value.map((item) => rawText(item, options, key, depth + 1)).join(', ');
  }
  if (typeof value === 'object') {
    if (Object.keys(value).length === 0) return options.empty;
    const id = referenceId(value as Record<string, unknown>, key);
    if (id !== undefined) return String(id);
    return stableCompactJson(value);
  }
  return String(value);
}

/** The identifier of a reference object, or undefined when it is not recognisably one. */
export function referenceId(record: Record<string, unknown>, key?: string): Scalar | undefined {
  const entries = Object.entries(record);
  const scalars = entries.filter((entry): entry is [string, Scalar] => isScalar(entry[1]));
  if (entries.length === 1 && scalars.length === 1) return scalars[0][1];
  const lookup = new Map(scalars);
  if (key !== undefined) {
    for (const candidate of idNamesFor(key)) {
      const found = lookup.get(candidate);
      if (found !== undefined) return found;
    }
  }
  if (lookup.has('id')) return lookup.get('id');
  const ids = scalars.filter(([name]) => /(?:[a-z0-9]Id|_id)$/.test(name) && !/^provider_?[iI]d$/.test(name));
  return ids.length === 1 ? ids[0][1] : undefined;
}

/** `dataCenter` → dataCenterId, data_center_id; plural `firewalls` → firewallId too. */
function idNamesFor(key: string): string[] {
  const base = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1) : key;
  const stems = [base];
  if (base.endsWith('s') && base.length > 1) stems.push(base.slice(0, -1));
  return stems.flatMap((stem) => [`${stem}Id`, `${stem}_id`]);
}

/** JSON with sorted keys and no spaces, for objects that are not references. */
function stableCompactJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item: unknown) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        return typeof item === 'bigint' ? item.toString() : item;
      }
      const sorted: Record<string, unknown> = {};
      for (const name of Object.keys(item).sort()) {
        Object.defineProperty(sorted, name, {
          value: (item as Record<string, unknown>)[name],
          enumerable: true,
        });
      }
      return sorted;
    });
  } catch {
    return '[unprintable]';
  }
}

/** Line breaks and tabs become spaces; other control and format characters are dropped. */
export function toSingleLine(text: string): string {
  return text.replace(/\r\n|[\r\n\t\u2028\u2029]/g, ' ').replace(/[\p{Cc}\p{Cf}]/gu, '');
}

/**
 * Terminal columns taken by `text`: combining marks and zero-width characters take none, East
 * Asian wide/fullwidth characters and emoji take two. Good enough to keep tables aligned.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (/[\p{Mn}\p{Me}\p{Cf}]/u.test(ch)) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Pads `text` with spaces to `width` display columns. */
export function padEnd(text: string, width: number): string {
  const missing = width - displayWidth(text);
  return missing > 0 ? text + ' '.repeat(missing) : text;
}

/** Cuts `text` to at most `width` display columns, ending in `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}
