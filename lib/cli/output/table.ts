/**
 * Plain-text tables: the default output of list tools, and the Field/Value view of describe tools.
 *
 * Left-aligned, columns separated by two spaces, a header line, no borders and no trailing spaces,
 * so the output reads well and still splits cleanly with `awk`/`cut`. Every cell is one line
 * (./cells.ts); null/undefined show as `-`.
 */
import { cellText, padEnd, displayWidth, type CellOptions } from './cells.js';
import { resolveColumns, type Column, type Row } from './columns.js';

const GAP = '  ';
const TABLE_CELL: CellOptions = { empty: '-', singleLine: true };

/**
 * Formats `rows` as a table with one column per entry of `columns` (default: every key found in
 * the rows). Returns text ending in a newline; with no rows, only the header line.
 */
export function formatTable(rows: readonly Row[], columns?: readonly Column[]): string {
  const resolved = resolveColumns(columns, rows);
  if (resolved.length === 0) return '';
  const header = resolved.map((column) => cellText(column.header, TABLE_CELL));
  const body = rows.map((row) => resolved.map((column) => cellText(column.read(row), TABLE_CELL, column.key)));
  return layout([header, ...body]);
}

/**
 * Formats one record as a two-column Field/Value table. `fields` name what to show and in which
 * order, with their headers as the field labels (default: every key of the record).
 */
export function formatDescribe(record: Row, fields?: readonly Column[]): string {
  const resolved = resolveColumns(fields, [record]);
  const lines = resolved.map((field) => [
    cellText(field.header, TABLE_CELL),
    cellText(field.read(record), TABLE_CELL, field.key),
  ]);
  return layout([['Field', 'Value'], ...lines]);
}

/** Pads every column but the last to its widest cell. */
function layout(lines: readonly string[][]): string {
  const widths: number[] = [];
  for (const line of lines) {
    line.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell));
    });
  }
  const last = widths.length - 1;
  const text = lines.map((line) =>
    line
      .map((cell, i) => (i === last ? cell : padEnd(cell, widths[i])))
      .join(GAP)
      .trimEnd(),
  );
  return `${text.join('\n')}\n`;
}
