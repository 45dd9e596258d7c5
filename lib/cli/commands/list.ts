/** `dcm <resource> list [--filter K=V]… [--where K=V]… [--columns A,B] [--keys-only]`. */
import { describeFlags, parseArgs, usage, type FlagSpecs } from '../args.js';
import { findCliResource, type CliResource } from '../catalog.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { cellText } from '../output/cells.js';
import { listColumns, type Row } from '../output/columns.js';
import { parseParams, type Params } from '../params/index.js';
import { chooseFormat, FORMAT_FLAGS, renderList, tableOptions } from '../render.js';
import { classOf, COMMON_FLAGS, initOf } from './shared.js';
import { filtersOf } from '../../orm/filters.js';
import { referenceTarget } from '../../orm/registry.js';
import { namedAmong, noMatch } from '../../orm/lookups.js';
import { NotFoundError } from '../../errors.js';

export const LIST_FLAGS: FlagSpecs = {
  filter: { type: 'string', short: 'f', multiple: true, valueName: 'K=V', description: 'filter sent to the API (repeatable; also JSON or a=1&b=2); see Filters below' },
  where: { type: 'string', multiple: true, valueName: 'K=V', description: 'keep items whose K shows as V (checked here, after the listing)' },
  of: {
    type: 'string',
    valueName: 'TYPE[.K]=V',
    description: "only what one other object refers to: --of user.email=… lists that user's groups, --of server=web-1 that server's firewalls",
  },
  find: {
    type: 'string',
    multiple: true,
    valueName: 'K=V',
    description: 'keep items whose attribute K is V exactly; a reference by id, name or provider id, or by an attribute of the referenced object (owningUser.email=…); declared filters go to the API',
  },
  columns: { type: 'string', valueName: 'A,B,…', description: 'columns of the table/CSV' },
  'keys-only': { type: 'boolean', short: 'k', description: 'print the identifiers only' },
  ...FORMAT_FLAGS,
  ...COMMON_FLAGS,
};

/** The filters the class declares for its listing, as help lines: name, type, marks, what it selects. */
export function filterHelp(resource: CliResource): string {
  const decl = filtersOf(resource.meta.cls);
  const { oneOfFilters } = resource.meta;
  const names = Object.keys(decl);
  if (!names.length) return 'Filters: none (the API takes no filter for this listing).\n';
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const lines = names.map((name) => {
    const def = decl[name];
    const type = def.values ? def.values.join('|') : def.type === 'number' ? 'id' : def.type;
    const marks = [def.required ? 'required' : undefined, oneOfFilters.includes(name) ? `one of ${oneOfFilters.join(', ')} is required` : undefined].filter(Boolean).join('; ');
    return `  ${name.padEnd(width)}${type.padEnd(10)}${def.description ?? ''}${marks ? ` (${marks})` : ''}`;
  });
  return `Filters (--filter K=V; any other name is refused):\n${lines.join('\n')}\n`;
}

/** The synopsis of `list`, with its required filters. */
export function listSynopsis(resource: CliResource): string {
  const { requiredFilters, oneOfFilters } = resource.meta;
  const required = requiredFilters.map((f) => ` --filter ${f}=…`).join('');
  const oneOf = oneOfFilters.length ? ` --filter {${oneOfFilters.join('|')}}=…` : '';
  return `list${required}${oneOf} [--filter K=V]…`;
}

export async function runList(resource: CliResource, argv: readonly string[], io: CliIO, command: string): Promise<number> {
  const { flags, positionals } = parseArgs(argv, LIST_FLAGS, { command });
  if (flags.help) {
    io.stdout.write(`Usage: dcm ${resource.command} ${listSynopsis(resource)} [options]\n\n${filterHelp(resource)}\nOptions:\n${describeFlags(LIST_FLAGS)}\n`);
    return ExitCode.OK;
  }
  if (positionals.length) throw usage(command, `unexpected argument "${positionals[0]}" (filters are given as --filter ${positionals[0].includes('=') ? positionals[0] : 'key=value'})`);
  const format = chooseFormat(flags, io, command);
  const filters = parseFilters(flags.filter as string[] | undefined, command);
  const finds = parseFinds(resource, flags.find as string[] | undefined, command);
  const { requiredFilters, oneOfFilters } = resource.meta;
  const given = { ...filters, ...finds };
  // With --find, a required filter may come from a reference given by name (region=us-east-1 gives
  // regionId); find() then checks it.
  const finding = Object.keys(finds).length > 0;
  const missing = finding ? [] : requiredFilters.filter((f) => given[f] === undefined || given[f] === null);
  if (missing.length) throw usage(command, `needs ${missing.map((f) => `--filter ${f}=<value>`).join(' and ')}`);
  if (!finding && oneOfFilters.length && oneOfFilters.every((f) => given[f] === undefined || given[f] === null)) {
    throw usage(command, `needs one of ${oneOfFilters.map((f) => `--filter ${f}=<value>`).join(', ')}`);
  }
  const { endpoint, details } = initOf(flags, io);
  const cls = classOf(resource);
  let found = Object.keys(finds).length ? await cls.find({ ...filters, ...finds }, { endpoint, details }) : undefined;
  if (typeof flags.of === 'string') {
    const held = await referredIds(resource, flags.of, command, { endpoint, details });
    found = (found ?? (await cls.all({ ...filters, endpoint, details }))).filter((o) => held.has(String(o.id)));
  }
  if (flags['keys-only']) {
    const ids = found ? found.map((o) => o.id) : ((await cls.all({ ...filters, endpoint, details, keysOnly: true })) as unknown as unknown[]);
    io.stdout.write(format === 'json' ? `${JSON.stringify(ids, null, 2)}\n` : ids.map((id) => `${String(id)}\n`).join(''));
    return ExitCode.OK;
  }
  const objects = found ?? (await cls.all({ ...filters, endpoint, details }));
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
  io.stdout.write(renderList(rows, format, columns, explicit, tableOptions(flags, io)));
  return ExitCode.OK;
}

function parseFilters(texts: readonly string[] | undefined, command: string): Params {
  const filters: Params = {};
  for (const text of texts ?? []) {
    for (const [key, value] of Object.entries(parseParams(text))) {
      if (value !== null && typeof value === 'object') throw usage(command, `filter ${key} must be a string, number or boolean`);
      if (Object.hasOwn(filters, key)) throw usage(command, `filter ${key} is given more than once`);
      filters[key] = value;
    }
  }
  return filters;
}

/**
 * `--find K=V`: a query for `find()`. A value is converted by the attribute's declared type (a
 * number, a boolean); a reference keeps the text (an id, a name or a provider id); `K.sub=V`
 * matches a reference by an attribute of the referenced object.
 */
export function parseFinds(resource: CliResource, texts: readonly string[] | undefined, command: string): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const text of texts ?? []) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw usage(command, `--find takes key=value, got ${JSON.stringify(text)}`);
    const path = text.slice(0, eq);
    const value = text.slice(eq + 1);
    const [key, sub, ...deeper] = path.split('.');
    if (deeper.length) throw usage(command, `--find ${path}: one level of attribute.sub at most`);
    const attr = resource.meta.attributes.get(key);
    if (sub !== undefined) {
      if (!attr?.reference) throw usage(command, `--find ${path}: ${key} is not a reference of ${resource.meta.name}`);
      const holder = (query[key] ??= {}) as Record<string, unknown>;
      if (typeof holder !== 'object') throw usage(command, `--find ${key} is given both as a value and as ${path}`);
      holder[sub] = value;
      continue;
    }
    if (Object.hasOwn(query, key)) throw usage(command, `--find ${key} is given more than once`);
    if (attr && !attr.reference && !attr.idOf && attr.type === 'number') {
      if (!/^\s*-?\d+(\.\d+)?\s*$/.test(value)) throw usage(command, `--find ${key} must be a number, got ${JSON.stringify(value)}`);
      query[key] = Number(value);
    } else if (attr && attr.type === 'boolean') {
      if (value !== 'true' && value !== 'false') throw usage(command, `--find ${key} must be true or false, got ${JSON.stringify(value)}`);
      query[key] = value === 'true';
    } else {
      query[key] = value;
    }
  }
  return query;
}

/** What `--of TYPE=V` / `--of TYPE.K=V` names: the other type (`owner`), its attribute `key` if given, and `value`. */
export function parseOf(text: string, command: string): { word: string; key: string | undefined; value: string; owner: CliResource } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw usage(command, `--of takes TYPE=V or TYPE.K=V, got ${JSON.stringify(text)}`);
  const [word, key, ...deeper] = text.slice(0, eq).split('.');
  if (deeper.length) throw usage(command, `--of ${text.slice(0, eq)}: one attribute at most`);
  const owner = findCliResource(word);
  if (!owner) throw usage(command, `--of: unknown resource "${word}"`);
  return { word, key, value: text.slice(eq + 1), owner };
}

/**
 * `--of TYPE=V` / `--of TYPE.K=V`: the ids that one object of another type refers to through its
 * reference(s) to this type. The object is found by id, name or provider id (`TYPE=V`) or by one
 * of its attributes (`TYPE.K=V`), with one listing of that type.
 */
export async function referredIds(resource: CliResource, text: string, command: string, init: { endpoint: unknown; details: unknown }): Promise<Set<string>> {
  const { word, key, value, owner } = parseOf(text, command);
  const refs = [...owner.meta.references.values()].filter((attr) => referenceTarget(owner.meta.cls, attr).cls === resource.meta.cls);
  if (!refs.length) throw usage(command, `--of: a ${owner.meta.name} refers to no ${resource.meta.name}`);
  const ownerCls = classOf(owner);
  const where = { endpoint: init.endpoint, details: init.details };
  let candidates;
  if (key !== undefined) candidates = await ownerCls.find({ [key]: value }, where);
  else if (/^\d+$/.test(value) && owner.meta.idKey) candidates = await ownerCls.find({ [owner.meta.idKey]: Number(value) }, where);
  else {
    const all = await ownerCls.all(where);
    candidates = namedAmong(all, value);
    if (!candidates.length) throw noMatch(`${command}: --of ${word}`, owner.meta, value, all);
  }
  if (candidates.length === 0) throw new NotFoundError({ message: `${command}: --of ${text}: no ${owner.meta.name} matches`, code: 'ENOTFOUND' });
  if (candidates.length !== 1) {
    throw usage(command, `--of ${text}: ${candidates.length} ${owner.meta.name} objects match (${candidates.slice(0, 5).map((c) => String(c.id)).join(', ')})`);
  }
  const data = candidates[0].toJSON();
  const idKey = resource.meta.idKey as string;
  const held = new Set<string>();
  for (const attr of refs) {
    const raw = data[attr.name];
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      const id = item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[idKey] : undefined;
      if (id !== undefined && id !== null) held.add(String(id));
    }
  }
  return held;
}

/** `--where key=value`: the cell text equals value, or one item of an array does. */
function matches(field: unknown, key: string, wanted: string): boolean {
  const items = Array.isArray(field) ? field : [field];
  return items.some((item) => cellText(item, { empty: '', singleLine: true }, key) === wanted);
}
