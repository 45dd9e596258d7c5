/**
 * The secret key from a command (`DCM_SECRET_COMMAND`, a profile's `secretCommand`), the way other
 * cloud CLIs take credentials from a password manager or keychain (`credential_process`): the
 * secret then never sits in a file or the environment.
 *
 * The command line is split into arguments with shell-like quoting (spaces separate; '…' keeps
 * everything literally; "…" keeps everything but `\"` and `\\`; a backslash outside quotes keeps
 * the next character) and run without a shell: no variable, glob, pipe or substitution is
 * evaluated. Its standard output, trimmed, is the secret key.
 *
 * It runs once per process per endpoint (command, URL and access key): every later request, the
 * synchronous ones included, signs with the key it printed. A failure is a ConfigError naming the
 * command and its exit status or signal; what the command printed, on either stream, is never
 * shown (it may hold the secret, or part of it).
 */
import { spawnSync } from 'node:child_process';
import { ConfigError } from '../errors.js';

/** How long the command may run, in milliseconds (a password manager may ask to be unlocked). */
export const SECRET_COMMAND_TIMEOUT_MS = 120_000;
/** The most a command may print: a secret key is short; more is a mistake. */
const MAX_OUTPUT_BYTES = 64 * 1024;

/** Splits a command line into arguments with shell-like quoting; nothing is expanded. */
export function splitCommand(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let started = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new ConfigError({ message: `secret command ${JSON.stringify(line)} ends with a lone backslash` });
      current += line[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (quote) throw new ConfigError({ message: `secret command ${JSON.stringify(line)} has an unclosed ${quote === '"' ? 'double' : 'single'} quote` });
  if (started) args.push(current);
  if (args.length === 0) throw new ConfigError({ message: 'secret command is empty: set DCM_SECRET_COMMAND (or secretCommand) to a command that prints the secret key' });
  return args;
}

/** Secrets already fetched in this process, by command, endpoint URL and access key. */
const fetched = new Map<string, string>();

/**
 * The secret key the command prints, run at most once per process for `endpoint` (its URL and
 * access key). Throws ConfigError naming the command and how it failed, never its output.
 * @param command the command line, as set in `DCM_SECRET_COMMAND` or `secretCommand`.
 * @param endpoint what the secret is for: the endpoint URL and the access key.
 * @param where where the command was set, for messages (e.g. `DCM_SECRET_COMMAND in the environment`).
 */
export function secretFromCommand(command: string, endpoint: { url: string; accessKey: string }, where: string): string {
  const key = `${command}\u0000${endpoint.url}\u0000${endpoint.accessKey}`;
  const known = fetched.get(key);
  if (known !== undefined) return known;
  const [file, ...args] = splitCommand(command);
  const shown = `secret command ${JSON.stringify(command)} (${where})`;
  const result = spawnSync(file!, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: SECRET_COMMAND_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError({ message: `${shown} could not be run: ${file} was not found` });
    if (code === 'EACCES') throw new ConfigError({ message: `${shown} could not be run: ${file} is not executable` });
    if (code === 'ETIMEDOUT') throw new ConfigError({ message: `${shown} did not finish within ${SECRET_COMMAND_TIMEOUT_MS / 1000} s` });
    if (code === 'ENOBUFS') throw new ConfigError({ message: `${shown} printed more than ${MAX_OUTPUT_BYTES} bytes; it must print the secret key only` });
    throw new ConfigError({ message: `${shown} could not be run (${code ?? 'error'})` });
  }
  if (result.status !== 0) {
    throw new ConfigError({ message: `${shown} failed with ${result.status === null ? `signal ${result.signal}` : `exit status ${result.status}`}; its output is not shown` });
  }
  const secret = result.stdout.trim();
  if (!secret) throw new ConfigError({ message: `${shown} printed nothing on standard output; it must print the secret key` });
  if (/[\r\n]/.test(secret)) throw new ConfigError({ message: `${shown} printed more than one line; it must print the secret key only` });
  fetched.set(key, secret);
  return secret;
}
