/**
 * Every resource route of the API: collection GET (with its required filters), GET by id in a
 * one-element envelope, 404 naming type and id, HEAD x-es-count. The expectations (path,
 * collection, id member, required filters of each of the API's resource types) are written out
 * here rather than read from the emulator's own table.
 */
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { api } from '../support/emulator-http.js';

interface Row {
  path: string;
  collection: string;
  idKey: string;
  query?: Record<string, string>;
  missingId: string;
}

const ROWS: Row[] = [
  { path: 'admin/Account', collection: 'accounts', idKey: 'accountId', missingId: '999' },
  { path: 'admin/ApiKey', collection: 'apiKeys', idKey: 'accessKey', missingId: 'NOPE' },
  { path: 'admin/BillingCode', collection: 'billingCodes', idKey: 'billingCodeId', missingId: '999' },
  { path: 'admin/Customer', collection: 'customers', idKey: 'customerId', missingId: '999' },
  { path: 'admin/Group', collection: 'groups', idKey: 'groupId', missingId: '999' },
  { path: 'admin/Job', collection: 'jobs', idKey: 'jobId', missingId: '999999' },
  { path: 'admin/Role', collection: 'roles', idKey: 'roleId', missingId: '999' },
  { path: 'admin/User', collection: 'users', idKey: 'userId', missingId: '999' },
  { path: 'automation/ConfigurationManagementAccount', collection: 'cmAccounts', idKey: 'cmAccountId', missingId: '999' },
  { path: 'automation/ConfigurationManagementService', collection: 'cmServices', idKey: 'cmServiceId', missingId: '999' },
  { path: 'automation/ConfigurationManagementSystem', collection: 'cmSystems', idKey: 'cmSystemId', missingId: '999' },
  { path: 'automation/Environment', collection: 'environments', idKey: 'sharedEnvironmentCode', query: { cmAccountId: '3610' }, missingId: 'none' },
  { path: 'automation/Personality', collection: 'personalities', idKey: 'sharedPersonalityCode', query: { cmAccountId: '3610' }, missingId: 'none' },
  { path: 'automation/Script', collection: 'scripts', idKey: 'sharedScriptCode', query: { cmAccountId: '3610' }, missingId: 'none' },
  { path: 'geography/Cloud', collection: 'clouds', idKey: 'cloudId', missingId: '999' },
  { path: 'geography/DataCenter', collection: 'dataCenters', idKey: 'dataCenterId', query: { regionId: '19344' }, missingId: '999' },
  { path: 'geography/Region', collection: 'regions', idKey: 'regionId', missingId: '999' },
  { path: 'geography/Subscription', collection: 'subscriptions', idKey: 'regionId', missingId: '999' },
  { path: 'infrastructure/MachineImage', collection: 'images', idKey: 'machineImageId', missingId: '999' },
  { path: 'infrastructure/Server', collection: 'servers', idKey: 'serverId', missingId: '999' },
  { path: 'infrastructure/ServerProduct', collection: 'serverProducts', idKey: 'productId', query: { regionId: '19344' }, missingId: '999999' },
  { path: 'infrastructure/Snapshot', collection: 'snapshots', idKey: 'snapshotId', missingId: '999' },
  { path: 'infrastructure/Volume', collection: 'volumes', idKey: 'volumeId', missingId: '999' },
  { path: 'network/Firewall', collection: 'firewalls', idKey: 'firewallId', missingId: '999' },
  { path: 'network/FirewallRule', collection: 'rules', idKey: 'firewallRuleId', query: { firewallId: '116387' }, missingId: '999' },
  { path: 'network/LoadBalancer', collection: 'loadBalancers', idKey: 'loadBalancerId', missingId: '999' },
  { path: 'network/Network', collection: 'networks', idKey: 'networkId', query: { regionId: '19344' }, missingId: '999' },
  { path: 'platform/RelationalDatabase', collection: 'relationalDatabases', idKey: 'relationalDatabaseId', missingId: '999' },
  { path: 'platform/RelationalDatabaseProduct', collection: 'rdbmsProducts', idKey: 'productId', query: { regionId: '19344', engine: 'MYSQL' }, missingId: '1' },
  { path: 'platform/StorageObject', collection: 'storageObjects', idKey: 'storageObjectId', query: { regionId: '19344' }, missingId: '999' },
  { path: 'automation/Deployment', collection: 'deployments', idKey: 'deploymentId', missingId: '999' },
  { path: 'automation/Tier', collection: 'tiers', idKey: 'tierId', missingId: '999' },
  { path: 'automation/Service', collection: 'services', idKey: 'serviceId', missingId: '999' },
  { path: 'automation/LaunchConfiguration', collection: 'launchConfigurations', idKey: 'launchConfigurationId', missingId: '999' },
  { path: 'automation/DataSource', collection: 'dataSources', idKey: 'dataSourceId', missingId: '999' },
  { path: 'automation/DataSourceBackup', collection: 'dataSourceBackups', idKey: 'dataSourceBackupId', missingId: '999' },
];

describe('emulator: every resource route (collection, by id, 404, HEAD count)', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator(); });
  afterAll(() => emu.close());

  it('covers the 36 stored rows here plus License and the two analytics types below (39)', () => {
    expect(ROWS.length + 3).toBe(39);
  });

  describe.each(ROWS)('$path', (row) => {
    it(`lists items in the "${row.collection}" envelope`, async () => {
      const res = await api(emu, 'GET', row.path, { query: row.query });
      expect(res.status).toBe(200);
      expect(Object.keys(res.json)).toEqual([row.collection]);
      expect(res.json[row.collection].length).toBeGreaterThan(0);
      for (const item of res.json[row.collection]) expect(item[row.idKey]).toBeDefined();
    });

    it('returns one object by id as a one-element envelope', async () => {
      const list = (await api(emu, 'GET', row.path, { query: row.query })).json[row.collection];
      const id = list[list.length - 1][row.idKey];
      const res = await api(emu, 'GET', `${row.path}/${encodeURIComponent(String(id))}`);
      expect(res.status).toBe(200);
      expect(res.json[row.collection]).toHaveLength(1);
      expect(res.json[row.collection][0][row.idKey]).toBe(id);
    });

    it('answers 404 with the DCM error body naming type and id', async () => {
      const res = await api(emu, 'GET', `${row.path}/${row.missingId}`);
      expect(res.status).toBe(404);
      const type = row.path.split('/')[1];
      expect(res.json).toEqual({ error: { message: `No such ${type} ID: ${row.missingId}` } });
    });

    it('answers HEAD with x-es-count equal to the listing length and no body', async () => {
      const list = (await api(emu, 'GET', row.path, { query: row.query })).json[row.collection];
      const head = await api(emu, 'HEAD', row.path, { query: row.query });
      expect(head.status).toBe(200);
      expect(head.text).toBe('');
      expect(head.headers['x-es-count']).toBe(String(list.length));
    });
  });

  it('serves admin/License as a flat object without an envelope', async () => {
    const res = await api(emu, 'GET', 'admin/License');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      expirationDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      daysUntilExpiration: expect.any(Number), licensee: expect.any(String), serverLimit: 0, valid: true,
    });
    expect((await api(emu, 'HEAD', 'admin/License')).headers['x-es-count']).toBe('1');
  });

  it('serves ServerAnalytics by server id, with string-encoded metrics', async () => {
    const res = await api(emu, 'GET', 'analytics/ServerAnalytics/331810');
    expect(res.status).toBe(200);
    const [item] = res.json.analytics;
    expect(item.serverId).toBe(331810);
    expect(item.dataPoints.length).toBeGreaterThan(0);
    expect(typeof item.dataPoints[0].guest.cpuUtilization).toBe('string');
    expect(typeof item.dataPoints[0].hypervisor.averageCpuUtilization).toBe('string');
    // The form the client sends: ?server_id= (snake_case).
    const viaQuery = await api(emu, 'GET', 'analytics/ServerAnalytics', { query: { server_id: '331810' } });
    expect(viaQuery.json.analytics[0].serverId).toBe(331810);
    expect((await api(emu, 'GET', 'analytics/ServerAnalytics/1')).json.error.message).toBe('No such Server ID: 1');
    const none = await api(emu, 'GET', 'analytics/ServerAnalytics');
    expect(none.status).toBe(400);
    expect(none.json.error.message).toMatch(/serverId is a required filter/);
  });

  it('serves TierAnalytics by tier id', async () => {
    const res = await api(emu, 'GET', 'analytics/TierAnalytics/5001');
    expect(res.status).toBe(200);
    expect(res.json.analytics[0]).toMatchObject({ tierId: 5001, intervalInMinutes: 15 });
    expect(typeof res.json.analytics[0].dataPoints[0].averageCpuUtilization).toBe('string');
    expect((await api(emu, 'GET', 'analytics/TierAnalytics/42')).json.error.message).toBe('No such Tier ID: 42');
  });

  it('keys Subscription by regionId and ApiKey by the string access key', async () => {
    expect((await api(emu, 'GET', 'geography/Subscription/19344')).json.subscriptions[0]).toMatchObject({ regionId: 19344, subscribedServer: true });
    expect((await api(emu, 'GET', 'admin/ApiKey/SLARTIBARTFAST')).json.apiKeys[0]).toMatchObject({ accessKey: 'SLARTIBARTFAST', name: 'brian-api' });
  });

  it('answers 400 for a non-numeric id of a numeric type', async () => {
    const res = await api(emu, 'GET', 'infrastructure/Server/abc');
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/serverId must be a numeric id, got "abc"/);
  });

  it('answers 405 for a method a resource does not support', async () => {
    const res = await api(emu, 'POST', 'geography/Region', { body: { addRegion: [{}] } });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('includes the shipped fixture items', async () => {
    const ids = async (path: string, key: string, query?: Record<string, string>) => {
      const res = await api(emu, 'GET', path, { query });
      return res.json[Object.keys(res.json)[0]].map((i: any) => i[key]);
    };
    expect(await ids('admin/Job', 'jobId')).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
    expect(await ids('admin/BillingCode', 'billingCodeId')).toEqual(expect.arrayContaining([10287, 10670]));
    expect(await ids('admin/Group', 'groupId')).toEqual(expect.arrayContaining([9465, 9848]));
    expect(await ids('admin/User', 'userId')).toEqual(expect.arrayContaining([9876, 6789]));
    expect(await ids('admin/Role', 'roleId')).toEqual(expect.arrayContaining([14039, 13712]));
    expect(await ids('admin/ApiKey', 'accessKey')).toEqual(expect.arrayContaining(['ABCDEFGHIJKL', 'OXDEADBEAF', 'SLARTIBARTFAST']));
    expect(await ids('automation/ConfigurationManagementAccount', 'cmAccountId')).toEqual(expect.arrayContaining([3609, 3610]));
    expect(await ids('network/LoadBalancer', 'loadBalancerId')).toEqual(expect.arrayContaining([12516, 10924]));
    expect(await ids('geography/Subscription', 'regionId')).toEqual(expect.arrayContaining([19340, 19341, 19342, 19343, 19344, 19345, 19346, 19556]));
    expect(await ids('infrastructure/Server', 'serverId')).toEqual(expect.arrayContaining([322765, 325853, 325841, 329613, 311540, 329611, 338943, 338942, 326787, 338941, 324466, 331810]));
    expect(await ids('infrastructure/Volume', 'volumeId')).toEqual(expect.arrayContaining([211309, 212637, 205535, 215683, 218238]));
    const job5 = (await api(emu, 'GET', 'admin/Job/5')).json.jobs[0];
    expect(job5).toEqual({ description: 'Perform task 56', endDate: '2013-01-08T21:44:55.698+0000', jobId: 5, message: 'kaboom!', startDate: '2013-01-08T21:44:50.067+0000', status: 'ERROR' });
  });
});
