/**
 * `dcm <resource> <action> [<id>] [arguments] [--option VALUE]… [--wait]`: one `@action` method
 * called with the arguments its declaration names, converted by ./coerce.ts.
 *
 *     dcm server stop 331810 --wait
 *     dcm server stop --find status=RUNNING --of region.name=us-east-1 --wait   (a set: ./action-bulk.ts)
 *     dcm server rename 331810 web-2
 *     dcm server launch --name web --description d --budget 10287 --providerProductId m1.small \
 *        --machineImage 284831 --dataCenter 65541 --wait
 */
import { describeFlags, parseArgs, usage, type FlagSpecs } from '../args.js';
import { camel, findCliResource, kebab, type CliAction, type CliResource } from '../catalog.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { Job } from '../../orm/job.js';
import { chooseFormat, FORMAT_FLAGS, renderRecord, tableOptions } from '../render.js';
import { createProgress } from '../spinner.js';
import type { AttributeMeta } from '../../orm/metadata.js';
import { referenceTarget } from '../../orm/registry.js';
import { attributeValue, optionValue, positionalValue } from './coerce.js';
import { BULK_FLAGS, isBulk, refuseBulkFlags, runBulkAction } from './action-bulk.js';
import { classOf, COMMON_FLAGS, initOf, isResourceObject, milliseconds, RECEIVER_FLAGS, receiverChoice, receiverId, settable, type ResourceObject } from './shared.js';

export const WAIT_FLAGS: FlagSpecs = {
  interval: { type: 'string', valueName: 'MS', description: 'pause between job polls with --wait (default 5000)' },
  timeout: { type: 'string', valueName: 'MS', description: 'give up waiting after MS (default 30 minutes)' },
};

export const ACTION_FLAGS: FlagSpecs = {
  wait: { type: 'boolean', short: 'w', description: 'wait for the job the action starts, showing progress' },
  ...WAIT_FLAGS,
  ...FORMAT_FLAGS,
  ...COMMON_FLAGS,
};

/** What a deleting action (DELETE) takes besides the common flags. */
export const REMOVE_FLAGS: FlagSpecs = {
  'ignore-missing': { type: 'boolean', description: 'an object that does not exist is not an error (exit 0): deleting what is gone succeeds' },
};

/** The flags of an action's command. */
function flagsOf(resource: CliResource, action: CliAction): FlagSpecs {
  const base = action.http === 'DELETE' && action.optionsParam !== undefined ? { ...ACTION_FLAGS, ...REMOVE_FLAGS } : ACTION_FLAGS;
  if (action.creates || resource.meta.flat) return base;
  // --id/--name say what the object argument is, unless the action has an argument of that name;
  // --find/--of… act on a set instead, unless the action has options of those names.
  const own = new Set([...action.optionKeys, ...action.params.map((p) => p.name)]);
  const receiver = Object.fromEntries(Object.entries(RECEIVER_FLAGS).filter(([name]) => !own.has(name)));
  const bulk = resource.meta.idKey ? Object.fromEntries(Object.entries(BULK_FLAGS).filter(([name]) => !own.has(name))) : {};
  return { ...receiver, ...base, ...bulk };
}

export function actionSynopsis(resource: CliResource, action: CliAction): string {
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

/** Help lines of the action's own arguments and flags: what each sets and what it takes. */
function optionHelp(resource: CliResource, action: CliAction): string {
  const settableNames = new Set(action.creates ? settable(resource).map((a) => a.name) : []);
  const lines = optionFlags(resource, action).map((name) => {
    const role = settableNames.has(name) ? `${name} of the new ${resource.meta.name}` : `option ${name} of ${action.method}()`;
    return [`      --${name} VALUE`, `${role}: ${valueKind(resource, name)}`];
  });
  const params = action.params.map((p) => [`  <${p.name}>`, `required: ${p.name} of ${action.method}(): ${p.type === 'any' ? valueKind(resource, p.name) : p.type}`]);
  const all = [...params, ...lines];
  if (!all.length) return '';
  const width = Math.max(...all.map(([left]) => left.length)) + 2;
  return `${all.map(([left, right]) => `${left.padEnd(width)}${right}`).join('\n')}\n`;
}

/** What a value of the attribute, option or argument `name` is, as the registry declares it. */
function valueKind(resource: CliResource, name: string): string {
  const attr = resource.meta.attributes.get(name);
  if (attr?.reference) {
    const target = referenceTarget(resource.meta.cls, attr).name;
    return attr.reference.many ? `${target} identifiers, comma-separated` : `${target} identifier`;
  }
  if (attr && attr.type !== 'any') return attr.type === 'array' ? 'list, comma-separated or JSON' : attr.type === 'object' ? 'JSON object or @file' : attr.type;
  const named = findCliResource(name.replace(/Id$/, ''));
  if (named && (named.meta.idKey === name || !attr)) return /s$/.test(name) ? `${named.meta.name} identifiers, comma-separated` : `${named.meta.name} identifier`;
  return 'text (JSON or @file for structured values)';
}

export async function runAction(resource: CliResource, action: CliAction, argv: readonly string[], io: CliIO, command: string): Promise<number> {
  const { meta } = resource;
  const attributes = new Map<string, AttributeMeta>(action.creates ? settable(resource).map((a) => [a.name, a]) : []);
  const known = [...attributes.keys(), ...action.optionKeys];
  const specs = flagsOf(resource, action);
  const { flags, positionals, extra } = parseArgs(argv, specs, { command, dynamic: { known: [...known, ...known.map(kebab)] } });
  if (flags.help) {
    const own = optionHelp(resource, action);
    const set = Object.hasOwn(specs, 'find') ? `   or: dcm ${resource.command} ${action.verb} --find K=V… [--of TYPE[.K]=V]${action.params.map((p) => ` <${p.name}>`).join('')} [--dry-run] [--yes] [--concurrency N] [--wait]\n` : '';
    io.stdout.write(`Usage: dcm ${resource.command} ${actionSynopsis(resource, action)}\n${set}\n${own ? `Arguments and options of this action:\n${own}\n` : ''}Options:\n${describeFlags(specs)}\n`);
    return ExitCode.OK;
  }
  const format = chooseFormat(flags, io, command);
  const bulk = isBulk(flags);
  if (!bulk) refuseBulkFlags(flags, command);
  const needsId = !action.creates && !meta.flat && !bulk;
  const expected = (needsId ? 1 : 0) + action.params.length;
  if (positionals.length < expected) {
    const names = [...(needsId ? [meta.idKey as string] : []), ...action.params.map((p) => p.name)];
    throw usage(command, `missing ${names.slice(positionals.length).map((n) => `<${n}>`).join(' ')}`);
  }
  if (positionals.length > expected) throw usage(command, `unexpected argument "${positionals[expected]}"`);
  const init = initOf(flags, io);
  const id = needsId ? await receiverId(resource, positionals[0], init, command, { by: receiverChoice(Object.hasOwn(specs, 'name') ? flags : { id: flags.id }, command), write: true, io }) : undefined;
  const cls = classOf(resource);
  const obj = new cls(id, init);

  const options: Record<string, unknown> = {};
  for (const [rawName, value] of extra) {
    const name = camel(rawName);
    const target = { command, what: `--${name}`, io };
    const attr = attributes.get(name);
    if (attr) obj[name] = attributeValue(resource, attr, value, target);
    else options[name] = optionValue(resource, name, value, target);
  }
  const args = action.params.map((param, i) => positionalValue(resource, param, positionals[(needsId ? 1 : 0) + i], { command, what: `<${param.name}>`, io }));
  if (bulk) {
    if (flags['ignore-missing']) options.ignoreMissing = true;
    if (action.optionsParam === undefined && Object.keys(options).length) throw usage(command, `takes no options (${Object.keys(options).map((k) => `--${k}`).join(', ')})`);
    return runBulkAction(resource, action, flags, { args, options, init, format, table: tableOptions(flags, io) }, io, command);
  }

  const progress = flags.wait ? createProgress(io, `${meta.name}${id === undefined ? '' : ` ${id}`} ${action.verb}`) : undefined;
  if (flags.wait) {
    options.wait = true;
    const intervalMs = milliseconds(command, 'interval', flags.interval);
    const timeoutMs = milliseconds(command, 'timeout', flags.timeout);
    if (intervalMs !== undefined) options.intervalMs = intervalMs;
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    options.onProgress = (job: ResourceObject) => {
      const data = job.toJSON();
      progress?.update(String(data.status ?? 'RUNNING'), typeof data.description === 'string' ? data.description : undefined);
    };
  } else if (flags.interval !== undefined || flags.timeout !== undefined) {
    throw usage(command, '--interval and --timeout apply only with --wait');
  }
  if (flags['ignore-missing']) options.ignoreMissing = true;
  if (action.optionsParam !== undefined) args.push(options);
  else if (Object.keys(options).length) throw usage(command, `takes no options (${Object.keys(options).map((k) => `--${k}`).join(', ')})`);

  let result: unknown;
  try {
    result = await (obj[action.method] as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
  } catch (error) {
    // The error handler prints the failure; the progress display only steps aside.
    progress?.stop();
    throw error;
  }
  const job = result instanceof Job ? (result as unknown as ResourceObject) : undefined;
  // An action that makes another object (a volume's snapshot) answers with that object.
  const made = !job && result !== obj && isResourceObject(result) ? result : undefined;
  const table = tableOptions(flags, io);
  if (flags.wait) {
    progress?.done(job ? `${String(job.toJSON().status ?? 'COMPLETE')}` : 'done');
    const shown = made ?? obj;
    if (shown.id !== undefined && !shown.isLoaded) await shown.load().catch(() => undefined);
    io.stdout.write(renderRecord(shown.toJSON(), format, table));
    return ExitCode.OK;
  }
  if (job) {
    const data = job.toJSON();
    if (format === 'json' || format === 'xml' || format === 'csv') io.stdout.write(renderRecord(data, format));
    else io.stdout.write(`${String(data.jobId ?? job.id)}\n`);
    io.stderr.write(`${meta.name}${obj.id === undefined ? '' : ` ${String(obj.id)}`}: ${action.verb} started job ${String(data.jobId ?? job.id)} (${String(data.status ?? 'RUNNING')}); dcm job wait ${String(job.id)} to wait for it\n`);
    return ExitCode.OK;
  }
  if (made) {
    io.stdout.write(renderRecord(made.toJSON(), format, table));
    return ExitCode.OK;
  }
  if (action.creates && obj.id !== undefined) {
    io.stdout.write(format === 'table' ? `${String(obj.id)}\n` : renderRecord(obj.toJSON(), format));
    return ExitCode.OK;
  }
  // --ignore-missing: the API answered 404, and the action resolved without doing anything.
  const absent = flags['ignore-missing'] === true && result === undefined && (obj.lastRequest as { statusCode?: number } | null | undefined)?.statusCode === 404;
  io.stderr.write(`${meta.name}${obj.id === undefined ? '' : ` ${String(obj.id)}`}: ${absent ? 'already absent' : `${action.verb} done`}\n`);
  return ExitCode.OK;
}
