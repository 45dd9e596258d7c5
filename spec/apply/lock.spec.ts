/**
 * apply()'s lock and crash recovery against the emulator over loopback (jobs take 300 ms):
 * - a lock held by a live process (a child that took `<journal>.apply.lock`) makes apply() wait,
 *   say so (`onLockWait`), and fail after `lockTimeoutMs` with LockedError naming its pid and run,
 *   having sent nothing; once that process is killed (`kill -9`), its lock is taken over at once;
 * - two apply() of the same records at once: one object per record;
 * - a create whose job still runs (sent by another run, its answer journaled; or sent and never
 *   answered: the connection reset after the API carried it out) is waited for and adopted, not
 *   created a second time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import {
  apply, clearIdentityMaps, configure, flushJournal, journalPath, LockedError, request, resetConfiguration, type ApplyRecord, type LockHolder, type RecoveryWait,
} from '../../lib/index.js';
import { ROOT } from '../cli/run-bin.js';

const WAIT = { intervalMs: 20, timeoutMs: 30_000 };
const volume = (name: string): ApplyRecord => ({ type: 'Volume', name, description: 'lock spec', sizeInGb: 5, budget: 10287, dataCenter: 64351 });

let emulator: EmulatorHandle;
let lockFile: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  emulator = await startEmulator({ jobDelayMs: 300 });
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, lazy: 'async', retry: { limit: 0 } });
  lockFile = `${journalPath()}.apply.lock`;
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  resetConfiguration();
  await emulator.close();
});

// No reset between tests: the journal outlives them, and a reset emulator would hand out its job ids again.
beforeEach(async () => {
  clearIdentityMaps();
  await emulator.setFaults([]);
});

/** A process that takes the apply lock (lib/lock.ts, built) as `apply run <run>` and keeps it until killed. */
async function lockHolderProcess(run: string): Promise<ChildProcess> {
  const script = `import { acquireLock } from ${JSON.stringify(join(ROOT, 'dist/lib/lock.js'))};
await acquireLock(process.argv[1], { label: process.argv[2], timeoutMs: 0 });
process.stdout.write('held\\n');
setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, lockFile, `apply run ${run}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('held')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}): ${err}`)));
  });
  return child;
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  children.delete(child);
}

/** Live volumes by name (objects appear when their job ends: every job has ended when this is called). */
async function volumesNamed(prefix: string): Promise<string[]> {
  return (await emulator.items('infrastructure/Volume')).filter((v) => String(v.name).startsWith(prefix) && v.status !== 'DELETED').map((v) => String(v.name)).sort();
}

/** Waits until every job and state change the emulator has scheduled has happened (each poll is an API request, which advances its clock). */
async function jobsEnded(): Promise<void> {
  for (;;) {
    await request('GET', 'admin/Job');
    if ((await emulator.summary()).pendingEvents === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('apply(): one at a time per endpoint and key', () => {
  it('waits for a lock held by a live process, then fails with LockedError naming its pid and run, having sent nothing', async () => {
    const holder = await lockHolderProcess('held-by-another');
    await emulator.clearLog();
    const told: LockHolder[] = [];
    const failure = await apply([volume('lock-a')], { ...WAIT, lockTimeoutMs: 300, onLockWait: (h) => told.push(h) }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LockedError);
    const locked = failure as LockedError;
    expect(locked.holder).toMatchObject({ pid: holder.pid, label: 'apply run held-by-another' });
    expect(locked.message).toContain(`process ${holder.pid} (apply run held-by-another)`);
    expect(locked.message).toContain('gave up after 300 ms');
    expect(locked.path).toBe(lockFile);
    expect(told).toEqual([expect.objectContaining({ pid: holder.pid, label: 'apply run held-by-another' })]);
    expect(await emulator.requestLog()).toEqual([]);
    await kill9(holder);
  });

  it('takes over at once the lock of a process killed with kill -9 (lockTimeoutMs 0: no waiting)', async () => {
    const holder = await lockHolderProcess('killed');
    await kill9(holder);
    expect(existsSync(lockFile)).toBe(true);
    const result = await apply([volume('lock-b')], { ...WAIT, lockTimeoutMs: 0 });
    expect(result.done.map((d) => d.label)).toEqual(['Volume lock-b']);
    expect(existsSync(lockFile)).toBe(false);
    expect(await volumesNamed('lock-b')).toEqual(['lock-b']);
  });

  it('runs two apply() of the same records one after the other: one object per record', async () => {
    const records = [volume('lock-c1'), volume('lock-c2')];
    const waited: LockHolder[] = [];
    const [first, second] = await Promise.all([apply(records, WAIT), apply(records, { ...WAIT, onLockWait: (h) => waited.push(h) })]);
    expect([first.done.length, second.done.length].sort()).toEqual([0, 2]);
    expect(waited).toEqual([expect.objectContaining({ pid: process.pid, label: `apply run ${first.done.length ? first.run : second.run}` })]);
    expect(await volumesNamed('lock-c')).toEqual(['lock-c1', 'lock-c2']);
  });
});

describe('apply(): writes an earlier run left unfinished', () => {
  it('waits for the running job of a journaled create and adopts what it creates', async () => {
    // Another run sent the create and saw its answer (a 202 with the job), then stopped.
    const { statusCode } = await request('POST', 'infrastructure/Volume', { body: { addVolume: [{ name: 'lock-d', description: 'lock spec', sizeInGb: 5, budget: 10287, dataCenter: { dataCenterId: 64351 } }] } });
    expect(statusCode).toBe(202);
    await flushJournal();
    const waits: RecoveryWait[] = [];
    const result = await apply([volume('lock-d')], { ...WAIT, onRecoveryWait: (w) => waits.push(...w) });
    expect(waits).toEqual([expect.objectContaining({ description: 'CREATE VOLUME lock-d', writes: [expect.objectContaining({ method: 'POST', path: 'infrastructure/Volume', outcome: 'done', run: null })] })]);
    expect(result.plan.steps).toEqual([]);
    expect(result.plan.unchanged).toEqual([{ record: 0, label: 'Volume lock-d', why: 'no changes' }]);
    await jobsEnded();
    expect(await volumesNamed('lock-d')).toEqual(['lock-d']);
  });

  it('waits for the jobs that may belong to a create never answered (the connection reset after the API carried it out)', async () => {
    await emulator.setFaults([{ path: 'infrastructure/Volume', methods: ['POST'], reset: true, phase: 'after', times: 1 }]);
    const failure = await request('POST', 'infrastructure/Volume', { body: { addVolume: [{ name: 'lock-e', description: 'lock spec', sizeInGb: 5, budget: 10287, dataCenter: { dataCenterId: 64351 } }] } }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'NetworkError' });
    await emulator.setFaults([]);
    await flushJournal();
    const waits: RecoveryWait[] = [];
    const result = await apply([volume('lock-e')], { ...WAIT, onRecoveryWait: (w) => waits.push(...w) });
    expect(waits).toEqual([expect.objectContaining({ description: 'CREATE VOLUME lock-e' })]);
    expect(result.plan.steps).toEqual([]);
    await jobsEnded();
    expect(await volumesNamed('lock-e')).toEqual(['lock-e']);
  });
});
