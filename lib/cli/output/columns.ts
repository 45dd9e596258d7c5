/**
 * Column specifications shared by the table, describe and CSV formatters.
 *
 * A column is a key (`'name'`), a dotted path (`'dataCenter.region'`), or an object with a header
 * and/or a `value` function for computed cells. Only own properties are read, so a column named
 * `constructor` or `__proto__` shows `-` rather than something from a prototype.
 */

/** A record to print: what the API returned, or any plain object. */
export type Row = Readonly<Record<string, unknown>>;

export interface ColumnSpec {
  /** Property name or dotted path; also the default header. */
  key: string;
  /** Header text (default: `key`). */
  header?: string;
  /** Computes the cell's value instead of reading `key`. */
  value?: (row: Row) => unknown;
}

export type Column = string | ColumnSpec;

export interface ResolvedColumn {
  key: string;
  header: string;
  read: (row: Row) => unknown;
}

export function resolveColumns(columns: readonly Column[] | undefined, rows: readonly Row[]): ResolvedColumn[] {
  const specs: readonly Column[] = columns ?? keysOf(rows);
  return specs.map((column) => {
    const spec: ColumnSpec = typeof column === 'string' ? { key: column } : column;
    const compute = spec.value;
    return {
      key: spec.key,
      header: spec.header ?? spec.key,
      read: compute ?? ((row: Row) => readPath(row, spec.key)),
    };
  });
}

/** Union of the rows' own keys, in first-seen order (the original used only the first record's). */
export function keysOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/** Reads `key` as an own property, or else as a dotted path of own properties. */
export function readPath(row: unknown, key: string): unknown {
  if (row === null || typeof row !== 'object') return undefined;
  if (Object.hasOwn(row, key)) return (row as Record<string, unknown>)[key];
  if (!key.includes('.')) return undefined;
  let current: unknown = row;
  for (const part of key.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
