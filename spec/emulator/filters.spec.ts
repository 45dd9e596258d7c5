/**
 * Listing filters and detail levels: every documented filter narrows the
 * listing to matching items only, required filters answer 400 naming the filter, snake_case names
 * and Python-style booleans are accepted; `x-es-details: basic` keeps references id-only and
 * `extended` embeds the referenced objects.
 */
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { api } from '../support/emulator-http.js';

let emu: EmulatorHandle;
beforeAll(async () => { emu = await startEmulator(); });
afterAll(() => emu.close());

async function list(path: string, query?: Record<string, string>, details?: string): Promise<any[]> {
  const res = await api(emu, 'GET', path, { query, details });
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
  return res.json[Object.keys(res.json)[0]];
}

/** The filtered listing is a non-empty strict subset of `all` whose items all satisfy `match`. */
async function narrows(path: string, query: Record<string, string>, match: (item: any) => boolean, base: Record<string, string> = {}): Promise<void> {
  const all = await list(path, base);
  const some = await list(path, { ...base, ...query });
  expect(some.length).toBeGreaterThan(0);
  expect(some.length).toBeLessThan(all.length);
  for (const item of some) expect(match(item)).toBe(true);
  expect(all.filter(match).length).toBe(some.length);
}

describe('emulator: listing filters', () => {
  it.each([
    ['infrastructure/Server', { regionId: '19344' }, (s: any) => s.region.regionId === 19344],
    ['infrastructure/Volume', { regionId: '19343' }, (v: any) => v.region.regionId === 19343],
    ['infrastructure/Volume', { dataCenterId: '64352' }, (v: any) => v.dataCenter.dataCenterId === 64352],
    ['infrastructure/Snapshot', { regionId: '19344' }, (s: any) => s.region.regionId === 19344],
    ['infrastructure/Snapshot', { volumeId: '211309' }, (s: any) => s.volume.volumeId === 211309],
    ['infrastructure/MachineImage', { regionId: '19556' }, (i: any) => i.region.regionId === 19556],
    ['infrastructure/MachineImage', { registered: 'True' }, (i: any) => i.agentVersion > 0],
    ['network/Firewall', { regionId: '19343' }, (f: any) => f.region.regionId === 19343],
    ['geography/Region', { jurisdiction: 'JP' }, (r: any) => r.jurisdiction === 'JP'],
    ['geography/Region', { accountId: '16001' }, (r: any) => r.cloud.cloudId === 2],
    ['geography/Cloud', { publicOnly: 'True' }, (c: any) => c.privateCloud === false],
    ['admin/Account', { cloudId: '3' }, (a: any) => (a.cloudSubscription ?? a.cloudSubscriptionId).cloudId === 3],
    ['admin/ApiKey', { userId: '54321' }, (k: any) => k.user.userId === 54321],
  ] as Array<[string, Record<string, string>, (i: any) => boolean]>)('%s %j', async (path, query, match) => {
    await narrows(path, query, match);
  });

  it('accepts the snake_case names the original client sends (customer_id, group_id, account_id)', async () => {
    expect((await list('admin/Customer', { customer_id: '12345' })).map((c) => c.customerId)).toEqual([12345]);
    expect((await list('admin/Role', { group_id: '9848' })).map((r) => r.roleId)).toEqual([14039]);
    expect((await list('admin/Role', { account_id: '16000' })).map((r) => r.roleId).sort()).toEqual([13712, 14039]);
  });

  it('applies the MachineImage default active=true and honours active=False', async () => {
    const active = await list('infrastructure/MachineImage');
    expect(active.every((i) => i.status === 'ACTIVE')).toBe(true);
    const inactive = await list('infrastructure/MachineImage', { active: 'False' });
    expect(inactive.length).toBeGreaterThan(0);
    expect(inactive.every((i) => i.status !== 'ACTIVE')).toBe(true);
  });

  it('filters Network by regionId / dataCenterId / accountId and activeOnly, and refuses a listing with none of the three', async () => {
    const inRegion = await list('network/Network', { regionId: '19344', activeOnly: 'False' });
    expect(inRegion.map((n) => n.networkId).sort()).toEqual([20005, 20100]);
    expect((await list('network/Network', { regionId: '19344', activeOnly: 'True' })).map((n) => n.networkId)).toEqual([20005]);
    expect((await list('network/Network', { dataCenterId: '64340' })).map((n) => n.networkId)).toEqual([20001]);
    const none = await api(emu, 'GET', 'network/Network', { query: { activeOnly: 'True' } });
    expect(none.status).toBe(400);
    expect(none.json.error.message).toBe('You must specify either a dataCenterId, regionId, or accountId');
  });

  it('filters products and data centers by region, RDBMS products by region and engine', async () => {
    const dcs = await list('geography/DataCenter', { regionId: '19344' });
    expect(dcs.map((d) => d.dataCenterId)).toEqual([64351, 64352, 64353]);
    const products = await list('infrastructure/ServerProduct', { regionId: '19344' });
    expect(products.length).toBeGreaterThan(0);
    expect(products.every((p) => p.providerRegionId === 'us-west-2')).toBe(true);
    const rdbms = await list('platform/RelationalDatabaseProduct', { regionId: '19344', engine: 'mysql51' });
    expect(rdbms.map((p) => p.productId)).toEqual([3027, 3028]);
    const rules = await list('network/FirewallRule', { firewallId: '119182' });
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.every((r) => r.firewall.firewallId === 119182)).toBe(true);
    const envs = await list('automation/Environment', { cmAccountId: '3609' });
    expect(envs.every((e) => e.cmAccount.cmAccountId === 3609)).toBe(true);
  });

  it.each([
    ['geography/DataCenter', 'regionId'], ['infrastructure/ServerProduct', 'regionId'], ['network/FirewallRule', 'firewallId'],
    ['platform/StorageObject', 'regionId'], ['automation/Environment', 'cmAccountId'], ['automation/Personality', 'cmAccountId'], ['automation/Script', 'cmAccountId'],
  ])('answers 400 naming the required filter of %s', async (path, name) => {
    const res = await api(emu, 'GET', path);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(`${name} is a required filter for GET ${path} (e.g. ${path}?${name}=<value>)`);
  });

  it('answers 400 for malformed filter values', async () => {
    const id = await api(emu, 'GET', 'infrastructure/Server', { query: { regionId: 'oregon' } });
    expect(id.status).toBe(400);
    expect(id.json.error.message).toBe('regionId must be a numeric id, got "oregon"');
    const bool = await api(emu, 'GET', 'geography/Cloud', { query: { publicOnly: 'yes' } });
    expect(bool.json.error.message).toBe('publicOnly must be true or false, got "yes"');
    const scope = await api(emu, 'GET', 'geography/Region', { query: { scope: 'galaxy' } });
    expect(scope.json.error.message).toBe('scope must be one of all, account, got "galaxy"');
  });

  it('passes arbitrary RelationalDatabase parameters through as member filters', async () => {
    expect((await list('platform/RelationalDatabase', { engine: 'oracle11g' })).map((d) => d.relationalDatabaseId)).toEqual([12002]);
  });

  it('applies filters to HEAD x-es-count as well', async () => {
    const head = await api(emu, 'HEAD', 'infrastructure/Server', { query: { regionId: '19556' } });
    expect(head.headers['x-es-count']).toBe(String((await list('infrastructure/Server', { regionId: '19556' })).length));
  });
});

describe('emulator: detail levels (x-es-details basic and extended)', () => {
  it('basic: references are id-only objects', async () => {
    const [server] = await list('infrastructure/Server/331810', undefined, 'basic');
    expect(server.region).toEqual({ regionId: 19344 });
    expect(server.dataCenter).toEqual({ dataCenterId: 64351 });
    expect(server.machineImage).toEqual({ machineImageId: expect.any(Number) });
    expect(server.owningGroups).toEqual([{ groupId: 9465 }]);
  });

  it('extended: references are embedded, one level deep, and the stored object is unchanged', async () => {
    const [server] = await list('infrastructure/Server/331810', undefined, 'extended');
    expect(server.region).toMatchObject({ regionId: 19344, providerId: 'us-west-2', cloud: { cloudId: 1 } });
    expect(Object.keys(server.region.cloud)).toEqual(['cloudId']);
    expect(server.dataCenter).toMatchObject({ dataCenterId: 64351, name: expect.any(String) });
    expect(server.owningGroups[0]).toMatchObject({ groupId: 9465, name: 'Admin' });
    expect(server.owningUser).toMatchObject({ userId: 54321, email: expect.any(String) });
    expect(server.product).toMatchObject({ productId: expect.any(Number), providerProductId: expect.any(String) });
    const [again] = await list('infrastructure/Server/331810', undefined, 'basic');
    expect(again.region).toEqual({ regionId: 19344 });
  });

  it('extended applies to listings; unknown values mean basic', async () => {
    const volumes = await list('infrastructure/Volume', { regionId: '19344' }, 'extended');
    expect(volumes.every((v) => typeof v.dataCenter.name === 'string')).toBe(true);
    const [job] = await list('infrastructure/Server/331810', undefined, 'none');
    expect(job.region).toEqual({ regionId: 19344 });
  });
});
