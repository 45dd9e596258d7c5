/**
 * The one configuration resolver. Fixed precedence, highest first:
 *
 *   configure({...}) / per-call options  >  DCM_* env  >  ES_* env  >  ./.env  >  ~/.mixcoatl profile  >  defaults
 *
 * Nothing is read at import: settings are resolved at the first request (and again whenever the
 * relevant environment variables, the working directory or `configure()` change), so a script may
 * set `process.env` after importing the library. Profile files are only read, never written or
 * prompted for.
 *
 * It returns data only. It does not choose the transport (the client falls back to the HTTP
 * layer's default when none is configured), and it knows nothing of lib/http but the wire shapes,
 * which are types. There is no default endpoint: no request leaves for a host nobody configured.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { Endpoint, parseSslVerify, VERSION_RE, versionInUrl } from '../endpoint.js';
import type { ProxySettings, RetryPolicy, Timeouts, Transport } from '../wire.js';
import { shownProxy } from '../redaction.js';
import { readCaBundle } from './ca-bundle.js';
import { secretFromCommand } from './secret-command.js';
import { DEFAULTS } from './defaults.js';
import { dotenvWarning, printDotenvWarning, readEnvFile, type DotenvWarning } from './env-file.js';
import { firstSet, problemWith, settingOf, valueFromText, type Setting } from './schema.js';

export type LazyMode = 'sync' | 'async';
export type Details = 'basic' | 'extended';
export type DebugLogger = (line: string) => void;

/** Options accepted by `configure()`; every member is optional. */
export interface ConfigureOptions {
  /** API root URL, or a ready Endpoint (which then supplies the keys too). */
  endpoint?: string | Endpoint;
  /** API version, `YYYY-MM-DD`; must agree with a version in the endpoint URL. */
  apiVersion?: string;
  /** API access key. */
  accessKey?: string;
  /** API secret key; used to sign, never printed or logged. */
  secretKey?: string;
  /** TLS certificate verification; on unless `false`. */
  sslVerify?: boolean;
  /** A PEM file of certificate authorities trusted besides Node's roots (`DCM_CA_BUNDLE`). */
  caFile?: string;
  /**
   * The proxy to tunnel through, `http://[user:password@]host:port` (`DCM_PROXY`); wins over
   * `HTTPS_PROXY`/`HTTP_PROXY`. `NO_PROXY` exempts hosts from either.
   */
  proxy?: string;
  /**
   * A command that prints the secret key (`DCM_SECRET_COMMAND`), run without a shell once per
   * process per endpoint, instead of a secret key kept in a file or the environment.
   */
  secretCommand?: string;
  /** Name of a profile file `~/.mixcoatl/<profile>.config`. */
  profile?: string;
  /** `'async'` = strict mode: reading an unloaded attribute throws NotLoadedError. */
  lazy?: LazyMode;
  /** Detail level of reads: `basic` (references as ids) or `extended` (embedded). */
  details?: Details;
  /** Timeouts in milliseconds: `connect`, `response`, `request` (one attempt) and `total` (all attempts). */
  timeout?: Partial<Timeouts>;
  /** Retries of reads: `limit`, `baseDelayMs`, `maxDelayMs`, `maxRetryAfterMs`. */
  retry?: Partial<RetryPolicy>;
  /** Budget of one synchronous read, attempts and pauses included (caps `timeout.total`). */
  syncTimeoutMs?: number;
  /** One object per id and endpoint (default `true`). */
  identityMap?: boolean;
  /** `true` logs to stderr; a function receives each (redacted) line. */
  debug?: boolean | DebugLogger;
  /** Replaces the HTTP layer (tests, proxies). */
  transport?: Transport;
  /** Path of the `.env` file, or false to ignore it. Default: `.env` in the working directory. */
  envFile?: string | false;
  /** Larger responses are refused while they stream in (`ResponseError`); default 64 MiB. */
  maxBodyBytes?: number;
  /** More single loads of one type than `threshold` within `windowMs` log one N+1 warning (default 20 in 1000 ms). */
  nPlusOne?: { threshold?: number; windowMs?: number };
  /**
   * The process-wide limiter: `concurrency` requests in flight at most (default 16; env
   * `DCM_CONCURRENCY`) and an optional `rate` of requests per second (env `DCM_RATE_LIMIT`).
   * Whatever is configured, a 429 lowers the rate for the whole process until answers are good.
   */
  limiter?: { concurrency?: number; rate?: number };
}

export interface Settings {
  lazy: LazyMode;
  details: Details;
  timeout: Timeouts;
  retry: RetryPolicy;
  /** Budget of one synchronous read, attempts and pauses included. */
  syncTimeoutMs: number;
  identityMap: boolean;
  debug: DebugLogger | undefined;
  /** The configured transport; undefined means the HTTP layer's default. */
  transport: Transport | undefined;
  maxBodyBytes: number;
  nPlusOne: { threshold: number; windowMs: number };
  /** The process-wide limiter's cap of requests in flight and its rate (requests per second, or none). */
  limiter: { concurrency: number; rate: number | undefined };
  /** A PEM file of certificate authorities trusted besides Node's roots (checked when resolved). */
  caFile: string | undefined;
  /** The proxy setting and the environment's proxy variables. */
  proxy: ProxySettings;
}

let globalOptions: ConfigureOptions = {};
let generation = 0;

function validate(options: ConfigureOptions): void {
  if (options === null || typeof options !== 'object') throw new ConfigError({ message: 'configure() takes an options object' });
  const problem = problemWith('configure', options as Record<string, unknown>, 'configuration');
  if (problem !== undefined) throw new ConfigError({ message: problem });
}

/**
 * Sets process-wide options (merged over earlier calls; `undefined` removes one). Never mutates
 * its argument. Throws ConfigError on an unknown key or a bad value.
 */
export function configure(options: ConfigureOptions): void {
  validate(options);
  const next: ConfigureOptions = { ...globalOptions };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) delete next[key as keyof ConfigureOptions];
    else (next as Record<string, unknown>)[key] = value;
  }
  globalOptions = next;
  generation += 1;
}

/** Forgets everything set with configure() and every cached resolution. */
export function resetConfiguration(): void {
  globalOptions = {};
  generation += 1;
}

interface Sources {
  env: NodeJS.ProcessEnv;
  dotenv: Record<string, string>;
  dotenvFile: string | false;
  profile: Record<string, string>;
  profilePath: string | undefined;
}

/** The environment variables of a `configure()` setting. */
function envOf(key: string): readonly string[] {
  return settingOf('configure', key).env;
}

function lookup(sources: Sources, names: readonly string[]): string | undefined {
  return (firstSet(names, sources.env) ?? firstSet(names, sources.dotenv) ?? firstSet(names, sources.profile))?.text;
}

/** A `configure()` setting's value from the environment, `.env` or the profile, read by its kind. Throws ConfigError on text that is not one. */
function fromSources<T>(sources: Sources, key: string): T | undefined {
  const entry = settingOf('configure', key) as Setting<T>;
  const found = firstSet(entry.env, sources.env) ?? firstSet(entry.env, sources.dotenv) ?? firstSet(entry.env, sources.profile);
  if (found === undefined) return undefined;
  const result = valueFromText(entry, found.name, found.text);
  if ('problem' in result) throw new ConfigError({ message: result.problem });
  return result.value;
}

function loadSources(env: NodeJS.ProcessEnv, options: ConfigureOptions): Sources {
  const envFile = options.envFile === undefined ? join(process.cwd(), '.env') : options.envFile;
  const dotenv = envFile === false ? {} : (readEnvFile(envFile) ?? {});
  const home = env.HOME || homedir();
  const profileName = options.profile ?? (firstSet(envOf('profile'), env) ?? firstSet(envOf('profile'), dotenv))?.text;
  let profile: Record<string, string> = {};
  let profilePath: string | undefined;
  if (profileName) {
    if (!/^[\w.-]+$/.test(profileName)) throw new ConfigError({ message: `profile name ${JSON.stringify(profileName)} may only contain letters, digits, '.', '_' and '-'` });
    profilePath = join(home, '.mixcoatl', `${profileName}.config`);
    const read = readEnvFile(profilePath);
    if (!read) throw new ConfigError({ message: `profile ${JSON.stringify(profileName)} not found: ${profilePath} does not exist (create it with \`dcm configure --profile ${profileName}\`)` });
    profile = read;
  } else {
    profilePath = join(home, '.mixcoatl', 'default');
    const read = readEnvFile(profilePath);
    if (read) profile = read;
    else profilePath = undefined;
  }
  return { env, dotenv, dotenvFile: envFile, profile, profilePath };
}

/** A {@link Resolution} of the default endpoint, with what it was made from (kept until that changes). */
interface CachedResolution {
  /** What the resolution was made from: see {@link stillCurrent}. */
  generation: number;
  cwd: string;
  /** Every environment variable the resolution read, in the order read, and the value it saw. */
  names: string[];
  values: (string | undefined)[];
  settings: Settings;
  endpoint: Endpoint | ConfigError;
  /** Printed when the default endpoint is used (a per-call endpoint owes nothing to .env). */
  dotenvWarning: DotenvWarning | undefined;
}

let cache: CachedResolution | undefined;

/*
 * A resolution is a function of the configure() options (their generation), the working directory,
 * the files it read, and the environment variables it read. Every read of the environment goes
 * through a recording view of it, so the cached resolution still holds exactly when the options and
 * the working directory are the same and each variable it read still has the value it saw. A
 * variable it never read cannot change its result (`ES_ENDPOINT` behind a set `DCM_ENDPOINT`, or
 * any endpoint variable behind a configured endpoint), so it is not looked at again. The check runs
 * at every request, in place, stopping at the first difference.
 */

/** `env` seen through a view that notes each variable read (once, with its value). */
function recording(env: NodeJS.ProcessEnv, names: string[], values: (string | undefined)[]): NodeJS.ProcessEnv {
  return new Proxy(env, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as string | undefined;
      if (typeof name === 'string' && !names.includes(name)) {
        names.push(name);
        values.push(value);
      }
      return value;
    },
  });
}

function stillCurrent(resolved: CachedResolution, env: NodeJS.ProcessEnv): boolean {
  if (resolved.generation !== generation || resolved.cwd !== process.cwd()) return false;
  const { names, values } = resolved;
  for (let i = 0; i < names.length; i++) if (env[names[i]] !== values[i]) return false;
  return true;
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function consoleDebug(line: string): void {
  process.stderr.write(`[mixcoatl] ${line}\n`);
}

function resolveAll(given: NodeJS.ProcessEnv): CachedResolution {
  if (cache && given === process.env && stillCurrent(cache, given)) return cache;
  const options = globalOptions;
  const made = generation;
  const cwd = process.cwd();
  const names: string[] = [];
  const values: (string | undefined)[] = [];
  const env = recording(given, names, values);
  const sources = loadSources(env, options);

  const envLazy = fromSources<LazyMode>(sources, 'lazy');
  const envDetails = fromSources<Details>(sources, 'details');
  const envTimeout = fromSources<number>(sources, 'timeout.request');
  const envRetries = fromSources<number>(sources, 'retry.limit');
  const envConcurrency = fromSources<number>(sources, 'limiter.concurrency');
  const envRate = fromSources<number>(sources, 'limiter.rate');
  const debugOption = options.debug;
  // Debug output is on when its variable is present at all, even empty.
  const debugEnv = envOf('debug').some((name) => sources.env[name] !== undefined || sources.dotenv[name] !== undefined);
  const timeout: Timeouts = { ...DEFAULTS.timeout, ...(envTimeout !== undefined ? { request: envTimeout } : {}), ...definedOnly(options.timeout) };
  // A longer attempt timeout (DCM_TIMEOUT) lengthens the default total with it; an explicit total
  // shorter than one attempt cuts the attempt.
  if (options.timeout?.total === undefined && timeout.total < timeout.request) timeout.total = timeout.request;
  const settings: Settings = {
    lazy: options.lazy ?? envLazy ?? DEFAULTS.lazy,
    details: options.details ?? envDetails ?? DEFAULTS.details,
    timeout,
    retry: { ...DEFAULTS.retry, ...(envRetries !== undefined ? { limit: envRetries } : {}), ...definedOnly(options.retry) },
    syncTimeoutMs: options.syncTimeoutMs ?? DEFAULTS.syncTimeoutMs,
    identityMap: options.identityMap ?? DEFAULTS.identityMap,
    debug: typeof debugOption === 'function' ? debugOption : debugOption === true || (debugOption === undefined && debugEnv) ? consoleDebug : undefined,
    transport: options.transport,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    nPlusOne: { ...DEFAULTS.nPlusOne, ...definedOnly(options.nPlusOne) },
    limiter: {
      concurrency: options.limiter?.concurrency ?? envConcurrency ?? DEFAULTS.limiter.concurrency,
      rate: options.limiter?.rate ?? envRate ?? DEFAULTS.limiter.rate,
    },
    caFile: caFileSetting(sources, options),
    proxy: proxySettings(sources, options),
  };

  let endpoint: Endpoint | ConfigError;
  let keysFrom: Built['keysFrom'] | undefined;
  try {
    ({ endpoint, keysFrom } = buildEndpoint(sources, options));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    endpoint = error;
  }
  const dotenvOverrides = { endpoint: options.endpoint !== undefined, sslVerify: options.sslVerify !== undefined || options.endpoint instanceof Endpoint, keysFromDotenv: keysFrom === '.env' };
  const dotenvWarn = sources.dotenvFile === false || endpoint instanceof ConfigError ? undefined : dotenvWarning(sources.dotenvFile, sources.dotenv, sources.env, dotenvOverrides);
  const resolved = { generation: made, cwd, names, values, settings, endpoint, dotenvWarning: dotenvWarn };
  if (given === process.env) cache = resolved;
  return resolved;
}

/** The CA bundle's path, its file checked (read once per process): ConfigError naming it otherwise. */
function caFileSetting(sources: Sources, options: ConfigureOptions): string | undefined {
  const setting = found(sources, envOf('caFile'), 'caFile', options.caFile);
  if (setting === undefined) return undefined;
  readCaBundle(setting.value, setting.described);
  return setting.value;
}

/**
 * The proxy setting (configure, `DCM_PROXY`, .env, profile) and the standard variables of the
 * environment itself (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, either case), which a .env file or
 * a profile does not set.
 */
/**
 * The proxy variables of the environment, the lower-case spelling first as curl reads them. Not
 * settings of this library (nothing but the environment sets them): a convention every HTTP client
 * follows, so they are not in the schema.
 */
const PROXY_VARIABLES = [
  ['httpsProxy', ['https_proxy', 'HTTPS_PROXY']],
  ['httpProxy', ['http_proxy', 'HTTP_PROXY']],
  ['noProxy', ['no_proxy', 'NO_PROXY']],
] as const;

function proxySettings(sources: Sources, options: ConfigureOptions): ProxySettings {
  const proxy = found(sources, envOf('proxy'), 'proxy', options.proxy);
  const settings: ProxySettings = {};
  for (const [key, names] of PROXY_VARIABLES) {
    const value = firstSet(names, sources.env)?.text;
    if (value !== undefined) settings[key] = value;
  }
  if (proxy !== undefined) settings.proxy = proxy.value;
  for (const [key, described] of [['proxy', proxy?.described], ['httpsProxy', 'HTTPS_PROXY in the environment'], ['httpProxy', 'HTTP_PROXY in the environment']] as const) {
    const value = settings[key];
    if (value === undefined) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      /* reported below */
    }
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new ConfigError({ message: `the proxy ${shownProxy(value)} (${described}) must be an http:// or https:// URL, e.g. http://proxy.example.com:3128` });
  }
  return settings;
}

/** Where a setting was found: its value, the name it was set under, and the place (for messages). */
interface Found {
  value: string;
  /** `DCM_ACCESS_KEY`, or `configure({ accessKey })`. */
  name: string;
  /** `environment`, `.env`, `profile` or `configure`: two keys must come from one. */
  source: 'configure' | 'environment' | '.env' | 'profile';
  /** e.g. `ES_ACCESS_KEY in the environment`, `DCM_SECRET_KEY in /home/me/.mixcoatl/default`. */
  described: string;
}

function found(sources: Sources, names: readonly string[], option: string, given: string | undefined): Found | undefined {
  if (given !== undefined && given !== '') return { value: given, name: `configure({ ${option} })`, source: 'configure', described: `configure({ ${option} })` };
  const places: Array<[Found['source'], Record<string, string | undefined>, string]> = [
    ['environment', sources.env, 'the environment'],
    ['.env', sources.dotenv, String(sources.dotenvFile)],
    ['profile', sources.profile, `the profile ${sources.profilePath}`],
  ];
  for (const [source, values, where] of places) {
    const name = names.find((n) => values[n] !== undefined && values[n] !== '');
    if (name !== undefined) return { value: values[name] as string, name, source, described: `${name} in ${where}` };
  }
  return undefined;
}

const PLACES: ReadonlyArray<Found['source']> = ['configure', 'environment', '.env', 'profile'];

/**
 * The secret key, or the command that prints it (`command` set), whichever is set in the place of
 * higher precedence; both in one place is a mistake (which one was meant?).
 */
function secretSetting(sources: Sources, options: ConfigureOptions): (Found & { command?: true }) | undefined {
  const key = found(sources, envOf('secretKey'), 'secretKey', options.secretKey);
  const command = found(sources, envOf('secretCommand'), 'secretCommand', options.secretCommand);
  if (command === undefined) return key;
  if (key !== undefined && key.source === command.source) {
    throw new ConfigError({ message: `both a secret key (${key.described}) and a secret command (${command.described}) are set; remove one of them` });
  }
  return key !== undefined && PLACES.indexOf(key.source) < PLACES.indexOf(command.source) ? key : { ...command, command: true };
}

/** The endpoint built from the settings, and where its keys came from. */
interface Built {
  endpoint: Endpoint;
  keysFrom: Found['source'] | 'endpoint';
}

function buildEndpoint(sources: Sources, options: ConfigureOptions): Built {
  if (options.endpoint instanceof Endpoint) return { endpoint: options.endpoint, keysFrom: 'endpoint' };
  const accessKey = found(sources, envOf('accessKey'), 'accessKey', options.accessKey);
  const secretKey = secretSetting(sources, options);
  const url = found(sources, envOf('endpoint'), 'endpoint', typeof options.endpoint === 'string' ? options.endpoint : undefined);
  const missing: [setting: string, option: string][] = [];
  const variables = (key: string): string => {
    const [name, ...aliases] = envOf(key);
    return aliases.length ? `${name} (or ${aliases.join(', ')})` : name;
  };
  for (const [key, given] of [['accessKey', accessKey], ['secretKey', secretKey], ['endpoint', url]] as const) if (!given) missing.push([variables(key), key]);
  if (missing.length) {
    const settings = missing.map(([setting]) => setting);
    const named = settings.length > 2 ? `${settings.slice(0, -1).join(' and ')}, and ${settings.at(-1)}` : settings.join(' and ');
    const profile = sources.profilePath ? `add ${missing.length > 1 ? 'them' : 'it'} to the profile ${sources.profilePath}` : 'use a ~/.mixcoatl profile (dcm configure)';
    const pairNote = accessKey || secretKey ? ` (the access key and the secret key are a pair: set both in one place, where ${(accessKey ?? secretKey)!.described} is)` : '';
    throw new ConfigError({
      message: `missing ${named}: set ${missing.length > 1 ? 'them' : 'it'} in the environment or in .env, ${profile}, or call configure({ ${missing.map(([, option]) => option).join(', ')} })${pairNote}`,
    });
  }
  // The keys are a pair: taking one from here and the other from there would sign with a pair that
  // never belonged together.
  if (accessKey!.source !== secretKey!.source) {
    throw new ConfigError({
      message: `the access key and the secret key come from two places: ${accessKey!.described} and ${secretKey!.described}; set both in one place (the environment, .env, a profile or configure()), or remove the one that does not belong`,
    });
  }
  const apiVersion = found(sources, envOf('apiVersion'), 'apiVersion', options.apiVersion);
  const urlVersion = versionInUrl(url!.value);
  if (apiVersion && urlVersion && VERSION_RE.test(apiVersion.value) && apiVersion.value !== urlVersion) {
    throw new ConfigError({
      message: `API version ${apiVersion.value} (${apiVersion.described}) contradicts the endpoint URL (${url!.described}), which ends in ${urlVersion}; change ${apiVersion.name} or ${url!.name} to match the other, or remove ${apiVersion.name}`,
    });
  }
  const sslText = lookup(sources, envOf('sslVerify'));
  const endpoint = new Endpoint({
    url: url!.value,
    apiVersion: apiVersion?.value,
    accessKey: accessKey!.value,
    secretKey: secretKey!.command ? secretFromCommand(secretKey!.value, { url: url!.value, accessKey: accessKey!.value }, secretKey!.described) : secretKey!.value,
    sslVerify: options.sslVerify ?? parseSslVerify(sslText),
  });
  return { endpoint, keysFrom: accessKey!.source };
}

/** The settings in force now (everything but the endpoint). */
export function resolveSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  return resolveAll(env).settings;
}

/** The settings and endpoint one request uses, resolved together when it starts. */
export interface Resolution {
  settings: Settings;
  /** The endpoint, or the ConfigError that says why there is none (thrown when it is used). */
  endpoint: Endpoint | ConfigError;
}

/**
 * Settings and endpoint (the given one, or the default) in one look at the environment: a
 * request resolves once and hands the result down instead of asking again at every step.
 * Throws only for invalid settings; a missing or invalid endpoint is returned as its error.
 */
export function resolveRequest(explicit?: Endpoint, env: NodeJS.ProcessEnv = process.env): Resolution {
  const resolved = resolveAll(env);
  if (explicit === undefined && resolved.dotenvWarning) printDotenvWarning(resolved.dotenvWarning);
  return explicit === undefined ? resolved : { settings: resolved.settings, endpoint: checkedEndpoint(explicit) };
}

/** An endpoint given per object or per call, or the error that says it is not one. */
function checkedEndpoint(explicit: unknown): Endpoint | ConfigError {
  return explicit instanceof Endpoint ? explicit : new ConfigError({ message: 'endpoint must be an Endpoint (new Endpoint({ url, accessKey, secretKey }))' });
}

/** The default endpoint, or the given one. Throws ConfigError naming what to set. */
export function resolveEndpoint(explicit?: Endpoint, env: NodeJS.ProcessEnv = process.env): Endpoint {
  const endpoint = explicit === undefined ? resolveRequest(undefined, env).endpoint : checkedEndpoint(explicit);
  if (endpoint instanceof ConfigError) throw endpoint;
  return endpoint;
}
