/**
 * `dcm`: one command for everything. The top-level commands are the entries of the command
 * registry (./registry.ts), each a module under ./commands/ loaded on demand; resource commands
 * (`dcm server list`) are derived from the resource classes (./commands/resource.ts).
 */
import { hint, usage } from './args.js';
import { handleError, ExitCode } from './errors.js';
import type { CliIO } from './io.js';
import { BUILT_IN_WORDS, COMMANDS, commandNames, findCommand } from './registry.js';
import { packageVersion } from './version.js';

/** A line of the main help: the synopsis, and the summary in a column. */
function helpLine(synopsis: string, summary: string): string {
  return `  ${synopsis.padEnd(34)} ${summary}`;
}

function mainHelp(resources: string[]): string {
  return `Usage: dcm <command> [arguments] [options]

Dell Cloud Manager (enStratus) API from the command line.

Resources (dcm <resource> --help for its verbs, dcm <resource> list --help for its filters):
  dcm <resource> list [--filter K=V]… [--where K=V]… [--columns A,B] [--json|--xml|--csv|--table] [--wide]
  dcm <resource> describe <id> [--field NAME]
  dcm <resource> <action> [<id>] [arguments] [--option VALUE]… [--wait]
  dcm job wait <jobId>               follow a job started elsewhere until it ends
  e.g. dcm server list --filter regionId=19344
       dcm server stop 331810 --wait
       dcm volume attach 5001 331810 --deviceId /dev/sdf

  ${wrap(resources.join(', '), 2)}

Other commands:
${COMMANDS.map((entry) => helpLine(entry.synopsis, entry.summary)).join('\n')}
  dcm --version

Raw requests: dcm-get, dcm-post, dcm-put, dcm-delete, dcm-head (each with --help).
Options of every API command: --endpoint URL|FILE, --profile NAME, --extended.
Output: a table on a terminal (fitted to its width; --wide shows every cell whole), JSON when piped.
Exit status: 0 ok, 1 failure, 2 usage, 3 credentials refused, 4 not found, 5 conflict,
6 no response, 7 job failed, 8 bad request, 9 rate limited, 10 API error, 11 bad response,
12 changes pending (dcm apply --check).
`;
}

function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > 96 - indent) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += `${word} `;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** Runs `dcm argv`; `tool` names the command in messages (an alias passes its own name). */
export async function runDcm(argv: readonly string[], io: CliIO, tool = 'dcm'): Promise<number> {
  try {
    return await dispatch(argv, io, tool);
  } catch (error) {
    return handleError(error, io, tool);
  }
}

async function dispatch(argv: readonly string[], io: CliIO, tool: string): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v' || first === 'version') {
    io.stdout.write(`mixcoatl ${packageVersion()}\n`);
    return ExitCode.OK;
  }
  if (first === '--reset-config') {
    return dispatch(['configure', '--reset-default'], io, tool);
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const names = await resourceNames(io);
    io.stdout.write(mainHelp(names));
    return first === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  const entry = findCommand(first);
  if (entry) {
    if (entry.resources) {
      const { loadResources } = await import('./load-resources.js');
      await loadResources(io);
    }
    const command = await entry.load();
    return command.run(rest, io, { tool, flags: entry.flags });
  }
  if (first.startsWith('-')) throw usage(tool, `unknown option ${first}${hint(first.replace(/^-+/, ''), ['version', 'help'], '--')}; options go after the command`);
  const { loadResources } = await import('./load-resources.js');
  await loadResources(io);
  const { findCliResource } = await import('./catalog.js');
  if (!findCliResource(first)) {
    const { suggestResource, cliResources } = await import('./catalog.js');
    const suggestion = suggestResource(first) ?? hint(first, [...commandNames(), ...BUILT_IN_WORDS]).replace(/^ \(did you mean (.*)\?\)$/, '$1');
    const known = [...commandNames(), ...BUILT_IN_WORDS, ...cliResources().map((r) => r.command)];
    const best = suggestion || undefined;
    throw usage(tool, `unknown command or resource "${first}"${best && known.includes(best) ? ` (did you mean ${best}?)` : ''}; run dcm --help for the list`);
  }
  const { runResourceCommand } = await import('./commands/resource.js');
  return runResourceCommand(argv, io);
}

async function resourceNames(io: CliIO): Promise<string[]> {
  const { loadResources } = await import('./load-resources.js');
  await loadResources(io);
  const { cliResources } = await import('./catalog.js');
  return cliResources().map((r) => r.command);
}
