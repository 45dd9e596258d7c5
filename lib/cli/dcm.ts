/**
 * `dcm`: one command for everything. Resource commands (`dcm server list`) are derived from the
 * registry (./commands/resource.ts); the others are modules loaded on demand.
 */
import { describeFlags, hint, parseArgs, usage } from './args.js';
import { handleError, ExitCode } from './errors.js';
import type { CliIO } from './io.js';
import { CONNECTION_FLAGS, cliEndpoint } from './connection.js';
import { FORMAT_FLAGS, chooseFormat, renderList } from './render.js';
import { packageVersion } from './version.js';

const TOP = ['configure', 'console', 'sim', 'completion', 'check', 'api-versions', 'resources', 'apply', 'undo', 'log', 'help'];

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
  dcm resources                      list the resource names, one a line
  dcm configure [--profile NAME]     write a profile file (~/.mixcoatl, mode 0600)
  dcm console                        JavaScript console with every resource class in scope
  dcm sim [--port N]                 run the local API emulator
  dcm check                          list every resource once; exit 1 if any fails (dcm-api-tests --get)
  dcm api-versions [--latest]        versions the endpoint supports
  dcm apply FILE [--dry-run] [--yes] apply a desired state (JSON or YAML): plan, ask, write, undo on failure
  dcm undo RUN [--dry-run] [--yes]   remove what an apply run created, newest first
  dcm log [--since N] [--follow]     the journal of requests sent to this endpoint
  dcm completion                     bash completion script: source <(dcm completion)
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
    const { runConfigure } = await import('./configure.js');
    return runConfigure(['--reset-default'], io);
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const names = await resourceNames(io);
    io.stdout.write(mainHelp(names));
    return first === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  switch (first) {
    case 'configure': {
      const { runConfigure } = await import('./configure.js');
      return runConfigure(rest, io);
    }
    case 'console': {
      const { runConsole } = await import('./console.js');
      return runConsole(rest, io);
    }
    case 'sim': {
      const { runSim } = await import('../emulator/index.js');
      return runSim([...rest], { stdout: io.stdout as NodeJS.WritableStream, stderr: io.stderr as NodeJS.WritableStream, env: io.env as NodeJS.ProcessEnv });
    }
    case 'completion': {
      const { loadResources } = await import('./load-resources.js');
      await loadResources(io);
      const { bashCompletion } = await import('./completion.js');
      if (rest.length && rest[0] !== 'bash') throw usage(`${tool} completion`, `only bash is supported, got "${rest[0]}"`);
      io.stdout.write(bashCompletion());
      return ExitCode.OK;
    }
    case 'check': {
      const { loadResources } = await import('./load-resources.js');
      await loadResources(io);
      const { runCheck } = await import('./commands/check.js');
      return runCheck(rest, io, tool);
    }
    case 'api-versions':
      return apiVersions(rest, io, tool);
    case 'apply': {
      const { loadResources } = await import('./load-resources.js');
      await loadResources(io);
      const { runApply } = await import('./commands/apply.js');
      return runApply(rest, io);
    }
    case 'undo': {
      const { loadResources } = await import('./load-resources.js');
      await loadResources(io);
      const { runUndo } = await import('./commands/undo.js');
      return runUndo(rest, io);
    }
    case 'log': {
      const { runLog } = await import('./commands/log.js');
      return runLog(rest, io);
    }
    case 'resources': {
      const names = await resourceNames(io);
      io.stdout.write(names.map((n) => `${n}\n`).join(''));
      return ExitCode.OK;
    }
    default:
      break;
  }
  if (first.startsWith('-')) throw usage(tool, `unknown option ${first}${hint(first.replace(/^-+/, ''), ['version', 'help'], '--')}; options go after the command`);
  const { loadResources } = await import('./load-resources.js');
  await loadResources(io);
  const { findCliResource } = await import('./catalog.js');
  if (!findCliResource(first)) {
    const { suggestResource, cliResources } = await import('./catalog.js');
    const suggestion = suggestResource(first) ?? hint(first, TOP).replace(/^ \(did you mean (.*)\?\)$/, '$1');
    const known = [...TOP, ...cliResources().map((r) => r.command)];
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

/** `dcm api-versions`: the unsigned versions listing. */
async function apiVersions(argv: readonly string[], io: CliIO, tool: string): Promise<number> {
  const specs = {
    latest: { type: 'boolean' as const, short: 'l', description: 'the current version only' },
    supported: { type: 'boolean' as const, short: 's', description: 'every supported version (default)' },
    active: { type: 'boolean' as const, short: 'a', description: 'the version this endpoint is configured for' },
    ...FORMAT_FLAGS,
    ...CONNECTION_FLAGS,
    help: { type: 'boolean' as const, short: 'h', description: 'show this help' },
  };
  const command = tool === 'dcm' ? 'dcm api-versions' : tool;
  const { flags } = parseArgs(argv, specs, { command });
  if (flags.help) {
    io.stdout.write(`Usage: ${command} [--latest|--supported|--active] [options]\n\nOptions:\n${describeFlags(specs)}\n`);
    return ExitCode.OK;
  }
  const endpoint = cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io);
  if (flags.active) {
    io.stdout.write(`${endpoint.apiVersion}\n`);
    return ExitCode.OK;
  }
  const { apiVersions } = await import('../api.js');
  const { current, supported } = await apiVersions({ endpoint });
  const list = flags.latest ? (current === undefined ? [] : [current]) : supported;
  const format = flags.json || flags.xml || flags.csv ? chooseFormat(flags, io, command) : 'table';
  io.stdout.write(format === 'table' ? list.map((v) => `${v}\n`).join('') : renderList(list.map((versionId) => ({ versionId })), format, ['versionId'], true));
  return ExitCode.OK;
}
