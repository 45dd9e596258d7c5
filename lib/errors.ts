/**
 * Error classes. Two branches:
 *
 * - `DcmError` and its subclasses: the API or the transport failed. They carry the HTTP status,
 *   the API's own `error.message` and, non-enumerably so that they stay out of
 *   logs and JSON, the request (method, URL, headers with the signature redacted) and response.
 * - `UsageError` and its subclasses: the caller did something the library refuses before any
 *   request is sent (missing configuration, a lazy read in strict mode, invalid input).
 *
 * Every class has a stable `name` and `code`, so callers can match without `instanceof`
 * (useful across module copies and worker boundaries). Constructors take one options object.
 */

/** What an error keeps of the request that caused it; the signature is never part of it. */
export interface RequestSummary {
  method: string;
  url: string;
  headers?: Record<string, string>;
}

/** What an error keeps of the response that caused it. */
export interface ResponseSummary {
  statusCode: number;
  headers?: Record<string, string | string[] | undefined>;
  /** A short excerpt of the body (at most 2,000 characters). */
  body?: string;
}

export interface DcmErrorOptions {
  message: string;
  statusCode?: number;
  code?: string;
  request?: RequestSummary;
  response?: ResponseSummary;
  cause?: unknown;
}

/** Sets a member that stays out of `Object.keys`, logs and JSON (the request, the response, a job). */
export function hide(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
}

/** Base of every API and transport error. */
export class DcmError extends Error {
  /** HTTP status, or undefined when no response arrived. */
  statusCode: number | undefined;
  /** Stable machine-readable code, e.g. `ENOTFOUND_RESOURCE`, `ECONNRESET`, `ETIMEDOUT`. */
  code: string;
  /** The request that failed: method, URL and headers, signature redacted (non-enumerable). */
  declare readonly request: RequestSummary | undefined;
  /** Status, headers and a short body excerpt, when a response arrived (non-enumerable). */
  declare readonly response: ResponseSummary | undefined;

  /** Usually made by the client from a response; `message` is the API's own message when it sent one. */
  constructor(options: DcmErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.statusCode = options.statusCode;
    this.code = options.code ?? 'EDCM';
    hide(this, 'request', options.request);
    hide(this, 'response', options.response);
    hide(this, 'name', new.target.name);
  }

  /** Plain form for logs and JSON output: never includes headers or the body. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      statusCode: this.statusCode,
      message: this.message,
      request: this.request ? { method: this.request.method, url: this.request.url } : undefined,
    };
  }
}

/** 400: the API rejected the request's content. */
export class BadRequestError extends DcmError {}
/** 401: the API did not accept the credentials. */
export class AuthenticationError extends DcmError {}
/** 403: the credentials are not allowed to do this (DCM also answers 403 to a bad signature). */
export class ForbiddenError extends DcmError {}
/** 404: no such resource. */
export class NotFoundError extends DcmError {}
/** 409: the resource is not in a state that allows this action. */
export class ConflictError extends DcmError {}
/** 429: too many requests; `retryAfterMs` tells how long the API asked to wait. */
export class RateLimitError extends DcmError {
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  retryAfterMs: number | undefined;
  /** `retryAfterMs` is the server's `Retry-After`, in milliseconds, when it sent one. */
  constructor(options: DcmErrorOptions & { retryAfterMs?: number }) {
    super(options);
    this.retryAfterMs = options.retryAfterMs;
  }
}
/** 5xx: the API failed. */
export class ServerError extends DcmError {}
/** No response: connection refused or reset, DNS failure, TLS failure, or the sync worker died. */
export class NetworkError extends DcmError {}
/**
 * The server's TLS certificate could not be verified; `code` is the check that failed, as Node
 * names it (`SELF_SIGNED_CERT_IN_CHAIN`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `CERT_HAS_EXPIRED`,
 * `ERR_TLS_CERT_ALTNAME_INVALID`…), and the message says how to trust the issuer (`caFile`).
 */
export class TlsError extends NetworkError {}
/** A connect, response or total timeout ran out, or a waiter gave up. */
export class TimeoutError extends DcmError {}
/**
 * The response could not be understood: not JSON (`EBADJSON`), nested too deep (`ETOODEEP`), an
 * envelope without the collection (`EENVELOPE`), the record of another object (`EWRONGID`), or a
 * redirect (`EREDIRECT`: the API never redirects; the message names the status and Location).
 */
export class ResponseError extends DcmError {}
/**
 * A waiter saw the resource reach a status that rules out the awaited one (e.g. TERMINATED while
 * waiting for RUNNING); `status` is what was seen, `wanted` what was awaited.
 */
export class UnexpectedStateError extends DcmError {
  /** The status that was reached. */
  status: string;
  /** The status that was awaited. */
  wanted: string;
  /** Made by a status waiter: the status reached and the one that was wanted. */
  constructor(options: DcmErrorOptions & { status: string; wanted: string }) {
    super({ code: 'EUNEXPECTEDSTATE', ...options });
    this.status = options.status;
    this.wanted = options.wanted;
  }
}

export interface UsageErrorOptions {
  message: string;
  code?: string;
  cause?: unknown;
}

/** Base of the errors raised before any request is made, because of how the library was used. */
export class UsageError extends Error {
  /** Stable machine-readable code, e.g. `ECONFIG`, `ENOTLOADED`, `EVALIDATION`. */
  code: string;
  /** Raised before any request is sent; the message names the problem. */
  constructor(options: UsageErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'EUSAGE';
    hide(this, 'name', new.target.name);
  }
}

/** Configuration is missing or invalid; the message names the settings to fix. */
export class ConfigError extends UsageError {
  /** Raised before any request is sent; the message names the problem. */
  constructor(options: UsageErrorOptions) {
    super({ code: 'ECONFIG', ...options });
  }
}

/** Strict mode (`lazy: 'async'`): an attribute of an unloaded object was read. */
export class NotLoadedError extends UsageError {
  /** Raised before any request is sent; the message names the problem. */
  constructor(options: UsageErrorOptions) {
    super({ code: 'ENOTLOADED', ...options });
  }
}

/** Input was refused before a request was sent; `problems` lists every problem found. */
export class ValidationError extends UsageError {
  /** Every problem found, one sentence each. */
  problems: string[];
  /** `problems` lists every invalid or missing member, not only the first. */
  constructor(options: UsageErrorOptions & { problems?: string[] }) {
    super({ code: 'EVALIDATION', ...options });
    this.problems = options.problems ?? [options.message];
  }
}

/** One object was wanted (`findOne()`, a name given for a reference) and several match. */
export class AmbiguousError extends UsageError {
  /** The objects that match: id and, where it has one, name. */
  candidates: Array<{ id: string | number; name?: string }>;
  /** `candidates` lists every object that matched. */
  constructor(options: UsageErrorOptions & { candidates: Array<{ id: string | number; name?: string }> }) {
    super({ code: 'EAMBIGUOUS', ...options });
    this.candidates = options.candidates;
  }
}

/**
 * A request was about to leave inside `offline()` or beyond a `withBudget(n)` limit; nothing was
 * sent. Names what asked for it (`trigger`, e.g. `lazy read of Server.name`) and where
 * (`callSite`, `file:line:column` in the calling code).
 */
export class BudgetExceededError extends UsageError {
  /** The limit that was reached (0 inside `offline()`). */
  limit: number;
  /** What asked for the request, e.g. `lazy read of Server.name`. */
  trigger: string;
  /** Where, as `file:line:column` in the calling code, when known. */
  callSite: string | undefined;
  /** Raised by the request budget before anything is sent. */
  constructor(options: UsageErrorOptions & { limit: number; trigger: string; callSite: string | undefined }) {
    super({ code: 'EBUDGET', ...options });
    this.limit = options.limit;
    this.trigger = options.trigger;
    this.callSite = options.callSite;
  }
}

/** Who holds a cross-process lock (an apply, the journal, an emulator's state file). */
export interface LockHolder {
  /** The holder's process id. */
  pid: number;
  /** The holder's host name. */
  host: string;
  /** The holder's process start time (Linux), so that a reused pid is not taken for it. */
  start?: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  /** What it is doing, e.g. the apply run. */
  label?: string;
  /** Internal: tells the holder's own lock file from a newer one. */
  token?: string;
}

/**
 * A cross-process lock stayed held by a live process for longer than the caller would wait
 * (`apply()`'s `lockTimeoutMs`, `dcm apply --lock-timeout`); names the holder.
 */
export class LockedError extends UsageError {
  /** The lock file. */
  path: string;
  /** Who held it when the caller gave up. */
  holder: LockHolder;
  /** Raised after waiting; nothing was sent. */
  constructor(options: UsageErrorOptions & { path: string; holder: LockHolder }) {
    super({ code: 'ELOCKED', ...options });
    this.path = options.path;
    this.holder = options.holder;
  }
}

/** A resource class was declared wrongly (decorators); names the class and the property. */
export class MetadataError extends UsageError {
  /** Raised before any request is sent; the message names the problem. */
  constructor(options: UsageErrorOptions) {
    super({ code: 'EMETADATA', ...options });
  }
}

/**
 * The one table from an HTTP status to its error: the class and its code. A status not listed is
 * a ResponseError `EREDIRECT` from 300 to 399, a ServerError `ESERVER` from 500, else a DcmError
 * `EHTTP`. The library builds its errors from it (`errorForStatus`) and the CLI its exit codes.
 */
const BY_STATUS: ReadonlyMap<number, { readonly cls: typeof DcmError; readonly code: string }> = new Map([
  [400, { cls: BadRequestError, code: 'EBADREQUEST' }],
  [401, { cls: AuthenticationError, code: 'EAUTH' }],
  [403, { cls: ForbiddenError, code: 'EFORBIDDEN' }],
  [404, { cls: NotFoundError, code: 'ENOTFOUND' }],
  [409, { cls: ConflictError, code: 'ECONFLICT' }],
  [429, { cls: RateLimitError, code: 'ERATELIMIT' }],
]);

/** The error class and code of an HTTP status (see the table above). */
export function statusError(statusCode: number): { readonly cls: typeof DcmError; readonly code: string } {
  const listed = BY_STATUS.get(statusCode);
  if (listed) return listed;
  if (statusCode >= 300 && statusCode < 400) return { cls: ResponseError, code: 'EREDIRECT' };
  if (statusCode >= 500) return { cls: ServerError, code: 'ESERVER' };
  return { cls: DcmError, code: 'EHTTP' };
}

/** The error class of an HTTP status (see {@link statusError}). */
export function errorClassForStatus(statusCode: number): typeof DcmError {
  return statusError(statusCode).cls;
}

/** Builds the typed error for a failed response; `options.code`, when given, replaces the status's code. */
export function errorForStatus(options: DcmErrorOptions & { statusCode: number; retryAfterMs?: number }): DcmError {
  const { cls: Cls, code } = statusError(options.statusCode);
  return new Cls({ ...options, code: options.code ?? code });
}
