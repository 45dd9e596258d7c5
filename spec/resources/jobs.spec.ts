/**
 * Jobs and waiters: `job.wait()` resolves with the finished Job on COMPLETE and THROWS on ERROR
 * (JobFailedError carrying the job's message), on timeout (TimeoutError) and on abort; a launched
 * server learns its id from the job and reloads; `server.waitFor(status)` polls and leaves the
 * server refreshed.
 */
import nock from 'nock';
import { Endpoint, Firewall, Job, JobFailedError, Server, TimeoutError, UnexpectedStateError, Volume } from '../../lib/index.js';
import { loadFixture } from '../support/fixtures.js';
import { API, BASE, unmatched, useNockApi } from './support.js';

useNockApi();

const JOBS = loadFixture('admin/job.json').jobs;
const SERVER = loadFixture('infrastructure/server.json').servers[0];
const LAUNCH = { name: 'web-1', description: 'd', budget: 10287, providerProductId: 'm1.small', machineImage: 284831, dataCenter: 64716 };

function jobReply(jobId: number, status: string, extra: Record<string, unknown> = {}): { jobs: Array<Record<string, unknown>> } {
  return { jobs: [{ jobId, status, description: `job ${jobId}`, ...extra }] };
}

describe('job.wait()', () => {
  it('polls until COMPLETE and resolves with the refreshed job, reporting each poll', async () => {
    const polls = nock(API).get(`${BASE}/admin/Job/42`).times(2).reply(200, jobReply(42, 'RUNNING')).get(`${BASE}/admin/Job/42`).once().reply(200, jobReply(42, 'COMPLETE', { message: '' }));
    const job = new Job(42);
    const seen: string[] = [];
    const done = await job.wait({ intervalMs: 0, onProgress: (j) => seen.push(j.status) });
    expect(done).toBe(job);
    expect(done.status).toBe('COMPLETE');
    expect(seen).toEqual(['RUNNING', 'RUNNING', 'COMPLETE']);
    expect(polls.isDone()).toBe(true);
  });

  it('rejects with JobFailedError carrying the job and its message when the job ends in ERROR', async () => {
    const failed = JOBS.find((j) => j.status === 'ERROR') as Record<string, unknown>;
    nock(API).get(`${BASE}/admin/Job/${String(failed.jobId)}`).once().reply(200, { jobs: [failed] });
    const job = new Job(failed.jobId as number);
    const error = (await job.wait({ intervalMs: 0 }).catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.message).toContain(String(failed.message));
    expect(error.job).toBe(job);
    expect(error.jobId).toBe(failed.jobId);
    expect(error.code).toBe('EJOBFAILED');
    expect(job.lastError).toBe(error);
  });

  it('rejects with TimeoutError when the job is still RUNNING at timeoutMs', async () => {
    nock(API).get(`${BASE}/admin/Job/43`).times(1000).reply(200, jobReply(43, 'RUNNING'));
    const error = (await new Job(43).wait({ intervalMs: 5, timeoutMs: 40 }).catch((e: unknown) => e)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain('still RUNNING');
  });

  it('rejects with the signal reason when aborted', async () => {
    nock(API).get(`${BASE}/admin/Job/44`).times(1000).reply(200, jobReply(44, 'RUNNING'));
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const waiting = new Job(44).wait({ intervalMs: 5, signal: controller.signal, onProgress: () => controller.abort(reason) });
    await expect(waiting).rejects.toBe(reason);
  });

  it('answers a job already read as COMPLETE without a request', async () => {
    const complete = JOBS.find((j) => j.status === 'COMPLETE') as Record<string, unknown>;
    nock(API).get(`${BASE}/admin/Job/${String(complete.jobId)}`).once().reply(200, { jobs: [complete] });
    const job = await Job.get(complete.jobId as number);
    await expect(job.wait({ intervalMs: 0 })).resolves.toBe(job);
    expect(unmatched).toEqual([]);
  });
});

describe('a launched server', () => {
  function launchInterceptors(): void {
    nock(API).post(`${BASE}/infrastructure/Server`).once().reply(202, jobReply(84322, 'RUNNING'));
    nock(API).get(`${BASE}/admin/Job/84322`).once().reply(200, jobReply(84322, 'COMPLETE', { message: '339452' }));
    nock(API).get(`${BASE}/infrastructure/Server/339452`).once().reply(200, { servers: [{ ...SERVER, serverId: 339452, name: 'web-1', status: 'PENDING' }] });
  }

  it('learns its new id from the job (job.message) and reloads when the job is awaited', async () => {
    launchInterceptors();
    const server = Object.assign(new Server(), LAUNCH);
    const job = (await server.launch()) as Job;
    expect(server.id).toBeUndefined();
    expect(server.currentJob).toBe(job);
    await job.wait({ intervalMs: 0 });
    expect(server.id).toBe(339452);
    expect(server.isLoaded).toBe(true);
    expect(server.status).toBe('PENDING');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('Server.launch(attributes, { wait: true }) resolves with the loaded server', async () => {
    launchInterceptors();
    const server = await Server.launch(LAUNCH, { wait: true, intervalMs: 0 });
    expect(server.serverId).toBe(339452);
    expect(server.name).toBe('web-1');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('reload() of the new server waits for its launch job first', async () => {
    launchInterceptors();
    const server = Object.assign(new Server(), LAUNCH);
    await server.launch();
    await server.reload();
    expect(server.id).toBe(339452);
    expect(server.status).toBe('PENDING');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('a launch job ending in ERROR rejects the waiter and leaves the server without an id', async () => {
    nock(API).post(`${BASE}/infrastructure/Server`).once().reply(202, jobReply(84323, 'RUNNING'));
    nock(API).get(`${BASE}/admin/Job/84323`).once().reply(200, jobReply(84323, 'ERROR', { message: 'Simulated failure: no capacity' }));
    const server = Object.assign(new Server(), LAUNCH);
    await expect(server.save({ wait: true, intervalMs: 0 })).rejects.toThrow(/no capacity/);
    expect(server.id).toBeUndefined();
  });
});

describe('server.waitFor(status)', () => {
  const ID = SERVER.serverId as number;
  const reply = (status: string) => ({ servers: [{ ...SERVER, status }] });

  it('polls until the status is reached and leaves the server refreshed', async () => {
    nock(API).get(`${BASE}/infrastructure/Server/${ID}`).once().reply(200, reply('STOPPING')).get(`${BASE}/infrastructure/Server/${ID}`).once().reply(200, reply('STOPPED'));
    const server = new Server(ID);
    const statuses: string[] = [];
    await expect(server.waitFor('STOPPED', { intervalMs: 0, timeoutMs: 5_000, onProgress: (s) => statuses.push(s.status) })).resolves.toBe(server);
    expect(statuses).toEqual(['STOPPING', 'STOPPED']);
    expect(server.status).toBe('STOPPED');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('rejects with TimeoutError after timeoutMs', async () => {
    nock(API).get(`${BASE}/infrastructure/Server/${ID}`).times(1000).reply(200, reply('PENDING'));
    await expect(new Server(ID).waitFor('RUNNING', { intervalMs: 5, timeoutMs: 40 })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('rejects with UnexpectedStateError when the server is TERMINATED while waiting for RUNNING', async () => {
    nock(API).get(`${BASE}/infrastructure/Server/${ID}`).once().reply(200, reply('TERMINATED'));
    await expect(new Server(ID).waitFor('RUNNING', { intervalMs: 0 })).rejects.toBeInstanceOf(UnexpectedStateError);
  });
});

describe('actions with { wait: true }', () => {
  it('stop({ wait: true }) waits for the job, then reloads the server', async () => {
    const ID = SERVER.serverId as number;
    nock(API).put(`${BASE}/infrastructure/Server/${ID}`, { stop: [{}] }).once().reply(202, jobReply(50, 'RUNNING'));
    nock(API).get(`${BASE}/admin/Job/50`).once().reply(200, jobReply(50, 'COMPLETE', { message: '' }));
    nock(API).get(`${BASE}/infrastructure/Server/${ID}`).once().reply(200, { servers: [{ ...SERVER, status: 'STOPPED' }] });
    const server = new Server(ID);
    const job = await server.stop({ wait: true, intervalMs: 0 });
    expect(job?.status).toBe('COMPLETE');
    expect(server.status).toBe('STOPPED');
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('an explicit endpoint is kept by every follow-up request (the original dropped it)', () => {
  const OTHER = 'https://other.test';
  const lab = new Endpoint({ url: `${OTHER}${BASE}`, accessKey: 'lab-ak', secretKey: 'lab-sk' });

  it('job polls, the snapshot of a volume, a detach and the rules of a firewall go to the endpoint of the object', async () => {
    const scope = nock(OTHER)
      .post(`${BASE}/infrastructure/Snapshot`).once().reply(202, jobReply(60, 'RUNNING'))
      .get(`${BASE}/admin/Job/60`).once().reply(200, jobReply(60, 'COMPLETE', { message: '5001' }))
      .get(`${BASE}/infrastructure/Snapshot/5001`).once().reply(200, { snapshots: [{ snapshotId: 5001, name: 's' }] })
      .put(`${BASE}/infrastructure/Volume/211309`, { detach: [{}] }).once().reply(204)
      .get(`${BASE}/network/FirewallRule`).query({ firewallId: '130001' }).once().reply(200, { rules: [{ firewallRuleId: 1, firewall: { firewallId: 130001 } }] });
    const volume = new Volume(211309, { endpoint: lab });
    const snapshot = await volume.snapshot({ name: 's', budget: 10287, wait: true, intervalMs: 0 });
    expect(snapshot.id).toBe(5001);
    expect(snapshot.endpoint).toBe(lab);
    await volume.detach();
    const rules = await new Firewall(130001, { endpoint: lab }).rules();
    expect(rules.map((r) => r.id)).toEqual([1]);
    expect(rules[0].endpoint).toBe(lab);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });
});
