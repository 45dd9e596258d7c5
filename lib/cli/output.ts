/**
 * Output formatters of the list and describe tools: the default text table,
 * `--json`, `--xml`, `--csv`, and the Field/Value describe view. Each returns the complete text,
 * ending in a newline, for the command to write to `io.stdout`.
 */
export { formatTable, formatDescribe } from './output/table.js';
export { formatJson } from './output/json.js';
export { formatXml, xmlName, escapeXml } from './output/xml.js';
export { formatCsv, csvField } from './output/csv.js';
export { cellText, referenceId, displayWidth } from './output/cells.js';
export type { CellOptions } from './output/cells.js';
export type { Column, ColumnSpec, Row } from './output/columns.js';
