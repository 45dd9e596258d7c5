/**
 * The command registry: every top-level `dcm` command and every executable, each written once.
 *
 * An entry is data (name, synopsis, summary, flags) and a loader of the command's module under
 * ./commands/. Dispatch (./dcm.ts), the main help, shell completion (./commands/completion.ts)
 * and the executables (./bin.ts, ./aliases.ts) are all read from here, so adding a command is one
 * entry here and one module. Resource commands (`dcm server list`) are not entries: they come from
 * the resource classes (./catalog.ts).
 *
 * This module is loaded by every executable, so it imports nothing but data.
 */
import type { FlagSpecs } from './args.js';
import { COMMON_FLAGS, CONNECTION_FLAGS, FORMAT_FLAGS, HELP_FLAG, JOB_WAIT_FLAGS } from './flags.js';
import type { CliIO } from './io.js';

/** What the dispatcher hands a command besides its arguments. */
export interface CommandContext {
  /** The executable that was run: `dcm`, or an original tool name that stands for this command. */
  tool: string;
  /** The command's flags: its registry entry's {@link CommandEntry.flags}. */
  flags: FlagSpecs;
  /** Ends a command that runs until interrupted (`dcm log --follow`, `dcm sim`); specs use it. */
  signal?: AbortSignal;
}

/** The export every command module has. */
export interface CommandModule {
  /** Runs the command on the arguments after its name; resolves with the exit code. */
  run(argv: readonly string[], io: CliIO, context: CommandContext): Promise<number>;
}

/** One top-level command. */
export interface CommandEntry {
  /** The word after `dcm`. */
  readonly name: string;
  /** Its arguments as shown in `dcm --help`, e.g. `dcm log [--since N] [--follow]`. */
  readonly synopsis: string;
  /** What it does, in a few words (`dcm --help`). */
  readonly summary: string;
  /** Every flag it takes: parsed by the command, listed by its `--help` and completed by the shell. */
  readonly flags: FlagSpecs;
  /** Words the shell completes in the first argument's place, besides the flags (e.g. `bash zsh`). */
  readonly words?: readonly string[];
  /** The resource classes are loaded before the command runs. */
  readonly resources?: boolean;
  /** Imports the command's module. */
  readonly load: () => Promise<CommandModule>;
}

/** The top-level commands, in the order `dcm --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = Object.freeze([
  {
    name: 'resources',
    synopsis: 'dcm resources',
    summary: 'list the resource names, one a line',
    flags: HELP_FLAG,
    resources: true,
    load: () => import('./commands/resources.js'),
  },
  {
    name: 'configure',
    synopsis: 'dcm configure [--profile NAME]',
    summary: 'write a profile file (~/.mixcoatl, mode 0600)',
    flags: {
      profile: { type: 'string', valueName: 'NAME', description: 'write ~/.mixcoatl/NAME.config (default: ~/.mixcoatl/default)' },
      endpoint: { type: 'string', valueName: 'URL', description: 'API root, e.g. https://dcm.example.com/api/enstratus/2015-05-25' },
      'access-key': { type: 'string', valueName: 'KEY', description: 'API access key (the secret key is asked for, never taken from the command line)' },
      'ssl-verify': { type: 'string', valueName: 'yes|no', description: 'verify TLS certificates (default yes)' },
      'secret-command': { type: 'string', valueName: 'CMD', description: 'a command that prints the secret key (a password manager); written instead of the secret, which is then not asked for' },
      'ca-file': { type: 'string', valueName: 'FILE', description: "a PEM file of certificate authorities to trust besides Node's roots" },
      default: { type: 'boolean', description: 'also make this profile ~/.mixcoatl/default' },
      list: { type: 'boolean', short: 'l', description: 'list the profiles and exit' },
      'reset-default': { type: 'boolean', description: 'remove ~/.mixcoatl/default and exit' },
      ...HELP_FLAG,
    },
    load: () => import('./commands/configure.js'),
  },
  {
    name: 'console',
    synopsis: 'dcm console',
    summary: 'JavaScript console with every resource class in scope',
    flags: {
      ...CONNECTION_FLAGS,
      quiet: { type: 'boolean', short: 'q', description: 'no banner' },
      ...HELP_FLAG,
    },
    load: () => import('./commands/console.js'),
  },
  {
    name: 'sim',
    synopsis: 'dcm sim [--port N]',
    summary: 'run the local API emulator',
    flags: {
      port: { type: 'string', valueName: 'N', description: 'TCP port on 127.0.0.1 (default 0 = any free port)' },
      seed: { type: 'string', valueName: 'N', description: 'seed of the generated data (default 1)' },
      state: { type: 'string', valueName: 'FILE', description: 'load state from FILE if it exists; save every change to it' },
      'job-delay': { type: 'string', valueName: 'MS', description: 'milliseconds per job step (default 0 = one step per request)' },
      servers: { type: 'string', valueName: 'N', description: 'extra generated servers (default 0)' },
      fault: { type: 'string', multiple: true, valueName: 'RULE', description: 'inject faults: PATH:STATUS|reset|latency=MS[:RATE] (repeatable)' },
      faults: { type: 'string', valueName: 'FILE', description: 'fault rules from a JSON file (applied before the --fault rules)' },
      'rate-limit': { type: 'string', valueName: 'N', description: 'allow N requests per second per access key; beyond it answer 429 with Retry-After' },
      tls: { type: 'boolean', description: 'serve HTTPS, its certificate made at start; prints export DCM_CA_BUNDLE=<its CA file>' },
      verbose: { type: 'boolean', description: 'print one line per request on stderr' },
      ...HELP_FLAG,
    },
    load: () => import('./commands/sim.js'),
  },
  {
    name: 'check',
    synopsis: 'dcm check',
    summary: 'list every resource once; exit 1 if any fails (dcm-api-tests --get)',
    flags: {
      full: { type: 'boolean', description: 'accepted for dcm-api-tests; no effect' },
      ...FORMAT_FLAGS,
      ...CONNECTION_FLAGS,
      ...HELP_FLAG,
    },
    resources: true,
    load: () => import('./commands/check.js'),
  },
  {
    name: 'api-versions',
    synopsis: 'dcm api-versions [--latest]',
    summary: 'versions the endpoint supports',
    flags: {
      latest: { type: 'boolean', short: 'l', description: 'the current version only' },
      supported: { type: 'boolean', short: 's', description: 'every supported version (default)' },
      active: { type: 'boolean', short: 'a', description: 'the version this endpoint is configured for' },
      ...FORMAT_FLAGS,
      ...CONNECTION_FLAGS,
      ...HELP_FLAG,
    },
    load: () => import('./commands/api-versions.js'),
  },
  {
    name: 'apply',
    synopsis: 'dcm apply FILE [--dry-run] [--yes]',
    summary: 'apply a desired state (JSON or YAML): plan, ask, write, undo on failure',
    flags: {
      'dry-run': { type: 'boolean', short: 'n', description: 'print the plan and send no write' },
      out: { type: 'string', valueName: 'PLAN', description: 'with --dry-run: save the plan to the file PLAN, to apply later with --plan' },
      plan: { type: 'string', valueName: 'PLAN', description: 'apply the saved plan PLAN exactly (refused if the state changed since it was made)' },
      check: { type: 'boolean', description: 'print the differences and send no write; exit 0 when none, 12 when changes are pending' },
      yes: { type: 'boolean', short: 'y', description: 'write without asking' },
      'allow-irreversible': { type: 'boolean', description: 'accept steps that cannot be undone before steps that may fail' },
      concurrency: { type: 'string', valueName: 'N', description: 'independent steps at once (default 4)' },
      ...JOB_WAIT_FLAGS,
      'lock-timeout': { type: 'string', valueName: 'MS', description: 'wait this long for another apply of the same endpoint and key to end (default 60000)' },
      json: { type: 'boolean', short: 'j', description: 'print the plan / result as JSON' },
      ...COMMON_FLAGS,
    },
    resources: true,
    load: () => import('./commands/apply.js'),
  },
  {
    name: 'undo',
    synopsis: 'dcm undo RUN [--dry-run] [--yes]',
    summary: 'remove what an apply run created, newest first',
    flags: {
      'dry-run': { type: 'boolean', short: 'n', description: 'print what would be removed and send no write' },
      yes: { type: 'boolean', short: 'y', description: 'remove without asking' },
      ...JOB_WAIT_FLAGS,
      'lock-timeout': { type: 'string', valueName: 'MS', description: 'wait this long for another apply or undo of the same endpoint and key to end (default 60000)' },
      json: { type: 'boolean', short: 'j', description: 'print the outcome as JSON' },
      ...COMMON_FLAGS,
    },
    resources: true,
    load: () => import('./commands/undo.js'),
  },
  {
    name: 'export',
    synopsis: 'dcm export TYPE… [--find K=V]',
    summary: 'the live objects of types as apply records (YAML or JSON)',
    flags: {
      find: { type: 'string', multiple: true, valueName: 'K=V', description: 'only the objects whose attribute K is V (declared filters go to the API)' },
      of: { type: 'string', multiple: true, valueName: 'PARENT', description: 'only the rules of this firewall (id or name), for a type listed within a parent' },
      format: { type: 'string', valueName: 'yaml|json', description: 'output format (default yaml)' },
      ...COMMON_FLAGS,
    },
    resources: true,
    load: () => import('./commands/export.js'),
  },
  {
    name: 'log',
    synopsis: 'dcm log [--since N] [--follow]',
    summary: 'the journal of requests sent to this endpoint',
    flags: {
      since: { type: 'string', short: 's', valueName: 'SERIAL', description: 'every entry after this serial (default: the latest 10)' },
      follow: { type: 'boolean', short: 'f', description: 'keep printing new entries' },
      json: { type: 'boolean', short: 'j', description: 'one JSON entry a line' },
      ...CONNECTION_FLAGS,
      ...HELP_FLAG,
    },
    load: () => import('./commands/log.js'),
  },
  {
    name: 'completion',
    synopsis: 'dcm completion [bash|zsh]',
    summary: 'shell completion script: source <(dcm completion)',
    flags: HELP_FLAG,
    words: ['bash', 'zsh'],
    resources: true,
    load: () => import('./commands/completion.js'),
  },
] satisfies CommandEntry[]);

/** The words `dcm` answers itself, before looking at the registry: help and the version. */
export const BUILT_IN_WORDS: readonly string[] = Object.freeze(['help', 'version']);

/** The registry entry of a top-level command, or undefined. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((entry) => entry.name === name);
}

/** The names of the top-level commands, in registry order. */
export function commandNames(): string[] {
  return COMMANDS.map((entry) => entry.name);
}

/** HTTP methods of the raw tools. */
export type RawMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';

/** The raw tools (./raw.ts), one signed request each, and the method each sends. */
export const RAW_TOOLS: Readonly<Record<string, RawMethod>> = Object.freeze({
  'dcm-get': 'GET',
  'dcm-post': 'POST',
  'dcm-put': 'PUT',
  'dcm-delete': 'DELETE',
  'dcm-head': 'HEAD',
});

/** Whether `tool` is one of the raw tools. */
export function isRawTool(tool: string): boolean {
  return Object.hasOwn(RAW_TOOLS, tool);
}
