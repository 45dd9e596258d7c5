/**
 * The plain, structured-clone-safe shapes that cross between the library and a transport (and
 * between the main thread and the synchronous-read worker), and the Transport contract itself.
 * Types only, importing nothing, and below every layer: the configuration (lib/config) and the
 * transport (lib/http) both name them without depending on each other.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';

/** How failed attempts are retried (`configure({ retry })`). */
export interface RetryPolicy {
  /** Further attempts after the first. */
  limit: number;
  /** First pause; doubled per attempt, with full jitter. */
  baseDelayMs: number;
  /** Longest pause between attempts. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is returned instead. */
  maxRetryAfterMs: number;
}

/** Time limits of a call, in milliseconds (`configure({ timeouts })`). */
export interface Timeouts {
  /** Time to open the TCP connection (name lookup included), from the start of an attempt. */
  connect: number;
  /** Time to the response headers, from the start of an attempt. */
  response: number;
  /** Total time of one attempt, body included. */
  request: number;
  /** Time of the whole call: every attempt and every pause between them. */
  total: number;
}

/** A request as the transport sends it: URL, headers, body, keys for signing, timeouts and retry policy. */
export interface WireRequest {
  /** HTTP method. */
  method: HttpMethod;
  /** Full URL including the query string. */
  url: string;
  /** What the signature covers: base path + '/' + resource path. */
  signedPath: string;
  /** Headers other than the signature headers, which are made per attempt. */
  headers: Record<string, string>;
  /** JSON text of the body, if any. */
  body?: string;
  /** When false the request carries no signature (the unversioned versions listing). */
  signed: boolean;
  /** Access key to sign with. */
  accessKey: string;
  /** Secret key to sign with; never logged. */
  secretKey: string;
  /** TLS certificate verification. */
  sslVerify: boolean;
  /** A PEM file of certificate authorities trusted besides Node's roots (`caFile`). */
  caFile?: string;
  /** The proxy to tunnel through (chosen when the request was built), or absent for a direct connection. */
  proxy?: string;
  /** Timeouts of this request. */
  timeout: Timeouts;
  /** Retry policy of this request. */
  retry: RetryPolicy;
  /** Larger responses are refused while they stream in. */
  maxBodyBytes: number;
  /**
   * The most attempts (the first included) the request may make: what its request budget
   * (`withBudget`) leaves; absent when no budget applies. A transport makes no further attempt
   * once this many were made, and reports the attempts it made (`attempts`).
   */
  maxAttempts?: number;
}

/** A response as the transport returns it: status, headers and the body as text. */
export interface WireResponse {
  /** HTTP status of the final attempt. */
  statusCode: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** The body as text. */
  body: string;
  /** Wall time of all attempts, in milliseconds. */
  durationMs: number;
  /** Number of attempts made (1 without retries). */
  attempts: number;
  /** Time the attempts waited for the process-wide limiter, in milliseconds. */
  queuedMs?: number;
}

/** A slot of the process-wide limiter for one attempt: released with the attempt's answer. */
export interface AttemptSlot {
  /** Time the attempt waited for the slot, in milliseconds. */
  queuedMs: number;
  /** Gives the slot back with the status (none: no response) and the Retry-After asked for. */
  release(answer: { status?: number; retryAfterMs?: number }): void;
}

/** The process-wide limiter as a transport sees it: a slot per attempt (a retry goes first). */
export interface AttemptGate {
  /** Resolves once the attempt may start; rejects with the signal's reason when it aborts first. */
  acquire(signal?: AbortSignal, retry?: boolean): Promise<AttemptSlot>;
}

/** What the pipeline hands a transport beside the request (never sent to the worker). */
export interface SendOptions {
  /** Aborting closes the attempt in flight and starts no other; the send rejects with its reason. */
  signal?: AbortSignal;
  /** The limiter every attempt passes. */
  gate?: AttemptGate;
}

/** The replaceable last step of the request pipeline (`configure({ transport })`). */
export interface Transport {
  /**
   * Sends the request; rejects with a TransportFailure when no response arrived, or with the
   * signal's reason when `options.signal` aborts. A transport that ignores `options` still works:
   * the pipeline then waits for the limiter around the whole call, and stops waiting on abort.
   */
  send(request: WireRequest, options?: SendOptions): Promise<WireResponse>;
  /** Sends and blocks until the response. Optional: without it, lazy synchronous reads fail. */
  sendSync?(request: WireRequest, timeoutMs: number): WireResponse;
}

/** An error as it crosses the worker boundary; turned back into a typed error on arrival. */
export interface WireError {
  name: string;
  code: string;
  message: string;
  /** Status of a response that arrived but could not be used (e.g. an oversized body). */
  statusCode?: number;
  /** Attempts made before giving up. */
  attempts?: number;
  /** Time the attempts waited for the process-wide limiter, in milliseconds. */
  queuedMs?: number;
}

/** The proxy settings in force: the explicit one, and the standard environment variables. */
export interface ProxySettings {
  /** `configure({ proxy })`, `DCM_PROXY` or a profile's; wins over the environment's. */
  proxy?: string;
  /** `https_proxy` / `HTTPS_PROXY`. */
  httpsProxy?: string;
  /** `http_proxy` / `HTTP_PROXY`. */
  httpProxy?: string;
  /** `no_proxy` / `NO_PROXY`: hosts reached directly. */
  noProxy?: string;
}
