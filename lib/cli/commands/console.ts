/**
 * `dcm console`: a Node REPL with every resource class and the public API (`configure`,
 * `Endpoint`, `request`, the error classes, …) in scope — not the internals the package also
 * exports for tooling (`sign`, `stringToSign`, `defaultTransport`, the decorators). Top-level
 * `await` works; reading an attribute loads synchronously (`new Server(331810).name`); echoing an
 * object never fetches (`Server <331810> (not loaded)`). `x.pprint()` prints once: its return
 * value (the same text) is not echoed again.
 * History is kept in `~/.mixcoatl/console_history` (or `$DCM_CONSOLE_HISTORY`; empty = none), mode
 * 0600, without lines that mention a secret or password.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { start, type REPLServer } from 'node:repl';
import type { Readable, Writable } from 'node:stream';
import { settingOf } from '../../config/schema.js';
import { describeFlags, parseArgs, usage } from '../args.js';
import { cliEndpoint } from '../connection.js';
import { configDir } from './configure.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import type { CommandContext } from '../registry.js';
import { loadResources } from '../load-resources.js';
import { packageVersion } from '../version.js';
import { allResources } from '../../orm/registry.js';
import { ResourceBase } from '../../orm/base.js';

/** The library's functions and classes a console session is meant to use (besides resources). */
const PUBLIC_API = [
  'configure', 'resetConfiguration', 'Endpoint', 'Resource', 'allResources', 'findResource', 'metaOf', 'describeResource', 'clearIdentityMaps',
  'request', 'requestSync', 'apiVersions', 'configureJobs', 'jobDefaults',
] as const;

/** Resource classes, the public API and the error classes, by name. */
export function consoleScope(all: Record<string, unknown>): Record<string, unknown> {
  const classes = new Set<unknown>(allResources().map((meta) => meta.cls));
  const scope: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(all)) {
    const isError = typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error;
    if (classes.has(value) || isError || (PUBLIC_API as readonly string[]).includes(name)) scope[name] = value;
  }
  return scope;
}

const HISTORY_LINES = 1000;

export function historyPath(io: Pick<CliIO, 'env'>): string | undefined {
  const name = settingOf('cli', 'consoleHistory').env.find((variable) => io.env[variable] !== undefined);
  const override = name === undefined ? undefined : io.env[name];
  if (override !== undefined) return override.trim() === '' ? undefined : override;
  return join(configDir(io.env), 'console_history');
}

/** `dcm console`: a REPL with every resource class in scope. */
export async function run(argv: readonly string[], io: CliIO, { flags: specs }: CommandContext): Promise<number> {
  const command = 'dcm console';
  const { flags, positionals } = parseArgs(argv, specs, { command });
  if (flags.help) {
    io.stdout.write(`Usage: ${command} [options]\n\nAn interactive JavaScript console with every resource class in scope.\n\nOptions:\n${describeFlags(specs)}\n`);
    return ExitCode.OK;
  }
  if (positionals.length) throw usage(command, `unexpected argument "${positionals[0]}"`);
  if (io.stdin === undefined) throw usage(command, 'needs standard input');
  const scope = consoleScope(await loadResources(io));
  const lib = scope as { configure(options: Record<string, unknown>): void };
  if (flags.endpoint !== undefined || flags.profile !== undefined) {
    lib.configure({ endpoint: cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io) });
  }
  const classes = Object.keys(scope).filter((name) => /^[A-Z]/.test(name) && typeof scope[name] === 'function');
  if (!flags.quiet) {
    io.stdout.write(`mixcoatl ${packageVersion()} console — ${classes.length} names in scope (e.g. Server, Volume, configure, Endpoint, request).\n` +
      'Attribute reads load synchronously; `await Server.all()` lists; .help for REPL commands, .exit to leave.\n');
  }
  const server = start({
    prompt: 'dcm> ',
    input: io.stdin as Readable,
    output: io.stdout as unknown as Writable,
    terminal: io.isTTY,
    useGlobal: false,
    ignoreUndefined: true,
    preview: io.isTTY,
  });
  for (const [name, value] of Object.entries(scope)) {
    Object.defineProperty(server.context, name, { value, enumerable: true, configurable: true, writable: true });
  }
  const restore = echoPprintOnce(server);
  keepHistory(server, historyPath(io), io);
  await new Promise<void>((resolve) => server.once('exit', () => resolve()));
  restore();
  return ExitCode.OK;
}

/**
 * `pprint()` writes its text and returns it (so code can use the text); at the prompt the REPL
 * would then echo the returned string as well. While the session runs, a line whose value is the
 * text `pprint()` just printed echoes nothing. Returns the function that undoes this.
 */
function echoPprintOnce(server: REPLServer): () => void {
  const proto = ResourceBase.prototype as { pprint(): string };
  const original = proto.pprint;
  let printed: string | undefined;
  proto.pprint = function pprint(this: ResourceBase): string {
    const text = original.call(this);
    printed = text;
    return text;
  };
  const evaluate = server.eval;
  const repl = server as unknown as { eval: REPLServer['eval'] };
  repl.eval = (code, context, file, callback) => {
    printed = undefined;
    evaluate.call(server, code, context, file, (error, result) => {
      const echo = typeof result === 'string' && result === printed ? undefined : result;
      printed = undefined;
      callback(error, echo);
    });
  };
  return () => {
    proto.pprint = original;
  };
}

/** Loads earlier lines into the REPL's history and appends every new line (owner-only file). */
function keepHistory(server: REPLServer, path: string | undefined, io: Pick<CliIO, 'stderr'>): void {
  if (path === undefined) return;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
      const history = (server as unknown as { history: string[] }).history;
      if (Array.isArray(history)) history.push(...lines.slice(-HISTORY_LINES).reverse());
    }
  } catch (error) {
    io.stderr.write(`dcm console: history disabled: ${(error as Error).message}\n`);
    return;
  }
  server.on('line', (line: string) => {
    // Lines that may carry a key are not recorded (configure({ secretKey: … }), new Endpoint(…)).
    if (line.trim() === '' || /secret|password/i.test(line)) return;
    try {
      appendFileSync(path, `${line}\n`, { mode: 0o600 });
    } catch {
      /* a full disk must not break the session */
    }
  });
}
