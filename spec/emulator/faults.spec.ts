/**
 * Fault injection (off by default) and the control routes of lib/emulator/control.ts: each fault
 * kind (latency, 500, 503, 429 + Retry-After, connection reset), before vs after applying the
 * request, path/method matching, `times`, `maxConsecutive`, reproducibility from the seed, and the
 * request log.
 */
import { startEmulator, type EmulatorHandle, type FaultRule } from '../../lib/emulator/index.js';
import { api, raw, settleJob } from '../support/emulator-http.js';

const LAUNCH = {
  launch: [{ product: { productId: 'm1.small' }, budget: 10287, machineImage: { machineImageId: 284831 }, description: 'faults', name: 'fault-srv', dataCenter: { dataCenterId: 64351 } }],
};

/** Status of a signed call, or 'reset' when the connection was dropped. */
async function outcome(emu: EmulatorHandle, method: string, path: string, body?: unknown): Promise<number | 'reset'> {
  try {
    return (await api(emu, method, path, { body })).status;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || /socket hang up/.test((e as Error).message)) return 'reset';
    throw e;
  }
}

describe('emulator: fault injection', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator(); });
  afterAll(() => emu.close());
  beforeEach(async () => {
    await emu.setFaults([]);
    await emu.clearLog();
  });

  it('is off by default', async () => {
    const fresh = await startEmulator();
    try {
      expect((await fresh.summary()).faultRules).toBe(0);
      for (let i = 0; i < 20; i++) expect(await outcome(fresh, 'GET', 'geography/Region')).toBe(200);
    } finally {
      await fresh.close();
    }
  });

  it.each([500, 503])('injects %i with the DCM error body', async (status) => {
    await emu.setFaults([{ path: 'geography/Region', status, name: 'boom' }]);
    const res = await api(emu, 'GET', 'geography/Region');
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ error: { message: `Injected fault (boom:status:${status})` } });
    expect(res.headers['retry-after']).toBeUndefined();
    expect((await api(emu, 'GET', 'geography/Cloud')).status).toBe(200);
  });

  it('injects 429 with Retry-After (default 1 s, or as configured)', async () => {
    await emu.setFaults([{ path: 'admin/Job', status: 429 }, { path: 'admin/User', status: 429, retryAfter: 7, message: 'slow down' }]);
    const a = await api(emu, 'GET', 'admin/Job');
    expect(a.status).toBe(429);
    expect(a.headers['retry-after']).toBe('1');
    const b = await api(emu, 'GET', 'admin/User');
    expect(b.headers['retry-after']).toBe('7');
    expect(b.json.error.message).toBe('slow down');
  });

  it('resets the connection without a response and logs status 0', async () => {
    await emu.setFaults([{ path: 'geography/**', reset: true, name: 'cut' }]);
    expect(await outcome(emu, 'GET', 'geography/Region/19344')).toBe('reset');
    const [entry] = await emu.requestLog();
    expect(entry).toMatchObject({ method: 'GET', resource: 'geography/Region/19344', status: 0, faults: ['cut:reset'] });
  });

  it('adds latency before handling and records it in the log', async () => {
    await emu.setFaults([{ path: 'admin/Job/*', latencyMs: 30, name: 'slow' }]);
    expect((await api(emu, 'GET', 'admin/Job/1')).status).toBe(200);
    expect((await api(emu, 'GET', 'admin/Job')).status).toBe(200);
    const log = await emu.requestLog();
    expect(log[0].faults).toEqual(['slow:latency:30']);
    expect(log[1].faults).toBeUndefined();
  });

  it('phase "before" (default): the POST is not applied', async () => {
    const before = (await emu.summary()).counts['infrastructure/Server'];
    const jobs = (await emu.summary()).counts['admin/Job'];
    await emu.setFaults([{ path: 'infrastructure/Server', methods: ['POST'], status: 503 }]);
    expect(await outcome(emu, 'POST', 'infrastructure/Server', LAUNCH)).toBe(503);
    expect(await outcome(emu, 'GET', 'infrastructure/Server')).toBe(200);
    const after = await emu.summary();
    expect(after.counts['admin/Job']).toBe(jobs);
    expect(after.counts['infrastructure/Server']).toBe(before);
  });

  it('phase "after": the POST is applied, then the answer is replaced (status) or lost (reset)', async () => {
    const before = (await emu.summary()).counts['infrastructure/Server'];
    await emu.setFaults([{ path: 'infrastructure/Server', methods: ['POST'], status: 500, phase: 'after', times: 1 }, { path: 'infrastructure/Server', methods: ['POST'], reset: true, phase: 'after' }]);
    expect(await outcome(emu, 'POST', 'infrastructure/Server', LAUNCH)).toBe(500);
    expect(await outcome(emu, 'POST', 'infrastructure/Server', LAUNCH)).toBe('reset');
    await emu.setFaults([]);
    const launches = (await emu.items('admin/Job')).filter((j) => j.description === 'Launch Server fault-srv');
    expect(launches).toHaveLength(2);
    for (const job of launches) await settleJob(emu, job.jobId);
    expect((await emu.summary()).counts['infrastructure/Server']).toBe(before + 2);
    expect((await emu.items('infrastructure/Server')).filter((s) => s.name === 'fault-srv')).toHaveLength(2);
  });

  it('matches by glob, regular expression and method; "times" limits how often a rule fires', async () => {
    await emu.setFaults([
      { path: 'infrastructure/*/331810', status: 500, methods: ['GET'] },
      { pathRegex: '^admin/(User|Group)$', status: 503 },
      { path: 'admin/Job', status: 500, times: 2 },
    ]);
    expect(await outcome(emu, 'GET', 'infrastructure/Server/331810')).toBe(500);
    expect(await outcome(emu, 'GET', 'infrastructure/Server/339452')).toBe(200);
    expect(await outcome(emu, 'HEAD', 'infrastructure/Server/331810')).toBe(200);
    expect(await outcome(emu, 'GET', 'admin/Group')).toBe(503);
    expect(await outcome(emu, 'GET', 'admin/Group/9465')).toBe(200);
    expect([await outcome(emu, 'GET', 'admin/Job'), await outcome(emu, 'GET', 'admin/Job'), await outcome(emu, 'GET', 'admin/Job')]).toEqual([500, 500, 200]);
  });

  it('maxConsecutive caps failures in a row per method and path', async () => {
    await emu.setFaults([{ path: 'geography/Region', status: 503, maxConsecutive: 2 }]);
    const seen: Array<number | 'reset'> = [];
    for (let i = 0; i < 6; i++) seen.push(await outcome(emu, 'GET', 'geography/Region'));
    expect(seen).toEqual([503, 503, 200, 503, 503, 200]);
  });

  it('fires at the configured rate, reproducibly for a given seed and request sequence', async () => {
    const rules: FaultRule[] = [{ path: 'geography/Region', status: 500, rate: 0.3 }, { path: 'geography/Region', status: 429, rate: 0.2 }, { path: 'geography/Region', reset: true, rate: 0.1 }];
    const run = async (target: EmulatorHandle) => {
      await target.setFaults(rules);
      const out: Array<number | 'reset'> = [];
      for (let i = 0; i < 120; i++) out.push(await outcome(target, 'GET', 'geography/Region'));
      return out;
    };
    const first = await run(emu);
    const second = await run(emu); // setFaults restarts the draws from the seed
    expect(second).toEqual(first);
    const other = await startEmulator({ seed: 99 });
    try {
      expect(await run(other)).not.toEqual(first);
    } finally {
      await other.close();
    }
    const count = (v: number | 'reset') => first.filter((x) => x === v).length;
    expect(count(500)).toBeGreaterThan(15);
    expect(count(429)).toBeGreaterThan(5);
    expect(count('reset')).toBeGreaterThan(2);
    expect(count(200)).toBeGreaterThan(40);
  });

  it('accepts rules at start-up and restores them on reset', async () => {
    const faulty = await startEmulator({ faults: [{ path: 'admin/Job', status: 503 }] });
    try {
      expect(await outcome(faulty, 'GET', 'admin/Job')).toBe(503);
      await faulty.setFaults([]);
      expect(await outcome(faulty, 'GET', 'admin/Job')).toBe(200);
      await faulty.reset();
      expect(await outcome(faulty, 'GET', 'admin/Job')).toBe(503);
    } finally {
      await faulty.close();
    }
    await expect(startEmulator({ faults: [{ path: 'x', status: 200 }] })).rejects.toThrow(/faults\[0\]\.status must be an HTTP error status/);
  });
});

describe('emulator: control routes (/__emulator/) and the request log', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator(); });
  afterAll(() => emu.close());

  it('PUT/GET/DELETE /__emulator/faults, with 400 naming a bad member', async () => {
    const put = await raw(`${emu.origin}/__emulator/faults`, 'PUT', {}, JSON.stringify([{ path: 'admin/Job', status: 503, rate: 0.5 }]));
    expect(put.status).toBe(204);
    expect((await raw(`${emu.origin}/__emulator/faults`, 'GET')).json).toEqual([{ path: 'admin/Job', status: 503, rate: 0.5 }]);
    const bad = await raw(`${emu.origin}/__emulator/faults`, 'PUT', {}, JSON.stringify([{ path: 'admin/Job', probability: 1 }]));
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^faults\[0\]\.probability is not a fault-rule member/);
    expect((await raw(`${emu.origin}/__emulator/faults`, 'DELETE')).status).toBe(204);
    expect((await raw(`${emu.origin}/__emulator/faults`, 'GET')).json).toEqual([]);
  });

  it('GET /__emulator/log lists method, path, status of every API request (control routes excluded)', async () => {
    await raw(`${emu.origin}/__emulator/log`, 'DELETE');
    await api(emu, 'GET', 'admin/Job/2', { query: { x: '1' } });
    await api(emu, 'GET', 'admin/Job/999');
    await api(emu, 'GET', 'admin/Job', { secretKey: 'wrong' });
    await raw(`${emu.origin}/__emulator/state`, 'GET');
    const log = (await raw(`${emu.origin}/__emulator/log`, 'GET')).json;
    expect(log.map((e: any) => [e.method, e.path, e.status])).toEqual([
      ['GET', '/api/enstratus/2015-05-25/admin/Job/2', 200],
      ['GET', '/api/enstratus/2015-05-25/admin/Job/999', 404],
      ['GET', '/api/enstratus/2015-05-25/admin/Job', 403],
    ]);
    expect(log[0]).toMatchObject({ seq: expect.any(Number), resource: 'admin/Job/2', query: { x: '1' }, accessKey: 'DEMOACCESSKEY', durationMs: expect.any(Number) });
    expect(await emu.requestLog()).toEqual(log);
  });

  it('GET /__emulator/state summarises counts, jobs, events; GET /__emulator/items lists stored records', async () => {
    const state = (await raw(`${emu.origin}/__emulator/state`, 'GET')).json;
    expect(state).toMatchObject({ counts: { 'infrastructure/Server': 13, 'admin/Job': 5 }, jobs: { COMPLETE: 3, RUNNING: 1, ERROR: 1 }, pendingEvents: 0, faultRules: 0, apiVersion: '2015-05-25', seed: 1 });
    const servers = (await raw(`${emu.origin}/__emulator/items/infrastructure/Server`, 'GET')).json;
    expect(servers).toHaveLength(13);
    expect(servers[0]).toMatchObject({ serverId: expect.any(Number), region: { regionId: expect.any(Number) } });
    expect((await raw(`${emu.origin}/__emulator/items/admin/License`, 'GET')).status).toBe(404);
    const unknown = await raw(`${emu.origin}/__emulator/nothing`, 'GET');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toMatch(/Unknown control route GET \/__emulator\/nothing/);
  });

  it('POST /__emulator/reset returns to the seed data and empties the log', async () => {
    await api(emu, 'POST', 'admin/Group', { body: { addGroup: { group: { name: 'temp', description: 'temp' } } } });
    expect((await emu.summary()).counts['admin/Group']).toBe(4);
    expect((await raw(`${emu.origin}/__emulator/reset`, 'POST')).status).toBe(204);
    const summary = await emu.summary();
    expect(summary.counts['admin/Group']).toBe(3);
    expect(summary.logEntries).toBe(0);
  });

  it('keeps the log bounded by logLimit', async () => {
    const small = await startEmulator({ logLimit: 10 });
    try {
      for (let i = 0; i < 25; i++) await api(small, 'GET', 'admin/Job/1');
      const log = await small.requestLog();
      expect(log.length).toBeLessThanOrEqual(10);
      expect(log[log.length - 1].seq).toBe(25);
    } finally {
      await small.close();
    }
  });
});
