/**
 * The journal: every write request the library sends (and every read, when `reads` is set) is
 * appended to a local JSON Lines file, one per endpoint and access key, with a serial number that
 * has no gap and no duplicate even when several processes write at once.
 *
 * - Serials are taken under a real file lock (`proper-lockfile`: an atomic `mkdir` of
 *   `<file>.lock`, refreshed while held, taken over when stale after 10 s). Under the lock the
 *   next serial is one more than the highest of the `<file>.seq` counter and the file's last line,
 *   the entry is appended, and the counter is written.
 * - Appends are asynchronous and queued in order within a process; `flushJournal()` resolves
 *   once every queued entry is on disk (the CLI awaits it before it exits).
 * - Entries hold: serial, timestamp, method, path, query, arguments and result as JSON, status,
 *   exception, the apply run. Secrets never: any member named like a secret, key, password,
 *   token or signature is `[redacted]`, and so is the secret key wherever it appears in a string
 *   (lib/http/redaction.ts `scrub`: every occurrence of a long key, a short one where it stands alone).
 * - Entries older than the retention period (default 30 days) are dropped: by `log()` when
 *   reading, and from the file on the first append of each process.
 * - Settings: `configureJournal({ enabled, dir, reads, retentionDays })`, or the environment
 *   (`MIXCOATL_JOURNAL=off`, `MIXCOATL_JOURNAL_DIR`, `MIXCOATL_JOURNAL_READS=1`,
 *   `MIXCOATL_JOURNAL_RETENTION_DAYS`). Default location: `~/.mixcoatl/journal/`.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { scrub } from '../http/redaction.js';
import { currentApplyRun } from './context.js';

export interface JournalSettings {
  /** Write the journal at all (default true; `MIXCOATL_JOURNAL=off` turns it off). */
  enabled: boolean;
  /** Where the journal files live (default `~/.mixcoatl/journal`). */
  dir: string;
  /** Journal reads too (default false: writes only). */
  reads: boolean;
  /** Entries older than this many days are dropped (default 30). */
  retentionDays: number;
}

/** One journal entry. */
export interface JournalEntry {
  serial: number;
  /** ISO 8601. */
  timestamp: string;
  method: string;
  /** Below the API root, e.g. `infrastructure/Volume/42`. */
  path: string;
  query?: Record<string, unknown>;
  /** The request body as JSON (secrets redacted), or null. */
  arguments: unknown;
  /** The response body as JSON (secrets redacted; text when not JSON), or null. */
  result: unknown;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  /** The error, when the request failed. */
  exception: string | null;
  /** The apply run the request belonged to, or null. */
  run: string | null;
  /** The API root. */
  endpoint: string;
}

let configured: Partial<JournalSettings> = {};

/** Changes journal settings for this process (unset members come from the environment). */
export function configureJournal(settings: Partial<JournalSettings> = {}): void {
  if (settings === null || typeof settings !== 'object') throw new TypeError('configureJournal() takes an object');
  if (settings.retentionDays !== undefined && !(typeof settings.retentionDays === 'number' && settings.retentionDays > 0)) {
    throw new TypeError(`retentionDays must be a positive number of days, got ${JSON.stringify(settings.retentionDays)}`);
  }
  configured = { ...configured, ...settings };
}

/** Back to the environment's settings. */
export function resetJournal(): void {
  configured = {};
}

/** The settings in force. */
export function journalSettings(env: NodeJS.ProcessEnv = process.env): JournalSettings {
  const off = /^(0|off|false|no)$/i.test(env.MIXCOATL_JOURNAL ?? '');
  const days = Number(env.MIXCOATL_JOURNAL_RETENTION_DAYS);
  return {
    enabled: configured.enabled ?? !off,
    dir: configured.dir ?? (env.MIXCOATL_JOURNAL_DIR || join(env.HOME || homedir(), '.mixcoatl', 'journal')),
    reads: readsJournaled(env),
    retentionDays: configured.retentionDays ?? (Number.isFinite(days) && days > 0 ? days : 30),
  };
}

const READS_ON = /^(1|on|true|yes)$/i;

/** Whether reads are journaled too (the one setting every read request needs to know). */
function readsJournaled(env: NodeJS.ProcessEnv = process.env): boolean {
  const reads = configured.reads;
  if (reads !== undefined && reads !== null) return reads;
  const text = env.MIXCOATL_JOURNAL_READS;
  return text !== undefined && text !== '' && READS_ON.test(text);
}

/**
 * Whether a request of this method goes to the journal at all (writes do, reads only when asked
 * for): the request pipeline asks before it gathers the entry.
 */
export function journalsRequest(method: string): boolean {
  return (method !== 'GET' && method !== 'HEAD') || readsJournaled();
}

/** The journal file of an endpoint and access key. */
export function journalFile(endpointUrl: string, accessKey: string, settings: JournalSettings = journalSettings()): string {
  const digest = createHash('sha256').update(`${endpointUrl}\n${accessKey}`).digest('hex').slice(0, 16);
  let host = 'endpoint';
  try {
    host = new URL(endpointUrl).host.replace(/[^A-Za-z0-9.-]/g, '_');
  } catch {
    /* keep the generic name */
  }
  return join(settings.dir, `${host}-${digest}.jsonl`);
}

const SECRET_NAME = /secret|password|passwd|token|signature|private|credential/i;

function redact(value: unknown, secret: string | undefined): unknown {
  if (typeof value === 'string') return secret ? scrub(value, [secret]) : value;
  if (Array.isArray(value)) return value.map((v) => redact(v, secret));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_NAME.test(k) && v !== null && v !== undefined ? '[redacted]' : redact(v, secret);
    return out;
  }
  return value;
}

function asJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  }
}

/** What the request pipeline tells the journal about one request. */
export interface JournalRequest {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  /** The body sent (a JSON value or a ready string). */
  body?: unknown;
  /** The full URL (the API root is what precedes the path). */
  url: string;
  accessKey: string;
  /** Used only to redact it, never stored. */
  secretKey?: string;
  status: number | null;
  responseBody?: string;
  error?: string;
}

/** The API root of a request URL: what precedes its path. */
function apiRoot(url: string, path: string): string {
  const bare = url.split('?')[0];
  const tail = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return tail && bare.endsWith(`/${tail}`) ? bare.slice(0, -tail.length - 1) : bare;
}

let queue: Promise<void> = Promise.resolve();
const pruned = new Set<string>();
let lastFailure: Error | undefined;

/** Queues the entry of one request (called by the request pipeline; never throws). */
export function journalRequest(request: JournalRequest): void {
  // A read is journaled only when asked for: it costs no more than that one check.
  if (!journalsRequest(request.method)) return;
  let settings: JournalSettings;
  try {
    settings = journalSettings();
  } catch {
    return;
  }
  if (!settings.enabled) return;
  const secret = request.secretKey ? request.secretKey : undefined;
  const entry: Omit<JournalEntry, 'serial'> = {
    timestamp: new Date().toISOString(),
    method: request.method,
    path: request.path,
    ...(request.query && Object.keys(request.query).length ? { query: redact(request.query, secret) as Record<string, unknown> } : {}),
    arguments: redact(typeof request.body === 'string' ? asJson(request.body) : (request.body ?? null), secret),
    result: redact(asJson(request.responseBody), secret),
    status: request.status,
    exception: request.error === undefined ? null : (redact(request.error, secret) as string),
    run: currentApplyRun() ?? null,
    endpoint: apiRoot(request.url, request.path),
  };
  const file = journalFile(entry.endpoint, request.accessKey, settings);
  queue = queue.then(() => appendEntry(file, entry, settings)).catch((error: Error) => {
    lastFailure = error;
    process.emitWarning(`mixcoatl journal: could not write ${file}: ${error.message}`, 'MixcoatlJournalWarning');
  });
}

/** Resolves once every entry queued so far is written (rejects with the last write failure, if any). */
export async function flushJournal(): Promise<void> {
  await queue;
  if (lastFailure) {
    const failure = lastFailure;
    lastFailure = undefined;
    throw failure;
  }
}

async function lastSerialOf(file: string): Promise<number> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return 0;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 65536);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter((l) => l.trim());
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        const serial = (JSON.parse(lines[i]) as { serial?: unknown }).serial;
        if (typeof serial === 'number') return serial;
      } catch {
        /* a cut line (the window's first): look further back */
      }
    }
    return 0;
  } finally {
    await handle.close();
  }
}

async function readCounter(file: string): Promise<number> {
  try {
    const value = Number((await readFile(`${file}.seq`, 'utf8')).trim());
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

function cutoff(settings: JournalSettings): number {
  return Date.now() - settings.retentionDays * 86_400_000;
}

async function prune(file: string, settings: JournalSettings): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return;
  }
  const limit = cutoff(settings);
  const lines = text.split('\n').filter((l) => l.trim());
  const kept = lines.filter((line) => {
    try {
      return Date.parse((JSON.parse(line) as JournalEntry).timestamp) >= limit;
    } catch {
      return false;
    }
  });
  if (kept.length === lines.length) return;
  await writeFile(`${file}.tmp`, kept.map((l) => `${l}\n`).join(''));
  await rename(`${file}.tmp`, file);
}

async function appendEntry(file: string, entry: Omit<JournalEntry, 'serial'>, settings: JournalSettings): Promise<void> {
  await mkdir(settings.dir, { recursive: true, mode: 0o700 });
  const release = await lockfile.lock(file, { realpath: false, stale: 10_000, update: 2_000, retries: { retries: 1000, factor: 1.3, minTimeout: 1, maxTimeout: 40, randomize: true } });
  try {
    const serial = Math.max(await readCounter(file), await lastSerialOf(file)) + 1;
    if (!pruned.has(file)) {
      // The counter is written first, so a journal emptied by retention keeps counting.
      await writeFile(`${file}.seq`, `${serial - 1}\n`);
      await prune(file, settings);
      pruned.add(file);
    }
    await appendFile(file, `${JSON.stringify({ serial, ...entry })}\n`, { mode: 0o600 });
    await writeFile(`${file}.seq`, `${serial}\n`);
  } finally {
    await release();
  }
}

/** Options of `log()`: which journal (default: the configured endpoint's). */
export interface LogOptions {
  /** The API root (default: the configured endpoint). */
  endpointUrl?: string;
  accessKey?: string;
  /** The file itself (overrides endpoint and key). */
  file?: string;
}

/**
 * The journal's entries: the latest 10 without `serial`, or every entry after `serial`. Entries
 * older than the retention period are left out.
 */
export async function readJournal(file: string, serial?: number): Promise<JournalEntry[]> {
  if (serial !== undefined && !(Number.isSafeInteger(serial) && serial >= 0)) throw new TypeError(`log(serial): serial must be a whole number ≥ 0, got ${JSON.stringify(serial)}`);
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const limit = cutoff(journalSettings());
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as JournalEntry;
      if (Date.parse(entry.timestamp) >= limit) entries.push(entry);
    } catch {
      /* a line being written */
    }
  }
  return serial === undefined ? entries.slice(-10) : entries.filter((e) => e.serial > serial);
}
