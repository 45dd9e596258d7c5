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
 */
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
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

const held = new Map<string, { token: string }>();
let exitHook = false;

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

/** Who holds the lock at `path` now, or undefined when it is free. A torn lock file reads as `{ pid: 0 }`. */
export function lockHolder(path: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') return value as LockHolder;
  } catch {
    /* torn: its creator died between creating and writing it */
  }
  return { pid: 0, host: self.host, since: '', token: '' };
}

function tryCreate(path: string, label: string | undefined): FileLock | undefined {
  const token = randomUUID();
  const holder: LockHolder = { pid: self.pid, host: self.host, ...(self.start ? { start: self.start } : {}), since: new Date().toISOString(), ...(label !== undefined ? { label } : {}), token };
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
  held.set(path, { token });
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const [file, { token: mine }] of held) releaseFile(file, mine);
    });
  }
  return {
    path,
    holder,
    release: () => {
      if (held.get(path)?.token !== token) return;
      releaseFile(path, token);
    },
  };
}

function releaseFile(path: string, token: string): void {
  held.delete(path);
  try {
    if (lockHolder(path)?.token === token) unlinkSync(path);
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
    const holder = lockHolder(path);
    if (holder === undefined) return true;
    const dead = holder.pid === 0 ? tornAndOld(path) : !holderAlive(holder);
    if (!dead) return false;
    unlinkSync(path);
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

/** One try: the lock, or the live holder that has it. */
function attempt(path: string, label: string | undefined): FileLock | LockHolder {
  for (let i = 0; i < 3; i++) {
    const lock = tryCreate(path, label);
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
  const { token: _token, ...shown } = holder;
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
    const got = attempt(path, options.label);
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
