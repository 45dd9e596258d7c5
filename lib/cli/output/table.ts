/**
 * Plain-text tables: the default output of list tools, and the Field/Value view of describe tools.
 *
 * Left-aligned, columns separated by two spaces, a header line, no borders and no trailing spaces,
 * so the output reads well and still splits cleanly with `awk`/`cut`. Every cell is one line
 * (./cells.ts); null/undefined show as `-`.
 *
 * Given a `width` (the terminal's), a table wider than that is narrowed: the widest columns give
 * up space first, down to the width of their header, then headers too (to 4), and cut cells end
 * in `…`.
 */
import { cellText, padEnd, displayWidth, truncate, type CellOptions } from './cells.js';
import { resolveColumns, type Column, type Row } from './columns.js';

const GAP = '  ';
const TABLE_CELL: CellOptions = { empty: '-', singleLine: true };
const MIN_COLUMN = 4;

export interface TableOptions {
  /** Fit the table in this many display columns (a terminal's width); unlimited when absent. */
  width?: number;
}

/**
 * Formats `rows` as a table with one column per entry of `columns` (default: every key found in
 * the rows). Returns text ending in a newline; with no rows, only the header line.
 */
export function formatTable(rows: readonly Row[], columns?: readonly Column[], options: TableOptions = {}): string {
  const resolved = resolveColumns(columns, rows);
  if (resolved.length === 0) return '';
  const header = resolved.map((column) => cellText(column.header, TABLE_CELL));
  const body = rows.map((row) => resolved.map((column) => cellText(column.read(row), TABLE_CELL, column.key)));
  return layout([header, ...body], options.width);
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

/** Pads every column but the last to its widest cell, narrowing columns to fit `width`. */
function layout(lines: readonly string[][], width?: number): string {
  const widths: number[] = [];
  for (const line of lines) {
    line.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  }
  if (width !== undefined) narrow(widths, lines[0] ?? [], width);
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
 * down to each column's header, then, if that is not enough, headers are cut too (to 4 columns).
 */
function narrow(widths: number[], header: readonly string[], width: number): void {
  const headerFloor = widths.map((w, i) => Math.min(w, Math.max(MIN_COLUMN, displayWidth(header[i] ?? ''))));
  const lastFloor = widths.map((w) => Math.min(w, MIN_COLUMN));
  let total = widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1);
  for (const floor of [headerFloor, lastFloor]) {
    while (total > width) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (widths[i] > floor[i] && (widest === -1 || widths[i] > widths[widest])) widest = i;
      if (widest === -1) break;
      widths[widest]--;
      total--;
    }
  }
}
