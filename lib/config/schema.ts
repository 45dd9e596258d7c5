/**
 * The settings schema: every setting of the library and the command line, written once.
 *
 * An entry gives the setting's key (as `configure()`, `configureJobs()` or `configureJournal()`
 * take it; `timeout.request` is the member `request` of `configure({ timeout })`), its environment
 * variables (`DCM_*` first, then its `ES_*` alias), its default, its kind (what a value given in
 * code must be, and how the text of a variable is read), whether it is secret, and its
 * documentation. Resolution (./resolve.ts), the three configure functions' validation, the
 * defaults (./defaults.ts), the CLI's redaction of secret settings, `.env.example` and the
 * README's settings table all read it; a spec checks the last two against it.
 *
 * Nothing here reads the environment or a file: it is data and pure functions.
 */
import { closest } from '../suggest.js';

/** Which function sets a setting in a program. `cli`: the command line only (an environment variable). */
export type SettingScope = 'configure' | 'jobs' | 'journal' | 'cli';

/** What values a setting takes. */
export interface SettingKind<T> {
  /** What a value must be, for messages: `'sync' or 'async'`, `a whole number ≥ 1`. */
  readonly describe: string;
  /** Whether a value given in code is acceptable. */
  accepts(value: unknown): value is T;
  /** The value of an environment variable's text, or undefined when the text is not one. */
  fromText(text: string): T | undefined;
}

/** One setting. */
export interface Setting<T = unknown> {
  /** The key in its configure function; a dotted key is a member of a group (`timeout.request`). */
  readonly key: string;
  /** The function that sets it in code. */
  readonly scope: SettingScope;
  /** Environment variables, highest precedence first (`DCM_*`, then its `ES_*` alias); may be empty. */
  readonly env: readonly string[];
  /** The value when nothing sets it; undefined when there is none (required, or derived from others). */
  readonly default: T | undefined;
  /** The default as the documentation shows it (Markdown). */
  readonly defaultText: string;
  /** Its values. */
  readonly kind: SettingKind<T>;
  /** Never printed, logged or written anywhere but its own profile file (the CLI redacts its value). */
  readonly secret?: boolean;
  /** It must be set: there is no default. */
  readonly required?: boolean;
  /**
   * Environment text that is not a value is ignored (the default applies) instead of refused.
   * Only the journal's variables, which must never stop a request.
   */
  readonly lenientText?: boolean;
  /** What it does (Markdown, one sentence or two). */
  readonly doc: string;
  /** The value `.env.example` shows (set for the required ones, commented out for the others). */
  readonly example?: string;
}

/** Any value: checked where it is used (an endpoint, a transport, a key). */
function anything<T>(describe: string): SettingKind<T> {
  return { describe, accepts: (_value: unknown): _value is T => true, fromText: (text) => text as T };
}

/** Text that is not blank, in code; any text in the environment (an empty variable is unset). */
function text(describe: string): SettingKind<string> {
  return { describe, accepts: (value: unknown): value is string => typeof value === 'string' && value.trim() !== '', fromText: (given) => given };
}

/** One of a few words, in code and in the environment alike. */
export function oneOf<const W extends string>(words: readonly W[]): SettingKind<W> {
  const describe = words.map((word) => `'${word}'`).join(words.length > 2 ? ', ' : ' or ');
  const accepts = (value: unknown): value is W => typeof value === 'string' && (words as readonly string[]).includes(value);
  return { describe, accepts, fromText: (text) => (accepts(text) ? text : undefined) };
}

/**
 * A finite number ≥ `min` in code; in the environment, a whole number ≥ `min` (`DCM_RETRIES=0` is
 * no retry; `DCM_TIMEOUT=0` is refused, as `timeout.request: 0` is).
 */
export function numberFrom(min: number, unit = ''): SettingKind<number> {
  return {
    describe: `a number${unit} ≥ ${min}`,
    accepts: (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= min,
    fromText: (text) => {
      const n = Number(text);
      return text.trim() !== '' && Number.isInteger(n) && n >= min ? n : undefined;
    },
  };
}

/** A boolean in code; in the environment, on unless the text is one of `off` (case-insensitive). */
function switchedOffBy(off: RegExp): SettingKind<boolean> {
  return { describe: 'true or false', accepts: (value: unknown): value is boolean => typeof value === 'boolean', fromText: (text) => !off.test(text.trim()) };
}

/** A boolean in code; in the environment, on only when the text is one of `on` (case-insensitive). */
function switchedOnBy(on: RegExp): SettingKind<boolean> {
  return { describe: 'true or false', accepts: (value: unknown): value is boolean => typeof value === 'boolean', fromText: (text) => on.test(text.trim()) };
}

/** TLS verification's text: only `0` and `false` (any case, spaces around) turn it off. */
export function sslVerifyFromText(text: string): boolean {
  const v = text.trim().toLowerCase();
  return !(v === '0' || v === 'false');
}

const MS = ' of milliseconds';

/** A setting, with its kind's type checked against its default. */
function setting<T>(entry: Setting<T>): Setting<T> {
  return Object.freeze(entry);
}

/** Every setting, in the order the documentation lists them. */
export const SETTINGS: readonly Setting[] = Object.freeze([
  setting({
    key: 'accessKey', scope: 'configure', env: ['DCM_ACCESS_KEY', 'ES_ACCESS_KEY'], default: undefined, defaultText: 'required', required: true,
    kind: anything<string>('an access key'), doc: 'API access key', example: 'DEMOACCESSKEY',
  }),
  setting({
    key: 'secretKey', scope: 'configure', env: ['DCM_SECRET_KEY', 'ES_SECRET_KEY'], default: undefined, defaultText: 'required', required: true, secret: true,
    kind: anything<string>('a secret key'), doc: 'API secret key (signing key; never printed or logged)', example: 'demo-secret-key',
  }),
  setting({
    key: 'secretCommand', scope: 'configure', env: ['DCM_SECRET_COMMAND'], default: undefined, defaultText: 'none',
    kind: text('a command line'),
    doc: 'a command that prints the secret key (a password manager, a keychain), instead of `DCM_SECRET_KEY`: split with shell-like quoting, run without a shell, once per process per endpoint',
    example: 'op read op://vault/dcm/secret-key',
  }),
  setting({
    key: 'endpoint', scope: 'configure', env: ['DCM_ENDPOINT', 'ES_ENDPOINT'], default: undefined, defaultText: 'required: there is no default host', required: true,
    kind: anything<unknown>('a URL or an Endpoint'),
    doc: 'API root, e.g. `https://dcm.example.com/api/enstratus/2015-05-25`; a URL without a version gets `/api/enstratus/<version>` appended',
    example: 'http://127.0.0.1:15000/api/enstratus/2015-05-25',
  }),
  setting({
    key: 'apiVersion', scope: 'configure', env: ['DCM_API_VERSION', 'ES_API_VERSION'], default: '2014-07-30', defaultText: "the URL's trailing date, else `2014-07-30`",
    kind: anything<string>('a version YYYY-MM-DD'), doc: '`YYYY-MM-DD`; a version that contradicts the URL\'s is refused', example: '2015-05-25',
  }),
  setting({
    key: 'sslVerify', scope: 'configure', env: ['DCM_SSL_VERIFY', 'ES_SSL_VERIFY'], default: true, defaultText: 'on',
    kind: { describe: 'true or false', accepts: (value: unknown): value is boolean => typeof value === 'boolean', fromText: sslVerifyFromText },
    doc: 'TLS verification; only `0` or `false` turns it off, for that endpoint only', example: '1',
  }),
  setting({
    key: 'caFile', scope: 'configure', env: ['DCM_CA_BUNDLE'], default: undefined, defaultText: "Node's roots only",
    kind: text('the path of a PEM file'), doc: "a PEM file of certificate authorities trusted besides Node's roots (a company CA, a TLS-inspecting proxy)", example: '/etc/ssl/certs/company-ca.pem',
  }),
  setting({
    key: 'proxy', scope: 'configure', env: ['DCM_PROXY'], default: undefined, defaultText: '`HTTPS_PROXY` / `HTTP_PROXY`', secret: true,
    kind: text('a proxy URL'),
    doc: 'the proxy to tunnel through, `http://[user:password@]host:port`; wins over `HTTPS_PROXY`/`HTTP_PROXY` (either case); `NO_PROXY` exempts hosts from both',
    example: 'http://proxy.example.com:3128',
  }),
  setting({
    key: 'profile', scope: 'configure', env: ['DCM_PROFILE'], default: undefined, defaultText: '`~/.mixcoatl/default` if present',
    kind: anything<string>('a profile name'), doc: 'read `~/.mixcoatl/<name>.config`', example: 'lab',
  }),
  setting({
    key: 'lazy', scope: 'configure', env: ['DCM_LAZY'], default: 'sync', defaultText: '`sync`',
    kind: oneOf(['sync', 'async']), doc: '`sync`: reading an unloaded attribute loads it; `async`: strict mode, it throws `NotLoadedError`', example: 'sync',
  }),
  setting({
    key: 'details', scope: 'configure', env: ['DCM_DETAILS'], default: 'basic', defaultText: '`basic`',
    kind: oneOf(['basic', 'extended']), doc: '`basic` (references as ids) or `extended` (embedded)', example: 'basic',
  }),
  setting({
    key: 'timeout.request', scope: 'configure', env: ['DCM_TIMEOUT'], default: 120_000, defaultText: '120000',
    kind: numberFrom(1, MS), doc: 'time of one attempt, ms, body included', example: '120000',
  }),
  setting({ key: 'timeout.connect', scope: 'configure', env: [], default: 10_000, defaultText: '10000', kind: numberFrom(1, MS), doc: 'time to open the connection (name lookup included), ms' }),
  setting({ key: 'timeout.response', scope: 'configure', env: [], default: 60_000, defaultText: '60000', kind: numberFrom(1, MS), doc: 'time to the response headers, ms' }),
  setting({
    key: 'timeout.total', scope: 'configure', env: [], default: 300_000, defaultText: '300000',
    kind: numberFrom(1, MS), doc: 'time of every attempt and pause together, ms (at least one attempt\'s when `DCM_TIMEOUT` is longer)',
  }),
  setting({
    key: 'retry.limit', scope: 'configure', env: ['DCM_RETRIES'], default: 3, defaultText: '3',
    kind: numberFrom(0), doc: 'further attempts of a read after a network error, 429 or 5xx', example: '3',
  }),
  setting({ key: 'retry.baseDelayMs', scope: 'configure', env: [], default: 200, defaultText: '200', kind: numberFrom(0, MS), doc: 'first pause between attempts, ms (doubled per attempt, with full jitter)' }),
  setting({ key: 'retry.maxDelayMs', scope: 'configure', env: [], default: 10_000, defaultText: '10000', kind: numberFrom(0, MS), doc: 'longest pause between attempts, ms' }),
  setting({ key: 'retry.maxRetryAfterMs', scope: 'configure', env: [], default: 60_000, defaultText: '60000', kind: numberFrom(0, MS), doc: 'a `Retry-After` longer than this is not waited for: the error is returned instead, ms' }),
  setting({
    key: 'limiter.concurrency', scope: 'configure', env: ['DCM_CONCURRENCY'], default: 16, defaultText: '16',
    kind: {
      describe: 'a whole number ≥ 1 (or Infinity)',
      accepts: (value: unknown): value is number => value === Infinity || (Number.isSafeInteger(value) && (value as number) >= 1),
      fromText: (text) => (/^\s*\d+\s*$/.test(text) && Number(text) >= 1 ? Number(text) : undefined),
    },
    doc: 'requests in flight at once, at most, for the whole process (the limiter every asynchronous request passes)', example: '16',
  }),
  setting({
    key: 'limiter.rate', scope: 'configure', env: ['DCM_RATE_LIMIT'], default: undefined, defaultText: 'none',
    kind: {
      describe: 'a positive number of requests per second',
      accepts: (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0,
      fromText: (text) => (text.trim() !== '' && Number.isFinite(Number(text)) && Number(text) > 0 ? Number(text) : undefined),
    },
    doc: 'requests started per second, at most, for the whole process; a 429 (or 503 with `Retry-After`) lowers the rate in force until answers are good again, whether or not one is set', example: '20',
  }),
  setting({
    key: 'debug', scope: 'configure', env: ['DCM_DEBUG'], default: false, defaultText: 'off',
    kind: { describe: 'true, false or a function', accepts: (_value: unknown): _value is boolean => true, fromText: () => true },
    doc: 'any value: one line per request on stderr (method, URL, status, time, what triggered it)', example: '1',
  }),
  setting({ key: 'transport', scope: 'configure', env: [], default: undefined, defaultText: 'got', kind: anything<unknown>('a Transport'), doc: 'replace the HTTP layer (tests, proxies)' }),
  setting({ key: 'identityMap', scope: 'configure', env: [], default: true, defaultText: '`true`', kind: anything<boolean>('true or false'), doc: 'one object per id and endpoint' }),
  setting({
    key: 'nPlusOne.threshold', scope: 'configure', env: [], default: 20, defaultText: '20',
    kind: numberFrom(0), doc: 'more single loads of one type than this within `nPlusOne.windowMs` log one N+1 warning (debug logger) and emit an `nPlusOne` event',
  }),
  setting({ key: 'nPlusOne.windowMs', scope: 'configure', env: [], default: 1_000, defaultText: '1000', kind: numberFrom(0, MS), doc: 'the window of `nPlusOne.threshold`, ms' }),
  setting({
    key: 'maxBodyBytes', scope: 'configure', env: [], default: 64 * 1024 * 1024, defaultText: '64 MiB',
    kind: numberFrom(1), doc: 'larger responses are refused while they stream in (`ResponseError`)',
  }),
  setting({
    key: 'syncTimeoutMs', scope: 'configure', env: [], default: 30_000, defaultText: '30000',
    kind: numberFrom(1, MS), doc: 'budget of one synchronous read, attempts and pauses included (caps `timeout.total`)',
  }),
  setting({ key: 'envFile', scope: 'configure', env: [], default: undefined, defaultText: '`./.env`', kind: anything<string | false>('a path or false'), doc: 'path of the `.env` file, or `false` to read none' }),
  setting({
    key: 'intervalMs', scope: 'jobs', env: [], default: 5_000, defaultText: '5000',
    kind: { describe: 'a number of milliseconds ≥ 0', accepts: (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0, fromText: () => undefined },
    doc: 'pause between two polls of a job or status waiter, ms',
  }),
  setting({
    key: 'timeoutMs', scope: 'jobs', env: [], default: 30 * 60_000, defaultText: '30 min',
    kind: { describe: 'a number of milliseconds ≥ 0 (or Infinity)', accepts: (value: unknown): value is number => typeof value === 'number' && value >= 0, fromText: () => undefined },
    doc: 'how long a waiter waits before its `TimeoutError` (`Infinity`: for ever)',
  }),
  setting({
    key: 'enabled', scope: 'journal', env: ['MIXCOATL_JOURNAL'], default: true, defaultText: 'on', lenientText: true,
    kind: switchedOffBy(/^(0|off|false|no)$/i), doc: 'write the journal at all (`off`, `0`, `false` or `no` turns it off)', example: 'on',
  }),
  setting({
    key: 'dir', scope: 'journal', env: ['MIXCOATL_JOURNAL_DIR'], default: undefined, defaultText: '`~/.mixcoatl/journal/`', lenientText: true,
    kind: anything<string>('a directory'), doc: 'where the journal files live', example: '~/.mixcoatl/journal',
  }),
  setting({
    key: 'reads', scope: 'journal', env: ['MIXCOATL_JOURNAL_READS'], default: false, defaultText: 'writes only', lenientText: true,
    kind: switchedOnBy(/^(1|on|true|yes)$/i), doc: 'journal reads too (`1`, `on`, `true` or `yes`)', example: '1',
  }),
  setting({
    key: 'retentionDays', scope: 'journal', env: ['MIXCOATL_JOURNAL_RETENTION_DAYS'], default: 30, defaultText: '30', lenientText: true,
    kind: {
      describe: 'a positive number of days',
      accepts: (value: unknown): value is number => typeof value === 'number' && value > 0,
      fromText: (text) => (Number.isFinite(Number(text)) && Number(text) > 0 ? Number(text) : undefined),
    },
    doc: 'entries older than this many days are dropped', example: '30',
  }),
  setting({
    key: 'consoleHistory', scope: 'cli', env: ['DCM_CONSOLE_HISTORY'], default: undefined, defaultText: '`~/.mixcoatl/console_history`',
    kind: anything<string>('a file'), doc: 'where `dcm console` keeps its history (empty: none)', example: '~/.mixcoatl/console_history',
  }),
] as Setting[]);

/** The settings by scope and key: read on every request (the journal's, the resolver's), so not searched. */
const BY_SCOPE_AND_KEY = new Map<string, Setting>(SETTINGS.map((s) => [`${s.scope}\u0000${s.key}`, s]));

/** The setting of a scope and key. Throws for one the schema does not have (a programming error). */
export function settingOf(scope: SettingScope, key: string): Setting {
  const found = BY_SCOPE_AND_KEY.get(`${scope}\u0000${key}`);
  if (!found) throw new Error(`no ${scope} setting ${key} in the settings schema`);
  return found;
}

/** The settings of one scope. */
export function settingsOf(scope: SettingScope): Setting[] {
  return SETTINGS.filter((s) => s.scope === scope);
}

/** The default of a setting; throws when it has none. */
export function defaultOf<T>(scope: SettingScope, key: string): T {
  const value = settingOf(scope, key).default;
  if (value === undefined) throw new Error(`the ${scope} setting ${key} has no default`);
  return value as T;
}

/** The environment variables of every secret setting. */
export function secretEnvNames(): string[] {
  return SETTINGS.filter((s) => s.secret).flatMap((s) => s.env);
}

/** ` (did you mean x?)` or nothing. */
function suggestion(wrong: string, candidates: readonly string[]): string {
  const best = closest(wrong, candidates);
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}

/**
 * What is wrong with the options object given to a scope's configure function, or undefined when
 * nothing is: an unknown key (named, with the nearest known one), a group that is not an object, or
 * a value of the wrong kind. `label` names the options in messages (`configuration`, `configureJobs()`).
 * Undefined members are not checked (they unset).
 */
export function problemWith(scope: SettingScope, options: Readonly<Record<string, unknown>>, label: string): string | undefined {
  const settings = settingsOf(scope);
  const topKeys = [...new Set(settings.map((s) => s.key.split('.')[0]))];
  const unknown = Object.keys(options).filter((key) => !topKeys.includes(key));
  if (unknown.length) {
    const named = unknown.map((key) => `${key}${suggestion(key, topKeys)}`).join(', ');
    return `unknown ${label} option${unknown.length > 1 ? 's' : ''} ${named}; known: ${topKeys.join(', ')}`;
  }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const single = settings.find((s) => s.key === key);
    if (single) {
      if (!single.kind.accepts(value)) return `${key} must be ${single.kind.describe}, got ${JSON.stringify(value)}`;
      continue;
    }
    const members = settings.filter((s) => s.key.startsWith(`${key}.`));
    const names = members.map((s) => s.key.slice(key.length + 1));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${key} must be an object ({ ${names.join(', ')} })`;
    for (const [name, member] of Object.entries(value)) {
      const entry = members.find((s) => s.key === `${key}.${name}`);
      if (!entry) return `unknown ${key} option ${name}${suggestion(name, names)}; known: ${names.join(', ')}`;
      if (member !== undefined && !entry.kind.accepts(member)) return `${key}.${name} must be ${entry.kind.describe}, got ${JSON.stringify(member)}`;
    }
  }
  return undefined;
}

/** The first of `names` set to a non-empty value in `source`, and that value. */
export function firstSet(names: readonly string[], source: Readonly<Record<string, string | undefined>>): { name: string; text: string } | undefined {
  for (const name of names) {
    const text = source[name];
    if (text !== undefined && text !== '') return { name, text };
  }
  return undefined;
}

/**
 * A setting's value from its environment text, found under `name`: the value, undefined for a
 * lenient setting's unreadable text, or the message that refuses it.
 */
export function valueFromText<T>(entry: Setting<T>, name: string, text: string): { value: T | undefined } | { problem: string } {
  const value = entry.kind.fromText(text);
  if (value !== undefined || entry.lenientText) return { value };
  return { problem: `${name} must be ${entry.kind.describe}, got ${JSON.stringify(text)}` };
}
