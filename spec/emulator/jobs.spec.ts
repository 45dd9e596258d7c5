/**
 * Jobs and the server state machine: 202 bodies, RUNNING → COMPLETE with
 * the new id as a string, RUNNING → ERROR with the error text, PENDING → RUNNING → STOPPING →
 * STOPPED, PAUSED, TERMINATED, on the step clock (jobDelayMs 0) and on a timed clock.
 */
import { jest } from '@jest/globals';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { api, getOne, jobIdOf, settleJob, type Target } from '../support/emulator-http.js';

const LAUNCH = {
  product: { productId: 'm1.small' }, budget: 10287, machineImage: { machineImageId: 284831 },
  description: 'jobs spec server', name: 'jobs-spec-1', dataCenter: { dataCenterId: 64351 },
};

async function launch(target: Target, overrides: Record<string, unknown> = {}): Promise<number> {
  const res = await api(target, 'POST', 'infrastructure/Server', { body: { launch: [{ ...LAUNCH, ...overrides }] } });
  expect(res.status).toBe(202);
  expect(res.json).toEqual({ jobs: [{ jobId: expect.any(Number), status: 'RUNNING' }] });
  return jobIdOf(res);
}

describe('emulator: jobs and the server state machine (jobDelayMs 0: one step per request)', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator(); });
  afterAll(() => emu.close());

  it('runs a launch job RUNNING → COMPLETE, message = new server id, server PENDING → RUNNING', async () => {
    const jobId = await launch(emu);
    const running = await getOne(emu, `admin/Job/${jobId}`);
    // The GET itself advanced the clock: the event scheduled by the POST has now run.
    expect(running.status).toBe('COMPLETE');
    expect(running.description).toBe('Launch Server jobs-spec-1');
    expect(running.message).toMatch(/^\d+$/);
    expect(running.startDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(running.endDate).toMatch(/\+0000$/);
    const serverId = Number(running.message);
    const pending = await getOne(emu, `infrastructure/Server/${serverId}`);
    // Settling to RUNNING was scheduled by the previous step, so it runs on this request.
    expect(['PENDING', 'RUNNING']).toContain(pending.status);
    const server = await getOne(emu, `infrastructure/Server/${serverId}`);
    expect(server).toMatchObject({
      serverId, name: 'jobs-spec-1', status: 'RUNNING', dataCenter: { dataCenterId: 64351 }, region: { regionId: 19344 },
      machineImage: { machineImageId: 284831 }, providerProductId: 'm1.small', budget: 10287,
    });
    expect(server.providerId).toMatch(/^i-[0-9a-f]{8}$/);
  });

  it('shows a new job as RUNNING before the clock advances', async () => {
    const jobId = await launch(emu, { name: 'jobs-spec-listed' });
    // A HEAD advances the clock too; a control-route read does not, so read the job's raw record.
    const job = (await emu.items('admin/Job')).find((j) => j.jobId === jobId);
    expect(job).toMatchObject({ status: 'RUNNING', message: '' });
    expect(job?.endDate).toBeUndefined();
    expect((await settleJob(emu, jobId)).status).toBe('COMPLETE');
  });

  it('walks stop → STOPPING → STOPPED, start → PENDING → RUNNING, pause → PAUSED, terminate → TERMINATED', async () => {
    const serverId = Number((await settleJob(emu, await launch(emu, { name: 'jobs-spec-cycle' }))).message);
    await getOne(emu, `infrastructure/Server/${serverId}`); // settle to RUNNING
    expect((await getOne(emu, `infrastructure/Server/${serverId}`)).status).toBe('RUNNING');

    const stop = await api(emu, 'PUT', `infrastructure/Server/${serverId}`, { body: { stop: [{ reason: 'nightly' }] } });
    expect((await emu.items('infrastructure/Server')).find((s) => s.serverId === serverId)?.status).toBe('STOPPING');
    const stopped = await settleJob(emu, jobIdOf(stop));
    expect(stopped).toMatchObject({ status: 'COMPLETE', message: '', description: 'Stop Server jobs-spec-cycle' });
    const s1 = await getOne(emu, `infrastructure/Server/${serverId}`);
    expect(s1.status).toBe('STOPPED');
    expect(s1.stopDate).toMatch(/\+0000$/);

    const start = await api(emu, 'PUT', `infrastructure/Server/${serverId}`, { body: { start: [{}] } });
    expect((await emu.items('infrastructure/Server')).find((s) => s.serverId === serverId)?.status).toBe('PENDING');
    await settleJob(emu, jobIdOf(start));
    expect((await getOne(emu, `infrastructure/Server/${serverId}`)).status).toBe('RUNNING');

    const pause = await api(emu, 'PUT', `infrastructure/Server/${serverId}`, { body: { pause: [{}] } });
    await settleJob(emu, jobIdOf(pause));
    expect((await getOne(emu, `infrastructure/Server/${serverId}`)).status).toBe('PAUSED');

    const del = await api(emu, 'DELETE', `infrastructure/Server/${serverId}`, { query: { reason: 'done' } });
    await settleJob(emu, jobIdOf(del));
    const gone = await getOne(emu, `infrastructure/Server/${serverId}`);
    expect(gone.status).toBe('TERMINATED');
    const again = await api(emu, 'PUT', `infrastructure/Server/${serverId}`, { body: { start: [{}] } });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/TERMINATED/);
  });

  it('answers 409 for an invalid transition', async () => {
    const invalid = await api(emu, 'PUT', 'infrastructure/Server/331810', { body: { start: [{}] } });
    expect(invalid.status).toBe(409);
    expect(invalid.json.error.message).toBe('Server 331810 is RUNNING; start requires STOPPED or PAUSED');
  });

  it('ends a launch job in ERROR (name starting with fail-) and creates nothing', async () => {
    const before = (await emu.summary()).counts['infrastructure/Server'];
    const job = await settleJob(emu, await launch(emu, { name: 'fail-on-purpose' }));
    expect(job.status).toBe('ERROR');
    expect(job.message).toBe('Simulated failure: "fail-on-purpose" names start with fail-');
    expect((await emu.summary()).counts['infrastructure/Server']).toBe(before);
  });

  it('ends a stop job in ERROR (reason containing [fail]) and restores the previous status', async () => {
    const res = await api(emu, 'PUT', 'infrastructure/Server/326787', { body: { stop: [{ reason: 'please [fail]' }] } });
    const job = await settleJob(emu, jobIdOf(res));
    expect(job).toMatchObject({ status: 'ERROR', message: 'Simulated failure: reason contains [fail]' });
    expect((await getOne(emu, 'infrastructure/Server/326787')).status).toBe('RUNNING');
  });

  it('schedules termination with DELETE ?terminateAfter (204) and terminates when due', async () => {
    const res = await api(emu, 'DELETE', 'infrastructure/Server/338942', { query: { terminateAfter: '0' } });
    expect(res.status).toBe(204);
    await getOne(emu, 'admin/Job/1');
    const server = await getOne(emu, 'infrastructure/Server/338942');
    expect(server.status).toBe('TERMINATED');
    expect(server.terminateAfter).toMatch(/\+0000$/);
    const bad = await api(emu, 'DELETE', 'infrastructure/Server/338943', { query: { terminateAfter: 'soon' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/terminateAfter must be a number of milliseconds/);
  });

  it('counts jobs per status in the state summary', async () => {
    const summary = await emu.summary();
    expect(summary.jobs.COMPLETE).toBeGreaterThan(3);
    expect(summary.jobs.ERROR).toBeGreaterThanOrEqual(3);
  });
});

describe('emulator: jobs on a timed clock (jobDelayMs > 0)', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator({ jobDelayMs: 50 }); });
  afterAll(() => emu.close());

  it('keeps a job RUNNING until its delay has passed, then completes it and every due step', async () => {
    // The emulator runs in this thread and reads the time with Date.now(): only Date is faked, so
    // the clock moves when the test says, and sockets and timers work as usual.
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      const jobId = await launch(emu, { name: 'timed-1' });
      expect((await getOne(emu, `admin/Job/${jobId}`)).status).toBe('RUNNING');
      jest.setSystemTime(Date.now() + 49);
      expect((await getOne(emu, `admin/Job/${jobId}`)).status).toBe('RUNNING');
      jest.setSystemTime(Date.now() + 81); // 130 ms in all: two steps, launch complete (PENDING), then RUNNING
      const job = await getOne(emu, `admin/Job/${jobId}`);
      expect(job.status).toBe('COMPLETE');
      expect((await getOne(emu, `infrastructure/Server/${job.message}`)).status).toBe('RUNNING');
    } finally {
      jest.useRealTimers();
    }
  });

  it('answers 409 while a change is in progress', async () => {
    const slow = await startEmulator({ jobDelayMs: 600_000 });
    try {
      const stop = await api(slow, 'PUT', 'infrastructure/Server/338941', { body: { stop: [{}] } });
      expect(stop.status).toBe(202);
      const busy = await api(slow, 'PUT', 'infrastructure/Server/338941', { body: { pause: [{}] } });
      expect(busy.status).toBe(409);
      expect(busy.json.error.message).toBe(`Server 338941 is busy: stop in progress (job ${jobIdOf(stop)}); try again when it completes`);
      expect((await getOne(slow, 'infrastructure/Server/338941')).status).toBe('STOPPING');
      expect((await slow.summary()).pendingEvents).toBe(1);
    } finally {
      await slow.close();
    }
  });
});
