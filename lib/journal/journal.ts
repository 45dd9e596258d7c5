/**
 * The journal: every write request the library sends (and every read, when `reads` is set) is
 * recorded in a local JSON Lines file, one per endpoint and access key, with a serial number that
 * has no gap and no duplicate even when several processes write at once.
 *
 * - Write-ahead: before a request is handed to the transport, an intent line
 *   (`"phase":"sent"`: serial, method, path, query, arguments, run, endpoint, and the writer's pid,
 *   host and start time) is appended synchronously; when the answer (or the failure) is known, an
 *   outcome line (`"phase":"done"`: the same serial, status, result, exception) follows: at once
 *   for a synchronous request, else with the next line this process appends or at the end of that
 *   turn of the event loop, whichever is first (so that a bulk action's answers and next intents
 *   share a lock), and always before the process exits or reads the journal. A process killed at
 *   any moment leaves no request the API saw without its entry: readers show an intent whose
 *   writer has died without an outcome as `outcome: 'unknown'` ("sent, outcome unknown").
 *   One exception: when the journal cannot be written at all (an unwritable directory, a lock held
 *   for longer than {@link LOCK_TIMEOUT_MS}), the request is still sent and a warning is emitted
 *   once per file.
 * - Every append runs under a cross-process lock (lib/lock.ts, `<file>.append.lock`, owned by a live
 *   process: a holder whose event loop is blocked keeps it, a dead holder's is taken over at once;
 *   taken as a `frequent` lock, one hard link per append). Under the lock: a torn last line (a
 *   writer killed mid-append) is moved to the quarantine file and cut off, the next serial is one
 *   more than the highest of the `<file>.seq` counter and the file's last intent line, the lines
 *   are written with one `write`, and the counter is written. A process keeps the file open
 *   between its appends; when the file is still the inode and size its last append left, no other
 *   process has written since, and the serial it knows is the last (see `currentJournal`).
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
import { closeSync, fchmodSync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { clearImmediate, setImmediate } from 'node:timers';
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

/** The environment variables the settings are read from (and HOME, for the default directory). */
const SETTINGS_ENV = [...(['enabled', 'dir', 'reads', 'retentionDays'] as const).flatMap((key) => settingOf('journal', key).env), 'HOME'];
let lastSettings: { configured: Partial<JournalSettings>; texts: (string | undefined)[]; settings: Readonly<JournalSettings> } | undefined;

/** The settings in force (read on every request: worked out again only when the settings or their variables change). */
export function journalSettings(env: NodeJS.ProcessEnv = process.env): JournalSettings {
  if (env !== process.env) return settingsFrom(env);
  const texts = SETTINGS_ENV.map((name) => env[name]);
  if (lastSettings?.configured === configured && lastSettings.texts.every((text, i) => text === texts[i])) return { ...lastSettings.settings };
  const settings = settingsFrom(env);
  lastSettings = { configured, texts, settings: Object.freeze({ ...settings }) };
  return settings;
}

function settingsFrom(env: NodeJS.ProcessEnv): JournalSettings {
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

const fileNames = new Map<string, string>();

/** The journal file of an endpoint and access key. */
export function journalFile(endpointUrl: string, accessKey: string, settings: JournalSettings = journalSettings()): string {
  const key = `${settings.dir}\n${endpointUrl}\n${accessKey}`;
  const known = fileNames.get(key);
  if (known !== undefined) return known;
  const digest = createHash('sha256').update(`${endpointUrl}\n${accessKey}`).digest('hex').slice(0, 16);
  let host = 'endpoint';
  try {
    host = new URL(endpointUrl).host.replace(/[^A-Za-z0-9.-]/g, '_');
  } catch {
    /* keep the generic name */
  }
  const file = join(settings.dir, `${host}-${digest}.jsonl`);
  if (fileNames.size >= 64) fileNames.clear();
  fileNames.set(key, file);
  return file;
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

/** A body's JSON value; a body that is not JSON is kept as text, the secret replaced before it is cut to its first 2,000 characters. */
function asJson(text: string | undefined, secrets: readonly string[]): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const clean = scrub(text, secrets);
    return clean.length > 2000 ? `${clean.slice(0, 2000)}…` : clean;
  }
}

/**
 * The JSON text an entry holds for a body (the arguments sent, the result received), redacted.
 * A body that is JSON on one line, with no member named like a secret and no spelling of the
 * secret key, is kept as it is (only parsed, to be sure it is JSON); any other is parsed and
 * redacted. A text too long for a line keeps its start, as a string.
 */
function bodyText(body: unknown, secrets: readonly string[]): string {
  let text: string;
  if (typeof body !== 'string') text = JSON.stringify(redactValue(body ?? null, secrets)) ?? 'null';
  else if (body !== '' && !/[\n\r]/.test(body) && !SECRET_NAME.test(body) && !secrets.some((secret) => secret !== '' && body.includes(secret)) && isJson(body)) text = body;
  else text = JSON.stringify(redactValue(asJson(body, secrets), secrets)) ?? 'null';
  return text.length > MAX_ENTRY_CHARS - 8192 ? JSON.stringify(`${text.slice(0, 2000)}… (${text.length} characters of JSON, not kept)`) : text;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
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

function warn(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  try {
    process.emitWarning(message, 'MixcoatlJournalWarning');
  } catch {
    /* a warning listener that throws must not reach the request */
  }
}

/** An intent line before its serial and writer are known. */
/**
 * An intent line before its serial and writer are known: `text` is the line's members after the
 * serial (`"phase":"sent",…`), without the braces.
 */
interface Intent {
  file: string;
  secrets: readonly string[];
  settings: JournalSettings;
  text: string;
}

/** The intent of a request, or undefined when the journal is off; throws when it cannot be made. */
function intentOf(request: JournalRequest): Intent | undefined {
  const settings = journalSettings();
  if (!settings.enabled) return undefined;
  const secrets = journalSecrets(request.secretKey ?? '');
  const endpoint = apiRoot(request.url, request.path);
  const file = journalFile(endpoint, request.accessKey, settings);
  const query = request.query && Object.keys(request.query).length ? (redactValue(request.query, secrets) as Record<string, unknown>) : undefined;
  const text =
    `"phase":"sent","timestamp":"${now()}","method":${JSON.stringify(request.method)},"path":${JSON.stringify(scrub(request.path, secrets))}` +
    `${query ? `,"query":${JSON.stringify(query)}` : ''},"arguments":${bodyText(request.body, secrets)},"run":${JSON.stringify(currentApplyRun() ?? null)},"endpoint":${JSON.stringify(scrub(endpoint, secrets))}`;
  return { file, secrets, settings, text };
}

let clock = { ms: 0, text: '' };

/** The time now, ISO 8601 (worked out once per millisecond). */
function now(): string {
  const ms = Date.now();
  if (ms !== clock.ms) clock = { ms, text: new Date(ms).toISOString() };
  return clock.text;
}

/** The members naming the writer of intent lines (this process), after the others. */
let writerText: { holder: Writer; text: string } | undefined;

function writerMembers(holder: Writer): string {
  if (writerText?.holder !== holder) writerText = { holder, text: JSON.stringify({ pid: holder.pid, host: holder.host, start: holder.start ?? null }).slice(1, -1) };
  return writerText.text;
}

function cannotWrite(file: string, error: unknown): void {
  warn(file, `mixcoatl journal: could not write ${file || 'the journal'} (the request is sent without an entry): ${(error as Error).message}`);
}

/**
 * Appends the intent of one request before it is sent, at once (the pipeline's synchronous path;
 * never throws). Returns the ticket to hand to {@link journalOutcome}, or undefined when nothing
 * was written (journal off, a read not journaled, or the journal unwritable: warned once).
 */
export function journalIntent(request: JournalRequest): JournalTicket | undefined {
  // A read is journaled only when asked for: it costs no more than that one check.
  if (!journalsRequest(request.method)) return undefined;
  let intent: Intent | undefined;
  try {
    intent = intentOf(request);
    if (intent === undefined) return undefined;
    const serial = append(intent.file, intent.settings, intent.secrets, intent.text);
    return { file: intent.file, serial, secrets: intent.secrets };
  } catch (error) {
    cannotWrite(intent?.file ?? '', error);
    return undefined;
  }
}

/**
 * The intent of a request sent asynchronously (never throws): queued, and written with every
 * other line of this process for the same file in this turn of the event loop, under one lock,
 * when the turn ends (an immediate). The pipeline hands the request to the transport only once
 * the promise settles, so the intent is still written before any byte of the request leaves. It
 * resolves to the ticket, or to undefined when nothing was written (warned once); the call
 * returns undefined when the request is not journaled at all.
 */
export function journalIntentSoon(request: JournalRequest): Promise<JournalTicket | undefined> | undefined {
  if (!journalsRequest(request.method)) return undefined;
  let intent: Intent | undefined;
  try {
    intent = intentOf(request);
  } catch (error) {
    cannotWrite('', error);
    return undefined;
  }
  if (intent === undefined) return undefined;
  const { file, secrets, settings, text } = intent;
  return new Promise((resolve) => {
    const lines = waitingLines(file, secrets);
    lines.settings ??= settings;
    lines.intents.push({ text, settle: (serial) => resolve(serial === undefined ? undefined : { file, serial, secrets }) });
    flushSoon();
  });
}

/** An intent line waiting to be written (its members after the serial), and what to tell its request once it is (its serial, or undefined when it could not be). */
interface PendingIntent {
  text: string;
  settle: (serial: number | undefined) => void;
}

/** The lines of one journal file waiting to be written: outcomes of answered requests, intents of requests about to be sent. */
interface Waiting {
  secrets: readonly string[];
  settings?: JournalSettings;
  /** Whole outcome lines. */
  outcomes: string[];
  intents: PendingIntent[];
}

const waiting = new Map<string, Waiting>();
let flushQueued: NodeJS.Immediate | undefined;
/** Settles when the flush queued for the end of this turn has run. */
let flushed: { promise: Promise<void>; resolve: () => void } | undefined;
let flushOnExit = false;

function waitingLines(file: string, secrets: readonly string[]): Waiting {
  let lines = waiting.get(file);
  if (lines === undefined) waiting.set(file, (lines = { secrets, outcomes: [], intents: [] }));
  else lines.secrets = secrets;
  return lines;
}

/**
 * Writes the waiting lines when this turn of the event loop ends (timers of the real clock: a
 * test's fake timers do not hold requests back); the promise settles once they are written.
 */
function flushSoon(): Promise<void> {
  if (flushed === undefined) {
    let resolve = (): void => undefined;
    const promise = new Promise<void>((settle) => (resolve = settle));
    flushed = { promise, resolve };
  }
  flushQueued ??= setImmediate(flushWaiting);
  if (!flushOnExit) {
    flushOnExit = true;
    // At exit no request is sent any more: the outcomes are written, the intents dropped.
    process.once('exit', () => {
      for (const lines of waiting.values()) lines.intents.splice(0).forEach((intent) => intent.settle(undefined));
      flushWaiting();
    });
  }
  return flushed.promise;
}

/**
 * Records the outcome of a request whose intent is in the journal (never throws). `now` (a request
 * the caller is blocked on) writes the line at once. Else it is written with the other lines of
 * this turn of the event loop, when the turn ends, and the promise returned settles then: the
 * pipeline settles the request's promise only once its outcome is written, and the answers of a
 * bulk action and its next intents share one lock. `flushJournal()`, the readers of this process
 * and the process's exit write it at once too.
 */
export function journalOutcome(ticket: JournalTicket | undefined, answer: JournalAnswer, options: { now?: boolean } = {}): Promise<void> | undefined {
  if (ticket === undefined) return undefined;
  try {
    const { secrets } = ticket;
    const line =
      `{"serial":${ticket.serial},"phase":"done","timestamp":"${now()}","status":${JSON.stringify(answer.status)},` +
      `"result":${bodyText(answer.responseBody, secrets)},"exception":${JSON.stringify(answer.error === undefined ? null : scrub(answer.error, secrets))}}`;
    waitingLines(ticket.file, secrets).outcomes.push(line);
  } catch (error) {
    warn(ticket.file, `mixcoatl journal: could not write ${ticket.file}: ${(error as Error).message}`);
    return undefined;
  }
  if (!options.now) return flushSoon();
  writeWaiting(ticket.file);
  return undefined;
}

/** Writes every waiting line (never throws). */
function flushWaiting(): void {
  if (flushQueued !== undefined) clearImmediate(flushQueued);
  flushQueued = undefined;
  const done = flushed;
  flushed = undefined;
  for (const file of [...waiting.keys()]) writeWaiting(file);
  done?.resolve();
}

function writeWaiting(file: string): void {
  const lines = waiting.get(file);
  if (lines === undefined) return;
  try {
    append(file, lines.settings, lines.secrets);
  } catch (error) {
    // Not written (the lock not had, the disk full): the requests waiting are sent without an entry.
    const left = waiting.get(file);
    waiting.delete(file);
    left?.intents.forEach((intent) => intent.settle(undefined));
    cannotWrite(file, error);
  }
}

/** Writes the lines still waiting; once it returns (it resolves at once), every line of this process is in the journal. */
export async function flushJournal(): Promise<void> {
  flushWaiting();
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

/** The counter in place, at a fixed width (rewritten in place: a truncated and rewritten file is flushed at close on ext4, which costs milliseconds). */
function counterText(serial: number): Buffer {
  return Buffer.from(`${String(serial).padStart(16, '0')}\n`);
}

function readCounter(file: string): number {
  try {
    const value = Number(readFileSync(`${file}.seq`, 'utf8').trim());
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/** Opens the counter of `file` for writing in place (made, 0600, when missing). */
function openCounter(file: string): number {
  const path = `${file}.seq`;
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    fd = openSync(path, 'w', 0o600);
  }
  try {
    ownerOnly(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/**
 * A journal file this process appends to, kept open between appends: its descriptors, and what the
 * file was after this process's last append (device, inode, size) with the serial of its last
 * intent line. Under the lock, a file still the same inode and size has had no other writer since:
 * the next serial is known and the tail needs no repair, so an append is one write (and one
 * counter write for an intent). Anything else (another process appended, swept or repaired the
 * file, or it was removed) reopens the file and reads the serial from the counter and the tail.
 */
interface OpenJournal {
  fd: number;
  counter: number;
  dev: number;
  ino: number;
  size: number;
  serial: number;
}

/** At most this many journal files are kept open (the least recently used is closed). */
const MAX_OPEN = 8;
const openJournals = new Map<string, OpenJournal>();

function closeJournal(file: string): void {
  const open = openJournals.get(file);
  if (open === undefined) return;
  openJournals.delete(file);
  for (const fd of [open.fd, open.counter]) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  }
}

/** The journal file as it is now, under the lock: kept open if unchanged, else (re)opened, its tail repaired and its serial read. */
function currentJournal(file: string, secrets: readonly string[]): OpenJournal {
  const known = openJournals.get(file);
  if (known !== undefined) {
    let now: Stats | undefined;
    try {
      now = statSync(file);
    } catch {
      /* removed: opened again below */
    }
    if (now !== undefined && now.ino === known.ino && now.dev === known.dev && now.size === known.size) {
      // Most recently used last.
      openJournals.delete(file);
      openJournals.set(file, known);
      return known;
    }
    closeJournal(file);
  }
  const fd = openSync(file, 'a+', 0o600);
  try {
    const stat = fstatSync(fd);
    ownerOnly(fd, stat);
    const size = repairTail(fd, file, stat.size, secrets);
    const serial = Math.max(readCounter(file), lastIntentSerial(fd, size));
    const counter = openCounter(file);
    const open = { fd, counter, dev: stat.dev, ino: stat.ino, size, serial };
    openJournals.set(file, open);
    if (openJournals.size > MAX_OPEN) closeJournal(openJournals.keys().next().value as string);
    return open;
  } catch (error) {
    if (!openJournals.has(file)) closeSync(fd);
    throw error;
  }
}

/** Takes the append lock of `file`, making its directory (0700) first if it is missing. */
function lockJournal(file: string): FileLock {
  const options = { timeoutMs: LOCK_TIMEOUT_MS, label: 'journal append', frequent: true };
  try {
    return acquireLockSync(journalLockFile(file), options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    return acquireLockSync(journalLockFile(file), options);
  }
}

/**
 * One append under the lock: the lines waiting for `file` (outcomes, then intents, which get the
 * next serials) and, when `intent` is given, its line with the serial after them (returned), all
 * in one write. `settings` are read only for the first append of this process to the file (its
 * sweep), when not given.
 */
function append(file: string, settings: JournalSettings | undefined, secrets: readonly string[], intent?: string): number {
  const lock = lockJournal(file);
  const taken = waiting.get(file);
  waiting.delete(file);
  const queued = taken?.intents ?? [];
  try {
    if (!swept.has(file)) {
      swept.add(file);
      closeJournal(file);
      sweep(file, settings ?? journalSettings(), secrets);
    }
    const open = currentJournal(file, secrets);
    const writer = writerMembers(lock.holder);
    const texts: string[] = taken?.outcomes ?? [];
    let next = open.serial;
    for (const { text } of queued) texts.push(`{"serial":${++next},${text},${writer}}`);
    if (intent !== undefined) texts.push(`{"serial":${++next},${intent},${writer}}`);
    if (texts.length === 0) return next;
    const data = Buffer.from(`${texts.join('\n')}\n`);
    try {
      writeAll(open.fd, data);
      if (next !== open.serial) writeAll(open.counter, counterText(next), 0);
    } catch (error) {
      // A partial line (disk full) is cut off at once rather than left for the next writer.
      try {
        ftruncateSync(open.fd, open.size);
      } catch {
        /* the next append repairs it */
      }
      closeJournal(file);
      throw error;
    }
    open.size += data.length;
    const first = open.serial + 1;
    open.serial = next;
    queued.forEach((pending, i) => pending.settle(first + i));
    return next;
  } catch (error) {
    queued.forEach((pending) => pending.settle(undefined));
    throw error;
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
  flushWaiting();
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
