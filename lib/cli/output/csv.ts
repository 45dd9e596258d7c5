/**
 * `--csv` output, RFC 4180: CRLF line endings, a header row, and a field quoted only when it must
 * be (it contains `,`, `"`, CR or LF, or starts/ends with whitespace that a reader might trim), with
 * embedded quotes doubled.
 *
 * Cells are rendered like table cells (./cells.ts) — a reference shows its identifier, arrays are
 * joined by `, `, other objects are compact sorted JSON — except that null/undefined are an empty
 * field and line breaks inside a value are kept (quoted).
 *
 * Values are not defused against spreadsheet formula injection (`=…`, `+…`, `-…`, `@…`): doing so
 * would corrupt data such as negative numbers; open untrusted CSV with care.
 */
import { cellText, type CellOptions } from './cells.js';
import { resolveColumns, type Column, type Row } from './columns.js';

const CSV_CELL: CellOptions = { empty: '', singleLine: false };
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * Formats `rows` as CSV with one column per entry of `columns` (default: every key found in the
 * rows, in first-seen order). Returns text ending in CRLF.
 */
export function formatCsv(rows: readonly Row[], columns?: readonly Column[]): string {
  const resolved = resolveColumns(columns, rows);
  if (resolved.length === 0) return '';
  const lines = [resolved.map((column) => csvField(column.header))];
  for (const row of rows) {
    lines.push(resolved.map((column) => csvField(cellText(column.read(row), CSV_CELL, column.key))));
  }
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}

/** One RFC 4180 field. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
