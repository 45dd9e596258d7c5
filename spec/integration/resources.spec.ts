/**
 * The resource classes against the real emulator over loopback (async paths only: the emulator
 * serves from this thread, so strict mode is on and any blocking lazy read would throw instead).
 * Flows: server launch with volumes and firewalls → wait → stop → start → rename → terminate;
 * volume create/attach/detach/delete; firewall with a rule; group, user and billing code; a job
 * that ends in ERROR.
 */
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import {
  BillingCode, clearIdentityMaps, configure, configureJobs, DataCenter, Firewall, FirewallRule, Group, Job, JobFailedError, MachineImage,
  NotFoundError, resetConfiguration, Server, ServerProduct, User, Volume,
} from '../../lib/index.js';

const REGION = 19344;
const WAIT = { intervalMs: 0, timeoutMs: 20_000 };

let emulator: EmulatorHandle;
let dataCenterId: number;
let machineImageId: number;
let providerProductId: string;

beforeAll(async () => {
  emulator = await startEmulator({ jobDelayMs: 0 });
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, lazy: 'async', retry: { limit: 0 } });
  configureJobs({ intervalMs: 0, timeoutMs: 20_000 });
  clearIdentityMaps();
  // What a launch in the region needs, discovered through the listings.
  const [dataCenter] = await DataCenter.all({ regionId: REGION });
  dataCenterId = dataCenter.dataCenterId;
  const images = await MachineImage.all({ regionId: REGION });
  machineImageId = images.find((i) => i.status === 'ACTIVE')!.machineImageId;
  const products = await ServerProduct.all({ regionId: REGION });
  providerProductId = products.find((p) => p.providerProductId === 'm1.small')!.providerProductId;
});

afterAll(async () => {
  configureJobs();
  resetConfiguration();
  await emulator.close();
});

function launchAttributes(name: string): Record<string, unknown> {
  return { name, description: 'integration test server', budget: 10287, providerProductId, machineImage: machineImageId, dataCenter: dataCenterId };
}

describe('firewall, rule, server lifecycle and volumes', () => {
  let firewall: Firewall;
  let server: Server;

  it('creates a firewall (202 job → id adopted, loaded) and adds a rule sending startPort/endPort', async () => {
    firewall = Object.assign(new Firewall(), { budget: 10287, region: REGION, name: 'it-web', description: 'integration firewall', label: 'red' });
    const job = await firewall.save({ wait: true, ...WAIT });
    expect(job).toBeInstanceOf(Job);
    expect(job?.status).toBe('COMPLETE');
    expect(typeof firewall.id).toBe('number');
    expect(firewall.isLoaded).toBe(true);
    expect(firewall.name).toBe('it-web');
    expect(firewall.region.id).toBe(REGION);

    const rule = await firewall.addRule({ direction: 'INGRESS', source: '10.0.0.0/8', sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP', startPort: 8080, endPort: 8081 });
    expect(typeof rule.id).toBe('number');
    const rules = await firewall.rules();
    const stored = rules.find((r) => r.id === rule.id);
    expect(stored).toBeInstanceOf(FirewallRule);
    expect(stored?.startPort).toBe(8080);
    expect(stored?.endPort).toBe(8081);
    expect(stored?.firewall.id).toBe(firewall.id);

    // The same rule again: the API answers 418, a success that names the existing rule.
    const again = await firewall.addRule({ direction: 'INGRESS', source: '10.0.0.0/8', sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP', startPort: 8080, endPort: 8081 });
    expect(again.id).toBe(rule.id);
    expect(again.lastRequest?.statusCode).toBe(418);
  });

  it('launches a server with firewalls and a volume configuration, waits for the job, then for RUNNING', async () => {
    server = await Server.launch(
      { ...launchAttributes('it-server'), firewalls: [firewall], volumeConfiguration: { raidlevel: 'RAID0', volumeCount: 2, volumeSize: 10 }, label: 'green' } as never,
      { wait: true, ...WAIT },
    );
    expect(typeof server.id).toBe('number');
    expect(server.isLoaded).toBe(true);
    expect(server.currentJob?.status).toBe('COMPLETE');
    expect(server.currentJob?.message).toBe(String(server.id));
    await server.waitFor('RUNNING', WAIT);
    expect(server.status).toBe('RUNNING');
    expect(server.firewalls.map((f) => f.id)).toEqual([firewall.id]);
    expect(server.volumeConfiguration).toEqual({ raidlevel: 'RAID0', volumeCount: 2, volumeSize: 10 });
    expect(server.providerProductId).toBe(providerProductId);
    expect(server.machineImage.id).toBe(machineImageId);
  });

  it('creates a volume, attaches it to the server, detaches it and deletes it', async () => {
    const volume = Object.assign(new Volume(), { name: 'it-data', description: 'integration volume', dataCenter: dataCenterId, sizeInGb: 2, budget: 10287, label: 'blue' });
    await volume.save({ wait: true, ...WAIT });
    expect(typeof volume.id).toBe('number');
    expect(volume.sizeInGb).toBe(2);
    expect(volume.label).toBe('blue');

    const attach = await volume.attach(server, { deviceId: '/dev/xvdh', wait: true, ...WAIT });
    expect(attach?.status).toBe('COMPLETE');
    expect(volume.server?.id).toBe(server.id);
    expect(volume.deviceId).toBe('/dev/xvdh');

    await volume.detach({ wait: true, ...WAIT });
    await volume.reload();
    expect(volume.server ?? null).toBeNull();

    const deletion = await volume.delete({ reason: 'integration cleanup' });
    await deletion?.wait(WAIT);
    await expect(Volume.get(volume.id as number)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stops and starts the server, each a job, and waitFor() follows the state', async () => {
    const stop = await server.stop({ reason: 'integration' });
    expect(stop).toBeInstanceOf(Job);
    await stop!.wait(WAIT);
    await server.waitFor('STOPPED', WAIT);
    expect(server.status).toBe('STOPPED');

    await server.start({ wait: true, ...WAIT });
    await server.waitFor('RUNNING', WAIT);
    expect(server.status).toBe('RUNNING');
  });

  it('renames the server through save() (only the changed name is sent)', async () => {
    server.name = 'it-renamed';
    await server.save();
    expect(server.changes()).toEqual({});
    const fresh = await Server.all({ regionId: REGION });
    expect(fresh.find((s) => s.id === server.id)?.name).toBe('it-renamed');
  });

  it('terminates the server with a reason', async () => {
    const job = await server.terminate({ reason: 'integration done' });
    if (job) await job.wait(WAIT);
    await server.waitFor('TERMINATED', WAIT);
    expect(server.status).toBe('TERMINATED');
  });
});

describe('admin objects', () => {
  it('creates and deletes a billing code', async () => {
    const code = Object.assign(new BillingCode(), { name: 'it-budget', financeCode: 'IT-1', description: 'integration budget', softQuota: 100, hardQuota: 200 });
    await code.save();
    expect(typeof code.id).toBe('number');
    await code.reload();
    expect(code.hardQuota).toEqual(expect.objectContaining({ value: 200, currency: 'USD' }));
    await code.delete({ reason: 'integration', replacementCode: 10287 });
    await expect(BillingCode.get(code.id as number)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('creates a group and a user in it, updates the group, then deletes the group', async () => {
    const group = Object.assign(new Group(), { name: 'it-ops', description: 'integration group' });
    await group.save();
    expect(typeof group.id).toBe('number');

    const user = Object.assign(new User(), { givenName: 'Ida', familyName: 'Test', email: 'ida@example.com', groups: [group], account: 16000, billingCodes: [10287] });
    await user.save();
    expect(typeof user.id).toBe('number');
    await user.reload();
    expect(user.email).toBe('ida@example.com');
    expect(user.groups.map((g) => g.id)).toContain(group.id);

    // Both members change: the emulator insists on both in describeGroup (the client sends only
    // the changed ones — reported as an emulator mismatch).
    await group.reload();
    group.name = 'it-ops-2';
    group.description = 'renamed by save()';
    await group.save();
    expect(group.name).toBe('it-ops-2');
    expect(group.description).toBe('renamed by save()');

    await group.delete();
    await expect(Group.get(group.id as number)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('a job that ends in ERROR', () => {
  it('a launch named fail-… rejects the waiter with JobFailedError carrying the job message', async () => {
    const server = Object.assign(new Server(), launchAttributes('fail-launch'));
    const error = (await server.save({ wait: true, ...WAIT }).catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.message).toMatch(/Simulated failure/);
    expect((error.job as Job).status).toBe('ERROR');
    expect(server.id).toBeUndefined();
  });

  it('a volume whose description contains [fail] surfaces as JobFailedError from job.wait()', async () => {
    const volume = Object.assign(new Volume(), { name: 'it-bad', description: 'broken [fail]', dataCenter: dataCenterId, sizeInGb: 1, budget: 10287 });
    const job = await volume.create();
    await expect(job!.wait(WAIT)).rejects.toBeInstanceOf(JobFailedError);
    expect(volume.id).toBeUndefined();
  });
});
