/**
 * Actions over a query against the emulator seeded with 200 extra servers, every request counted
 * in the emulator's log: one listing, one PUT per matching server, at most one job listing per
 * round of the wait, no write in a dry run, failures as outcomes.
 */
import { clearIdentityMaps, configure, Job, JobFailedError, resetConfiguration, Server, type BulkProgress } from '../../lib/index.js';
import { startEmulatorInWorker, type EmulatorHandle, type RequestLogEntry } from '../../lib/emulator/index.js';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulatorInWorker({ port: 0, jobDelayMs: 0, servers: 200 });
});
afterAll(() => emu.close());
beforeEach(async () => {
  configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, retry: { limit: 0 } });
  clearIdentityMaps();
  await emu.reset();
});
afterEach(() => resetConfiguration());

function counts(log: RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of log) {
    const key = `${e.method} ${e.resource.replace(/\/\d+$/, '/<id>')}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

async function serverStatuses(): Promise<Map<number, string>> {
  return new Map((await emu.items('infrastructure/Server')).map((s) => [s.serverId as number, s.status as string]));
}

describe('Server.where(query).stop()', () => {
  it('stops every matching server and no other: 1 listing, one PUT per server, one job listing per round', async () => {
    const before = await serverStatuses();
    const running = [...before].filter(([, status]) => status === 'RUNNING').map(([id]) => id);
    expect(running.length).toBeGreaterThan(150);
    await emu.clearLog();
    const rounds: BulkProgress[] = [];
    const result = await Server.where({ status: 'RUNNING' }).stop({ reason: 'tonight' }, { concurrency: 8, wait: true, intervalMs: 0, onProgress: (p) => { if (p.phase === 'wait') rounds.push(p); } });

    expect(result.totals).toEqual({ matched: running.length, done: running.length, failed: 0, planned: 0, skipped: 0 });
    expect(result.outcomes.map((o) => o.object.id).sort()).toEqual([...running].sort());
    for (const outcome of result.outcomes) expect(outcome.job).toBeInstanceOf(Job);
    const after = await serverStatuses();
    for (const [id, status] of before) expect(after.get(id)).toBe(status === 'RUNNING' ? 'STOPPED' : status);

    const log = await emu.requestLog();
    expect(counts(log)).toEqual({ 'GET infrastructure/Server': 1, 'PUT infrastructure/Server/<id>': running.length, 'GET admin/Job': rounds.length });
    expect(new Set(log.filter((e) => e.method === 'PUT').map((e) => Number(e.resource.split('/')[2])))).toEqual(new Set(running));
    expect(rounds.length).toBeGreaterThanOrEqual(1);
    expect(rounds[rounds.length - 1]).toMatchObject({ total: running.length, ended: running.length, failed: 0 });
    // Every write of the run is one run in the journal.
    expect(result.run).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a dry run lists the objects and the exact requests, and sends no write', async () => {
    const before = await serverStatuses();
    await emu.clearLog();
    const result = await Server.where({ status: 'RUNNING' }).stop({ reason: 'tonight' }, { dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.totals.planned).toBe(result.totals.matched);
    expect(result.totals.matched).toBeGreaterThan(150);
    const first = result.outcomes[0];
    expect(first.request).toEqual({ method: 'PUT', path: `infrastructure/Server/${String(first.object.id)}`, body: { stop: [{ reason: 'tonight' }] } });
    expect(counts(await emu.requestLog())).toEqual({ 'GET infrastructure/Server': 1 });
    expect(await serverStatuses()).toEqual(before);
  });

  it('with a fault on every 10th server, the outcome lists exactly those as failed and the rest as done', async () => {
    const running = (await Server.find({ status: 'RUNNING' })).map((s) => s.id as number);
    const faulty = running.filter((_, i) => i % 10 === 9);
    await emu.setFaults(faulty.map((id) => ({ path: `infrastructure/Server/${id}`, methods: ['PUT'], status: 500, message: `no stop for ${id}` })));
    clearIdentityMaps();
    await emu.clearLog();
    const result = await Server.where({ status: 'RUNNING' }).stop({}, { concurrency: 8, wait: true, intervalMs: 0 });
    const failed = result.outcomes.filter((o) => o.status === 'failed');
    expect(failed.map((o) => o.object.id).sort()).toEqual([...faulty].sort());
    for (const o of failed) expect(String(o.error)).toContain(`no stop for ${String(o.object.id)}`);
    expect(result.totals).toMatchObject({ matched: running.length, done: running.length - faulty.length, failed: faulty.length });
    expect(counts(await emu.requestLog())['PUT infrastructure/Server/<id>']).toBe(running.length);
  });

  it('a job that ends in ERROR is a failed outcome carrying the JobFailedError', async () => {
    const [first, second] = (await Server.find({ status: 'RUNNING' })).slice(0, 2);
    clearIdentityMaps();
    // The emulator ends a job in ERROR when the reason contains [fail].
    const result = await Server.where({ serverId: (v: number) => v === first.id || v === second.id }).stop({ reason: 'test [fail]' }, { wait: true, intervalMs: 0 });
    expect(result.totals).toMatchObject({ matched: 2, done: 0, failed: 2 });
    for (const outcome of result.outcomes) {
      expect(outcome.error).toBeInstanceOf(JobFailedError);
      expect(outcome.job).toBe((outcome.error as JobFailedError).job);
      expect(outcome.object.lastError).toBe(outcome.error);
    }
  });

  it('an empty set sends one listing and nothing else', async () => {
    await emu.clearLog();
    const result = await Server.where({ name: 'no-such-server-anywhere', status: 'RUNNING' }).terminate({ reason: 'gone' });
    expect(result.totals).toEqual({ matched: 0, done: 0, failed: 0, planned: 0, skipped: 0 });
    expect(counts(await emu.requestLog())).toEqual({ 'GET infrastructure/Server': 1 });
  });

  it('refuses bad bulk options before any request', async () => {
    await emu.clearLog();
    await expect(Server.where({ status: 'RUNNING' }).stop({}, { concurrency: 0 })).rejects.toThrow('Server.where(…).stop(): concurrency must be a whole number ≥ 1, got 0');
    await expect(Server.where({ status: 'RUNNING' }).stop({}, { paralel: 2 } as never)).rejects.toThrow(/unknown bulk option paralel; known: concurrency/);
    expect(await emu.requestLog()).toEqual([]);
  });
});

describe('Job.waitAll()', () => {
  it('waits for many jobs with one job listing per round, never one GET per job', async () => {
    const servers = (await Server.find({ status: 'RUNNING' })).slice(0, 30);
    const jobs = [];
    for (const server of servers) jobs.push(await server.stop());
    await emu.clearLog();
    let rounds = 0;
    const outcomes = await Job.waitAll(jobs, { intervalMs: 0, onProgress: (p) => { rounds = p.rounds; } });
    expect(outcomes.map((o) => o.status)).toEqual(jobs.map(() => 'COMPLETE'));
    expect(outcomes.map((o) => o.job)).toEqual(jobs);
    expect(counts(await emu.requestLog())).toEqual({ 'GET admin/Job': rounds });
    // Ended and read in full: a second wait costs nothing.
    await emu.clearLog();
    expect((await Job.waitAll(jobs)).every((o) => o.status === 'COMPLETE')).toBe(true);
    expect(await emu.requestLog()).toEqual([]);
  });

  it('gives TIMEOUT outcomes past the deadline instead of rejecting', async () => {
    await emu.setFaults([{ path: 'admin/Job', latencyMs: 400 }]);
    const [server] = await Server.find({ status: 'RUNNING' });
    const job = await server.stop();
    const [outcome] = await Job.waitAll([job], { intervalMs: 0, timeoutMs: 50 });
    expect(outcome.status).toBe('TIMEOUT');
    expect(outcome.error?.message).toMatch(/^job \d+ .*still RUNNING after 50 ms$/);
  });
});
