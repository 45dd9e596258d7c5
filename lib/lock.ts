/**
 * Cross-process locks on a file, owned by a live process: the journal's appends, `apply()` (one at
 * a time per endpoint and access key) and the emulator's state file use them.
 *
 * - The lock is a small file `<path>` created with `O_EXCL` (mode 0600), holding who has it: pid,
 *   host, the process's start time (so a reused pid is not taken for the holder), when, and a
 *   label (an apply run, say). Whoever creates the file holds the lock.
 * - A holder is never timed out while it lives: a process whose event loop is blocked for minutes
 *   keeps its lock (time-based staleness would hand it to another process, and two writers would
 *   then share it). A lock whose holder has died (`kill -9`, a crash) on this host is taken over at
 *   once; the take-over runs under a second, short-lived guard (`<path>.takeover`, a directory) and
 *   synchronously, so two contenders never both take it, and a fresh holder is never removed.
 * - A lock held by a process of another host is never taken over: the waiter times out naming it.
 * - Locks still held when the process exits normally are released (an `exit` hook).
 *
 * Acquiring waits (asynchronously, or blocking the thread for the synchronous form) with a short
 * back-off until the lock is free or `timeoutMs` has passed; then it fails with a `LockedError`
 * naming the holder.
 *
 * A lock this process takes again and again (the journal takes one around every append) is taken
 * with `frequent`: the holder's file is written once, beside the lock
 * (`<path>.<pid>-<id>.holder`, the same holder record), and each acquisition is one hard link of
 * it to `<path>`, a few times cheaper than making a file (no inode is made or freed). Release
 * removes the link only when `<path>` is still that inode, which the kept file pins. The holder's
 * file is removed when the process exits; one left by a process that was killed is removed by the
 * next process that takes the lock (with the lock itself, when it was held). On a file system
 * without hard links the lock falls back to making the file.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { LockedError, type LockHolder } from './errors.js';

export type { LockHolder } from './errors.js';

/** How a lock is taken. */
export interface LockOptions {
  /** Shown to whoever waits for the lock (an apply run, a program name). */
  label?: string;
  /** How long to wait for a live holder (default 10 000 ms; 0 = try once). */
  timeoutMs?: number;
  /** Told once, when the lock is held by another live process and the caller starts waiting. */
  onWait?: (holder: LockHolder) => void;
  /** Stops waiting (the promise rejects with the signal's reason). Async form only. */
  signal?: AbortSignal;
  /**
   * The lock is taken again and again by this process: each acquisition links a holder file kept
   * for the process's lifetime instead of making the lock file (see the module's description).
   */
  frequent?: boolean;
}

/** A lock held by this process. */
export interface FileLock {
  /** The lock file. */
  readonly path: string;
  /** Who holds it (this process). */
  readonly holder: LockHolder;
  /** Releases the lock (idempotent; never throws). */
  release(): void;
}

/** A guard left by a process that died during a take-over is removed after this long. */
const GUARD_STALE_MS = 2_000;
const DEFAULT_TIMEOUT_MS = 10_000;

/** The start time of a process (Linux: field 22 of /proc/<pid>/stat), or undefined. */
function startOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

const self = { pid: process.pid, host: hostname(), start: startOf(process.pid) };

/** Whether the holder is a live process of this host (a holder elsewhere counts as alive). */
export function holderAlive(holder: LockHolder): boolean {
  if (holder.host !== self.host) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (holder.start === undefined) return true;
  const start = startOf(holder.pid);
  return start === undefined || start === holder.start;
}

/** A holder record as stored: a linked holder's record also names its kept file. */
type StoredHolder = LockHolder & { file?: string };

/** Who holds the lock at `path` now, or undefined when it is free. A torn lock file reads as `{ pid: 0 }`. */
export function lockHolder(path: string): LockHolder | undefined {
  const stored = storedHolder(path);
  if (stored === undefined) return undefined;
  const { file: _file, ...holder } = stored;
  return holder;
}

function storedHolder(path: string): StoredHolder | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let text: string;
  let changed: Date;
  try {
    const chunks: Buffer[] = [];
    const buffer = Buffer.alloc(4096);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) chunks.push(Buffer.from(buffer.subarray(0, n)));
    text = Buffer.concat(chunks).toString('utf8');
    changed = fstatSync(fd).ctime;
  } finally {
    closeSync(fd);
  }
  try {
    const value = JSON.parse(text) as Partial<StoredHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') {
      // A linked holder's record is written once; the lock was taken when the link was made.
      return value.file !== undefined ? { ...(value as StoredHolder), since: changed.toISOString() } : (value as StoredHolder);
    }
  } catch {
    /* torn: its creator died between creating and writing it */
  }
  return { pid: 0, host: self.host, since: '', token: '' };
}

function newHolder(label: string | undefined): LockHolder & { token: string } {
  return { pid: self.pid, host: self.host, ...(self.start ? { start: self.start } : {}), since: new Date().toISOString(), ...(label !== undefined ? { label } : {}), token: randomUUID() };
}

/** Locks this process holds, by path: how to tell the lock is still its own, and how to let it go. */
const held = new Map<string, { owns: () => boolean }>();
/** Holder files kept for `frequent` locks, by lock path. */
const kept = new Map<string, { file: string; ino: number; label: string | undefined; holder: LockHolder }>();
let exitHook = false;
/** Set once the exit hook has run: a lock taken after it (another exit listener's) keeps no holder file. */
let exited = false;

function onExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    exited = true;
    for (const [path, entry] of held) releaseFile(path, entry.owns);
    for (const { file } of kept.values()) removeQuietly(file);
    kept.clear();
  });
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function holding(path: string, holder: LockHolder, owns: () => boolean): FileLock {
  const entry = { owns };
  held.set(path, entry);
  onExit();
  return {
    path,
    holder,
    release: () => {
      if (held.get(path) !== entry) return;
      releaseFile(path, owns);
    },
  };
}

function tryCreate(path: string, label: string | undefined): FileLock | undefined {
  const holder = newHolder(label);
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return holding(path, holder, () => lockHolder(path)?.token === holder.token);
}

/** Link errors that mean the file system has no hard links (the lock then makes its file). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);
const unlinkable = new Set<string>();

/** The name of a holder file kept beside the lock at `path` (by this module: checked before removing one). */
function isHolderFileOf(path: string, name: string): boolean {
  return name.startsWith(`${basename(path)}.`) && name.endsWith('.holder') && !name.includes('/') && !name.includes('\\');
}

/** This process's kept holder file for `path` (made, 0600, on first use or when the label changes). */
function keptHolder(path: string, label: string | undefined): { file: string; ino: number; holder: LockHolder } {
  const known = kept.get(path);
  if (known && known.label === label) return known;
  if (known) {
    removeQuietly(known.file);
    kept.delete(path);
  } else removeDeadHolders(path);
  const holder = newHolder(label);
  const name = `${basename(path)}.${self.pid}-${holder.token.slice(0, 8)}.holder`;
  const file = join(dirname(path), name);
  const fd = openSync(file, 'wx', 0o600);
  let ino: number;
  try {
    writeSync(fd, JSON.stringify({ ...holder, file: name }));
    ino = fstatSync(fd).ino;
  } finally {
    closeSync(fd);
  }
  const entry = { file, ino, label, holder };
  kept.set(path, entry);
  onExit();
  return entry;
}

/**
 * Removes holder files left beside `path` by processes of this host that died (once per path and
 * process); one still linked as the lock is left to the take-over.
 */
function removeDeadHolders(path: string): void {
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!isHolderFileOf(path, name)) continue;
    const file = join(dirname(path), name);
    try {
      const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredHolder>;
      if (typeof holder.pid !== 'number' || holder.host !== self.host || holderAlive(holder as LockHolder)) continue;
      if (statSync(file).nlink === 1) unlinkSync(file);
    } catch {
      /* being written, or gone */
    }
  }
}

/** One try of a `frequent` lock: a hard link of the kept holder file to `path`. */
function tryLink(path: string, label: string | undefined): FileLock | undefined | 'no links' {
  for (let again = 0; ; again++) {
    const holder = keptHolder(path, label);
    try {
      linkSync(holder.file, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return undefined;
      if (NO_LINKS.has(code)) return 'no links';
      // The kept file was removed behind this process's back: make it again, once.
      if (code === 'ENOENT' && again === 0 && kept.get(path) === holder) {
        kept.delete(path);
        try {
          statSync(dirname(path));
        } catch {
          throw error;
        }
        continue;
      }
      throw error;
    }
    return holding(path, holder.holder, () => statSync(path).ino === holder.ino);
  }
}

function releaseFile(path: string, owns: () => boolean): void {
  held.delete(path);
  try {
    if (owns()) unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** Whether a torn lock file is old enough to be its dead creator's (not one being written now). */
function tornAndOld(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > GUARD_STALE_MS;
  } catch {
    return true;
  }
}

/**
 * Removes the lock at `path` if its holder is dead, under the take-over guard; returns whether the
 * caller should try to create it again at once. Synchronous from start to end: no other code of
 * this process runs while the guard is held.
 */
function takeOverIfDead(path: string): boolean {
  const guard = `${path}.takeover`;
  try {
    mkdirSync(guard, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(guard).mtimeMs > GUARD_STALE_MS) rmdirSync(guard);
    } catch {
      /* another contender removed it */
    }
    return false;
  }
  try {
    const holder = storedHolder(path);
    if (holder === undefined) return true;
    const dead = holder.pid === 0 ? tornAndOld(path) : !holderAlive(holder);
    if (!dead) return false;
    unlinkSync(path);
    if (typeof holder.file === 'string' && isHolderFileOf(path, holder.file)) removeQuietly(join(dirname(path), holder.file));
    return true;
  } catch {
    return false;
  } finally {
    try {
      rmdirSync(guard);
    } catch {
      /* removed as stale by another contender */
    }
  }
}

/** Takes the lock if it is free: a link of the kept holder file for a `frequent` lock, else a new file. */
function tryTake(path: string, label: string | undefined, frequent: boolean): FileLock | undefined {
  if (frequent && !exited && !unlinkable.has(path)) {
    const linked = tryLink(path, label);
    if (linked !== 'no links') return linked;
    unlinkable.add(path);
  }
  return tryCreate(path, label);
}

/** One try: the lock, or the live holder that has it. */
function attempt(path: string, label: string | undefined, frequent: boolean): FileLock | LockHolder {
  for (let i = 0; i < 3; i++) {
    const lock = tryTake(path, label, frequent);
    if (lock) return lock;
    if (!takeOverIfDead(path)) break;
  }
  return lockHolder(path) ?? { pid: 0, host: self.host, since: '', token: '' };
}

function isLock(value: FileLock | LockHolder): value is FileLock {
  return typeof (value as FileLock).release === 'function';
}

function checkTimeout(timeoutMs: number | undefined): number {
  const ms = timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(typeof ms === 'number' && ms >= 0 && Number.isFinite(ms))) throw new TypeError(`lock timeout must be a number of milliseconds ≥ 0, got ${JSON.stringify(timeoutMs)}`);
  return ms;
}

/** A holder in words: `process 4242 (apply run …), since …` (its host too, when not this one). */
export function describeHolder(holder: LockHolder): string {
  return `process ${holder.pid}${holder.host !== self.host ? ` on ${holder.host}` : ''}${holder.label ? ` (${holder.label})` : ''}${holder.since ? `, since ${holder.since}` : ''}`;
}

function timedOut(path: string, holder: LockHolder, ms: number): LockedError {
  const who = holder.pid ? describeHolder(holder) : 'a process that is still writing it';
  return new LockedError({ message: `${path} is locked by ${who}; gave up after ${ms} ms`, path, holder: publicHolder(holder) });
}

function publicHolder(holder: LockHolder): LockHolder {
  const { token: _token, file: _file, ...shown } = holder as StoredHolder;
  return shown;
}

/** Back-off between tries: 2, 4, 8 … 100 ms. */
function pause(tries: number): number {
  return Math.min(100, 2 ** Math.min(tries, 7));
}

/**
 * The tries of one acquisition: each call takes the lock, or returns how long to wait before the
 * next try; throws LockedError once `timeoutMs` has passed. The holder is told to `onWait` once.
 */
function tries(path: string, options: LockOptions): () => FileLock | number {
  const ms = checkTimeout(options.timeoutMs);
  const deadline = Date.now() + ms;
  let told = false;
  let count = 0;
  return () => {
    const got = attempt(path, options.label, options.frequent === true);
    if (isLock(got)) return got;
    if (Date.now() >= deadline) throw timedOut(path, got, ms);
    if (!told && got.pid) {
      told = true;
      options.onWait?.(publicHolder(got));
    }
    return Math.min(pause(count++), Math.max(1, deadline - Date.now()));
  };
}

/** Takes the lock at `path`, waiting asynchronously while a live process holds it. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<FileLock> {
  const next = tries(path, options);
  const { signal } = options;
  for (;;) {
    signal?.throwIfAborted();
    const got = next();
    if (typeof got !== 'number') return got;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(done, got);
      function done(): void {
        signal?.removeEventListener('abort', stop);
        resolve();
      }
      function stop(): void {
        clearTimeout(timer);
        reject(signal?.reason);
      }
      signal?.addEventListener('abort', stop, { once: true });
    });
  }
}

let sleeper: Int32Array | undefined;

/** Takes the lock at `path`, blocking this thread while a live process holds it. */
export function acquireLockSync(path: string, options: Omit<LockOptions, 'signal'> = {}): FileLock {
  const next = tries(path, options);
  for (;;) {
    const got = next();
    if (typeof got !== 'number') return got;
    sleeper ??= new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(sleeper, 0, 0, got);
  }
}
