/**
 * `dcm <resource> list | describe | <action>` — driven by the registry (../catalog.ts), so it
 * covers every resource class and every `@action` without a per-resource line of code. Each verb
 * is a module of its own: ./list.ts, ./describe.ts, ./action.ts (and ./job-wait.ts for jobs).
 */
import { hint, usage } from '../args.js';
import { findCliResource, kebab, suggestResource, BUILT_IN_VERBS, type CliResource } from '../catalog.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { Job } from '../../orm/job.js';
import { actionSynopsis, runAction } from './action.js';
import { runDescribe } from './describe.js';
import { runJobWait } from './job-wait.js';
import { listSynopsis, runList } from './list.js';

/** `dcm <resource> <verb> …` with `argv[0]` the resource and `argv[1]` the verb. */
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
  if (verb === 'list') return runList(resource, rest, io, command);
  if (verb === 'describe') return runDescribe(resource, rest, io, command);
  const action = resource.actions.get(verb) ?? resource.actions.get(kebab(verb));
  if (action) return runAction(resource, action, rest, io, `dcm ${resource.command} ${action.verb}`);
  if (verb === 'wait' && isJobResource(resource)) return runJobWait(resource, rest, io, command);
  throw usage(`dcm ${resource.command}`, `unknown action "${verbWord}"${hint(verbWord, verbs)}; ${resource.command} supports: ${verbs.join(', ')}`);
}

function isJobResource(resource: CliResource): boolean {
  return resource.meta.cls === Job;
}

/** The verbs of a resource: list, describe, its actions (and `wait` for jobs). */
export function verbsOf(resource: CliResource): string[] {
  return [...BUILT_IN_VERBS, ...resource.actions.keys(), ...(isJobResource(resource) && !resource.actions.has('wait') ? ['wait'] : [])];
}

function resourceHelp(resource: CliResource): string {
  const { meta } = resource;
  const id = meta.idKey ? ` <${meta.idKey}>` : '';
  const lines = [
    `Usage: dcm ${resource.command} <verb> [arguments] [options]`,
    '',
    `${meta.name} — ${meta.path}`,
    '',
    'Verbs:',
    `  ${listSynopsis(resource)}`,
    `  describe${meta.flat ? '' : id}`,
  ];
  if (isJobResource(resource)) lines.push(`  wait${id}  (follow a job until it ends)`);
  for (const action of resource.actions.values()) lines.push(`  ${actionSynopsis(resource, action)}`);
  lines.push('', `Run dcm ${resource.command} <verb> --help for the options of a verb (list --help shows its filters).`);
  return `${lines.join('\n')}\n`;
}
