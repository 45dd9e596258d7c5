/**
 * Plain-text tables: the default output of list tools, and the Field/Value view of describe tools.
 *
 * Left-aligned, columns separated by two spaces, a header line, no borders and no trailing spaces,
 * so the output reads well and still splits cleanly with `awk`/`cut`. Every cell is one line
 * (./cells.ts); null/undefined show as `-`.
 *
 * Given a `width` (the terminal's), a table wider than that is narrowed: the widest columns give
 * up space first, down to the width of their header, then headers too (to 4), and cut cells end
 * in `…`. Given also the columns to `keep` whole (an identifier, a name, a status), columns that
 * are not kept are dropped first, the last one first, while the rest cannot be shown readably:
 * kept columns whole, the others at least as wide as their header (and {@link READABLE}).
 */
import { cellText, padEnd, displayWidth, truncate, type CellOptions } from './cells.js';
import { resolveColumns, type Column, type Row } from './columns.js';

const GAP = '  ';
const TABLE_CELL: CellOptions = { empty: '-', singleLine: true };
const MIN_COLUMN = 4;

export interface TableOptions {
  /** Fit the table in this many display columns (a terminal's width); unlimited when absent. */
  width?: number;
  /**
   * Keys of the columns that matter most (an identifier, a name, a status): to fit `width`, other
   * columns are dropped, last first, before these are cut. Without it no column is dropped.
   */
  keep?: readonly string[];
  /** Told the headers of the columns dropped to fit `width`, when any were. */
  onDropped?: (headers: string[], width: number) => void;
}

/** A column that is not kept is shown only if it can be at least this wide (or whole when narrower). */
export const READABLE = 10;

/**
 * Formats `rows` as a table with one column per entry of `columns` (default: every key found in
 * the rows). Returns text ending in a newline; with no rows, only the header line.
 */
export function formatTable(rows: readonly Row[], columns?: readonly Column[], options: TableOptions = {}): string {
  let resolved = resolveColumns(columns, rows);
  if (resolved.length === 0) return '';
  let header = resolved.map((column) => cellText(column.header, TABLE_CELL));
  let body = rows.map((row) => resolved.map((column) => cellText(column.read(row), TABLE_CELL, column.key)));
  if (options.width !== undefined && options.keep) {
    const shown = fitting([header, ...body], resolved.map((column) => options.keep!.includes(column.key)), options.width);
    if (shown.length < resolved.length) {
      options.onDropped?.(header.filter((_, i) => !shown.includes(i)), options.width);
      resolved = shown.map((i) => resolved[i]);
      header = shown.map((i) => header[i]);
      body = body.map((line) => shown.map((i) => line[i]));
    }
    return layout([header, ...body], options.width, resolved.map((column) => options.keep!.includes(column.key)));
  }
  return layout([header, ...body], options.width);
}

/**
 * The indexes of the columns to show in `width`: all of them when the kept ones fit whole and the
 * others at their readable width; otherwise without the last columns that are not kept, one by one.
 */
function fitting(lines: readonly string[][], kept: readonly boolean[], width: number): number[] {
  const natural = kept.map((_, i) => lines.reduce((widest, line) => Math.max(widest, displayWidth(line[i] ?? '')), 0));
  const floor = natural.map((w, i) => (kept[i] ? w : Math.min(w, Math.max(READABLE, displayWidth(lines[0]?.[i] ?? '')))));
  const shown = kept.map((_, i) => i);
  const needed = (): number => shown.reduce((sum, i) => sum + floor[i], 0) + GAP.length * (shown.length - 1);
  while (needed() > width) {
    let last = shown.length - 1;
    while (last >= 0 && kept[shown[last]]) last--;
    if (last === -1) break;
    shown.splice(last, 1);
  }
  return shown;
}

/**
 * Formats one record as a two-column Field/Value table. `fields` name what to show and in which
 * order, with their headers as the field labels (default: every key of the record).
 */
export function formatDescribe(record: Row, fields?: readonly Column[], options: TableOptions = {}): string {
  const resolved = resolveColumns(fields, [record]);
  const lines = resolved.map((field) => [
    cellText(field.header, TABLE_CELL),
    cellText(field.read(record), TABLE_CELL, field.key),
  ]);
  return layout([['Field', 'Value'], ...lines], options.width);
}

/**
 * Pads every column but the last to its widest cell, narrowing columns to fit `width` (the `kept`
 * ones last: the others give way first, down to their readable width).
 */
function layout(lines: readonly string[][], width?: number, kept?: readonly boolean[]): string {
  const widths: number[] = [];
  for (const line of lines) {
    line.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  }
  if (width !== undefined) narrow(widths, lines[0] ?? [], width, kept);
  const last = widths.length - 1;
  const text = lines.map((line) =>
    line
      .map((cell, i) => {
        const fitted = truncate(cell, widths[i]);
        return i === last ? fitted : padEnd(fitted, widths[i]);
      })
      .join(GAP)
      .trimEnd(),
  );
  return `${text.join('\n')}\n`;
}

/**
 * Takes one column at a time from the widest column that can give it, until the line fits: first
 * (given `kept`) from the columns not kept, down to their readable width; then down to each
 * column's header; then, if that is not enough, headers are cut too (to 4 columns).
 */
function narrow(widths: number[], header: readonly string[], width: number, kept?: readonly boolean[]): void {
  const headerFloor = widths.map((w, i) => Math.min(w, Math.max(MIN_COLUMN, displayWidth(header[i] ?? ''))));
  const lastFloor = widths.map((w) => Math.min(w, MIN_COLUMN));
  const floors = [headerFloor, lastFloor];
  if (kept) floors.unshift(widths.map((w, i) => (kept[i] ? w : Math.min(w, Math.max(READABLE, headerFloor[i])))));
  let total = widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1);
  for (const floor of floors) {
    while (total > width) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (widths[i] > floor[i] && (widest === -1 || widths[i] > widths[widest])) widest = i;
      if (widest === -1) break;
      widths[widest]--;
      total--;
    }
  }
}
