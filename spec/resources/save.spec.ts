/**
 * Active record: save() of a new object creates it (a Server's save() is its launch); save() of an
 * existing object sends only the attributes that changed, each through the operation the API
 * offers for it, then reloads. Assigning what the object already holds is no change.
 */
import nock from 'nock';
import { BillingCode, Cloud, DataCenter, Group, Job, Server, ValidationError, Volume } from '../../lib/index.js';
import { loadFixture } from '../support/fixtures.js';
import { API, BASE, unmatched, useNockApi } from './support.js';

useNockApi();

const SERVER = loadFixture('infrastructure/server.json').servers[0];
const SERVER_ID = SERVER.serverId as number;
const VOLUME = loadFixture('infrastructure/volume.json').volumes[0];
const VOLUME_ID = VOLUME.volumeId as number;
const GROUP = loadFixture('admin/group.json').groups[0];

/** Loads the fixture server (one GET) and returns it. */
async function loadedServer(): Promise<Server> {
  nock(API).get(`${BASE}/infrastructure/Server/${SERVER_ID}`).once().reply(200, { servers: [SERVER] });
  return Server.get(SERVER_ID);
}

function capture(method: string, path: string, status = 204, reply?: unknown): unknown[] {
  const bodies: unknown[] = [];
  nock(API)
    .intercept(`${BASE}/${path}`, method)
    .once()
    .reply((_uri, body) => {
      bodies.push(typeof body === 'string' ? JSON.parse(body) : body);
      return reply === undefined ? [status] : [status, reply];
    });
  return bodies;
}

describe('save() of an existing object', () => {
  it('sends only the changed attribute, in the payload form of its operation, then reloads', async () => {
    const server = await loadedServer();
    server.name = 'renamed';
    expect(server.changes()).toEqual({ name: 'renamed' });
    const sent = capture('PUT', `infrastructure/Server/${SERVER_ID}`);
    const reload = nock(API).get(`${BASE}/infrastructure/Server/${SERVER_ID}`).once().reply(200, { servers: [{ ...SERVER, name: 'renamed' }] });
    expect(await server.save()).toBeUndefined();
    expect(sent).toEqual([{ describeServer: [{ name: 'renamed' }] }]);
    expect(reload.isDone()).toBe(true);
    expect(server.changes()).toEqual({});
    expect(server.name).toBe('renamed');
    expect(unmatched).toEqual([]);
  });

  it('routes each changed attribute to its own operation, and nothing unchanged', async () => {
    const server = await loadedServer();
    server.description = 'new description';
    server.label = 'blue';
    server.budget = 10670;
    server.owningGroups = [new Group(9848)];
    const describe = capture('PUT', `infrastructure/Server/${SERVER_ID}`);
    const budget = capture('PUT', `infrastructure/Server/${SERVER_ID}`);
    const groups = capture('PUT', `infrastructure/Server/${SERVER_ID}`);
    nock(API).get(`${BASE}/infrastructure/Server/${SERVER_ID}`).once().reply(200, { servers: [SERVER] });
    await server.save();
    expect(describe).toEqual([{ describeServer: [{ description: 'new description', label: 'blue' }] }]);
    expect(budget).toEqual([{ assignBudget: [{ budget: 10670 }] }]);
    expect(groups).toEqual([{ assignGroups: [{ owningGroups: [{ groupId: 9848 }] }] }]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(unmatched).toEqual([]);
  });

  it('sends nothing when the assigned values equal what the object holds (dirty tracking)', async () => {
    const server = await loadedServer();
    server.name = SERVER.name as string;
    server.budget = SERVER.budget as number;
    server.owningGroups = (SERVER.owningGroups as Array<{ groupId: number }>).map((g) => new Group(g.groupId));
    expect(await server.save()).toBeUndefined();
    expect(server.changes()).toEqual({});
    expect(unmatched).toEqual([]);
  });

  it('sends nothing at all when nothing was assigned', async () => {
    const server = await loadedServer();
    expect(await server.save()).toBeUndefined();
    expect(unmatched).toEqual([]);
  });

  it('refuses, before any request, attributes no operation can change — naming all of them', async () => {
    const server = await loadedServer();
    server.name = 'fine';
    server.dataCenter = new DataCenter(99999);
    server.userData = 'echo';
    const error = (await server.save().catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.problems).toEqual(['"dataCenter" cannot be changed on an existing Server', '"userData" cannot be changed on an existing Server']);
    expect(server.changes()).toEqual({ name: 'fine', dataCenter: { dataCenterId: 99999 }, userData: 'echo' });
    expect(unmatched).toEqual([]);
  });

  it('a volume sends name and label together in one describeVolume, and its budget apart', async () => {
    nock(API).get(`${BASE}/infrastructure/Volume/${VOLUME_ID}`).once().reply(200, { volumes: [VOLUME] });
    const volume = await Volume.get(VOLUME_ID);
    volume.name = 'data-2';
    volume.label = 'green';
    volume.budget = new BillingCode(10670).id as number;
    const describe = capture('PUT', `infrastructure/Volume/${VOLUME_ID}`);
    const budget = capture('PUT', `infrastructure/Volume/${VOLUME_ID}`);
    nock(API).get(`${BASE}/infrastructure/Volume/${VOLUME_ID}`).once().reply(200, { volumes: [VOLUME] });
    await volume.save();
    expect(describe).toEqual([{ describeVolume: [{ name: 'data-2', label: 'green' }] }]);
    expect(budget).toEqual([{ assignBudget: [{ budget: 10670 }] }]);
    expect(unmatched).toEqual([]);
  });

  it('a group sends only the changed member of describeGroup (the original sent both)', async () => {
    nock(API).get(`${BASE}/admin/Group/${String(GROUP.groupId)}`).once().reply(200, { groups: [GROUP] });
    const group = await Group.get(GROUP.groupId as number);
    group.description = 'new words';
    const sent = capture('PUT', `admin/Group/${String(GROUP.groupId)}`);
    nock(API).get(`${BASE}/admin/Group/${String(GROUP.groupId)}`).once().reply(200, { groups: [GROUP] });
    await group.save();
    expect(sent).toEqual([{ describeGroup: { group: { description: 'new words' } } }]);
  });

  it('a read-only resource cannot be saved, and its attributes cannot be assigned', async () => {
    const cloud = new Cloud(1);
    expect(() => {
      (cloud as unknown as Record<string, unknown>).name = 'x';
    }).toThrow(ValidationError);
    await expect(new Cloud().save()).rejects.toBeInstanceOf(ValidationError);
    expect(unmatched).toEqual([]);
  });
});

describe('save() of a new object', () => {
  it('creates it: a 201 adopts the new identifier from the envelope', async () => {
    const sent = capture('POST', 'admin/Group', 201, { groups: [{ groupId: 12001, name: 'ops', description: 'operators' }] });
    const group = new Group();
    group.name = 'ops';
    group.description = 'operators';
    expect(await group.save()).toBeUndefined();
    expect(sent).toEqual([{ addGroup: { group: { name: 'ops', description: 'operators' } } }]);
    expect(group.id).toBe(12001);
    expect(group.changes()).toEqual({});
    expect(group.name).toBe('ops');
  });

  it('a Server is launched; with { wait: true } it adopts the id the job reports and is loaded', async () => {
    const sent = capture('POST', 'infrastructure/Server', 202, { jobs: [{ jobId: 84322, status: 'RUNNING' }] });
    nock(API).get(`${BASE}/admin/Job/84322`).once().reply(200, { jobs: [{ jobId: 84322, status: 'RUNNING', description: 'Launch Server web-1' }] });
    nock(API).get(`${BASE}/admin/Job/84322`).once().reply(200, { jobs: [{ jobId: 84322, status: 'COMPLETE', message: '339452' }] });
    nock(API).get(`${BASE}/infrastructure/Server/339452`).once().reply(200, { servers: [{ ...SERVER, serverId: 339452, name: 'web-1', status: 'PENDING' }] });
    const server = Object.assign(new Server(), { name: 'web-1', description: 'd', budget: 10287, providerProductId: 'm1.small', machineImage: 284831, dataCenter: 64716 });
    const job = await server.save({ wait: true, intervalMs: 0 });
    expect(sent).toHaveLength(1);
    expect(job).toBeInstanceOf(Job);
    expect(job?.status).toBe('COMPLETE');
    expect(server.id).toBe(339452);
    expect(server.isLoaded).toBe(true);
    expect(server.status).toBe('PENDING');
    expect(nock.pendingMocks()).toEqual([]);
    expect(unmatched).toEqual([]);
  });

  it('validates every required attribute before any request', async () => {
    const server = Object.assign(new Server(), { name: 'web-1' });
    const error = (await server.save().catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.problems).toHaveLength(5);
    expect(unmatched).toEqual([]);
  });
});
