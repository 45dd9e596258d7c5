/** Validation and defaults of EmulatorOptions; every starter resolves options the same way. */
import { DEFAULTS, DEMO_ACCESS_KEY, DEMO_SECRET_KEY, SUPPORTED_API_VERSIONS } from './constants.js';
import { validateFaults } from './faults.js';
import type { EmulatorOptions, FaultRule } from './types.js';

export interface ResolvedOptions {
  port: number;
  host: string;
  seed: number;
  jobDelayMs: number;
  statePath?: string;
  keys: Array<{ accessKey: string; secretKey: string }>;
  timestampWindowMs: number;
  faults: FaultRule[];
  servers: number;
  apiVersion: string;
  quiet: boolean;
  logLimit: number;
  keepAliveTimeoutMs: number;
  keepAliveHint: boolean;
  tls: boolean;
  /** Requests per second per access key; undefined: no limit. */
  rateLimit?: number;
}

const KNOWN = ['port', 'host', 'seed', 'jobDelayMs', 'statePath', 'keys', 'timestampWindowMs', 'faults', 'servers', 'apiVersion', 'quiet', 'logLimit', 'keepAliveTimeoutMs', 'keepAliveHint', 'tls', 'rateLimit'];

function int(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`emulator option ${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`emulator option ${name} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** Throws a TypeError naming the bad option. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  for (const k of Object.keys(options)) if (!KNOWN.includes(k)) throw new TypeError(`unknown emulator option "${k}"; known: ${KNOWN.join(', ')}`);
  const keys = options.keys ?? [{ accessKey: DEMO_ACCESS_KEY, secretKey: DEMO_SECRET_KEY }];
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => !k || typeof k.accessKey !== 'string' || !k.accessKey || typeof k.secretKey !== 'string' || !k.secretKey)) {
    throw new TypeError('emulator option keys must be a non-empty array of { accessKey, secretKey } strings');
  }
  const apiVersion = options.apiVersion ?? SUPPORTED_API_VERSIONS[0];
  if (!SUPPORTED_API_VERSIONS.includes(apiVersion)) throw new TypeError(`emulator option apiVersion must be one of ${SUPPORTED_API_VERSIONS.join(', ')}, got "${apiVersion}"`);
  let faults: FaultRule[];
  try {
    faults = validateFaults(options.faults ?? []);
  } catch (e) {
    throw new TypeError(`emulator option ${(e as Error).message}`);
  }
  return {
    port: int('port', options.port, DEFAULTS.port, 0, 65535),
    host: options.host ?? DEFAULTS.host,
    seed: int('seed', options.seed, DEFAULTS.seed, 0, 0xffffffff),
    jobDelayMs: int('jobDelayMs', options.jobDelayMs, DEFAULTS.jobDelayMs, 0),
    statePath: options.statePath,
    keys: keys.map((k) => ({ accessKey: k.accessKey, secretKey: k.secretKey })),
    timestampWindowMs: int('timestampWindowMs', options.timestampWindowMs, DEFAULTS.timestampWindowMs, 0),
    faults,
    servers: int('servers', options.servers, DEFAULTS.servers, 0, 1_000_000),
    apiVersion,
    quiet: options.quiet ?? true,
    logLimit: int('logLimit', options.logLimit, DEFAULTS.logLimit, 1),
    keepAliveTimeoutMs: int('keepAliveTimeoutMs', options.keepAliveTimeoutMs, DEFAULTS.keepAliveTimeoutMs, 1, 3_600_000),
    keepAliveHint: bool('keepAliveHint', options.keepAliveHint, true),
    tls: bool('tls', options.tls, false),
    rateLimit: options.rateLimit === undefined ? undefined : int('rateLimit', options.rateLimit, 0, 1, 1_000_000),
  };
}
