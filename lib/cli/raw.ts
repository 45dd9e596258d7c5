/**
 * The raw tools `dcm-get`, `dcm-post`, `dcm-put`, `dcm-delete`, `dcm-head`: one
 * signed request by path, printed as JSON (default), XML or CSV.
 *
 *     dcm-get geography/DataCenter "{'regionId': 19344}"
 *     dcm-get 'infrastructure/Server?regionId=19344' --csv
 *     dcm-post admin/Group @group.json          (or a JSON argument, or - / a pipe for stdin)
 *     dcm-head infrastructure/Server            → the x-es-count header
 *
 * Parameters are parsed (lib/cli/params/), never evaluated. This module keeps its imports light:
 * the client code is imported only once the arguments are known to be good, and no resource class
 * is ever loaded.
 */
import { describeFlags, parseArgs, usage, type FlagSpecs } from './args.js';
import { existsSync } from 'node:fs';
import { readBodyText, parseBody } from './body.js';
import { CONNECTION_FLAGS, cliEndpoint } from './connection.js';
import { handleError, ExitCode } from './errors.js';
import { redact } from './redact.js';
import { checkParsed } from '../redaction.js';
import { filePath, type CliIO } from './io.js';
import { parseParams, splitPathAndQuery, type Params } from './params/index.js';
import { formatJson } from './output/json.js';
import { formatCsv } from './output/csv.js';
import { formatXml } from './output/xml.js';
import { formatTable } from './output/table.js';
import { tableOptions } from './render.js';
import { referenceId } from './output/cells.js';
import { keysOf, type Row } from './output/columns.js';
import { RAW_TOOLS, type RawMethod } from './registry.js';

const FLAGS: FlagSpecs = {
  extended: { type: 'boolean', short: 'e', description: 'ask for extended detail (embedded references)' },
  basic: { type: 'boolean', description: 'ask for basic detail (the default, except dcm-post/dcm-delete)' },
  json: { type: 'boolean', short: 'j', description: 'print the response as JSON (default)' },
  xml: { type: 'boolean', short: 'x', description: 'ask for and print XML' },
  csv: { type: 'boolean', short: 'c', description: 'print the collection as CSV' },
  table: { type: 'boolean', short: 't', description: 'print the collection as a table, fitted to the terminal like dcm\'s' },
  format: { type: 'string', short: 'o', valueName: 'FORMAT', selects: ['json', 'xml', 'csv', 'table'], description: 'json, xml, csv or table: the same as --json, --xml, --csv, --table' },
  wide: { type: 'boolean', short: 'W', description: 'with --table: show every cell in full' },
  columns: { type: 'string', valueName: 'A,B,…', description: 'columns of the table/CSV (default: every member)' },
  statuscode: { type: 'boolean', short: 's', description: 'print the HTTP status on the first line' },
  statuscodeonly: { type: 'boolean', short: 'S', description: 'print only the HTTP status (exit 0 whatever it is)' },
  params: { type: 'string', short: 'p', valueName: 'PARAMS', description: 'query parameters (dcm-post/dcm-put; a positional argument elsewhere)' },
  ...CONNECTION_FLAGS,
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

function helpText(tool: string, method: RawMethod): string {
  const hasBody = method === 'POST' || method === 'PUT';
  const synopsis = hasBody ? `${tool} PATH [BODY] [options]` : `${tool} PATH [PARAMS] [options]`;
  const what =
    method === 'HEAD'
      ? 'Sends a signed HEAD request and prints the x-es-count header (how many items a GET would return).'
      : `Sends one signed ${method} request to the DCM API and prints the response.`;
  const lines = [
    `Usage: ${synopsis}`,
    '',
    what,
    '',
    'PATH     resource path, e.g. infrastructure/Server or admin/Job/84322; may end in ?k=v&k2=v2',
  ];
  if (hasBody) {
    lines.push('BODY     JSON text, @file.json, or - (standard input; also read when no BODY is given and input is piped)');
  } else {
    lines.push(`PARAMS   query parameters: JSON {"regionId": 19344}, a Python dict {'regionId': 19344}, or regionId=19344&active=true`);
  }
  lines.push('', 'Options:', describeFlags(FLAGS), '', 'Exit status: 0 success, 2 usage, 3 credentials refused, 4 not found, 6 no response, 10 API failure, 11 a response that makes no sense (a redirect, an empty body to a GET) (see dcm --help).');
  return `${lines.join('\n')}\n`;
}

/** Runs one raw tool; resolves with the exit code. Never throws. */
export async function runRaw(tool: string, argv: readonly string[], io: CliIO): Promise<number> {
  const method = RAW_TOOLS[tool];
  try {
    if (method === undefined) throw usage(tool, 'not a raw tool');
    return await rawRequest(tool, method, argv, io);
  } catch (error) {
    return handleError(error, io, tool);
  }
}

async function rawRequest(tool: string, method: RawMethod, argv: readonly string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS, { command: tool });
  if (flags.help) {
    io.stdout.write(helpText(tool, method));
    return ExitCode.OK;
  }
  const formats = ['json', 'xml', 'csv', 'table'].filter((f) => flags[f] === true);
  if (formats.length > 1) throw usage(tool, `choose one of --${formats.join(', --')}`);
  if (flags.statuscode && flags.statuscodeonly) throw usage(tool, 'choose --statuscode or --statuscodeonly, not both');
  if (flags.extended && flags.basic) throw usage(tool, 'choose --extended or --basic, not both');
  const hasBody = method === 'POST' || method === 'PUT';
  const maxPositionals = 2;
  if (positionals.length === 0) throw usage(tool, 'missing PATH (e.g. infrastructure/Server); see --help');
  if (positionals.length > maxPositionals) {
    throw usage(tool, `too many arguments: ${positionals.slice(maxPositionals).map((p) => JSON.stringify(p)).join(' ')}${/\s/.test(positionals.join('')) ? '' : ' (quote parameters that contain spaces)'}`);
  }
  const format = formats[0] ?? 'json';
  const xml = format === 'xml';

  const { path, params: inline } = splitPathAndQuery(positionals[0]);
  let query: Params = { ...inline };
  const extraParams = hasBody ? (flags.params as string | undefined) : (positionals[1] ?? (flags.params as string | undefined));
  if (!hasBody && positionals[1] !== undefined && flags.params !== undefined) throw usage(tool, 'give the parameters once: as an argument or with --params');
  if (extraParams !== undefined) {
    const parsed = parseParams(extraParams);
    for (const key of Object.keys(parsed)) {
      if (Object.hasOwn(query, key)) throw usage(tool, `parameter ${key} is given both in PATH and in PARAMS`);
    }
    query = { ...query, ...parsed };
  }
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && typeof value === 'object') throw usage(tool, `parameter ${key} must be a string, number or boolean, not ${Array.isArray(value) ? 'a list' : 'a dict'}`);
  }

  let body: unknown;
  if (hasBody) {
    const stdinIsTTY = Boolean((io.stdin as { isTTY?: boolean } | undefined)?.isTTY);
    const { text, source } = await readBodyText(positionals[1], io, tool, stdinIsTTY);
    if (xml) {
      if (text.trim() === '') throw usage(tool, `the body (${source}) is empty`);
      body = text;
    } else {
      try {
        body = parseBody(text, source);
      } catch (error) {
        const arg = positionals[1];
        if (source === 'argument' && arg !== undefined && existsSync(filePath(io, arg))) {
          throw usage(tool, `the body is not JSON; to send the file ${arg}, write @${arg}`);
        }
        throw error;
      }
    }
  }

  const endpoint = cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io);
  const details = flags.extended ? 'extended' : flags.basic ? 'basic' : method === 'POST' || method === 'DELETE' ? 'extended' : 'basic';
  const { request } = await import('../api.js');
  const cleanQuery = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== null)) as Record<string, string | number | boolean>;
  const options = { query: cleanQuery, body, details, endpoint, accept: xml ? 'xml' : 'json' } as const;

  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(method, path, { ...options, throwOnError: true });
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && flags.statuscodeonly) {
      io.stdout.write(`${status}\n`);
      return ExitCode.OK;
    }
    if (typeof status === 'number' && flags.statuscode) io.stdout.write(`${status}\n`);
    throw error;
  }

  if (flags.statuscodeonly) {
    io.stdout.write(`${response.statusCode}\n`);
    return ExitCode.OK;
  }
  if (flags.statuscode) io.stdout.write(`${response.statusCode}\n`);
  if (method === 'GET' && response.statusCode !== 204 && response.text.trim() === '') {
    // A read that answers nothing (a proxy, a broken API) is not "no servers": say so and fail.
    const { ResponseError } = await import('../errors.js');
    throw new ResponseError({ message: `the ${response.statusCode} response to GET ${path} has an empty body`, statusCode: response.statusCode, code: 'EEMPTY' });
  }
  if (method === 'HEAD') {
    const count = response.headers['x-es-count'];
    io.stdout.write(count === undefined ? formatJson(response.headers) : `${Array.isArray(count) ? count.join(', ') : count}\n`);
    return ExitCode.OK;
  }
  if (xml) {
    const text = response.text;
    const json = /^\s*[[{]/.test(text) ? tryJson(text) : undefined;
    // An API that answers JSON despite Accept: application/xml still gets XML printed.
    if (json !== undefined) io.stdout.write(formatXml(rowsOf(json)));
    else if (text !== '') io.stdout.write(redact(text.endsWith('\n') ? text : `${text}\n`, io.env));
    return ExitCode.OK;
  }
  if (response.data === null) return ExitCode.OK;
  const columns = typeof flags.columns === 'string' ? flags.columns.split(',').map((c) => c.trim()).filter(Boolean) : undefined;
  if (format === 'table') {
    const rows = rowsOf(response.data);
    if (rows.length === 0) io.stderr.write('No results found.\n');
    else io.stdout.write(formatTable(rows, columns ?? scalarColumns(rows), tableOptions(flags, io)));
    return ExitCode.OK;
  }
  io.stdout.write(format === 'csv' ? formatCsv(rowsOf(response.data), columns) : formatJson(response.data));
  return ExitCode.OK;
}

/** The JSON value of a text, or undefined when it is not JSON or nests too deep to format. */
function tryJson(text: string): unknown {
  try {
    return checkParsed(JSON.parse(text), '');
  } catch {
    return undefined;
  }
}

/** The records of a response for CSV: the envelope's array, an array, or the object itself. */
export function rowsOf(data: unknown): Row[] {
  if (Array.isArray(data)) return data.map(asRow);
  if (data !== null && typeof data === 'object') {
    const members = Object.values(data as Record<string, unknown>);
    if (members.length === 1 && Array.isArray(members[0])) return members[0].map(asRow);
    return [data as Row];
  }
  return [{ value: data }];
}

/** Table columns without a resource class: the members that are plain values or references (shown as their id). */
function scalarColumns(rows: readonly Row[]): string[] {
  const keys = keysOf(rows);
  const isPlain = (key: string): boolean =>
    rows.every((row) => {
      const value = row[key];
      if (value === null || value === undefined || typeof value !== 'object') return true;
      return !Array.isArray(value) && referenceId(value as Record<string, unknown>, key) !== undefined;
    });
  const plain = keys.filter(isPlain);
  return plain.length ? plain : keys;
}

function asRow(item: unknown): Row {
  return item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Row) : { value: item };
}
