/**
 * `dcm <resource> list | describe | <action>` — driven by the registry (./catalog.ts), so it
 * covers every resource class and every `@action` without a per-resource line of code.
 *
 *     dcm server list --filter regionId=19344 --csv
 *     dcm server describe 331810 [--field status]
 *     dcm server stop 331810 --wait
 *     dcm server rename 331810 web-2
 *     dcm server launch --name web --description d --budget 10287 --providerProductId m1.small \
 *        --machineImage 284831 --dataCenter 65541 --wait
 *
 * Values are converted by what the metadata says (numbers, booleans, references as ids, lists
 * from `a,b`, objects from JSON or a Python-dict literal parsed by ./params.ts, `@file` for text);
 * nothing typed on the command line is ever evaluated.
 */
import { readFileSync } from 'node:fs';
import { describeFlags, hint, parseArgs, usage, type FlagSpecs } from './args.js';
import { camel, findCliResource, kebab, suggestResource, BUILT_IN_VERBS, type CliAction, type CliResource } from './catalog.js';
import { listColumns } from './columns.js';
import { CONNECTION_FLAGS, cliEndpoint } from './connection.js';
import { ExitCode } from './errors.js';
import { filePath, type CliIO } from './io.js';
import { parseParams, type Params } from './params.js';
import { chooseFormat, FORMAT_FLAGS, renderList, renderRecord } from './render.js';
import { createProgress } from './spinner.js';
import type { Row } from './output/columns.js';
import { cellText } from './output/cells.js';
import type { AttributeMeta } from '../orm/metadata.js';

interface ResourceObject {
  id: unknown;
  isLoaded: boolean;
  toJSON(): Record<string, unknown>;
  load(): Promise<unknown>;
  [key: string]: unknown;
}

interface ResourceStatic {
  new (id?: unknown, init?: Record<string, unknown>): ResourceObject;
  all(options: Record<string, unknown>): Promise<ResourceObject[]>;
  get(id: unknown, init?: Record<string, unknown>): Promise<ResourceObject>;
}

const COMMON: FlagSpecs = {
  extended: { type: 'boolean', short: 'e', description: 'ask for extended detail (embedded references)' },
  ...CONNECTION_FLAGS,
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

const LIST_FLAGS: FlagSpecs = {
  filter: { type: 'string', short: 'f', multiple: true, valueName: 'K=V', description: 'filter sent to the API (repeatable; also JSON or a=1&b=2)' },
  where: { type: 'string', multiple: true, valueName: 'K=V', description: 'keep items whose K shows as V (checked here, after the listing)' },
  columns: { type: 'string', valueName: 'A,B,…', description: 'columns of the table/CSV' },
  'keys-only': { type: 'boolean', short: 'k', description: 'print the identifiers only' },
  ...FORMAT_FLAGS,
  ...COMMON,
};

const DESCRIBE_FLAGS: FlagSpecs = {
  field: { type: 'string', valueName: 'NAME', description: 'print only this attribute' },
  ...FORMAT_FLAGS,
  ...COMMON,
};

const ACTION_FLAGS: FlagSpecs = {
  wait: { type: 'boolean', short: 'w', description: 'wait for the job the action starts, showing progress' },
  interval: { type: 'string', valueName: 'MS', description: 'pause between job polls with --wait (default 5000)' },
  timeout: { type: 'string', valueName: 'MS', description: 'give up waiting after MS (default 30 minutes)' },
  ...FORMAT_FLAGS,
  ...COMMON,
};

/** `dcm <resource> <verb> …` with `words[0]` the resource and `words[1]` the verb. */
export async function runResourceCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const [word, verbWord, ...rest] = argv;
  const resource = findCliResource(word);
  if (!resource) {
    const suggestion = suggestResource(word);
    throw usage('dcm', `unknown command or resource "${word}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}; run dcm --help for the list`);
  }
  const verbs = verbsOf(resource);
  if (verbWord === undefined || verbWord === '--help' || verbWord === '-h' || verbWord === 'help') {
    io.stdout.write(resourceHelp(resource));
    return verbWord === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  const verb = verbWord === 'show' || verbWord === 'get' ? 'describe' : verbWord;
  const command = `dcm ${resource.command} ${verb}`;
  if (verb === 'list') return list(resource, rest, io, command);
  if (verb === 'describe') return describeOne(resource, rest, io, command);
  const action = resource.actions.get(verb) ?? resource.actions.get(kebab(verb));
  if (!action) {
    throw usage(`dcm ${resource.command}`, `unknown action "${verbWord}"${hint(verbWord, verbs)}; ${resource.command} supports: ${verbs.join(', ')}`);
  }
  return runAction(resource, action, rest, io, `dcm ${resource.command} ${action.verb}`);
}

export function verbsOf(resource: CliResource): string[] {
  return [...BUILT_IN_VERBS, ...resource.actions.keys()];
}

function resourceHelp(resource: CliResource): string {
  const { meta } = resource;
  const id = meta.idKey ? ` <${meta.idKey}>` : '';
  const lines = [
    `Usage: dcm ${resource.command} <verb> [arguments] [options]`,
    '',
    `${meta.name} — ${meta.path}${meta.requiredFilters.length ? ` (list needs --filter ${meta.requiredFilters.map((f) => `${f}=…`).join(' --filter ')})` : ''}`,
    '',
    'Verbs:',
    `  list [--filter K=V]…`,
    `  describe${meta.flat ? '' : id}`,
  ];
  for (const action of resource.actions.values()) lines.push(`  ${actionSynopsis(resource, action)}`);
  lines.push('', `Run dcm ${resource.command} <verb> --help for the options of a verb.`);
  return `${lines.join('\n')}\n`;
}

function actionSynopsis(resource: CliResource, action: CliAction): string {
  const id = action.creates || !resource.meta.idKey ? '' : ` <${resource.meta.idKey}>`;
  const params = action.params.map((p) => ` <${p.name}>`).join('');
  const options = optionFlags(resource, action).map((name) => ` [--${name} …]`).join('');
  return `${action.verb}${id}${params}${options} [--wait]`;
}

function optionFlags(resource: CliResource, action: CliAction): string[] {
  const names = new Set(action.optionKeys);
  if (action.creates) for (const attr of settable(resource)) names.add(attr.name);
  return [...names];
}

function settable(resource: CliResource): AttributeMeta[] {
  return [...resource.meta.attributes.values()].filter((a) => a.settable);
}

function classOf(resource: CliResource): ResourceStatic {
  return resource.meta.cls as unknown as ResourceStatic;
}

function init(flags: Record<string, unknown>, io: CliIO): Record<string, unknown> {
  return {
    endpoint: cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io),
    details: flags.extended ? 'extended' : undefined,
  };
}

async function list(resource: CliResource, argv: readonly string[], io: CliIO, command: string): Promise<number> {
  const { flags, positionals } = parseArgs(argv, LIST_FLAGS, { command });
  if (flags.help) {
    io.stdout.write(`Usage: ${command} [--filter K=V]… [options]\n\nOptions:\n${describeFlags(LIST_FLAGS)}\n`);
    return ExitCode.OK;
  }
  if (positionals.length) throw usage(command, `unexpected argument "${positionals[0]}" (filters are given as --filter ${positionals[0].includes('=') ? positionals[0] : 'key=value'})`);
  const format = chooseFormat(flags, io, command);
  const filters: Params = {};
  for (const text of (flags.filter as string[] | undefined) ?? []) {
    for (const [key, value] of Object.entries(parseParams(text))) {
      if (value !== null && typeof value === 'object') throw usage(command, `filter ${key} must be a string, number or boolean`);
      if (Object.hasOwn(filters, key)) throw usage(command, `filter ${key} is given more than once`);
      filters[key] = value;
    }
  }
  const missing = resource.meta.requiredFilters.filter((f) => filters[f] === undefined || filters[f] === null);
  if (missing.length) throw usage(command, `needs ${missing.map((f) => `--filter ${f}=<value>`).join(' and ')}`);
  const { endpoint, details } = init(flags, io);
  const cls = classOf(resource);
  if (flags['keys-only']) {
    const ids = (await cls.all({ ...filters, endpoint, details, keysOnly: true })) as unknown as unknown[];
    io.stdout.write(format === 'json' ? `${JSON.stringify(ids, null, 2)}\n` : ids.map((id) => `${String(id)}\n`).join(''));
    return ExitCode.OK;
  }
  const objects = await cls.all({ ...filters, endpoint, details });
  const conditions = ((flags.where as string[] | undefined) ?? []).map((text) => {
    const eq = text.indexOf('=');
    if (eq <= 0) throw usage(command, `--where takes key=value, got ${JSON.stringify(text)}`);
    return [text.slice(0, eq), text.slice(eq + 1)] as const;
  });
  const rows: Row[] = objects.map((o) => o.toJSON()).filter((row) => conditions.every(([key, value]) => matches(row[key], key, value)));
  const explicit = typeof flags.columns === 'string';
  const columns = explicit ? (flags.columns as string).split(',').map((c) => c.trim()).filter(Boolean) : listColumns(resource.meta, rows);
  if (rows.length === 0 && format === 'table') {
    io.stderr.write('No results found.\n');
    return ExitCode.OK;
  }
  io.stdout.write(renderList(rows, format, columns, explicit));
  return ExitCode.OK;
}

async function describeOne(resource: CliResource, argv: readonly string[], io: CliIO, command: string): Promise<number> {
  const { flags, positionals } = parseArgs(argv, DESCRIBE_FLAGS, { command });
  const { meta } = resource;
  if (flags.help) {
    io.stdout.write(`Usage: ${command}${meta.flat ? '' : ` <${meta.idKey}>`} [options]\n\nOptions:\n${describeFlags(DESCRIBE_FLAGS)}\n`);
    return ExitCode.OK;
  }
  const format = chooseFormat(flags, io, command);
  if (!meta.flat && positionals.length !== 1) throw usage(command, positionals.length ? 'give one identifier' : `missing the identifier (${meta.idKey})`);
  if (meta.flat && positionals.length) throw usage(command, `${meta.name} has no identifier: give no argument`);
  const cls = classOf(resource);
  const options = init(flags, io);
  let record: Row;
  if (meta.listOnly) {
    const wanted = positionals[0];
    const all = await cls.all({ endpoint: options.endpoint, details: options.details });
    const found = all.find((o) => String(o.toJSON()[meta.idKey as string]) === wanted);
    if (!found) {
      const { NotFoundError } = await import('../errors.js');
      throw new NotFoundError({ message: `no ${meta.name} with ${meta.idKey} ${wanted}`, statusCode: 404 });
    }
    record = found.toJSON();
  } else {
    const obj = await cls.get(meta.flat ? undefined : positionals[0], options);
    record = obj.toJSON();
  }
  if (typeof flags.field === 'string') {
    const field = flags.field;
    if (!Object.hasOwn(record, field)) {
      throw usage(command, `${meta.name} has no attribute "${field}" in this response${hint(field, Object.keys(record))}`);
    }
    const value = record[field];
    const structuredValue = value !== null && typeof value === 'object';
    io.stdout.write(flags.json === true || structuredValue ? `${JSON.stringify(value, null, 2)}\n` : `${String(value)}\n`);
    return ExitCode.OK;
  }
  io.stdout.write(renderRecord(record, format));
  return ExitCode.OK;
}

/** `--where key=value`: the cell text equals value, or one item of an array does. */
function matches(field: unknown, key: string, wanted: string): boolean {
  const items = Array.isArray(field) ? field : [field];
  return items.some((item) => cellText(item, { empty: '', singleLine: true }, key) === wanted);
}

function nonNegative(command: string, name: string, text: unknown): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) throw usage(command, `--${name} must be a whole number of milliseconds, got ${JSON.stringify(text)}`);
  return Number(text);
}

async function runAction(resource: CliResource, action: CliAction, argv: readonly string[], io: CliIO, command: string): Promise<number> {
  const { meta } = resource;
  const attributes = new Map<string, AttributeMeta>(action.creates ? settable(resource).map((a) => [a.name, a]) : []);
  const optionKeys = new Set(action.optionKeys);
  const known = [...attributes.keys(), ...optionKeys];
  const { flags, positionals, extra } = parseArgs(argv, ACTION_FLAGS, { command, dynamic: { known: [...known, ...known.map(kebab)] } });
  if (flags.help) {
    const dynamicHelp = optionFlags(resource, action).map((name) => `      --${name} VALUE`).join('\n');
    io.stdout.write(`Usage: ${actionSynopsis(resource, action).replace(/^/, `dcm ${resource.command} `)}\n\nOptions:\n${describeFlags(ACTION_FLAGS)}${dynamicHelp ? `\n${dynamicHelp}` : ''}\n`);
    return ExitCode.OK;
  }
  const format = chooseFormat(flags, io, command);
  const needsId = !action.creates && !meta.flat;
  const expected = (needsId ? 1 : 0) + action.params.length;
  if (positionals.length < expected) {
    const names = [...(needsId ? [meta.idKey as string] : []), ...action.params.map((p) => p.name)];
    throw usage(command, `missing ${names.slice(positionals.length).map((n) => `<${n}>`).join(' ')}`);
  }
  if (positionals.length > expected) throw usage(command, `unexpected argument "${positionals[expected]}"`);
  const id = needsId ? positionals[0] : undefined;
  const cls = classOf(resource);
  const obj = new cls(id, init(flags, io));

  const options: Record<string, unknown> = {};
  for (const [rawName, value] of extra) {
    const name = camel(rawName);
    const attr = attributes.get(name);
    if (attr) obj[name] = attributeValue(attr, value, io, command);
    else options[name] = optionValue(name, value, io, command);
  }
  const args = action.params.map((param, i) => positionalValue(param, positionals[(needsId ? 1 : 0) + i], io, command));

  const progress = flags.wait ? createProgress(io, `${meta.name}${id === undefined ? '' : ` ${id}`} ${action.verb}`) : undefined;
  if (flags.wait) {
    options.wait = true;
    const intervalMs = nonNegative(command, 'interval', flags.interval);
    const timeoutMs = nonNegative(command, 'timeout', flags.timeout);
    if (intervalMs !== undefined) options.intervalMs = intervalMs;
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    options.onProgress = (job: ResourceObject) => {
      const data = job.toJSON();
      progress?.update(String(data.status ?? 'RUNNING'), typeof data.description === 'string' ? data.description : undefined);
    };
  } else if (flags.interval !== undefined || flags.timeout !== undefined) {
    throw usage(command, '--interval and --timeout apply only with --wait');
  }
  if (action.optionsParam !== undefined) args.push(options);
  else if (Object.keys(options).length) throw usage(command, `takes no options (${Object.keys(options).map((k) => `--${k}`).join(', ')})`);

  let result: unknown;
  try {
    result = await (obj[action.method] as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
  } catch (error) {
    progress?.fail(`failed: ${(error as Error)?.message?.split('\n')[0] ?? String(error)}`);
    throw error;
  }
  const job = isJob(result) ? result : undefined;
  // An action that makes another object (a volume's snapshot) answers with that object.
  const made = !job && result !== obj && isResourceObject(result) ? result : undefined;
  if (flags.wait) {
    progress?.done(job ? `${String(job.toJSON().status ?? 'COMPLETE')}` : 'done');
    const shown = made ?? obj;
    if (shown.id !== undefined && !shown.isLoaded) await shown.load().catch(() => undefined);
    io.stdout.write(renderRecord(shown.toJSON(), format));
    return ExitCode.OK;
  }
  if (job) {
    const data = job.toJSON();
    if (format === 'json' || format === 'xml' || format === 'csv') io.stdout.write(renderRecord(data, format));
    else io.stdout.write(`${String(data.jobId ?? job.id)}\n`);
    io.stderr.write(`${meta.name}${obj.id === undefined ? '' : ` ${String(obj.id)}`}: ${action.verb} started job ${String(data.jobId ?? job.id)} (${String(data.status ?? 'RUNNING')}); dcm job describe ${String(job.id)} to follow it\n`);
    return ExitCode.OK;
  }
  if (made) {
    io.stdout.write(renderRecord(made.toJSON(), format));
    return ExitCode.OK;
  }
  if (action.creates && obj.id !== undefined) {
    io.stdout.write(format === 'table' ? `${String(obj.id)}\n` : renderRecord(obj.toJSON(), format));
    return ExitCode.OK;
  }
  io.stderr.write(`${meta.name}${obj.id === undefined ? '' : ` ${String(obj.id)}`}: ${action.verb} done\n`);
  return ExitCode.OK;
}

function isResourceObject(value: unknown): value is ResourceObject {
  return value !== null && typeof value === 'object' && typeof (value as ResourceObject).toJSON === 'function';
}

function isJob(value: unknown): value is ResourceObject {
  return isResourceObject(value) && (value as { constructor?: { name?: string } }).constructor?.name === 'Job';
}

/** `@path` is that file's text (relative to the working directory); anything else is itself. */
function textOf(value: string, io: CliIO): string {
  return value.startsWith('@') && value.length > 1 ? readFileSync(filePath(io, value.slice(1)), 'utf8') : value;
}

function structured(text: string, command: string, what: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return parseParams(trimmed);
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    throw usage(command, `${what} is not valid JSON: ${(error as Error).message}`);
  }
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function booleanValue(value: string | true, command: string, what: string): boolean {
  if (value === true) return true;
  const lower = value.toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(lower)) return true;
  if (['false', 'no', '0', 'off'].includes(lower)) return false;
  throw usage(command, `${what} must be true or false, got ${JSON.stringify(value)}`);
}

function idLike(text: string): string | number {
  return INTEGER.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}

/** A flag value for an attribute of a new object, converted by the attribute's declared type. */
function attributeValue(attr: AttributeMeta, value: string | true, io: CliIO, command: string): unknown {
  const what = `--${attr.name}`;
  if (attr.type === 'boolean') return booleanValue(value, command, what);
  if (value === true) throw usage(command, `${what} needs a value`);
  if (attr.reference) {
    if (value.trim().startsWith('{')) return structured(value, command, what);
    return attr.reference.many ? value.split(',').map((v) => idLike(v.trim())) : idLike(value);
  }
  switch (attr.type) {
    case 'number':
      if (!NUMBER.test(value.trim())) throw usage(command, `${what} must be a number, got ${JSON.stringify(value)}`);
      return Number(value);
    case 'string':
      return textOf(value, io);
    case 'object':
      return structured(textOf(value, io), command, what);
    case 'array':
      if (value.trim().startsWith('[') || value.startsWith('@')) return structured(textOf(value, io), command, what);
      return value.split(',').map((v) => idLike(v.trim()));
    default:
      return looseValue(value, io, command, what);
  }
}

/** A flag value for an option of the action; its type is not declared, so only structure is read. */
function optionValue(name: string, value: string | true, io: CliIO, command: string): unknown {
  if (value === true) return true;
  if (/(?:Id|Ms|Gb|Hours|Count|Version|Size)$/.test(name) && INTEGER.test(value)) return Number(value);
  return looseValue(value, io, command, `--${name}`);
}

function looseValue(value: string, io: CliIO, command: string, what: string): unknown {
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) return structured(trimmed, command, what);
  if (trimmed.startsWith('[')) {
    // A JSON list, or text that merely starts with a bracket (`[fail] reason`).
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return value;
    }
  }
  if (value.startsWith('@') && value.length > 1) {
    const text = textOf(value, io);
    return /^\s*[[{]/.test(text) ? structured(text, command, what) : text;
  }
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

/** A positional argument of an action, converted by the parameter's declared type. */
function positionalValue(param: { name: string; type: string }, value: string, io: CliIO, command: string): unknown {
  const what = `<${param.name}>`;
  switch (param.type) {
    case 'number':
      if (!NUMBER.test(value.trim())) throw usage(command, `${what} must be a number, got ${JSON.stringify(value)}`);
      return Number(value);
    case 'boolean':
      return booleanValue(value, command, what);
    case 'string':
      return value;
    default: {
      const trimmed = value.trim();
      if (trimmed.startsWith('{') || trimmed.startsWith('[') || value.startsWith('@')) return looseValue(value, io, command, what);
      if (value.includes(',')) return value.split(',').map((v) => idLike(v.trim()));
      return idLike(value);
    }
  }
}
