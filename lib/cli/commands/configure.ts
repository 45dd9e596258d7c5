/**
 * `dcm configure`: writes a profile file `~/.mixcoatl/<name>.config` (or `~/.mixcoatl/default`)
 * with mode 0600, in the `KEY=VALUE` format lib/config/resolve.ts reads.
 *
 * The secret key is never taken from the command line (it would show in `ps` and shell history)
 * and never echoed: it is asked for with echo off on a terminal, or read from the first line of
 * standard input that is left after the other answers when input is piped:
 *
 *     printf '%s\n' "$SECRET" | dcm configure --profile lab --endpoint URL --access-key KEY
 *
 * With `--secret-command CMD` the secret key is neither asked for nor written: the profile holds
 * `DCM_SECRET_COMMAND`, a command (a password manager, a keychain) that prints it when a process
 * first needs it (lib/config/secret-command.ts). The command is checked for quoting, not run.
 *
 * Every value is written quoted, so it reads back exactly (quotes, `#`, spaces, backslashes
 * included); a line break cannot be written to a line-based file and is refused. The directory is
 * made 0700 and the file 0600 on every write, whatever their modes were before.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { settingOf } from '../../config/schema.js';
import { describeFlags, parseArgs, usage } from '../args.js';
import { ExitCode } from '../errors.js';
import type { CliIO, Env } from '../io.js';
import type { CommandContext } from '../registry.js';

const NAME = /^[\w.-]+$/;

export function configDir(env: Env): string {
  return join(env.HOME || homedir(), '.mixcoatl');
}

/** `dcm configure`: writes a profile file, or lists or resets them. */
export async function run(argv: readonly string[], io: CliIO, { flags: specs }: CommandContext): Promise<number> {
  const command = 'dcm configure';
  const { flags, positionals } = parseArgs(argv, specs, { command });
  if (flags.help) {
    io.stdout.write(`Usage: ${command} [--profile NAME] [--endpoint URL] [--access-key KEY] [options]\n\nWrites a profile file (mode 0600). Missing values are asked for; the secret key is read with echo off,\nor from standard input when it is piped. Use a profile with --profile NAME or DCM_PROFILE=NAME.\n\nOptions:\n${describeFlags(specs)}\n`);
    return ExitCode.OK;
  }
  if (positionals.length) throw usage(command, `unexpected argument "${positionals[0]}"`);
  const dir = configDir(io.env);
  if (flags['reset-default']) return resetDefault(dir, io);
  if (flags.list) {
    const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.config')).map((f) => f.slice(0, -'.config'.length)) : [];
    if (existsSync(join(dir, 'default'))) names.unshift('(default)');
    io.stdout.write(names.map((n) => `${n}\n`).join(''));
    return ExitCode.OK;
  }
  const profile = flags.profile as string | undefined;
  if (profile !== undefined && (!NAME.test(profile) || profile === 'default')) {
    throw usage(command, `profile names may contain letters, digits, '.', '_' and '-' (and "default" is the file written without --profile), got ${JSON.stringify(profile)}`);
  }
  let ssl: boolean | undefined;
  if (flags['ssl-verify'] !== undefined) {
    const text = String(flags['ssl-verify']).toLowerCase();
    if (['yes', 'true', '1', 'on'].includes(text)) ssl = true;
    else if (['no', 'false', '0', 'off'].includes(text)) ssl = false;
    else throw usage(command, `--ssl-verify takes yes or no, got ${JSON.stringify(flags['ssl-verify'])}`);
  }

  const input = io.stdin;
  const interactive = Boolean((input as { isTTY?: boolean } | undefined)?.isTTY);
  const answers = input === undefined ? undefined : new Answers(input, io.stderr as unknown as Writable, interactive);
  try {
    const endpoint = (flags.endpoint as string | undefined)?.trim() ?? (await ask(answers, 'Endpoint URL (…/api/enstratus/YYYY-MM-DD): ', command, 'the endpoint URL (--endpoint)')).trim();
    const accessKey = (flags['access-key'] as string | undefined) ?? (await ask(answers, 'Access key: ', command, 'the access key (--access-key)'));
    // With a secret command, the secret key is neither asked for nor written: the command prints it when needed.
    const secretCommand = flags['secret-command'] as string | undefined;
    const secretKey = secretCommand === undefined ? await ask(answers, 'Secret key (not shown): ', command, 'the secret key (on standard input)', true) : undefined;
    const caFile = flags['ca-file'] as string | undefined;
    for (const [what, value] of [['endpoint', endpoint], ['access key', accessKey], ['secret key', secretKey], ['secret command', secretCommand], ['CA file', caFile]]) {
      if (value !== undefined && /[\r\n\0]/.test(value)) throw usage(command, `the ${what} must be one line of text (no line break or NUL character)`);
    }
    const { Endpoint } = await import('../../endpoint.js');
    if (secretCommand !== undefined) (await import('../../config/secret-command.js')).splitCommand(secretCommand);
    if (caFile !== undefined) (await import('../../config/ca-bundle.js')).readCaBundle(caFile, '--ca-file');
    // The key only lets the endpoint check the URL; a secret command's key is not known here.
    const checked = new Endpoint({ url: endpoint, accessKey, secretKey: secretKey ?? 'from the secret command', sslVerify: ssl });
    // A profile holds each setting under its DCM_* name, the first the settings schema lists.
    const variable = (key: string): string => settingOf('configure', key).env[0];
    const lines = [assignment(variable('endpoint'), checked.url), assignment(variable('accessKey'), accessKey), secretCommand === undefined ? assignment(variable('secretKey'), secretKey as string) : assignment(variable('secretCommand'), secretCommand)];
    if (ssl !== undefined) lines.push(assignment(variable('sslVerify'), ssl ? '1' : '0'));
    if (caFile !== undefined) lines.push(assignment(variable('caFile'), caFile));
    const file = join(dir, profile === undefined ? 'default' : `${profile}.config`);
    writePrivate(dir, file, `${lines.join('\n')}\n`);
    if (flags.default && profile !== undefined) writePrivate(dir, join(dir, 'default'), `${lines.join('\n')}\n`);
    const use = profile === undefined ? 'it is used unless --profile or DCM_PROFILE names another; the environment and .env override its settings, and its keys are used only when neither sets a key' : `use it with --profile ${profile} or DCM_PROFILE=${profile}`;
    io.stderr.write(`Wrote ${file} (mode 0600) for ${checked.url} with access key ${accessKey}; ${use}.\n`);
    return ExitCode.OK;
  } finally {
    answers?.close();
  }
}

function resetDefault(dir: string, io: CliIO): number {
  const file = join(dir, 'default');
  if (existsSync(file)) {
    rmSync(file);
    io.stderr.write(`Removed ${file}.\n`);
  } else io.stderr.write(`${file} does not exist.\n`);
  return ExitCode.OK;
}

/**
 * `KEY='value'`: the profile reader (lib/config/env-file.ts) takes everything after `=`, trims
 * it and removes ONE pair of enclosing quotes without interpreting anything inside, so a quoted
 * value comes back exactly as written, whatever quotes, `#`, spaces or backslashes it contains.
 */
export function assignment(key: string, value: string): string {
  return `${key}='${value}'`;
}

/**
 * Writes through a temporary file with a random name, created exclusively (`wx`, so an existing
 * file or link there is never followed) with mode 0600 in the same directory, then renamed over
 * the profile: the secret is never world-readable, even for a moment. The directory is set to
 * 0700 on every write, so one made world-writable earlier is closed again.
 */
function writePrivate(dir: string, file: string, text: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temp = join(dir, `.${randomBytes(12).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** One answer, kept exactly as typed (only a CR of a CRLF line end goes); blank is refused. */
async function ask(answers: Answers | undefined, prompt: string, command: string, what: string, secret = false): Promise<string> {
  const answer = answers === undefined ? undefined : await answers.next(prompt, secret);
  const value = answer?.replace(/\r$/, '');
  if (value === undefined || value.trim() === '') throw usage(command, `missing ${what}`);
  return value;
}

/** Answers read line by line: prompted (secret ones without echo) on a terminal, plain lines otherwise. */
class Answers {
  private readonly lines: string[] = [];
  private readonly waiting: Array<(line: string | undefined) => void> = [];
  private ended = false;
  private muted = false;
  private readonly rl;

  constructor(input: Readable, private readonly output: Writable, private readonly interactive: boolean) {
    this.rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
    if (interactive) {
      const rl = this.rl as unknown as { _writeToOutput(text: string): void };
      const write = rl._writeToOutput.bind(rl);
      rl._writeToOutput = (text: string) => {
        if (!this.muted || text.includes('\n')) write(this.muted ? '\n' : text);
      };
    }
    this.rl.on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    });
    this.rl.on('close', () => {
      this.ended = true;
      for (const waiter of this.waiting.splice(0)) waiter(undefined);
    });
  }

  next(prompt: string, secret: boolean): Promise<string | undefined> {
    if (this.interactive) {
      this.muted = false;
      this.output.write(prompt);
      this.muted = secret;
    }
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push((line) => {
      this.muted = false;
      resolve(line);
    }));
  }

  close(): void {
    this.rl.close();
  }
}
