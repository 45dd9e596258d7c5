/**
 * `dcm export TYPE… [--find K=V]… [--of PARENT]… [--format yaml|json]`: the live objects of the
 * types (class names such as `Server` or command names such as `firewall-rule`) as apply records,
 * on stdout (lib/apply/export.ts): one listing per type, and per firewall for rules. Applied
 * unchanged, the output changes nothing. `--find` keeps the objects whose attribute K is V
 * (declared filters go to the API); `--of` limits a type listed within a parent (FirewallRule) to
 * the children of that parent, given by id or name.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { describeFlags, parseArgs, usage } from '../args.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { cliEndpoint } from '../connection.js';
import { exportableType, exportRecords } from '../../apply/export.js';
import { referenceTarget } from '../../orm/registry.js';
import type { AttributeMeta } from '../../orm/metadata.js';
import type { Id } from '../../orm/state.js';
import type { CommandContext } from '../registry.js';

/** `K=V` pairs; a value of digits is a number (ids, sizes), `true`/`false` booleans. */
function pairs(command: string, flag: string, texts: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw usage(command, `--${flag} takes key=value, got ${JSON.stringify(text)}`);
    const value = text.slice(eq + 1);
    out[text.slice(0, eq)] = /^\d{1,15}$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value;
  }
  return out;
}

/** Runs `dcm export`. */
export async function run(argv: readonly string[], io: CliIO, { flags: specs }: CommandContext): Promise<number> {
  const command = 'dcm export';
  const { flags, positionals } = parseArgs(argv, specs, { command });
  if (flags.help) {
    io.stdout.write(`Usage: ${command} TYPE… [options]\n\nWrites the live objects of each TYPE (e.g. Server, firewall-rule) as apply records to stdout:\nsettable attributes, references by id or as "@name" between objects exported together.\nApplied unchanged, the output changes nothing.\n\nOptions:\n${describeFlags(specs)}\n`);
    return ExitCode.OK;
  }
  if (!positionals.length) throw usage(command, 'name at least one TYPE (dcm export Server Volume)');
  const format = (flags.format as string | undefined) ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw usage(command, `--format must be yaml or json, got "${format}"`);
  const types = positionals.map((name) => {
    try {
      return exportableType(name);
    } catch (error) {
      throw usage(command, (error as Error).message.replace(/^export: /, ''));
    }
  });
  const endpoint = cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io);
  const find = pairs(command, 'find', (flags.find as string[] | undefined) ?? []);
  const ofTexts = (flags.of as string[] | undefined) ?? [];
  let of: Id[] | undefined;
  if (ofTexts.length) {
    const child = types.find((t) => t.identity.by === 'parent');
    if (!child || child.identity.by !== 'parent') throw usage(command, '--of names the parent of a type listed within one (FirewallRule: its firewall); none of the types is');
    const parent = referenceTarget(child.meta.cls, child.meta.attributes.get(child.identity.parent) as AttributeMeta);
    const parentCls = parent.cls as unknown as { find(q: Record<string, unknown>, o: Record<string, unknown>): Promise<Array<{ id: unknown }>> };
    of = [];
    for (const text of ofTexts) {
      if (/^\d+$/.test(text)) of.push(Number(text));
      else {
        const found = await parentCls.find({ name: text }, { endpoint });
        if (found.length !== 1) throw usage(command, `--of ${JSON.stringify(text)}: ${found.length ? `${found.length} ${parent.name}s have that name; give the id` : `no ${parent.name} has that name`}`);
        of.push(found[0].id as Id);
      }
    }
  }
  const records = await exportRecords(types, { endpoint, find, ...(of ? { of } : {}) });
  if (format === 'json') io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
  else {
    const { stringify } = createRequire(import.meta.url)('yaml') as typeof Yaml;
    io.stdout.write(records.length ? stringify(records, { lineWidth: 0 }) : '[]\n');
  }
  io.stderr.write(`${command}: ${records.length} record${records.length === 1 ? '' : 's'}\n`);
  return ExitCode.OK;
}
