/**
 * The journal: every write request the library sends (and every read, when `reads` is set) is
 * recorded in a local JSON Lines file, one per endpoint and access key, with a serial number that
 * has no gap and no duplicate even when several processes write at once.
 *
 * - Write-ahead: before a request is handed to the transport, an intent line
 *   (`"phase":"sent"`: serial, method, path, query, arguments, run, endpoint, and the writer's pid,
 *   host and start time) is appended synchronously; when the answer (or the failure) is known, an
 *   outcome line (`"phase":"done"`: the same serial, status, result, exception) follows. A process
 *   killed at any moment leaves no request the API saw without its entry: readers show an intent
 *   whose writer has died without an outcome as `outcome: 'unknown'` ("sent, outcome unknown").
 *   One exception: when the journal cannot be written at all (an unwritable directory, a lock held
 *   for longer than {@link LOCK_TIMEOUT_MS}), the request is still sent and a warning is emitted
 *   once per file.
 * - Every append runs under a cross-process lock (lib/lock.ts, `<file>.append.lock`, owned by a live
 *   process: a holder whose event loop is blocked keeps it, a dead holder's is taken over at once).
 *   Under the lock: a torn last line (a writer killed mid-append) is moved to the quarantine file
 *   and cut off, the next serial is one more than the highest of the `<file>.seq` counter and the
 *   file's last intent line, the line is written with one `write`, and the counter is written.
 * - On the first append of each process to a file, the file is swept (streamed, never read whole):
 *   entries older than the retention period (default 30 days) are dropped, lines that cannot be
 *   parsed (or longer than {@link MAX_LINE_BYTES}) are moved to `<file>.quarantine` with a warning
 *   naming it, and a line still holding the secret key is redacted.
 * - Every file the journal writes (journal, counter, quarantine, temporary and lock files) is
 *   0600, every directory it makes 0700.
 * - Entries hold: serial, timestamp, method, path, query, arguments and result as JSON, status,
 *   exception, the apply run. Secrets never: any member named like a secret, key, password,
 *   token or signature is `[redacted]`, and the secret key (as is and JSON-escaped) is replaced
 *   wherever it appears — in values, member names, the path and the query.
 * - Settings: `configureJournal({ enabled, dir, reads, retentionDays })`, or the environment
 *   (`MIXCOATL_JOURNAL=off`, `MIXCOATL_JOURNAL_DIR`, `MIXCOATL_JOURNAL_READS=1`,
 *   `MIXCOATL_JOURNAL_RETENTION_DAYS`). Default location: `~/.mixcoatl/journal/`.
 */
import { createHash } from 'node:crypto';
import { closeSync, fchmodSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultOf, firstSet, problemWith, settingOf, valueFromText } from '../config/schema.js';
import { acquireLockSync, holderAlive, type FileLock } from '../lock.js';
import { REDACTED_MARK, scrub, secretSpellings } from '../redaction.js';
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

/**
 * What is known of a request's outcome: `done` (its answer or failure is recorded), `pending` (sent
 * by a process that is still running, no outcome yet), `unknown` (sent by a process that died
 * before recording the outcome: the API may or may not have carried it out).
 */
export type JournalOutcome = 'done' | 'pending' | 'unknown';

/** One journal entry. */
export interface JournalEntry {
  serial: number;
  /** When the request was sent (ISO 8601). */
  timestamp: string;
  method: string;
  /** Below the API root, e.g. `infrastructure/Volume/42`. */
  path: string;
  query?: Record<string, unknown>;
  /** The request body as JSON (secrets redacted), or null. */
  arguments: unknown;
  /** The response body as JSON (secrets redacted; text when not JSON), or null. */
  result: unknown;
  /** HTTP status, or null when no response arrived (or none is recorded yet). */
  status: number | null;
  /** The error, when the request failed. */
  exception: string | null;
  /** The apply run the request belonged to, or null. */
  run: string | null;
  /** The API root. */
  endpoint: string;
  /** Whether the outcome is recorded, awaited, or lost with its writer. */
  outcome: JournalOutcome;
  /** The process that sent the request (null for entries written before intents were recorded). */
  pid: number | null;
}

/** The error of reading a journal that exists but cannot be read; names the file. */
export class JournalError extends Error {
  /** The journal file. */
  readonly file: string;
  /** The system error code (`EACCES`, `EISDIR`, …), or `EJOURNAL`. */
  readonly code: string;
  /** Made by `log()`, `readJournalEntries()` and `dcm log`. */
  constructor(file: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot read the journal ${file}: ${reason}`, { cause });
    Object.defineProperty(this, 'name', { value: 'JournalError', enumerable: false, configurable: true, writable: true });
    this.file = file;
    this.code = typeof (cause as { code?: unknown })?.code === 'string' ? (cause as { code: string }).code : 'EJOURNAL';
  }
}

let configured: Partial<JournalSettings> = {};

/** Changes journal settings for this process (unset members come from the environment). */
export function configureJournal(settings: Partial<JournalSettings> = {}): void {
  if (settings === null || typeof settings !== 'object') throw new TypeError('configureJournal() takes an object');
  const problem = problemWith('journal', settings, 'configureJournal()');
  if (problem !== undefined) throw new TypeError(problem);
  configured = { ...configured, ...settings };
}

/** Back to the environment's settings. */
export function resetJournal(): void {
  configured = {};
}

/** The settings in force. */
export function journalSettings(env: NodeJS.ProcessEnv = process.env): JournalSettings {
  return {
    enabled: configured.enabled ?? fromEnv<boolean>('enabled', env) ?? defaultOf<boolean>('journal', 'enabled'),
    dir: configured.dir ?? fromEnv<string>('dir', env) ?? join(env.HOME || homedir(), '.mixcoatl', 'journal'),
    reads: readsJournaled(env),
    retentionDays: configured.retentionDays ?? fromEnv<number>('retentionDays', env) ?? defaultOf<number>('journal', 'retentionDays'),
  };
}

/** A journal setting from its environment variable; undefined when unset or unreadable (the journal never stops a request). */
function fromEnv<T>(key: keyof JournalSettings, env: NodeJS.ProcessEnv): T | undefined {
  const entry = settingOf('journal', key);
  const found = firstSet(entry.env, env);
  if (found === undefined) return undefined;
  const result = valueFromText(entry, found.name, found.text);
  return 'value' in result ? (result.value as T | undefined) : undefined;
}

/** Whether reads are journaled too (the one setting every read request needs to know). */
function readsJournaled(env: NodeJS.ProcessEnv = process.env): boolean {
  const reads = configured.reads;
  if (reads !== undefined && reads !== null) return reads;
  return fromEnv<boolean>('reads', env) ?? defaultOf<boolean>('journal', 'reads');
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

/** The lock file taken around every append to `file`. */
export function journalLockFile(file: string): string {
  return `${file}.append.lock`;
}

/** Where lines of `file` that cannot be parsed are moved. */
export function quarantineFile(file: string): string {
  return `${file}.quarantine`;
}

/** Member names whose values the journal (and a saved plan) never holds. */
export const SECRET_NAME = /secret|password|passwd|token|signature|private|credential/i;

/** `value` with secret-named members `[redacted]` and the secret's spellings replaced in strings and member names. */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return secrets.length ? scrub(value, secrets) : value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const name = secrets.length ? scrub(k, secrets) : k;
      Object.defineProperty(out, name, { value: SECRET_NAME.test(k) && v !== null && v !== undefined ? REDACTED_MARK : redactValue(v, secrets), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/**
 * The longest line written (characters): an entry whose arguments or result would make it longer
 * keeps the start of their JSON text instead, so that every line stays readable.
 */
const MAX_ENTRY_CHARS = 1 << 20;

function shortened(value: unknown): unknown {
  const text = JSON.stringify(value) ?? '';
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters of JSON, not kept)` : value;
}

function asJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  }
}

/** What the request pipeline tells the journal about a request before sending it. */
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
}

/** What the request pipeline tells the journal once the answer (or the failure) is known. */
export interface JournalAnswer {
  status: number | null;
  responseBody?: string;
  error?: string;
}

let spellingsOf: { key: string; spellings: readonly string[] } | undefined;

/**
 * The spellings of a secret key replaced in entries: as is, JSON-escaped (redaction.ts
 * `secretSpellings`), and percent-encoded as in a URL (a path or query echoed by the API).
 */
export function journalSecrets(secret: string): readonly string[] {
  if (!secret) return [];
  if (spellingsOf?.key !== secret) {
    const spellings = [...secretSpellings(secret)];
    for (const encoded of [encodeURIComponent(secret), encodeURI(secret)]) if (!spellings.includes(encoded)) spellings.push(encoded);
    spellingsOf = { key: secret, spellings };
  }
  return spellingsOf.spellings;
}

/** A request whose intent is in the journal: hand it back with the answer. */
export interface JournalTicket {
  readonly file: string;
  readonly serial: number;
  readonly secrets: readonly string[];
}

/** The API root of a request URL: what precedes its path. */
function apiRoot(url: string, path: string): string {
  const bare = url.split('?')[0];
  const tail = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return tail && bare.endsWith(`/${tail}`) ? bare.slice(0, -tail.length - 1) : bare;
}

/** How long an append waits for another live process's lock before giving up with a warning. */
export const LOCK_TIMEOUT_MS = 30_000;
/** Lines longer than this are not parsed: a sweep moves them to the quarantine file, readers skip them. */
export const MAX_LINE_BYTES = 8 << 20;
const CHUNK = 1 << 16;
const NEWLINE = 0x0a;
const HOST = hostname();

const swept = new Set<string>();
const warned = new Set<string>();
const fixedSeqMode = new Set<string>();

function warn(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  try {
    process.emitWarning(message, 'MixcoatlJournalWarning');
  } catch {
    /* a warning listener that throws must not reach the request */
  }
}

/**
 * Appends the intent of one request before it is sent (called by the request pipeline; never
 * throws). Returns the ticket to hand to {@link journalOutcome}, or undefined when nothing was
 * written (journal off, a read not journaled, or the journal unwritable: warned once).
 */
export function journalIntent(request: JournalRequest): JournalTicket | undefined {
  // A read is journaled only when asked for: it costs no more than that one check.
  if (!journalsRequest(request.method)) return undefined;
  let file = '';
  try {
    const settings = journalSettings();
    if (!settings.enabled) return undefined;
    const secrets = journalSecrets(request.secretKey ?? '');
    const endpoint = apiRoot(request.url, request.path);
    file = journalFile(endpoint, request.accessKey, settings);
    const query = request.query && Object.keys(request.query).length ? (redactValue(request.query, secrets) as Record<string, unknown>) : undefined;
    const fields = {
      phase: 'sent',
      timestamp: new Date().toISOString(),
      method: request.method,
      path: scrub(request.path, secrets),
      ...(query ? { query } : {}),
      arguments: redactValue(typeof request.body === 'string' ? asJson(request.body) : (request.body ?? null), secrets),
      run: currentApplyRun() ?? null,
      endpoint: scrub(endpoint, secrets),
    };
    const serial = append(file, settings, secrets, (lock) => ({ ...fields, pid: lock.pid, host: lock.host, start: lock.start ?? null }));
    return { file, serial, secrets };
  } catch (error) {
    warn(file, `mixcoatl journal: could not write ${file || 'the journal'} (the request is sent without an entry): ${(error as Error).message}`);
    return undefined;
  }
}

/** Appends the outcome of a request whose intent is in the journal (never throws). */
export function journalOutcome(ticket: JournalTicket | undefined, answer: JournalAnswer): void {
  if (ticket === undefined) return;
  try {
    const settings = journalSettings();
    const { secrets } = ticket;
    const fields = {
      phase: 'done',
      timestamp: new Date().toISOString(),
      status: answer.status,
      result: redactValue(asJson(answer.responseBody), secrets),
      exception: answer.error === undefined ? null : scrub(answer.error, secrets),
    };
    append(ticket.file, settings, secrets, () => fields, ticket.serial);
  } catch (error) {
    warn(ticket.file, `mixcoatl journal: could not write ${ticket.file}: ${(error as Error).message}`);
  }
}

/**
 * Appends are synchronous: once `journalIntent()`/`journalOutcome()` return, the line is written.
 * Kept for callers that awaited the earlier asynchronous appends; resolves at once.
 */
export async function flushJournal(): Promise<void> {
  await Promise.resolve();
}

interface Writer {
  pid: number;
  host: string;
  start?: string;
}

/** Makes the open file's mode 0600 if it is not (a file made by an earlier version, or under another umask). */
function ownerOnly(fd: number, stat: Stats = fstatSync(fd)): void {
  if ((stat.mode & 0o777) !== 0o600) fchmodSync(fd, 0o600);
}

function writeAll(fd: number, data: Buffer, position?: number): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, position === undefined ? null : position + done);
}

/**
 * Writes the counter in place, at a fixed width (no truncation: on ext4 a truncated and rewritten
 * file is flushed at close, which costs milliseconds).
 */
function writeCounter(path: string, serial: number): void {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    fd = openSync(path, 'w', 0o600);
  }
  try {
    if (!fixedSeqMode.has(path)) {
      ownerOnly(fd);
      fixedSeqMode.add(path);
    }
    writeAll(fd, Buffer.from(`${String(serial).padStart(16, '0')}\n`), 0);
  } finally {
    closeSync(fd);
  }
}

function readCounter(file: string): number {
  try {
    const value = Number(readFileSync(`${file}.seq`, 'utf8').trim());
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/** Takes the append lock of `file`, making its directory (0700) first if it is missing. */
function lockJournal(file: string): FileLock {
  const options = { timeoutMs: LOCK_TIMEOUT_MS, label: 'journal append' };
  try {
    return acquireLockSync(journalLockFile(file), options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    return acquireLockSync(journalLockFile(file), options);
  }
}

/**
 * One append under the lock. `serial` given: an outcome line with that serial (the counter is
 * left alone); else an intent line with the next serial. Returns the serial.
 */
function append(file: string, settings: JournalSettings, secrets: readonly string[], fields: (writer: Writer) => Record<string, unknown>, serial?: number): number {
  const lock = lockJournal(file);
  try {
    if (!swept.has(file)) {
      swept.add(file);
      sweep(file, settings, secrets);
    }
    const fd = openSync(file, 'a+', 0o600);
    try {
      const stat = fstatSync(fd);
      ownerOnly(fd, stat);
      const size = repairTail(fd, file, stat.size, secrets);
      const next = serial ?? Math.max(readCounter(file), lastIntentSerial(fd, size)) + 1;
      const record: Record<string, unknown> = { serial: next, ...fields(lock.holder) };
      let text = JSON.stringify(record);
      if (text.length > MAX_ENTRY_CHARS) {
        for (const key of ['arguments', 'result']) if (key in record) record[key] = shortened(record[key]);
        text = JSON.stringify(record);
      }
      const line = Buffer.from(`${text}\n`);
      try {
        writeAll(fd, line);
      } catch (error) {
        // A partial line (disk full) is cut off at once rather than left for the next writer.
        try {
          ftruncateSync(fd, size);
        } catch {
          /* the next append repairs it */
        }
        throw error;
      }
      if (serial === undefined) writeCounter(`${file}.seq`, next);
      return next;
    } finally {
      closeSync(fd);
    }
  } finally {
    lock.release();
  }
}

function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buffer, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buffer : buffer.subarray(0, got);
}

/** The position of the last newline before `before`, or -1; reads backwards a chunk at a time. */
function lastNewlineBefore(fd: number, before: number): number {
  let end = before;
  while (end > 0) {
    const start = Math.max(0, end - CHUNK);
    const at = readAt(fd, end - start, start).lastIndexOf(NEWLINE);
    if (at !== -1) return start + at;
    end = start;
  }
  return -1;
}

/** `chunk` with every occurrence of a secret's spelling replaced by the mark. */
function scrubBytes(chunk: Buffer, needles: readonly Buffer[]): Buffer {
  let out: Buffer = chunk;
  for (const needle of needles) {
    if (!needle.length || out.indexOf(needle) < 0) continue;
    const parts: Buffer[] = [];
    let from = 0;
    for (let at = out.indexOf(needle); at >= 0; at = out.indexOf(needle, from)) {
      parts.push(out.subarray(from, at), MARK);
      from = at + needle.length;
    }
    parts.push(out.subarray(from));
    out = Buffer.concat(parts);
  }
  return out;
}

const MARK = Buffer.from(REDACTED_MARK);

/**
 * Copies bytes [from, to) of `fd` to the end of the quarantine file, a chunk at a time, with the
 * secret's spellings replaced: what cannot be parsed is kept for a person to look at, never the
 * secret (a spelling cut by a chunk's end is caught with the next chunk).
 */
function quarantineRange(fd: number, file: string, from: number, to: number, withNewline: boolean, secrets: readonly string[]): void {
  const target = quarantineFile(file);
  const needles = secrets.filter((s) => s.length > 0).map((s) => Buffer.from(s));
  const overlap = Math.max(0, ...needles.map((n) => n.length - 1));
  const out = openSync(target, 'a', 0o600);
  try {
    ownerOnly(out);
    let held: Buffer = Buffer.alloc(0);
    for (let at = from; at < to; at += CHUNK) {
      const clean = scrubBytes(Buffer.concat([held, readAt(fd, Math.min(CHUNK, to - at), at)]), needles);
      const last = at + CHUNK >= to;
      const cut = last ? clean.length : Math.max(0, clean.length - overlap);
      writeAll(out, clean.subarray(0, cut));
      held = clean.subarray(cut);
    }
    if (withNewline) writeAll(out, Buffer.from('\n'));
  } finally {
    closeSync(out);
  }
}

/** A torn last line (its writer died mid-append) is moved to the quarantine file and cut off; returns the new size. */
function repairTail(fd: number, file: string, size: number, secrets: readonly string[]): number {
  if (size === 0 || readAt(fd, 1, size - 1)[0] === NEWLINE) return size;
  const keep = lastNewlineBefore(fd, size) + 1;
  quarantineRange(fd, file, keep, size, true, secrets);
  ftruncateSync(fd, keep);
  warn(`${file}:torn`, `mixcoatl journal: a torn last line of ${file} (its writer stopped mid-append) was moved to ${quarantineFile(file)}`);
  return keep;
}

const PREFIX = /^\{"serial":(\d+),(?:"phase":"(sent|done)")?/;

/**
 * The serial of the file's last intent line (a line of an earlier version counts as one), found
 * by reading line starts backwards from the end; 0 when there is none (or none within reach).
 */
function lastIntentSerial(fd: number, size: number): number {
  // Most often within the last few lines: one small read.
  const windowStart = Math.max(0, size - 8192);
  const window = readAt(fd, size - windowStart, windowStart);
  let end = window.length - 1;
  while (end > 0) {
    const nl = window.lastIndexOf(NEWLINE, end - 1);
    if (nl === -1 && windowStart > 0) break;
    const match = PREFIX.exec(window.toString('latin1', nl + 1, Math.min(end, nl + 65)));
    if (match && match[2] !== 'done') return Number(match[1]);
    end = nl;
  }
  return lastIntentSerialBefore(fd, windowStart + end);
}

/** {@link lastIntentSerial} for lines ending before `end` (the position of a newline), read a chunk at a time. */
function lastIntentSerialBefore(fd: number, end: number): number {
  let budget = 64 << 20;
  for (let lines = 0; end > 0 && lines < 100_000 && budget > 0; lines++) {
    const start = lastNewlineBefore(fd, end) + 1;
    budget -= end - start;
    const match = PREFIX.exec(readAt(fd, Math.min(64, end - start), start).toString('latin1'));
    if (match && match[2] !== 'done') return Number(match[1]);
    end = start - 1;
  }
  return 0;
}

function cutoff(settings: JournalSettings): number {
  return Date.now() - settings.retentionDays * 86_400_000;
}

/**
 * Calls `onLine` for each complete line of `fd` (without its newline) up to `size`, and `onLong`
 * with the byte range of each line longer than {@link MAX_LINE_BYTES}, which is never held in
 * memory. A last line without a newline is left out (it is being written).
 */
function scanLines(fd: number, size: number, onLine: (line: Buffer, start: number, end: number) => void, onLong: (start: number, end: number) => void): void {
  let parts: Buffer[] = [];
  let partLength = 0;
  let lineStart = 0;
  let long = false;
  for (let at = 0; at < size; ) {
    const chunk = readAt(fd, Math.min(CHUNK * 16, size - at), at);
    if (chunk.length === 0) break;
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
      const end = at + nl;
      if (long) onLong(lineStart, end);
      else {
        const piece = chunk.subarray(from, nl);
        onLine(parts.length ? Buffer.concat([...parts, piece]) : piece, lineStart, end);
      }
      parts = [];
      partLength = 0;
      long = false;
      from = nl + 1;
      lineStart = at + from;
    }
    if (!long && from < chunk.length) {
      partLength += chunk.length - from;
      if (partLength > MAX_LINE_BYTES) {
        long = true;
        parts = [];
      } else parts.push(Buffer.from(chunk.subarray(from)));
    }
    at += chunk.length;
  }
}

interface Line {
  serial?: unknown;
  phase?: unknown;
  timestamp?: unknown;
}

function parseLine(line: Buffer): Line | undefined {
  try {
    const value = JSON.parse(line.toString('utf8')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const entry = value as Line;
    return typeof entry.serial === 'number' && typeof entry.timestamp === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first-append sweep (under the lock): entries past retention dropped, unparsable lines moved
 * to the quarantine file, lines holding a spelling of the secret redacted. The file is rewritten
 * (0600, atomically) only when something changed; it is streamed, never read whole.
 */
function sweep(file: string, settings: JournalSettings, secrets: readonly string[]): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const temp = `${file}.${process.pid}.tmp`;
  let out: number | undefined;
  let quarantined = 0;
  try {
    const { size } = fstatSync(fd);
    const limit = cutoff(settings);
    const dropped = new Set<number>();
    const needles = secrets.map((s) => Buffer.from(s));
    let copied = 0; // bytes of the original copied to the temporary file, or to be copied verbatim
    const change = (start: number): number => {
      if (out === undefined) {
        try {
          unlinkSync(temp);
        } catch {
          /* none left over */
        }
        out = openSync(temp, 'wx', 0o600);
        ownerOnly(out);
      }
      for (let at = copied; at < start; at += CHUNK) writeAll(out, readAt(fd, Math.min(CHUNK, start - at), at));
      return out;
    };
    scanLines(
      fd,
      size,
      (line, start, end) => {
        if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) {
          change(start);
          copied = end + 1;
          return;
        }
        const entry = parseLine(line);
        if (entry === undefined) {
          change(start);
          quarantineRange(fd, file, start, end, true, secrets);
          quarantined++;
          copied = end + 1;
          return;
        }
        const serial = entry.serial as number;
        const old = Date.parse(entry.timestamp as string) < limit || (entry.phase === 'done' && dropped.has(serial));
        if (old) {
          if (entry.phase !== 'done') dropped.add(serial);
          change(start);
          copied = end + 1;
          return;
        }
        if (needles.some((n) => n.length && line.includes(n))) {
          const target = change(start);
          const clean = redactValue(JSON.parse(line.toString('utf8')), secrets) as Record<string, unknown>;
          writeAll(target, Buffer.from(`${JSON.stringify(clean)}\n`));
          copied = end + 1;
        }
      },
      (start, end) => {
        change(start);
        quarantineRange(fd, file, start, end, true, secrets);
        quarantined++;
        copied = end + 1;
      },
    );
    if (out === undefined) return;
    // The rest (kept lines, and a last line without a newline, repaired by the append) verbatim.
    change(size);
    closeSync(out);
    out = undefined;
    renameSync(temp, file);
  } finally {
    if (out !== undefined) {
      closeSync(out);
      try {
        unlinkSync(temp);
      } catch {
        /* already gone */
      }
    }
    closeSync(fd);
    if (quarantined) warn(`${file}:quarantine`, `mixcoatl journal: ${quarantined} line(s) of ${file} could not be read and were moved to ${quarantineFile(file)}`);
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

interface IntentLine {
  serial: number;
  phase?: string;
  timestamp: string;
  method: string;
  path: string;
  query?: Record<string, unknown>;
  arguments?: unknown;
  result?: unknown;
  status?: number | null;
  exception?: string | null;
  run?: string | null;
  endpoint: string;
  pid?: number;
  host?: string;
  start?: string | null;
}

/**
 * Every entry of a journal file within the retention period, in serial order, intent and outcome
 * merged (no cut to the latest 10). A missing file has none; one that cannot be read is a
 * {@link JournalError} naming it. Lines that cannot be parsed are skipped (the next append of a
 * process moves them to the quarantine file).
 */
export async function readJournalEntries(file: string): Promise<JournalEntry[]> {
  await Promise.resolve();
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new JournalError(file, error);
  }
  const limit = cutoff(journalSettings());
  const entries = new Map<number, JournalEntry>();
  const writers = new Map<number, Writer>();
  try {
    scanLines(
      fd,
      fstatSync(fd).size,
      (line) => {
        const parsed = parseLine(line) as IntentLine | undefined;
        if (parsed === undefined) return;
        if (parsed.phase === 'done') {
          const entry = entries.get(parsed.serial);
          if (entry === undefined) return;
          entry.status = parsed.status ?? null;
          entry.result = parsed.result ?? null;
          entry.exception = parsed.exception ?? null;
          entry.outcome = 'done';
          return;
        }
        if (!(Date.parse(parsed.timestamp) >= limit)) return;
        const sent = parsed.phase === 'sent';
        entries.set(parsed.serial, {
          serial: parsed.serial,
          timestamp: parsed.timestamp,
          method: parsed.method,
          path: parsed.path,
          ...(parsed.query ? { query: parsed.query } : {}),
          arguments: parsed.arguments ?? null,
          result: sent ? null : (parsed.result ?? null),
          status: sent ? null : (parsed.status ?? null),
          exception: sent ? null : (parsed.exception ?? null),
          run: parsed.run ?? null,
          endpoint: parsed.endpoint,
          outcome: sent ? 'pending' : 'done',
          pid: typeof parsed.pid === 'number' ? parsed.pid : null,
        });
        if (sent && typeof parsed.pid === 'number') writers.set(parsed.serial, { pid: parsed.pid, host: parsed.host ?? HOST, ...(parsed.start ? { start: parsed.start } : {}) });
      },
      () => undefined,
    );
  } catch (error) {
    throw new JournalError(file, error);
  } finally {
    closeSync(fd);
  }
  const alive = new Map<string, boolean>();
  const list = [...entries.values()].sort((a, b) => a.serial - b.serial);
  for (const entry of list) {
    if (entry.outcome !== 'pending') continue;
    const writer = writers.get(entry.serial);
    if (writer === undefined) continue;
    const key = `${writer.host} ${writer.pid} ${writer.start ?? ''}`;
    let live = alive.get(key);
    if (live === undefined) {
      live = holderAlive({ ...writer, since: '' });
      alive.set(key, live);
    }
    if (!live) entry.outcome = 'unknown';
  }
  return list;
}

/**
 * The journal's entries: the latest 10 without `serial`, or every entry after `serial`. Entries
 * older than the retention period are left out.
 */
export async function readJournal(file: string, serial?: number): Promise<JournalEntry[]> {
  if (serial !== undefined && !(Number.isSafeInteger(serial) && serial >= 0)) throw new TypeError(`log(serial): serial must be a whole number ≥ 0, got ${JSON.stringify(serial)}`);
  const entries = await readJournalEntries(file);
  return serial === undefined ? entries.slice(-10) : entries.filter((e) => e.serial > serial);
}
