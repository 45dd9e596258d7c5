/** Fixed values of the emulator: demo credentials, served API versions, defaults. */

/** Documented demo access key, accepted unless other `keys` are configured. */
export const DEMO_ACCESS_KEY = 'DEMOACCESSKEY';
/** Secret key of the demo pair. */
export const DEMO_SECRET_KEY = 'demo-secret-key';

/** The version the versions listing reports as current. */
export const CURRENT_API_VERSION = '2015-05-25';
/** Every version served under `/api/enstratus/<version>/…`, newest first. */
export const SUPPORTED_API_VERSIONS: readonly string[] = ['2015-05-25', '2015-01-28', '2014-07-30'];

/** Prefix of every API path. */
export const API_PREFIX = '/api/enstratus';
/** Prefix of the unsigned control routes (never logged, never faulted). */
export const CONTROL_PREFIX = '/__emulator';

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  seed: 1,
  jobDelayMs: 0,
  timestampWindowMs: 5 * 60 * 1000,
  logLimit: 100_000,
  servers: 0,
  keepAliveTimeoutMs: 5_000,
} as const;
