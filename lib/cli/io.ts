/**
 * What a command may touch of the outside world. Every command is `run(options, io)`; specs pass
 * fake streams and a made-up environment, `bin/` passes {@link processIO}. Nothing in lib/cli reads
 * `process.env`, `process.stdout` or `process.cwd()` directly.
 */
import { resolve } from 'node:path';
import { settingOf } from '../config/schema.js';
import type { Readable } from 'node:stream';

/** Environment variables, as in `process.env`. */
export type Env = Record<string, string | undefined>;

/** The part of a writable stream the CLI uses. `columns` is the terminal width when known. */
export interface OutputStream {
  write(chunk: string): unknown;
  columns?: number;
}

export interface CliIO {
  /** Results: tables, JSON, ids. Keep it clean so it can be piped. */
  stdout: OutputStream;
  /** Errors, progress and debug output. */
  stderr: OutputStream;
  /** Input for commands that read a file from `-` (optional: most commands never read it). */
  stdin?: Readable;
  env: Env;
  /** Directory that relative file arguments are resolved against. */
  cwd: string;
  /**
   * True when both stdout and stderr are terminals, i.e. a person is watching: in-place progress
   * updates (`\r`) are safe. False under pipes, redirection, CI logs and specs.
   */
  isTTY: boolean;
}

/** The real process's streams and environment. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY && process.stderr.isTTY),
  };
}

/** A file argument as a path: relative ones against the command's working directory. */
export function filePath(io: Pick<CliIO, 'cwd'>, file: string): string {
  return resolve(io.cwd, file);
}

/** `DCM_DEBUG` (the debug setting's variable) switches debug output on when present with any value. */
export function isDebug(env: Env): boolean {
  return settingOf('configure', 'debug').env.some((name) => env[name] !== undefined);
}
