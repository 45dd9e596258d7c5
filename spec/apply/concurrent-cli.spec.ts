/**
 * Two `dcm apply --yes` at once (the built executable, spawned), against an emulator whose jobs take
 * 300 ms: of the same file, and of two overlapping files. Both exit 0 (the second waits for the
 * first and then finds its objects), or the second gives up with LockedError (exit 5); either way
 * the emulator holds exactly one object per record. A lock held past `--lock-timeout` exits 5
 * naming the holder's pid and run, and sends nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../cli/run-bin.js';
import { applySandbox, desiredState, details, journalFileOf, liveByName, settled, type ApplySandbox } from './emulated-cli.js';

let box: ApplySandbox;
const APPLY = ['--yes', '--allow-irreversible', '--interval', '50'];

beforeAll(async () => {
  box = await applySandbox(300);
});

afterAll(async () => {
  await box?.close();
});

/** Each run exited 0, or gave up waiting for the other with LockedError (exit 5). */
function outcomes(runs: Array<{ code: number | null; stderr: string }>): string[] {
  return runs.map((r) => (r.code === 0 ? 'applied' : r.code === 5 && /LockedError: apply: another apply .* is locked by process \d+ \(apply run [0-9a-f-]{36}\)/.test(r.stderr) ? 'locked' : `exit ${r.code}: ${r.stderr}`));
}

describe('dcm apply twice at once', () => {
  it('of the same file: one object per record', async () => {
    const file = box.file('same.yaml', desiredState('same'));
    const runs = await Promise.all([box.dcm(['apply', file, ...APPLY]), box.dcm(['apply', file, ...APPLY])]);
    expect(outcomes(runs).filter((o) => o !== 'applied' && o !== 'locked')).toEqual([]);
    expect(outcomes(runs)).toContain('applied');
    await settled(box.emulator);
    expect(await liveByName(box.emulator, 'same')).toEqual({ 'same-fw': 1, 'same-v1': 1, 'same-v2': 1, 'same-v3': 1, 'same-web': 1 });
    expect(await details(box.emulator, 'same')).toEqual({ rules: [80, 443], attached: true });
  }, 180_000);

  it('of overlapping files: one object per record', async () => {
    const first = box.file('overlap-1.yaml', desiredState('overlap', ['v1', 'v2', 'v3']));
    const second = box.file('overlap-2.yaml', desiredState('overlap', ['v1', 'v3', 'v4']));
    const runs = await Promise.all([box.dcm(['apply', first, ...APPLY]), box.dcm(['apply', second, ...APPLY])]);
    expect(outcomes(runs).filter((o) => o !== 'applied' && o !== 'locked')).toEqual([]);
    await settled(box.emulator);
    const counts = await liveByName(box.emulator, 'overlap');
    expect(Object.values(counts).every((n) => n === 1)).toBe(true);
    const applied = outcomes(runs).map((o, i) => (o === 'applied' ? i : -1)).filter((i) => i >= 0);
    const wanted = new Set(['overlap-fw', 'overlap-web', 'overlap-v1', 'overlap-v3', ...(applied.includes(0) ? ['overlap-v2'] : []), ...(applied.includes(1) ? ['overlap-v4'] : [])]);
    expect(Object.keys(counts).sort()).toEqual([...wanted].sort());
    expect(await details(box.emulator, 'overlap')).toEqual({ rules: [80, 443], attached: true });
  }, 180_000);

  it('waits for a live holder up to --lock-timeout, saying so, then exits 5 naming its pid and run, with no request sent', async () => {
    const lockFile = `${journalFileOf(box)}.apply.lock`;
    const holder = await holdLock(lockFile, 'apply run 00000000-0000-4000-8000-000000000001');
    try {
      await box.emulator.clearLog();
      const r = await box.dcm(['apply', box.file('held.yaml', desiredState('held')), ...APPLY, '--lock-timeout', '300']);
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`dcm apply: waiting for another apply of this endpoint and key to end: process ${holder.pid} (apply run 00000000-0000-4000-8000-000000000001)`);
      expect(r.stderr).toMatch(new RegExp(`LockedError: apply: another apply of this endpoint and access key is running: .* is locked by process ${holder.pid} \\(apply run 00000000-0000-4000-8000-000000000001\\).*gave up after 300 ms`));
      expect(r.stderr).not.toContain('internal error');
      expect(await box.emulator.requestLog()).toEqual([]);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 60_000);
});

/** A process that holds the lock (lib/lock.ts, built) until it is killed. */
async function holdLock(path: string, label: string): Promise<ChildProcess> {
  const script = `import { acquireLock } from ${JSON.stringify(join(ROOT, 'dist/lib/lock.js'))};
await acquireLock(process.argv[1], { label: process.argv[2], timeoutMs: 0 });
process.stdout.write('held\\n');
setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, path, label], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('held')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return child;
}
