/**
 * `dcm job wait <jobId>` (following a job started elsewhere) and how `--wait` reports a failed
 * job: built and spawned against the emulator.
 */
import { lines, runBin, sandbox, type Sandbox } from './run-bin.js';

let box: Sandbox;

beforeAll(async () => {
  box = await sandbox();
});

afterAll(async () => {
  await box?.close();
});

const dcm = (args: string[]) => runBin('dcm', args, { env: box.env });

/** Starts an action without --wait and returns the job id it printed. */
async function startJob(args: string[]): Promise<number> {
  const r = await dcm([...args, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).jobId as number;
}

describe('dcm job wait', () => {
  it('follows a job started by another command until COMPLETE, with progress, then prints the job', async () => {
    const started = await dcm(['server', 'pause', '325841']);
    expect(started.stderr).toMatch(/; dcm job wait (\d+) to wait for it\n$/);
    const jobId = Number(/dcm job wait (\d+)/.exec(started.stderr)?.[1]);
    const r = await dcm(['job', 'wait', String(jobId), '--interval', '0']);
    expect(r.code).toBe(0);
    expect(lines(r.stderr).at(-1)).toMatch(new RegExp(`^Job ${jobId}: COMPLETE \\(\\d+s\\)$`));
    expect(JSON.parse(r.stdout)).toMatchObject({ jobId, status: 'COMPLETE' });
    expect((await dcm(['server', 'describe', '325841', '--field', 'status'])).stdout).toBe('PAUSED\n');
  });

  it('exits 7 with the job\'s message when the job ends in ERROR', async () => {
    const jobId = await startJob(['server', 'stop', '331810', '--reason', '[fail] from another shell']);
    const r = await dcm(['job', 'wait', String(jobId), '--interval', '0']);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr).at(-1)).toMatch(new RegExp(`^dcm: JobFailedError: job ${jobId} .*ended in ERROR: Simulated failure: reason contains \\[fail\\]$`));
    expect(lines(r.stderr).filter((line) => line.includes('Simulated failure'))).toHaveLength(1);
  });

  it('a job that does not exist exits 4; a bad identifier is a usage error', async () => {
    const missing = await dcm(['job', 'wait', '999999', '--interval', '0']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^dcm: NotFoundError: /m);
    const bad = await dcm(['job', 'wait', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('dcm: UsageError: job wait: <jobId> must be a numeric identifier, got "abc"\n');
  });

  it('is listed among the job verbs', async () => {
    const r = await dcm(['job', '--help']);
    expect(r.stdout).toMatch(/^ {2}wait <jobId>/m);
  });
});

describe('--wait on a failing job', () => {
  it('reports the failure once: no progress line repeats the error', async () => {
    const r = await dcm(['server', 'stop', '331810', '--reason', '[fail] on purpose', '--wait', '--interval', '0']);
    expect(r.code).toBe(7);
    const failures = lines(r.stderr).filter((line) => line.includes('Simulated failure'));
    expect(failures).toEqual([expect.stringMatching(/^dcm: JobFailedError: job \d+ .*ended in ERROR: Simulated failure/)]);
    expect(r.stderr).not.toMatch(/failed: /);
  });
});
