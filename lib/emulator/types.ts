/**
 * Shared types of the DCM API emulator. The public ones (options, handle, fault rule, log entry)
 * are re-exported by ./index.ts; other engineers code against those names.
 */

/** A JSON object as it travels on the wire (camelCase keys). */
export type Rec = Record<string, any>;

/** A primary-key value: numbers for most types, strings for API keys and shared CM codes. */
export type Id = number | string;

/**
 * One fault-injection rule (off unless configured). A rule matches a request by resource path
 * (`<scope>/<Type>[/<id>]`, without the `/api/enstratus/<version>/` prefix and without query)
 * and optionally by method. Every matching rule adds its latency; the first matching rule whose
 * `status`/`reset` fires (drawn with `rate` from the emulator's seeded PRNG) decides the outcome.
 */
export interface FaultRule {
  /** Glob on the resource path: `*` matches within one segment, `**` across segments. Default: every path. */
  path?: string;
  /** Regular-expression source tested against the resource path (alternative to `path`). */
  pathRegex?: string;
  /** Methods this rule applies to, e.g. `['POST']`. Default: all. */
  methods?: string[];
  /** Milliseconds added before the request is handled (always applied when the rule matches). */
  latencyMs?: number;
  /** Reply with this status instead of the real response (typically 500, 503 or 429). */
  status?: number;
  /** `Retry-After` seconds sent with `status` (default 1 for 429, none otherwise). */
  retryAfter?: number;
  /** Error message of the injected status (default names the rule). */
  message?: string;
  /** Destroy the socket without writing any response. */
  reset?: boolean;
  /** Probability in [0, 1] that `status`/`reset` fires for a matching request (default 1). */
  rate?: number;
  /**
   * `'before'` (default): fail without applying the request. `'after'`: apply it (a POST really
   * creates its object / starts its job) and then fail, so a client cannot know it succeeded.
   */
  phase?: 'before' | 'after';
  /** Fire `status`/`reset` at most this many times, then the rule only adds latency. */
  times?: number;
  /**
   * Never fail more than this many consecutive requests with the same method and resource path:
   * the next one passes (its draw is still made, so the sequence stays reproducible). With a
   * client that retries N times, `maxConsecutive: N` guarantees every logical request succeeds.
   */
  maxConsecutive?: number;
  /** Free label echoed in the request log. */
  name?: string;
}

/** One served API request (control routes under `/__emulator/` are never logged). */
export interface RequestLogEntry {
  /** 1-based sequence number in arrival order. */
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  /** HTTP method. */
  method: string;
  /** Request path without the query, e.g. `/api/enstratus/2015-05-25/infrastructure/Server/331810`. */
  path: string;
  /** The resource path (`infrastructure/Server/331810`), or `''` for the versions listing. */
  resource: string;
  /** Query parameters (last value wins). */
  query: Record<string, string>;
  /** Status sent; 0 when the connection was reset by a fault. */
  status: number;
  /** Time to answer, in milliseconds, injected latency included. */
  durationMs: number;
  /** Access key presented, if any. */
  accessKey?: string;
  /** Faults applied, e.g. `['latency:50', 'status:503']`, each prefixed by the rule name when set. */
  faults?: string[];
}

/** Options of every way to start the emulator; all optional. */
export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Bind address; default and recommended `127.0.0.1`. */
  host?: string;
  /** Seed of the deterministic data generator and fault PRNG (default 1). */
  seed?: number;
  /** Milliseconds per job/state-machine step; 0 (default) = one step per API request. */
  jobDelayMs?: number;
  /**
   * JSON file: loaded at start when it exists, rewritten atomically after every change. It is
   * validated in full first; an invalid file stops start-up with an error naming the file, the JSON
   * path and the problem, and is left unchanged.
   */
  statePath?: string;
  /** Accepted key pairs (default: the demo pair). They are also listed as `admin/ApiKey` items. */
  keys?: Array<{ accessKey: string; secretKey: string }>;
  /** Allowed clock skew of `x-esauth-timestamp` in ms (default 300000 = 5 minutes). */
  timestampWindowMs?: number;
  /** Initial fault rules (default none). */
  faults?: FaultRule[];
  /** Extra generated servers beyond the seed data (the bench uses 10,000). */
  servers?: number;
  /** API version used for the handle's `url` (default `2015-05-25`); all supported versions are served. */
  apiVersion?: string;
  /** Suppress the per-request line on stderr (default true for the programmatic starters). */
  quiet?: boolean;
  /** Maximum request-log entries kept (oldest dropped first; default 100000). */
  logLimit?: number;
  /**
   * Milliseconds an idle kept-alive connection stays open before the emulator closes it
   * (default 5000, Node's and Apache's default).
   */
  keepAliveTimeoutMs?: number;
  /**
   * Announce that timeout in a `Keep-Alive: timeout=N` header, as Node and Apache do (default
   * true); false answers without it, as servers that do not announce it (nginx by default) do.
   */
  keepAliveHint?: boolean;
  /**
   * Serve HTTPS with a certificate for 127.0.0.1, ::1 and localhost issued by a certificate
   * authority made at start (default false); the handle's `caFile` names the CA's PEM file.
   */
  tls?: boolean;
  /**
   * Requests per second allowed per access key (`dcm sim --rate-limit N`); beyond it the emulator
   * answers 429 with `Retry-After` (whole seconds) and applies nothing. Default: no limit.
   */
  rateLimit?: number;
}

/** A running emulator, whichever thread or process hosts it. */
export interface EmulatorHandle {
  /** Full API root including the version, e.g. `http://127.0.0.1:PORT/api/enstratus/2015-05-25`. */
  url: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** TCP port it listens on (127.0.0.1). */
  port: number;
  /** The first configured key pair (the demo pair unless `keys` was given). */
  accessKey: string;
  /** Secret key of that pair. */
  secretKey: string;
  /** With `tls`: the PEM file of the certificate authority that issued the emulator's certificate. */
  caFile?: string;
  /** Where it runs. */
  kind: 'thread' | 'worker' | 'child';
  /** Process id of the child variant. */
  pid?: number;
  /** Stop serving and release the thread / worker / child process. Idempotent. */
  close(): Promise<void>;
  /** Copy of the request log, oldest first. */
  requestLog(): Promise<RequestLogEntry[]>;
  /** Empty the request log. */
  clearLog(): Promise<void>;
  /** Replace the active fault rules (an empty array turns faults off). */
  setFaults(rules: FaultRule[]): Promise<void>;
  /** Back to the start-up state: seed data (not the state file), the initial faults, empty log. */
  reset(): Promise<void>;
  /** Counts per resource type, jobs per status, pending clock events, log size. */
  summary(): Promise<StateSummary>;
  /** Stored records of one type (`infrastructure/Server`), basic form, without auth or faults. */
  items(path: string): Promise<Array<Record<string, any>>>;
}

/** Answer of `GET /__emulator/state` and `handle.summary()`. */
export interface StateSummary {
  /** Stored items per resource type, e.g. `{ "infrastructure/Server": 13 }`. */
  counts: Record<string, number>;
  /** Jobs per status. */
  jobs: Record<string, number>;
  /** Scheduled job and state-machine steps not yet applied. */
  pendingEvents: number;
  /** Entries in the request log. */
  logEntries: number;
  /** Active fault rules. */
  faultRules: number;
  /** Version of the handle URL. */
  apiVersion: string;
  /** Seed of the data generator and the fault draws. */
  seed: number;
}
