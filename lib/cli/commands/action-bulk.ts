/**
 * An action over a set, on the command line: `dcm server stop --find status=RUNNING
 * --of region.name=us-east-1 [--dry-run] [--yes] [--concurrency N] [--wait]`.
 *
 * The set is what `--find` (as `dcm <resource> list --find`) and `--of` select: `--of TYPE.K=V`
 * or `--of TYPE=V` names one other object, and the set keeps the objects that refer to it
 * (`--of region.name=us-east-1`: the servers of that region) or that it refers to (`--of
 * user.email=…` for groups: that user's groups). The command lists the objects and the exact
 * requests (a dry run of `X.where(query).<action>()`), asks as `dcm apply` does (or `--yes`),
 * then acts on the objects shown that still match, showing progress, and ends with a summary
 * table. It exits 1 when any object failed, 130 when interrupted.
 */
import { createInterface } from 'node:readline';
import { usage, type FlagSpecs } from '../args.js';
import type { CliAction, CliResource } from '../catalog.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { renderList, type Format } from '../render.js';
import type { TableOptions } from '../output/table.js';
import { createProgress } from '../spinner.js';
import { referenceTarget } from '../../orm/registry.js';
import { stateOf } from '../../orm/state.js';
import type { BulkOptions, BulkOutcome, BulkResult, Selection } from '../../orm/bulk.js';
import { flushJournal } from '../../journal/index.js';
import { parseFinds, parseOf, referredIds } from './list.js';
import { milliseconds } from './shared.js';

/** The flags that make an action command act on a set. */
export const BULK_FLAGS: FlagSpecs = {
  find: { type: 'string', multiple: true, valueName: 'K=V', description: 'act on every object whose attribute K is V (repeatable; as list --find), found with one listing' },
  of: { type: 'string', valueName: 'TYPE[.K]=V', description: 'act on the objects related to one other object, e.g. --of region.name=us-east-1' },
  'dry-run': { type: 'boolean', description: 'with --find/--of: show the objects and the exact requests, and send nothing' },
  yes: { type: 'boolean', short: 'y', description: 'with --find/--of: act without asking' },
  concurrency: { type: 'string', valueName: 'N', description: 'with --find/--of: writes at once (default 8)' },
};

/** Whether the command line acts on a set (`--find` or `--of` given). */
export function isBulk(flags: Record<string, unknown>): boolean {
  return flags.find !== undefined || flags.of !== undefined;
}

/** Refuses the set-only flags without `--find`/`--of`. */
export function refuseBulkFlags(flags: Record<string, unknown>, command: string): void {
  const given = ['dry-run', 'yes', 'concurrency'].filter((name) => flags[name] !== undefined);
  if (given.length) throw usage(command, `${given.map((n) => `--${n}`).join(', ')} appl${given.length > 1 ? 'y' : 'ies'} only with --find or --of (acting on a set)`);
}

/** `--of TYPE[.K]=V` as a term of the query: a reference this type holds, or the ids the other object holds. */
async function addOf(resource: CliResource, query: Record<string, unknown>, text: string, command: string, init: { endpoint: unknown; details: unknown }): Promise<void> {
  const { word, key, value, owner } = parseOf(text, command);
  const held = [...resource.meta.references.values()].filter((attr) => !attr.reference?.many && referenceTarget(resource.meta.cls, attr).cls === owner.meta.cls);
  if (held.length) {
    // This type refers to the other one (a server's region): matched by the reference.
    const attr = held[0];
    if (Object.hasOwn(query, attr.name)) throw usage(command, `--of ${word} and --find ${attr.name} select the same reference; give one`);
    query[attr.name] = key === undefined ? value : { [key]: value };
    return;
  }
  const idKey = resource.meta.idKey;
  if (!idKey) throw usage(command, `--of: ${resource.meta.name} has no identifier to select by`);
  if (Object.hasOwn(query, idKey)) throw usage(command, `--of and --find ${idKey} cannot be given together`);
  const ids = await referredIds(resource, text, command, init);
  query[idKey] = (id: unknown) => ids.has(String(id));
}

async function confirm(io: CliIO, question: string, signal: AbortSignal): Promise<boolean> {
  const rl = createInterface({ input: io.stdin as NodeJS.ReadableStream, terminal: false });
  io.stderr.write(`${question} Type "yes" to go on: `);
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
      signal.addEventListener('abort', () => resolve(''), { once: true });
    });
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

function nameOf(obj: object): string {
  const name = stateOf(obj).data?.name;
  return typeof name === 'string' ? name : '';
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function requestText(outcome: BulkOutcome<object>): string {
  const r = outcome.request;
  if (!r) return '';
  const query = r.query && Object.keys(r.query).length ? `?${new URLSearchParams(Object.entries(r.query).filter(([, v]) => v !== undefined && v !== null).map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
  return `${r.method} ${r.path}${query}${r.body === undefined ? '' : ` ${JSON.stringify(r.body)}`}`;
}

/** One row per outcome: identifier, name, outcome, job, and the request (planned) or the error. */
function rows(result: BulkResult<object>, idKey: string): Array<Record<string, unknown>> {
  return result.outcomes.map((o) => ({
    [idKey]: stateOf(o.object).id,
    name: nameOf(o.object),
    outcome: o.status,
    ...(result.dryRun ? { request: requestText(o) } : { jobId: o.job?.id ?? '' }),
    error: o.error === undefined ? '' : errorText(o.error),
  }));
}

function render(result: BulkResult<object>, idKey: string, format: Format, table: TableOptions): string {
  const list = rows(result, idKey);
  const columns = [idKey, 'name', 'outcome', result.dryRun ? 'request' : 'jobId', 'error'];
  return renderList(list, format, columns, true, table);
}

/** What the command line gave the action, ready for the call. */
export interface BulkCall {
  /** The action's positional arguments, converted. */
  args: unknown[];
  /** The action's options (`--reason` …), without the waiter's. */
  options: Record<string, unknown>;
  /** Endpoint and detail level. */
  init: { endpoint: unknown; details: 'extended' | undefined };
  format: Format;
  table: TableOptions;
}

/** Runs the action on the set the flags select (see the module note); resolves with the exit code. */
export async function runBulkAction(resource: CliResource, action: CliAction, flags: Record<string, unknown>, call: BulkCall, io: CliIO, command: string): Promise<number> {
  const { meta } = resource;
  if (action.creates || !meta.idKey) throw usage(command, `--find and --of select existing objects; ${action.verb} ${action.creates ? 'makes a new one' : 'has no set to act on'}`);
  const idKey = meta.idKey;
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && !(Number.isSafeInteger(concurrency) && concurrency > 0)) throw usage(command, `--concurrency must be a positive whole number, got "${String(flags.concurrency)}"`);
  if (!flags.wait && (flags.interval !== undefined || flags.timeout !== undefined)) throw usage(command, '--interval and --timeout apply only with --wait');
  const intervalMs = milliseconds(command, 'interval', flags.interval);
  const timeoutMs = milliseconds(command, 'timeout', flags.timeout);
  const query = parseFinds(resource, flags.find as string[] | undefined, command);
  if (typeof flags.of === 'string') await addOf(resource, query, flags.of, command, call.init);
  const where = { endpoint: call.init.endpoint, details: call.init.details } as Record<string, unknown>;
  const cls = meta.cls as unknown as { where(query: Record<string, unknown>, options: Record<string, unknown>): Selection<object> };
  const act = (set: Selection<object>, bulk: BulkOptions): Promise<BulkResult<object>> =>
    (set as unknown as Record<string, (...a: unknown[]) => Promise<BulkResult<object>>>)[action.method](...call.args, ...(action.optionsParam === undefined ? [] : [call.options]), bulk);

  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    io.stderr.write(`${command}: ${signal}: stopping; writes already sent end, nothing more is started\n`);
    controller.abort(new DOMException(`interrupted by ${signal}`, 'AbortError'));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const preview = await act(cls.where(query, where), { dryRun: true, concurrency, signal: controller.signal });
    const matched = preview.outcomes.length;
    const label = `${matched} ${meta.name} object${matched === 1 ? '' : 's'}`;
    if (!matched) {
      io.stderr.write(`${command}: no ${meta.name} matches; nothing to do\n`);
      return ExitCode.OK;
    }
    if (flags['dry-run']) {
      io.stdout.write(render(preview, idKey, call.format, call.table));
      io.stderr.write(`${command}: dry run: ${label} would get ${preview.totals.planned} request${preview.totals.planned === 1 ? '' : 's'}; nothing was sent\n`);
      return preview.totals.failed ? ExitCode.FAILURE : ExitCode.OK;
    }
    io.stderr.write(render(preview, idKey, 'table', call.table));
    const planned = preview.outcomes.filter((o) => o.status === 'planned');
    if (!planned.length) {
      io.stderr.write(`${command}: none of the ${label} can be acted on (see the errors above); nothing was sent\n`);
      return ExitCode.FAILURE;
    }
    if (!flags.yes) {
      if (!(io.stdin as { isTTY?: boolean } | undefined)?.isTTY) {
        io.stderr.write(`${command}: nothing sent: stdin is not a terminal, so nobody can confirm; pass --yes to act without asking\n`);
        return ExitCode.USAGE;
      }
      if (!(await confirm(io, `${action.verb} these ${planned.length} ${meta.name} object${planned.length === 1 ? '' : 's'}?`, controller.signal))) {
        io.stderr.write('Nothing sent.\n');
        return controller.signal.aborted ? ExitCode.INTERRUPTED : ExitCode.FAILURE;
      }
    }
    // The objects shown (and planned), if they still match.
    const shown = new Set(planned.map((o) => String(stateOf(o.object).id)));
    const narrowed = { ...query };
    const prior = query[idKey];
    narrowed[idKey] = (id: unknown) => shown.has(String(id)) && (typeof prior !== 'function' || Boolean((prior as (v: unknown) => unknown)(id)));
    const progress = createProgress(io, `${meta.name} ${action.verb}`);
    let result: BulkResult<object>;
    try {
      result = await act(cls.where(narrowed, where), {
        concurrency,
        wait: flags.wait === true,
        ...(intervalMs === undefined ? {} : { intervalMs }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        signal: controller.signal,
        onProgress: (p) => progress.update(`${p.phase === 'wait' ? 'jobs ended' : 'sent'} ${p.ended}/${p.total}${p.failed ? `, ${p.failed} failed` : ''}`),
      });
    } catch (error) {
      progress.stop();
      throw error;
    }
    const { done, failed, skipped } = result.totals;
    progress.done(`${done} done, ${failed} failed${skipped ? `, ${skipped} not started` : ''} (run ${result.run})`);
    io.stdout.write(render(result, idKey, call.format, call.table));
    const gone = planned.length - result.outcomes.length;
    if (gone > 0) io.stderr.write(`${command}: ${gone} object${gone === 1 ? '' : 's'} shown no longer matched, and ${gone === 1 ? 'was' : 'were'} left alone\n`);
    if (failed) {
      const names = result.outcomes.filter((o) => o.status === 'failed').map((o) => `${String(stateOf(o.object).id)}${nameOf(o.object) ? ` (${nameOf(o.object)})` : ''}`);
      io.stderr.write(`${command}: ${failed} of ${result.outcomes.length} failed: ${names.join(', ')}\n`);
    }
    if (result.aborted) return ExitCode.INTERRUPTED;
    return failed ? ExitCode.FAILURE : ExitCode.OK;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await flushJournal().catch(() => undefined);
  }
}
