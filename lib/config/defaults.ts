/** Every default in one place. */
export const DEFAULTS = Object.freeze({
  /** The version used when neither the settings nor the endpoint URL name one. */
  apiVersion: '2014-07-30',
  sslVerify: true,
  lazy: 'sync' as 'sync' | 'async',
  details: 'basic' as 'basic' | 'extended',
  timeout: Object.freeze({ connect: 10_000, response: 60_000, request: 120_000, total: 300_000 }),
  retry: Object.freeze({ limit: 3, baseDelayMs: 200, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 }),
  /**
   * Budget of one blocking (synchronous) read, attempts and pauses included: it caps
   * `timeout.total` for that read, so a REPL never hangs for minutes.
   */
  syncTimeoutMs: 30_000,
  /**
   * How much longer than its budget the caller waits for the worker, so the worker's own timeouts
   * (which end in a precise TimeoutError) fire first.
   */
  syncTimeoutMarginMs: 2_000,
  identityMap: true,
  /** Largest response body accepted, in bytes. */
  maxBodyBytes: 64 * 1024 * 1024,
  /**
   * The process-wide limiter (lib/http/limiter.ts): attempts in flight at once, at most, and no
   * rate (requests per second) unless one is configured.
   */
  limiter: Object.freeze({ concurrency: 16, rate: undefined as number | undefined }),
  /** N+1 warning: this many single lazy loads of one type within the window. */
  nPlusOne: Object.freeze({ threshold: 20, windowMs: 1_000 }),
});

/** The environment variables the resolver reads; `DCM_*` wins over its `ES_*` alias. */
export const ENV_NAMES = Object.freeze({
  accessKey: ['DCM_ACCESS_KEY', 'ES_ACCESS_KEY'],
  secretKey: ['DCM_SECRET_KEY', 'ES_SECRET_KEY'],
  endpoint: ['DCM_ENDPOINT', 'ES_ENDPOINT'],
  apiVersion: ['DCM_API_VERSION', 'ES_API_VERSION'],
  sslVerify: ['DCM_SSL_VERIFY', 'ES_SSL_VERIFY'],
  lazy: ['DCM_LAZY'],
  details: ['DCM_DETAILS'],
  profile: ['DCM_PROFILE'],
  debug: ['DCM_DEBUG'],
  timeout: ['DCM_TIMEOUT'],
  retries: ['DCM_RETRIES'],
  concurrency: ['DCM_CONCURRENCY'],
  rateLimit: ['DCM_RATE_LIMIT'],
});
