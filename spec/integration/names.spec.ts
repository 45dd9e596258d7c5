/**
 * Names wherever ids go: references given by name, provider id or query are looked up before any
 * write, one listing per referenced type, and every missing or ambiguous name is reported in one
 * ValidationError with nothing sent. Counted in the emulator's request log.
 */
import { configureJobs, findServer, NotFoundError, Server, Volume, ValidationError } from '../../lib/index.js';
import { useClientEmulator } from '../support/client-emulator.js';


async function sent(): Promise<string[]> {
  return (await emu().requestLog()).map((e) => `${e.method} ${e.resource}${Object.keys(e.query).length ? `?${new URLSearchParams(e.query)}` : ''}`);
}

const emu = useClientEmulator();
beforeAll(() => configureJobs({ intervalMs: 0 }));
afterAll(() => configureJobs());

const BASE = { name: 'named-1', description: 'launched by names', providerProductId: 'm1.small', budget: 10287 };

describe('a launch with references by name', () => {
  it('looks each type up once (a data center within the image\'s region) and sends the ids', async () => {
    const server = await Server.launch({ ...BASE, machineImage: { name: 'dcm-ubuntu1204-amd64-us-west-2' }, dataCenter: 'us-west-2a', firewalls: ['keithweb'] }, { wait: true });
    expect(await sent()).toEqual([
      'GET infrastructure/MachineImage',
      'GET network/Firewall',
      'GET geography/DataCenter?regionId=19344',
      'POST infrastructure/Server',
      expect.stringMatching(/^GET admin\/Job\/\d+$/),
      expect.stringMatching(/^GET infrastructure\/Server\/\d+$/),
    ]);
    expect(server.machineImage.machineImageId).toBe(290005);
    expect(server.firewalls.map((f) => f.firewallId)).toEqual([117164]);
    expect(server.dataCenter.providerId).toBe('us-west-2a');
  });

  it('reports every missing and ambiguous name in one ValidationError, and writes nothing', async () => {
    const error = await Server.launch({ ...BASE, machineImage: 'no-such-image', dataCenter: { name: 'us-west-2a', regionId: 19344 }, firewalls: ['default'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const problems = (error as ValidationError).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^Server\.machineImage: no MachineImage "no-such-image" \(known: /);
    expect(problems[1]).toMatch(/^Server\.firewalls: \d+ objects match Firewall "default": .*; use an id$/);
    expect((await sent()).filter((r) => !r.startsWith('GET '))).toEqual([]);
  });

  it('a data center by name with no way to know its region asks for one', async () => {
    const error = await Server.launch({ ...BASE, machineImage: 290005, dataCenter: 'us-west-2a' }).catch((e: unknown) => e);
    expect((error as ValidationError).problems).toEqual([
      'Server.dataCenter: DataCenter "us-west-2a" cannot be looked up without regionId (listing DataCenter needs it); give its id, or { name, regionId }',
    ]);
    expect(await sent()).toEqual([]);
  });
});

describe('names find live objects only', () => {
  const web = { ...BASE, name: 'web-1', machineImage: 283735, dataCenter: 64716 };
  async function newVolume(): Promise<Volume> {
    const volume = Object.assign(new Volume(), { name: 'web-data', description: 'd', sizeInGb: 1, budget: 10287, dataCenter: 64716 });
    await volume.save({ wait: true });
    return volume;
  }

  it('a terminated server with the name of a live one is not a match; its id still reaches it', async () => {
    const old = await Server.launch(web, { wait: true });
    await old.terminate({ reason: 'replaced', wait: true });
    const live = await Server.launch(web, { wait: true });
    const volume = await newVolume();
    await volume.attach('web-1', { deviceId: '/dev/xvdh', wait: true });
    expect(volume.server?.serverId).toBe(live.serverId);
    expect((await findServer('web-1')).serverId).toBe(live.serverId);
    expect((await Server.findOne({ name: 'web-1' })).serverId).toBe(live.serverId);
    expect((await Volume.find({ server: 'web-1' })).map((v) => v.volumeId)).toEqual([volume.volumeId]);
    // Asking for a status sees every object; an id reaches the terminated one.
    expect((await Server.find({ name: 'web-1', status: 'TERMINATED' })).map((s) => s.serverId)).toEqual([old.serverId]);
    expect((await Server.get(old.serverId)).status).toBe('TERMINATED');
  });

  it('a name only terminated objects have is a NotFoundError, with one prefix, and nothing is written', async () => {
    const old = await Server.launch(web, { wait: true });
    await old.terminate({ reason: 'gone', wait: true });
    const volume = await newVolume();
    await emu().clearLog();
    const error = await volume.attach('web-1', { deviceId: '/dev/xvdh' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toMatch(/^Volume\.attach\(\) server: no Server "web-1"( \(|$)/);
    expect((await sent()).filter((r) => !r.startsWith('GET '))).toEqual([]);
  });
});

describe('text of digits: the id first, then a name', () => {
  const web = { ...BASE, machineImage: 283735, dataCenter: 64716 };
  async function newVolume(): Promise<Volume> {
    const volume = Object.assign(new Volume(), { name: 'digits-data', description: 'd', sizeInGb: 1, budget: 10287, dataCenter: 64716 });
    await volume.save({ wait: true });
    return volume;
  }

  it('digits that are only a name find the object so named, in actions and in find()', async () => {
    const named = await Server.launch({ ...web, name: '12345' }, { wait: true });
    const volume = await newVolume();
    await volume.attach('12345', { deviceId: '/dev/xvdh', wait: true });
    expect(volume.server?.serverId).toBe(named.serverId);
    expect((await Volume.find({ server: '12345' })).map((v) => v.volumeId)).toEqual([volume.volumeId]);
  });

  it("digits that are one object's id and another's name: an action refuses until a number or { name } says which", async () => {
    const named = await Server.launch({ ...web, name: '331810' }, { wait: true });
    const volume = await newVolume();
    await emu().clearLog();
    const error = await volume.attach('331810', { deviceId: '/dev/xvdh' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(
      new RegExp(`^Volume\\.attach\\(\\) server: "331810" is the id of Server 331810 \\(.+\\) and the name of Server ${named.serverId} \\(331810\\); give 331810 \\(a number\\) for the id, or \\{ name: '331810' \\} for the name$`),
    );
    expect((await sent()).filter((r) => !r.startsWith('GET '))).toEqual([]);
    await volume.attach({ name: '331810' }, { deviceId: '/dev/xvdh', wait: true });
    expect(volume.server?.serverId).toBe(named.serverId);
  });

  it('digits that are neither an id nor a name are a NotFoundError in find()', async () => {
    await expect(Volume.find({ server: '999999' })).rejects.toThrow(new NotFoundError({ message: 'Volume.find(): server: no Server has the id or the name "999999"' }));
  });
});

describe('action arguments by name', () => {
  it('volume.attach(serverName) looks the server up once, then attaches', async () => {
    const volume = await Volume.get(219001);
    await volume.attach('dpando-CentosLB', { deviceId: '/dev/xvdh', wait: true });
    const log = await sent();
    expect(log.slice(1, 3)).toEqual(['GET infrastructure/Server', 'PUT infrastructure/Volume/219001']);
    expect(volume.server?.serverId).toBe(339452);
  });

  it('assignBudget and assignGroups take names too', async () => {
    const server = await Server.get(331810);
    await server.assignBudget('Research');
    await server.assignGroups(['Admin', { name: 'Operations' }]);
    expect((await sent()).filter((r) => !r.startsWith('GET infrastructure/Server/'))).toEqual(['GET admin/BillingCode', 'PUT infrastructure/Server/331810', 'GET admin/Group', 'PUT infrastructure/Server/331810']);
    await server.reload();
    expect(server.budget).toBe(10288);
    expect(server.owningGroups?.map((g) => g.groupId)).toEqual([9465, 9466]);
  });
});

describe('deleting what is not there', () => {
  it('is NotFoundError, unless ignoreMissing: then it resolves with no job', async () => {
    await expect(new Volume(999999).delete()).rejects.toThrow(/404/);
    const gone = new Volume(999999);
    await expect(gone.delete({ ignoreMissing: true })).resolves.toBeUndefined();
    expect(gone.lastError).toBeNull();
    await expect(new Server(999999).terminate({ ignoreMissing: true })).resolves.toBeUndefined();
    expect((await sent()).map((r) => r.split('?')[0])).toEqual(['DELETE infrastructure/Volume/999999', 'DELETE infrastructure/Volume/999999', 'DELETE infrastructure/Server/999999']);
  });
});

describe('waiting for a delete', () => {
  it('resolves once the job is done, even though the object is then gone', async () => {
    const volume = new Volume(219003);
    const job = await volume.delete({ wait: true });
    expect(job?.status).toBe('COMPLETE');
    expect(volume.lastError).toBeNull();
    await expect(Volume.get(219003)).rejects.toThrow(/404/);
  });
});
