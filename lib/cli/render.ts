/**
 * How `dcm` prints records: a table when a person is watching (a TTY), JSON otherwise, or the
 * format asked for with `--table`, `--json`, `--xml`, `--csv`. On a terminal, tables are fitted to
 * its width (`columns` of stdout, or `COLUMNS`): a listing's default columns other than its
 * identifier, name and status are left out, last first, as needed (named on stderr), then cells are
 * cut with `…`; `--wide` shows every column and cell whole.
 */
import { usage } from './args.js';
import type { CliIO } from './io.js';
import type { TableOptions } from './output/table.js';
import { formatCsv, formatDescribe, formatJson, formatTable, formatXml, type Column, type Row } from './output.js';

export type Format = 'table' | 'json' | 'xml' | 'csv';

export { FORMAT_FLAGS } from './flags.js';

/**
 * How wide a table may be: the terminal's width when stdout is one, unless `--wide`. Columns left
 * out to fit it are named on stderr.
 */
export function tableOptions(flags: Record<string, unknown>, io: Pick<CliIO, 'isTTY' | 'stdout' | 'stderr' | 'env'>): TableOptions {
  if (flags.wide === true || !io.isTTY) return {};
  const columns = io.stdout.columns ?? Number(io.env.COLUMNS);
  if (!Number.isInteger(columns) || columns <= 0) return {};
  return {
    width: columns,
    onDropped: (headers, width) => io.stderr.write(`Not shown, to fit ${width} columns: ${headers.join(', ')} (--wide shows every column)\n`),
  };
}

/** Columns a default listing keeps whole on a narrow terminal, besides its first (the identifier). */
const KEPT = ['name', 'businessName', 'status'];

export function chooseFormat(flags: Record<string, unknown>, io: Pick<CliIO, 'isTTY'>, command: string): Format {
  const chosen = (['table', 'json', 'xml', 'csv'] as const).filter((f) => flags[f] === true);
  if (chosen.length > 1) throw usage(command, `choose one of --${chosen.join(', --')}`);
  return chosen[0] ?? (io.isTTY ? 'table' : 'json');
}

/** A list of records; `columns` applies to the table and CSV (all members otherwise). */
export function renderList(rows: readonly Row[], format: Format, columns: readonly Column[], explicitColumns: boolean, table: TableOptions = {}): string {
  switch (format) {
    case 'table': {
      // The default columns give way to the identifier, name and status; asked-for ones are only cut.
      const first = columns[0];
      const keep = explicitColumns || first === undefined ? undefined : [typeof first === 'string' ? first : first.key, ...KEPT];
      return formatTable(rows, columns, keep ? { ...table, keep } : table);
    }
    case 'csv':
      return formatCsv(rows, explicitColumns ? columns : undefined);
    case 'xml':
      return formatXml(rows);
    case 'json':
      return formatJson(rows);
  }
}

/** One record. */
export function renderRecord(record: Row, format: Format, table: TableOptions = {}): string {
  switch (format) {
    case 'table':
      return formatDescribe(record, undefined, table);
    case 'csv':
      return formatCsv([record]);
    case 'xml':
      return formatXml([record]);
    case 'json':
      return formatJson(record);
  }
}
