/**
 * Seed data: the shipped fixtures (spec/fixtures) are served as they are (basic-style samples) or
 * with their embedded objects turned into references (extended-style samples); every reference in
 * the seed resolves to an existing object; the data is a pure function of the seed.
 */
import { isDeepStrictEqual } from 'node:util';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { api, getOne } from '../support/emulator-http.js';
import { loadFixture } from '../support/fixtures.js';

/** Reference member key (`regionId`) → the path of the resource it refers to, written out here. */
const REFERENCE_TARGETS: Record<string, string> = {
  accountId: 'admin/Account', billingCodeId: 'admin/BillingCode', customerId: 'admin/Customer', groupId: 'admin/Group', roleId: 'admin/Role',
  userId: 'admin/User', cmAccountId: 'automation/ConfigurationManagementAccount', cmServiceId: 'automation/ConfigurationManagementService',
  cmSystemId: 'automation/ConfigurationManagementSystem', deploymentId: 'automation/Deployment', tierId: 'automation/Tier', serviceId: 'automation/Service',
  dataSourceId: 'automation/DataSource', cloudId: 'geography/Cloud', dataCenterId: 'geography/DataCenter', regionId: 'geography/Region',
  machineImageId: 'infrastructure/MachineImage', serverId: 'infrastructure/Server', snapshotId: 'infrastructure/Snapshot', volumeId: 'infrastructure/Volume',
  firewallId: 'network/Firewall', networkId: 'network/Network', loadBalancerId: 'network/LoadBalancer',
};

const STORED = [
  'admin/Account', 'admin/ApiKey', 'admin/BillingCode', 'admin/Customer', 'admin/Group', 'admin/Job', 'admin/Role', 'admin/User',
  'automation/ConfigurationManagementAccount', 'automation/ConfigurationManagementService', 'automation/ConfigurationManagementSystem',
  'automation/Environment', 'automation/Personality', 'automation/Script', 'automation/Deployment', 'automation/Tier', 'automation/Service',
  'automation/LaunchConfiguration', 'automation/DataSource', 'automation/DataSourceBackup', 'geography/Cloud', 'geography/DataCenter', 'geography/Region',
  'geography/Subscription', 'infrastructure/MachineImage', 'infrastructure/Server', 'infrastructure/ServerProduct', 'infrastructure/Snapshot',
  'infrastructure/Volume', 'network/Firewall', 'network/FirewallRule', 'network/LoadBalancer', 'network/Network', 'platform/RelationalDatabase',
  'platform/RelationalDatabaseProduct', 'platform/StorageObject',
];

const ID_KEYS: Record<string, string> = {
  'admin/ApiKey': 'accessKey', 'geography/Subscription': 'regionId', 'automation/Environment': 'sharedEnvironmentCode',
  'automation/Personality': 'sharedPersonalityCode', 'automation/Script': 'sharedScriptCode', 'infrastructure/ServerProduct': 'productId',
  'platform/RelationalDatabaseProduct': 'productId', 'network/FirewallRule': 'firewallRuleId',
  'automation/ConfigurationManagementAccount': 'cmAccountId', 'automation/ConfigurationManagementService': 'cmServiceId',
  'automation/ConfigurationManagementSystem': 'cmSystemId',
};

let emu: EmulatorHandle;
beforeAll(async () => { emu = await startEmulator(); });
afterAll(() => emu.close());

describe('emulator seed data', () => {
  it.each([
    ['admin/billing_code.json', 'admin/BillingCode', 'billingCodeId'],
    ['admin/job.json', 'admin/Job', 'jobId'],
    ['admin/role.json', 'admin/Role', 'roleId'],
    ['admin/user.json', 'admin/User', 'userId'],
    ['automation/configuration_management_account.json', 'automation/ConfigurationManagementAccount', 'cmAccountId'],
    ['geography/subscription.json', 'geography/Subscription', 'regionId'],
    ['infrastructure/volume.json', 'infrastructure/Volume', 'volumeId'],
    ['network/load_balancer.json', 'network/LoadBalancer', 'loadBalancerId'],
    ['admin/group.json', 'admin/Group', 'groupId'],
  ])('serves every item of %s by id, as shipped', async (file, path, idKey) => {
    const items = Object.values(loadFixture(file))[0];
    for (const item of items) {
      const served = await getOne(emu, `${path}/${item[idKey]}`);
      // Groups gain the roleAssignments the role filters need; every shipped member is unchanged.
      if (path === 'admin/Group') expect(served).toMatchObject(item);
      else expect(served).toEqual(item);
    }
  });

  it('serves the extended-style server sample with references in basic detail and embedded ones in extended detail', async () => {
    for (const item of Object.values(loadFixture('infrastructure/server.json'))[0] as any[]) {
      const basic = await getOne(emu, `infrastructure/Server/${item.serverId}`);
      const extended = await getOne(emu, `infrastructure/Server/${item.serverId}`, 'extended');
      expect(Object.keys(basic).sort()).toEqual(Object.keys(item).sort());
      for (const [key, value] of Object.entries(item)) {
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          const idKey = Object.keys(basic[key])[0];
          expect(basic[key]).toEqual({ [idKey]: (value as any)[idKey] });
          expect(extended[key][idKey]).toBe((value as any)[idKey]);
        } else if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
          expect(basic[key].length).toBe(value.length);
        } else {
          expect(basic[key]).toEqual(value);
        }
      }
    }
  });

  it('resolves every reference in every stored type (except the two foreign ones kept from the samples)', async () => {
    const tables = new Map<string, Set<unknown>>();
    for (const path of STORED) {
      const idKey = ID_KEYS[path] ?? `${path.split('/')[1][0].toLowerCase()}${path.split('/')[1].slice(1)}Id`;
      tables.set(path, new Set((await emu.items(path)).map((i) => i[idKey])));
    }
    const dangling: string[] = [];
    const check = (path: string, field: string, value: unknown) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
      const keys = Object.keys(value);
      if (keys.length !== 1 || !REFERENCE_TARGETS[keys[0]]) return;
      const id = (value as any)[keys[0]];
      if (keys[0] === 'userId' && id === -1) return; // account-level API keys
      if (path === 'infrastructure/MachineImage' && field === 'owningAccount' && id === 1700) return; // public image of a vendor account
      if (!tables.get(REFERENCE_TARGETS[keys[0]])?.has(id)) dangling.push(`${path}.${field} → ${REFERENCE_TARGETS[keys[0]]} ${id}`);
    };
    for (const path of STORED) {
      for (const item of await emu.items(path)) {
        for (const [field, value] of Object.entries(item)) {
          if (Array.isArray(value)) value.forEach((v) => check(path, field, v));
          else check(path, field, value);
        }
      }
    }
    expect(dangling).toEqual([]);
    expect(tables.get('admin/ApiKey')?.has('DEMOACCESSKEY')).toBe(true);
  });

  it('is a pure function of the seed: same seed, same data; another seed changes generated values only', async () => {
    const again = await startEmulator({ seed: 1 });
    const other = await startEmulator({ seed: 2, servers: 5 });
    try {
      for (const path of ['infrastructure/Volume', 'network/FirewallRule', 'platform/StorageObject']) {
        expect(await again.items(path)).toEqual(await emu.items(path));
      }
      const mine = await emu.items('network/FirewallRule');
      const theirs = await other.items('network/FirewallRule');
      expect(isDeepStrictEqual(mine, theirs)).toBe(false);
      expect((await api(other, 'GET', 'admin/Job/2')).json.jobs[0].message).toBe('339452');
      expect(await other.items('infrastructure/Server')).toHaveLength(13 + 5);
    } finally {
      await again.close();
      await other.close();
    }
  });
});
