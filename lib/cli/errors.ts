/**
 * The one top-level error handler of the CLI: maps any thrown value to an exit code and a short
 * message on stderr.
 *
 * Errors are recognised by their `name` (then `statusCode`, then a Node `code`), never with
 * `instanceof`, so it keeps working across module copies and worker boundaries; a status is mapped
 * through the library's one table of statuses (lib/errors.ts).
 *
 * Exit codes:
 *
 * | code | meaning                         | errors                                                        |
 * |------|---------------------------------|---------------------------------------------------------------|
 * | 0    | success                         |                                                               |
 * | 1    | failure / internal error        | other DcmError, NotLoadedError, MetadataError, JournalError   |
 * |      |                                 | (a journal that cannot be read), anything else                |
 * | 2    | usage: refused before sending   | ParamsError, UsageError, ValidationError, ConfigError; a file |
 * |      |                                 | argument that cannot be read (ENOENT, EACCES, EISDIR, …)      |
 * | 3    | credentials refused             | AuthenticationError (401), ForbiddenError (403)               |
 * | 4    | no such resource                | NotFoundError (404)                                           |
 * | 5    | resource in the wrong state, or | ConflictError (409); LockedError (another apply of the same   |
 * |      | busy                            | endpoint and key held its lock past `--lock-timeout`);        |
 * |      |                                 | StalePlanError (a saved plan whose state has changed)         |
 * | 6    | no response                     | NetworkError, TimeoutError; ECONNREFUSED, ENOTFOUND, …        |
 * | 7    | a job ended in ERROR            | JobFailedError                                                |
 * | 8    | the API refused the request     | BadRequestError (400)                                         |
 * | 9    | rate limited; retry later       | RateLimitError (429)                                          |
 * | 10   | the API failed                  | ServerError (5xx)                                             |
 * | 11   | the response made no sense      | ResponseError                                                 |
 * | 12   | changes pending                 | not an error: `dcm apply --check` found differences to apply  |
 * | 130  | interrupted                     | AbortError (Ctrl-C, a cancelled wait)                         |
 * | the cause's | a step of `apply()` failed | ApplyError: the code of the step's error (a failed job 7, a   |
 * |      |                                 | refusal by the API 8, an interruption 130, …; 1 when the      |
 * |      |                                 | cause has no code of its own)                                 |
 *
 * An error with an unknown name but a numeric `statusCode` is mapped by that status: the exit code
 * of the error class the library makes for it (lib/errors.ts, `errorClassForStatus`).
 * Message: `<tool>: <Name>: <message>` plus ` (<status>)` when the error carries an HTTP status,
 * e.g. `dcm-get: NotFoundError: no Server with id 5 (404)`; an unrecognised error prints
 * `<tool>: internal error: <message>`. Messages are collapsed to one line and cut at 500
 * characters (ParamsError keeps its two excerpt lines); a ValidationError lists its problems and
 * an ApplyError its summary, one a line, whole. The stack and causes are printed only
 * when `DCM_DEBUG` is set. Everything printed goes through {@link redact}.
 */
import { inspect } from 'node:util';
import { isDebug, type CliIO, type Env } from './io.js';
import { redact } from './redact.js';
import { errorClassForStatus } from '../errors.js';

export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  AUTH: 3,
  NOT_FOUND: 4,
  CONFLICT: 5,
  NETWORK: 6,
  JOB_FAILED: 7,
  BAD_REQUEST: 8,
  RATE_LIMITED: 9,
  SERVER: 10,
  BAD_RESPONSE: 11,
  /** `dcm apply --check`: the desired state differs from the current one (no error). */
  CHANGES_PENDING: 12,
  INTERRUPTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code of an error that has none of its own: its cause's (see `ApplyError`). */
const FROM_CAUSE = 'cause';

/** Exit codes by error name; the HTTP statuses reach it through their error class (`byStatus`). */
const BY_NAME: Readonly<Record<string, ExitCodeValue | typeof FROM_CAUSE>> = {
  ParamsError: ExitCode.USAGE,
  UsageError: ExitCode.USAGE,
  ValidationError: ExitCode.USAGE,
  ConfigError: ExitCode.USAGE,
  AuthenticationError: ExitCode.AUTH,
  ForbiddenError: ExitCode.AUTH,
  NotFoundError: ExitCode.NOT_FOUND,
  ConflictError: ExitCode.CONFLICT,
  LockedError: ExitCode.CONFLICT,
  StalePlanError: ExitCode.CONFLICT,
  NetworkError: ExitCode.NETWORK,
  TlsError: ExitCode.NETWORK,
  TimeoutError: ExitCode.NETWORK,
  JobFailedError: ExitCode.JOB_FAILED,
  BadRequestError: ExitCode.BAD_REQUEST,
  RateLimitError: ExitCode.RATE_LIMITED,
  ServerError: ExitCode.SERVER,
  ResponseError: ExitCode.BAD_RESPONSE,
  AbortError: ExitCode.INTERRUPTED,
  // Known, but they mean the CLI itself misused the library: a bug, reported by name.
  NotLoadedError: ExitCode.FAILURE,
  MetadataError: ExitCode.FAILURE,
  // The journal exists but cannot be read (its message names the file): not a usage error.
  JournalError: ExitCode.FAILURE,
  // A step of apply() failed: the code of the step's error (1 when it has none of its own).
  ApplyError: FROM_CAUSE,
};

/** Known names without a fixed code: the base class is mapped by its status when it has one. */
const OTHER_KNOWN = new Set(['DcmError']);

/** Node system error codes: a file argument that cannot be read is a usage error. */
const FILE_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);
/** Node system error codes that mean no response arrived. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'ECONNABORTED',
]);

/** Longest message printed without DCM_DEBUG; HTML error pages can be many kilobytes. */
const MAX_MESSAGE = 500;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  code?: unknown;
  stack?: unknown;
  cause?: unknown;
  problems?: unknown;
}

function asErrorLike(error: unknown): ErrorLike | undefined {
  return error !== null && typeof error === 'object' ? (error as ErrorLike) : undefined;
}

function statusOf(error: ErrorLike | undefined): number | undefined {
  return typeof error?.statusCode === 'number' ? error.statusCode : undefined;
}

/** The exit code of a status: that of the error class the library makes for it (lib/errors.ts). */
function byStatus(status: number): ExitCodeValue {
  const code = BY_NAME[errorClassForStatus(status).name];
  return typeof code === 'number' ? code : ExitCode.FAILURE;
}

type Kind = 'named' | 'system' | 'internal';

function classify(error: unknown, depth = 0): { code: ExitCodeValue; kind: Kind } {
  const e = asErrorLike(error);
  const name = typeof e?.name === 'string' ? e.name : undefined;
  const known = name !== undefined && Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : undefined;
  if (known === FROM_CAUSE) {
    const cause = depth < 5 && e?.cause !== undefined ? classify(e.cause, depth + 1) : undefined;
    return { code: cause && cause.kind !== 'internal' ? cause.code : ExitCode.FAILURE, kind: 'named' };
  }
  if (known !== undefined) return { code: known, kind: 'named' };
  const status = statusOf(e);
  if (status !== undefined) return { code: byStatus(status), kind: 'named' };
  if (name !== undefined && OTHER_KNOWN.has(name)) return { code: ExitCode.FAILURE, kind: 'named' };
  const sysCode = typeof e?.code === 'string' ? e.code : undefined;
  if (sysCode !== undefined && FILE_CODES.has(sysCode)) return { code: ExitCode.USAGE, kind: 'system' };
  if (sysCode !== undefined && NETWORK_CODES.has(sysCode)) return { code: ExitCode.NETWORK, kind: 'system' };
  return { code: ExitCode.FAILURE, kind: 'internal' };
}

/** The exit code for a thrown value (see the table at the top of this file). */
export function exitCodeFor(error: unknown): ExitCodeValue {
  return classify(error).code;
}

export interface ErrorLineOptions {
  /** Name of the command, the prefix of the line, e.g. `dcm-get`. */
  tool: string;
  /** Environment: secrets to redact, and `DCM_DEBUG`. */
  env: Env;
}

/**
 * The text to print for a thrown value: normally one line, without a trailing newline. With
 * `DCM_DEBUG` set, the stack and the chain of causes follow on further lines.
 */
export function formatErrorLine(error: unknown, options: ErrorLineOptions): string {
  const e = asErrorLike(error);
  const { kind } = classify(error);
  const name = typeof e?.name === 'string' && e.name !== '' ? e.name : 'Error';
  let message = messageOf(error);
  const keepLines = name === 'ParamsError';
  if (!keepLines) message = oneLine(message);

  const status = statusOf(e);
  if (status !== undefined && !new RegExp(`\\b${status}\\)`).test(message)) message = `${message} (${status})`;

  let text: string;
  if (kind === 'internal') text = `${options.tool}: internal error: ${message}`;
  else if (kind === 'system') text = `${options.tool}: ${message}`;
  else text = `${options.tool}: ${name}: ${message}`;

  if (name === 'ValidationError' && Array.isArray(e?.problems) && e.problems.length > 1) {
    text += e.problems.map((problem) => `\n  - ${oneLine(String(problem), false)}`).join('');
  }
  if (name === 'ApplyError' && Array.isArray((e as { summary?: unknown }).summary)) {
    const summary = (e as { summary: unknown[] }).summary;
    text = `${options.tool}: ${name}: apply failed${status !== undefined ? ` (${status})` : ''}${summary.map((line) => `\n  - ${oneLine(String(line), false)}`).join('')}`;
  }
  if (isDebug(options.env)) text += debugDetails(error);
  return redact(text, options.env);
}

/** Prints the error to `io.stderr` and returns the exit code: the whole of a `bin/` catch block. */
export function handleError(error: unknown, io: Pick<CliIO, 'stderr' | 'env'>, tool: string): ExitCodeValue {
  io.stderr.write(`${formatErrorLine(error, { tool, env: io.env })}\n`);
  return exitCodeFor(error);
}

function messageOf(error: unknown): string {
  const e = asErrorLike(error);
  if (e !== undefined && typeof e.message === 'string') return e.message === '' ? '(no message)' : e.message;
  if (typeof error === 'string') return error;
  return inspect(error, { depth: 2, breakLength: Infinity });
}

function oneLine(text: string, cut = true): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return cut && flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}

/** Stack, request summary and causes, for `DCM_DEBUG`. */
function debugDetails(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const e = asErrorLike(current);
    const label = depth === 0 ? '' : 'Caused by: ';
    if (typeof e?.stack === 'string') parts.push(label + e.stack);
    else if (depth > 0) parts.push(label + messageOf(current));
    const request = (current as { request?: { method?: unknown; url?: unknown } }).request;
    if (request && typeof request.method === 'string' && typeof request.url === 'string') {
      parts.push(`Request: ${request.method} ${request.url}`);
    }
    current = e?.cause;
  }
  return parts.length === 0 ? '' : `\n${parts.join('\n')}`;
}
