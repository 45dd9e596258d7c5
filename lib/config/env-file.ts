/**
 * Reader for `KEY=VALUE` files: the working directory's `.env` and the profile files under
 * `~/.mixcoatl/`. Blank lines, `#` comments, an `export ` prefix and quoted values are accepted. Files are only read, never
 * created or prompted for.
 */
import { readFileSync } from 'node:fs';
import { parseSslVerify } from '../endpoint.js';
import { firstSet as firstSetOf, settingOf } from './schema.js';

export function parseEnvText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trim();
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out[key] = value;
  }
  return out;
}

/** Reads a file of `KEY=VALUE` lines; a missing file gives `undefined`. */
export function readEnvFile(path: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
  return parseEnvText(text);
}

/** Which of the `.env` file's security-relevant settings something of higher precedence overrides. */
export interface DotenvOverrides {
  endpoint: boolean;
  sslVerify: boolean;
  /** The key pair in use is the `.env` file's own. */
  keysFromDotenv: boolean;
}

const SSL_NAMES = settingOf('configure', 'sslVerify').env;
const ENDPOINT_NAMES = settingOf('configure', 'endpoint').env;

/** A warning about a `.env` file: its path and, per setting, what the setting does. */
export interface DotenvWarning {
  file: string;
  notes: Array<{ setting: string; text: string }>;
}

function firstSet(names: readonly string[], source: Record<string, string | undefined>): string | undefined {
  return firstSetOf(names, source)?.name;
}

/** Where an endpoint URL points, without any user name, password, path or query it may carry. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an address that is not a URL';
  }
}

/**
 * A `.env` file sits in whatever directory a command happens to run from, so a setting in it that
 * weakens security takes effect unseen: turning TLS verification off (`DCM_SSL_VERIFY` /
 * `ES_SSL_VERIFY` = 0 or false) or sending requests signed with keys from elsewhere (the
 * environment, a profile) to its endpoint (`DCM_ENDPOINT` / `ES_ENDPOINT`). A `.env` that sets its
 * endpoint together with its own key pair (as `.env.example` does) sends nobody else's keys
 * anywhere, so its endpoint is not warned about. Returns what to warn about when such a setting is
 * in force (nothing of higher precedence overrides it), or undefined.
 */
export function dotenvWarning(file: string, dotenv: Record<string, string>, env: Record<string, string | undefined>, overrides: DotenvOverrides): DotenvWarning | undefined {
  const notes: DotenvWarning['notes'] = [];
  const ssl = firstSet(SSL_NAMES, dotenv);
  if (ssl !== undefined && !overrides.sslVerify && firstSet(SSL_NAMES, env) === undefined && !parseSslVerify(dotenv[ssl])) {
    notes.push({ setting: ssl, text: `${ssl}=${dotenv[ssl].trim()} (TLS certificates are not verified)` });
  }
  const endpoint = firstSet(ENDPOINT_NAMES, dotenv);
  if (endpoint !== undefined && !overrides.endpoint && !overrides.keysFromDotenv && firstSet(ENDPOINT_NAMES, env) === undefined) {
    notes.push({ setting: endpoint, text: `${endpoint} (signed requests go to ${origin(dotenv[endpoint])})` });
  }
  return notes.length ? { file, notes } : undefined;
}

/** `(file, setting)` pairs already warned about: one warning per process, not one per request. */
const warned = new Set<string>();

/**
 * Prints the warning as one line on stderr, leaving out settings already named in this process.
 * It never shows a key: the endpoint appears as its origin only.
 */
export function printDotenvWarning(warning: DotenvWarning): void {
  const fresh = warning.notes.filter((note) => !warned.has(`${warning.file}\u0000${note.setting}`));
  if (fresh.length === 0) return;
  for (const note of fresh) warned.add(`${warning.file}\u0000${note.setting}`);
  process.stderr.write(
    `[mixcoatl] warning: ${warning.file} sets ${fresh.map((note) => note.text).join(' and ')}; if that is intended, set ${fresh.length > 1 ? 'them' : 'it'} in the environment or a profile instead\n`,
  );
}
