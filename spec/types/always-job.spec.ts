/**
 * Actions declared `job: 'always'` (their methods are typed `Promise<Job>`) resolve with a Job
 * against the emulator, every one of them: the declarations, the method types and the API agree.
 * The set exercised here must be exactly the set declared, so a new declaration needs a call here.
 * Also: an action declared so refuses a success answer without a job (ResponseError `ENOJOB`).
 */
import nock from 'nock';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import {
  allResources, clearIdentityMaps, configure, configureJobs, DataCenter, Endpoint, Firewall, Group, Job, MachineImage, Network, resetConfiguration,
  ResponseError, Server, ServerProduct, Snapshot, User, Volume,
} from '../../lib/index.js';

const REGION = 19344;
const BUDGET = 10287;
const WAIT = { intervalMs: 0, timeoutMs: 20_000 };

let emulator: EmulatorHandle;
let dataCenterId: number;
let machineImageId: number;
let providerProductId: string;
let userId: number;
let groupId: number;

/** `Class.method` of every call below that resolved with a Job. */
const resolvedWithJob = new Set<string>();

async function expectJob(name: string, pending: Promise<Job>): Promise<Job> {
  const job = await pending;
  expect(job).toBeInstanceOf(Job);
  expect(typeof job.id).toBe('number');
  resolvedWithJob.add(name);
  return job.wait(WAIT);
}

beforeAll(async () => {
  emulator = await startEmulator({ jobDelayMs: 0 });
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, lazy: 'async', retry: { limit: 0 } });
  configureJobs({ intervalMs: 0, timeoutMs: 20_000 });
  clearIdentityMaps();
  const [dataCenter] = await DataCenter.all({ regionId: REGION });
  dataCenterId = dataCenter.dataCenterId;
  machineImageId = (await MachineImage.all({ regionId: REGION })).find((i) => i.status === 'ACTIVE')!.machineImageId;
  providerProductId = (await ServerProduct.all({ regionId: REGION })).find((p) => p.providerProductId === 'm1.small')!.providerProductId;
  userId = (await User.all())[0].userId;
  groupId = (await Group.all())[0].groupId;
});

afterAll(async () => {
  configureJobs();
  resetConfiguration();
  nock.cleanAll();
  await emulator.close();
});

it('every action declared job: always resolves with a Job against the emulator', async () => {
  const firewall = Object.assign(new Firewall(), { budget: BUDGET, region: REGION, name: 'always-fw', description: 'always a job' });
  await expectJob('Firewall.create', firewall.create());

  const server = Object.assign(new Server(), { name: 'always-1', description: 'always a job', budget: BUDGET, providerProductId, machineImage: machineImageId, dataCenter: dataCenterId });
  await expectJob('Server.launch', server.launch());
  await server.waitFor('RUNNING', WAIT);
  await expectJob('Server.pause', server.pause());
  await expectJob('Server.start', server.start());
  await server.waitFor('RUNNING', WAIT);
  await expectJob('Server.provisionUser', server.provisionUser(userId, { adminRole: 'ADMIN' }));
  await expectJob('Server.deprovisionUser', server.deprovisionUser(userId));
  await expectJob('Server.stop', server.stop({ reason: 'always a job' }));
  await expectJob('Server.start', server.start());
  await server.waitFor('RUNNING', WAIT);

  const volume = Object.assign(new Volume(), { name: 'always-vol', description: 'always a job', dataCenter: dataCenterId, sizeInGb: 10, budget: BUDGET });
  await expectJob('Volume.create', volume.create());
  await volume.reload();
  await expectJob('Volume.attach', volume.attach(server));
  await volume.detach({ wait: true, ...WAIT });

  const snapshot = Object.assign(new Snapshot(), { volume, name: 'always-snap', description: 'always a job', budget: BUDGET });
  await expectJob('Snapshot.create', snapshot.create());
  await expectJob('Volume.delete', volume.delete({ reason: 'always a job' }));

  const image = Object.assign(new MachineImage(), { server, name: 'always-image', description: 'always a job', budget: BUDGET, owningGroups: [groupId] });
  await expectJob('MachineImage.create', image.create());
  await image.reload();
  await expectJob('MachineImage.deprecate', image.deprecate());

  const network = Object.assign(new Network(), { budget: BUDGET, name: 'always-net', networkAddress: '10.20.0.0/16', description: 'always a job', region: REGION });
  await expectJob('Network.create', network.create());
  await network.reload();
  await expectJob('Network.delete', network.delete({ reason: 'always a job' }));

  const declared = allResources().flatMap((meta) => meta.actions.filter((a) => a.job === 'always').map((a) => `${meta.name}.${a.name}`));
  expect([...resolvedWithJob].sort()).toEqual([...new Set(declared)].sort());
}, 120_000);

it('an action declared job: always refuses a success answer without a job, and records the error', async () => {
  const url = 'https://always.example.test';
  const endpoint = new Endpoint({ url: `${url}/api/enstratus/2015-05-25`, accessKey: 'ACCESSKEY', secretKey: 'not-a-real-secret' });
  nock(url).put('/api/enstratus/2015-05-25/infrastructure/Server/4242').reply(204);
  const server = new Server(4242, { endpoint });
  const error = await server.stop().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ResponseError);
  expect((error as ResponseError).code).toBe('ENOJOB');
  expect((error as ResponseError).message).toBe('Server 4242: stop() expects a job (202 with {"jobs":[…]}), but the API answered 204 without one');
  expect(server.lastError).toBe(error);
  expect(nock.isDone()).toBe(true);
});
