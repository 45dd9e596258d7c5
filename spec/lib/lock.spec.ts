import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireLock, acquireLockSync, lockHolder } from '../../lib/lock.js';
import { LockedError } from '../../lib/errors.js';
import { runProcess } from '../support/run-process.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'scripts', 'lock-holder.mjs');

/** A child that holds the lock (or, for `frequent-released`, has taken and released it) until killed; resolves once it says so. */
function holder(path: string, mode?: 'frequent' | 'frequent-released'): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, path, ...(mode ? [mode] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (/held|released/.test(chunk.toString())) resolve(child);
    });
  });
}

/** The holder files kept beside the lock at `path` (frequent locks). */
function holderFiles(path: string): string[] {
  return readdirSync(dirname(path)).filter((name) => name.startsWith(`${basename(path)}.`) && name.endsWith('.holder'));
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('cross-process file locks (lib/lock.ts)', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mixcoatl-lock-'));
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(killed));
    rmSync(dir, { recursive: true, force: true });
  });

  it('is held by one taker at a time, in this process too, and the file is 0600', async () => {
    const path = join(dir, 'a.lock');
    const lock = await acquireLock(path, { label: 'first' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const error = (await acquireLock(path, { timeoutMs: 0 }).catch((e: unknown) => e)) as LockedError;
    expect(error).toBeInstanceOf(LockedError);
    expect(error.code).toBe('ELOCKED');
    expect(error.holder.pid).toBe(process.pid);
    expect(error.holder.label).toBe('first');
    expect(error.holder).not.toHaveProperty('token');
    expect(error.message).toContain(`process ${process.pid} (first)`);
    lock.release();
    lock.release();
    expect(lockHolder(path)).toBeUndefined();
    acquireLockSync(path, { timeoutMs: 0 }).release();
  });

  it('waits for a live holder in another process, names it, and takes the lock over at once when it is killed', async () => {
    const path = join(dir, 'b.lock');
    const child = await holder(path);
    children.push(child);
    const waited: number[] = [];
    const error = (await acquireLock(path, { timeoutMs: 50, onWait: (h) => waited.push(h.pid) }).catch((e: unknown) => e)) as LockedError;
    expect(error).toBeInstanceOf(LockedError);
    expect(error.holder.pid).toBe(child.pid);
    expect(error.message).toContain('(holder script)');
    expect(waited).toEqual([child.pid]);
    expect(() => acquireLockSync(path, { timeoutMs: 0 })).toThrow(LockedError);
    await killed(child);
    // timeoutMs 0: a single try, which succeeds only because the dead holder is taken over at once.
    const lock = acquireLockSync(path, { timeoutMs: 0, label: 'after' });
    expect(lockHolder(path)?.pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock file left torn by a holder that died while writing it, but not a fresh one', () => {
    const path = join(dir, 'c.lock');
    writeFileSync(path, '');
    expect(() => acquireLockSync(path, { timeoutMs: 0 })).toThrow(/still writing it/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    acquireLockSync(path, { timeoutMs: 0 }).release();
  });

  it('removes a take-over guard left by a process that died during a take-over', async () => {
    const path = join(dir, 'd.lock');
    const dead = await runProcess(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(path, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: 'x' }));
    const guard = `${path}.takeover`;
    mkdirSync(guard);
    const old = new Date(Date.now() - 60_000);
    utimesSync(guard, old, old);
    const lock = await acquireLock(path, { timeoutMs: 10_000 });
    expect(lockHolder(path)?.pid).toBe(process.pid);
    lock.release();
  });

  it('keeps the count right when two processes increment a shared file 300 times each under the lock', async () => {
    const path = join(dir, 'e.lock');
    const counter = join(dir, 'counter');
    writeFileSync(counter, '0');
    const runs = await Promise.all([1, 2].map(() => runProcess(process.execPath, [SCRIPT, path, `count:${counter}:300`])));
    for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(counter, 'utf8')).toBe('600');
    expect(lockHolder(path)).toBeUndefined();
  });

  it('frequent: each acquisition links one kept holder file (0600, removed at exit); the holder is named to waiters', async () => {
    const path = join(dir, 'g.lock');
    const first = acquireLockSync(path, { label: 'often', frequent: true });
    const kept = holderFiles(path);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(new RegExp(`^g\\.lock\\.${process.pid}-[0-9a-f]{8}\\.holder$`));
    expect(statSync(path).ino).toBe(statSync(join(dir, kept[0])).ino);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const error = (await acquireLock(path, { timeoutMs: 0 }).catch((e: unknown) => e)) as LockedError;
    expect(error).toBeInstanceOf(LockedError);
    expect(error.holder).toMatchObject({ pid: process.pid, label: 'often' });
    expect(error.holder).not.toHaveProperty('file');
    expect(Date.parse(error.holder.since)).toBeGreaterThan(0);
    first.release();
    expect(lockHolder(path)).toBeUndefined();
    for (let i = 0; i < 5; i++) acquireLockSync(path, { label: 'often', frequent: true }).release();
    expect(holderFiles(path)).toEqual(kept);
    // Another process's kept file goes when it exits.
    writeFileSync(join(dir, 'g.count'), '0');
    const run = await runProcess(process.execPath, [SCRIPT, path, `count:${join(dir, 'g.count')}:3:frequent`]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(dir, 'g.count'), 'utf8')).toBe('3');
    expect(holderFiles(path)).toEqual(kept);
  });

  it('frequent: a holder killed while holding is taken over at once, its kept file removed; one killed after releasing is cleaned up', async () => {
    const path = join(dir, 'h.lock');
    const child = await holder(path, 'frequent');
    children.push(child);
    expect(lockHolder(path)?.pid).toBe(child.pid);
    expect(() => acquireLockSync(path, { timeoutMs: 0, frequent: true })).toThrow(LockedError);
    await killed(child);
    expect(holderFiles(path).filter((name) => name.includes(`.${child.pid}-`))).toHaveLength(1);
    const lock = acquireLockSync(path, { timeoutMs: 0, frequent: true });
    expect(lockHolder(path)?.pid).toBe(process.pid);
    expect(holderFiles(path).filter((name) => !name.includes(`.${process.pid}-`))).toEqual([]);
    lock.release();
    // Killed after releasing: its kept file is left, and removed by the next process that takes the lock.
    const other = await holder(join(dir, 'i.lock'), 'frequent-released');
    children.push(other);
    await killed(other);
    expect(holderFiles(join(dir, 'i.lock'))).toHaveLength(1);
    writeFileSync(join(dir, 'i.count'), '0');
    const run = await runProcess(process.execPath, [SCRIPT, join(dir, 'i.lock'), `count:${join(dir, 'i.count')}:1:frequent`]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(holderFiles(join(dir, 'i.lock'))).toEqual([]);
  });

  it('frequent: two processes incrementing a shared file 300 times each keep the count right', async () => {
    const path = join(dir, 'j.lock');
    const counter = join(dir, 'counter');
    writeFileSync(counter, '0');
    const runs = await Promise.all([1, 2].map(() => runProcess(process.execPath, [SCRIPT, path, `count:${counter}:300:frequent`])));
    for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(counter, 'utf8')).toBe('600');
    expect(lockHolder(path)).toBeUndefined();
    expect(holderFiles(path)).toEqual([]);
  });

  it('refuses a timeout that is not a number of milliseconds', async () => {
    await expect(acquireLock(join(dir, 'f.lock'), { timeoutMs: -1 })).rejects.toThrow(/lock timeout must be/);
    expect(() => acquireLockSync(join(dir, 'f.lock'), { timeoutMs: Number.NaN })).toThrow(/lock timeout must be/);
  });
});
