/**
 * `dcm check` (and `dcm-api-tests --get`): lists every resource once and reports count and time.
 * A listing that needs a filter gets it from the registry: a required filter named like another
 * resource's identifier (`regionId`, `serverId`, `tierId`) takes the first identifier that
 * resource's own listing returned; a filter no resource provides (`engine`) is reported as
 * SKIP, not as a failure. Exit status 1 when any listing fails, each failure also on its own line
 * of stderr.
 */
import { describeFlags, parseArgs, usage } from '../args.js';
import { cliResources, type CliResource } from '../catalog.js';
import { cliEndpoint } from '../connection.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { redact } from '../redact.js';
import { chooseFormat, renderList, tableOptions } from '../render.js';
import type { CommandContext } from '../registry.js';
import { classOf } from './shared.js';

const COLUMNS = ['resource', 'path', 'result', 'count', 'ms', 'filter', 'error'];

type Outcome = { result: 'OK'; ids: unknown[] } | { result: 'FAIL' | 'SKIP'; reason: string };

interface Row {
  resource: string;
  path: string;
  result: 'OK' | 'FAIL' | 'SKIP';
  count: number | null;
  ms: number | null;
  filter: string | null;
  error: string | null;
}

/** `dcm check` (and `dcm-api-tests`): lists every resource once. */
export async function run(argv: readonly string[], io: CliIO, { tool, flags: specs }: CommandContext): Promise<number> {
  const command = tool === 'dcm' ? 'dcm check' : tool;
  const { flags, positionals } = parseArgs(argv, specs, { command });
  if (flags.help) {
    io.stdout.write(
      `Usage: ${command} [options]\n\nLists every resource once, reporting OK with the count and the time taken, or FAIL with the\nerror (exit 1). Required filters are filled from other listings (regionId from the first region);\na listing whose filter no resource provides is shown as SKIP.\n\nOptions:\n${describeFlags(specs)}\n`,
    );
    return ExitCode.OK;
  }
  if (positionals.length) throw usage(command, `unexpected argument "${positionals[0]}"`);
  const format = chooseFormat(flags, io, command);
  const endpoint = cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io);
  const resources = cliResources();
  const rows = new Map<string, Row>();
  const outcomes = new Map<string, Promise<Outcome>>();

  const check = (resource: CliResource): Promise<Outcome> => {
    let outcome = outcomes.get(resource.command);
    if (!outcome) {
      outcome = checkOne(resource);
      outcomes.set(resource.command, outcome);
    }
    return outcome;
  };

  /** The first identifier of the resource whose identifier key is `filter`, or why there is none. */
  const filterValue = async (filter: string): Promise<{ value: unknown } | { reason: string }> => {
    const source = resources.find((r) => r.meta.idKey === filter && !r.meta.flat);
    if (!source) return { reason: `needs --filter ${filter}, which no listing provides` };
    const outcome = await check(source);
    if (outcome.result !== 'OK') return { reason: `needs a ${source.meta.name} for ${filter} (its listing did not succeed)` };
    if (outcome.ids.length === 0) return { reason: `needs a ${source.meta.name} for ${filter}, and there is none` };
    return { value: outcome.ids[0] };
  };

  async function checkOne(resource: CliResource): Promise<Outcome> {
    const { meta } = resource;
    const filters: Record<string, unknown> = {};
    const skip = (reason: string): Outcome => {
      rows.set(resource.command, { resource: resource.command, path: meta.path, result: 'SKIP', count: null, ms: null, filter: null, error: reason });
      return { result: 'SKIP', reason };
    };
    for (const name of meta.requiredFilters) {
      const found = await filterValue(name);
      if ('reason' in found) return skip(found.reason);
      filters[name] = found.value;
    }
    if (meta.oneOfFilters.length && meta.oneOfFilters.every((f) => filters[f] === undefined)) {
      const reasons: string[] = [];
      for (const name of meta.oneOfFilters) {
        const found = await filterValue(name);
        if ('value' in found) {
          filters[name] = found.value;
          break;
        }
        reasons.push(found.reason);
      }
      if (Object.keys(filters).length === 0) return skip(reasons.join('; '));
    }
    const cls = classOf(resource);
    const started = performance.now();
    const filter = Object.entries(filters).map(([k, v]) => `${k}=${String(v)}`).join('&') || null;
    try {
      const items = meta.flat ? [await cls.get(undefined, { endpoint })] : await cls.all({ ...filters, endpoint });
      rows.set(resource.command, { resource: resource.command, path: meta.path, result: 'OK', count: items.length, ms: Math.round(performance.now() - started), filter, error: null });
      return { result: 'OK', ids: items.map((item) => item.id).filter((id) => id !== undefined && id !== null) };
    } catch (error) {
      const reason = (error as Error)?.message ?? String(error);
      rows.set(resource.command, { resource: resource.command, path: meta.path, result: 'FAIL', count: null, ms: Math.round(performance.now() - started), filter, error: reason });
      return { result: 'FAIL', reason };
    }
  }

  for (const resource of resources) await check(resource);
  const ordered = resources.map((r) => rows.get(r.command) as Row);
  io.stdout.write(redact(renderList(ordered as unknown as Array<Record<string, unknown>>, format, COLUMNS, false, tableOptions(flags, io)), io.env));
  const failed = ordered.filter((row) => row.result === 'FAIL');
  for (const row of failed) io.stderr.write(redact(`${command}: FAIL ${row.resource} (${row.path}${row.filter ? `?${row.filter}` : ''}): ${row.error ?? ''}\n`, io.env));
  const skipped = ordered.filter((row) => row.result === 'SKIP').length;
  io.stderr.write(`${command}: ${ordered.length - failed.length - skipped} OK, ${failed.length} failed, ${skipped} skipped\n`);
  return failed.length ? ExitCode.FAILURE : ExitCode.OK;
}
