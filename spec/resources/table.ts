/**
 * THE table of the resource specs. Per resource class: the payload items it must load (a shipped
 * fixture, else items shaped as the API documents them, taken from the emulator's seed). Per action: how to
 * call it and the exact request it must send (method, path, query, body) with the API's answer.
 *
 * completeness.spec.ts checks this table against the registry (every class, every @action);
 * load.spec.ts and actions.spec.ts iterate it with nock. Coverage therefore cannot drift: a new
 * class or action without a row here fails the completeness spec.
 */
import { buildSeed } from '../../lib/emulator/seed/index.js';
import { serverAnalytics, tierAnalytics } from '../../lib/emulator/analytics.js';
import {
  Account, ApiKey, BillingCode, Customer, Group, Job, License, Role, User,
  ServerAnalytics, TierAnalytics,
  ConfigurationManagementAccount, ConfigurationManagementService, ConfigurationManagementSystem, DataSource, DataSourceBackup,
  Deployment, Environment, LaunchConfiguration, Personality, Script, Service, Tier,
  Cloud, DataCenter, Region, Subscription,
  MachineImage, Server, ServerProduct, Snapshot, Volume,
  Firewall, FirewallRule, LoadBalancer, Network,
  RelationalDatabase, RelationalDatabaseProduct, StorageObject,
  type Resource, type ResourceBase, type ResourceClass,
} from '../../lib/index.js';
import { loadFixture } from '../support/fixtures.js';

type Item = Record<string, unknown>;

export interface LoadCase {
  /** Any resource class, Job included (a Job is a ResourceBase). */
  cls: ResourceClass<ResourceBase>;
  /** `fixture:<scope>/<file>` (shipped in spec/fixtures) or `seed` (shaped as documented, by the emulator's seed) or `reference`. */
  source: string;
  items: Item[];
  /** Filters the listing needs (its required filters). */
  filters?: Record<string, string | number>;
  /** Read single objects by id (default true; false for listing-only types). */
  single?: boolean;
  /** Read the collection (default true; false where the API has no listing). */
  list?: boolean;
}

export interface ExpectedRequest {
  method: 'POST' | 'PUT' | 'DELETE';
  /** Below the API root, e.g. `infrastructure/Server/331810`. */
  path: string;
  /** Exact query parameters (values as strings); `{}` = none. */
  query?: Record<string, string>;
  /** Exact JSON body; absent = no body. */
  body?: unknown;
}

export interface ActionCase {
  cls: ResourceClass;
  /** The method name declared with @action. */
  action: string;
  title: string;
  make: () => Resource;
  call: (obj: never) => Promise<unknown>;
  request: ExpectedRequest;
  reply: { status: number; body?: unknown };
  /** For creates answered 201 (or 418 with the item): the identifier the object must adopt. */
  adopts?: string | number;
  /** For creates: the attributes it requires; a new empty object must list them all and send nothing. */
  required?: string[];
}

// ---------------------------------------------------------------------------------------------
// Payloads

const fixture = (path: string, collection: string): Item[] => loadFixture(path)[collection] as Item[];

const SEED = buildSeed({ seed: 1, servers: 0, keys: [{ accessKey: 'ak', secretKey: 'sk' }] });
/** A few items of one emulator seed table (deep copies). */
function seed(path: string, count = 3): Item[] {
  const table = SEED.tables[path];
  if (!table?.length) throw new Error(`the emulator seed has no ${path} items`);
  return structuredClone(table.slice(0, count)) as Item[];
}

const NOW = Date.UTC(2015, 4, 25, 12, 0, 0);

export const LOADS: LoadCase[] = [
  { cls: Account, source: 'seed', items: seed('admin/Account') },
  { cls: ApiKey, source: 'fixture:admin/apikey.json', items: fixture('admin/apikey.json', 'apiKeys') },
  { cls: BillingCode, source: 'fixture:admin/billing_code.json', items: fixture('admin/billing_code.json', 'billingCodes') },
  { cls: Customer, source: 'seed', items: seed('admin/Customer'), single: false },
  { cls: Group, source: 'fixture:admin/group.json', items: fixture('admin/group.json', 'groups') },
  { cls: Job, source: 'fixture:admin/job.json', items: fixture('admin/job.json', 'jobs') },
  { cls: License, source: 'seed', items: [structuredClone(SEED.license) as Item] },
  { cls: Role, source: 'fixture:admin/role.json', items: fixture('admin/role.json', 'roles') },
  { cls: User, source: 'fixture:admin/user.json', items: fixture('admin/user.json', 'users') },
  { cls: ServerAnalytics, source: 'seed', items: [serverAnalytics(1, 331810, {}, NOW)], list: false, filters: { serverId: 331810 } },
  { cls: TierAnalytics, source: 'seed', items: [tierAnalytics(1, 900, {}, NOW)], list: false, filters: { tierId: 900 } },
  { cls: ConfigurationManagementAccount, source: 'fixture:automation/configuration_management_account.json', items: fixture('automation/configuration_management_account.json', 'cmAccounts') },
  { cls: ConfigurationManagementService, source: 'seed', items: seed('automation/ConfigurationManagementService'), single: false },
  { cls: ConfigurationManagementSystem, source: 'seed', items: seed('automation/ConfigurationManagementSystem'), single: false },
  { cls: Environment, source: 'seed', items: seed('automation/Environment'), single: false, filters: { cmAccountId: 3609 } },
  { cls: Personality, source: 'seed', items: seed('automation/Personality'), single: false, filters: { cmAccountId: 3609 } },
  { cls: Script, source: 'seed', items: seed('automation/Script'), single: false, filters: { cmAccountId: 3609 } },
  { cls: Deployment, source: 'seed', items: seed('automation/Deployment') },
  { cls: Tier, source: 'seed', items: seed('automation/Tier') },
  { cls: Service, source: 'seed', items: seed('automation/Service') },
  { cls: LaunchConfiguration, source: 'seed', items: seed('automation/LaunchConfiguration') },
  { cls: DataSource, source: 'seed', items: seed('automation/DataSource'), single: false },
  { cls: DataSourceBackup, source: 'seed', items: seed('automation/DataSourceBackup'), single: false },
  { cls: Cloud, source: 'seed', items: seed('geography/Cloud') },
  { cls: DataCenter, source: 'seed', items: seed('geography/DataCenter'), filters: { regionId: 19344 } },
  { cls: Region, source: 'seed', items: seed('geography/Region') },
  { cls: Subscription, source: 'fixture:geography/subscription.json', items: fixture('geography/subscription.json', 'subscriptions') },
  { cls: MachineImage, source: 'seed', items: seed('infrastructure/MachineImage') },
  { cls: Server, source: 'fixture:infrastructure/server.json', items: fixture('infrastructure/server.json', 'servers') },
  { cls: ServerProduct, source: 'seed', items: seed('infrastructure/ServerProduct'), filters: { regionId: 19344 } },
  { cls: Snapshot, source: 'seed', items: seed('infrastructure/Snapshot') },
  { cls: Volume, source: 'fixture:infrastructure/volume.json', items: fixture('infrastructure/volume.json', 'volumes') },
  { cls: Firewall, source: 'seed', items: seed('network/Firewall') },
  { cls: FirewallRule, source: 'seed', items: seed('network/FirewallRule'), filters: { firewallId: 130001 } },
  { cls: LoadBalancer, source: 'fixture:network/load_balancer.json', items: fixture('network/load_balancer.json', 'loadBalancers') },
  { cls: Network, source: 'seed', items: seed('network/Network'), filters: { regionId: 19344 } },
  { cls: RelationalDatabase, source: 'seed', items: seed('platform/RelationalDatabase') },
  { cls: RelationalDatabaseProduct, source: 'seed', items: seed('platform/RelationalDatabaseProduct'), filters: { regionId: 19344, engine: 'MYSQL' } },
  { cls: StorageObject, source: 'seed', items: seed('platform/StorageObject'), filters: { regionId: 19344 } },
];

// ---------------------------------------------------------------------------------------------
// Actions

/** A 202 answer: the job the API started. */
export const JOB = (jobId = 84322): { status: number; body: unknown } => ({ status: 202, body: { jobs: [{ jobId, status: 'RUNNING' }] } });
const NO_CONTENT = { status: 204 };

/** A new object with attributes assigned through the setters. */
function build<T extends Resource>(cls: new () => T, attributes: Record<string, unknown>): T {
  return Object.assign(new cls(), attributes);
}

const LAUNCH = {
  name: 'my-test-server', description: 'unit test server', budget: 10287, providerProductId: 'm1.xlarge', machineImage: 284831, dataCenter: 64716,
};

export const ACTIONS: ActionCase[] = [
  // admin/Account
  {
    cls: Account, action: 'add', title: 'with admin defaults',
    make: () => build(Account, { name: 'lab', accountNumber: '1234-5678', cloud: 1, apiKeyId: 'AKID', apiKeySecret: 'SECRET', customer: 12345 }),
    call: (a: Account) => a.add(),
    request: { method: 'POST', path: 'admin/Account', body: { addAccount: [{ name: 'lab', cloudSubscription: { accountNumber: '1234-5678', cloudId: 1, apiKeyId: 'AKID', apiKeySecret: 'SECRET' }, customer: { customerId: 12345 }, setAdminDefaults: true }] } },
    reply: { status: 201, body: { accounts: [{ accountId: 17001, name: 'lab' }] } },
    adopts: 17001,
    required: ['name', 'accountNumber', 'cloud', 'apiKeyId', 'apiKeySecret'],
  },
  {
    cls: Account, action: 'add', title: 'for a group with a role and budget codes',
    make: () => build(Account, { name: 'lab', accountNumber: '1', cloud: 1, apiKeyId: 'K', apiKeySecret: 'S' }),
    call: (a: Account) => a.add({ groupId: 9465, roleId: 14039, budgetCodes: 'BC-1, BC-2' }),
    request: { method: 'POST', path: 'admin/Account', body: { addAccount: [{ name: 'lab', cloudSubscription: { accountNumber: '1', cloudId: 1, apiKeyId: 'K', apiKeySecret: 'S' }, groupBudgetCodes: [{ groupId: 9465, budgetCodes: ['BC-1', 'BC-2'] }], groupRoles: [{ roleId: 14039, groupId: 9465 }] }] } },
    reply: { status: 201, body: { accounts: [{ accountId: 17002 }] } },
    adopts: 17002,
  },
  {
    cls: Account, action: 'assignCloud', title: 'nests the subscription under an accounts OBJECT',
    make: () => new Account(16000),
    call: (a: Account) => a.assignCloud({ cloudId: 1, accountNumber: '1234', apiKeyId: 'AK', apiKeySecret: 'SK' }),
    request: { method: 'PUT', path: 'admin/Account/16000', body: { assignCloud: { accounts: { cloudSubscription: { cloudId: 1, accountNumber: '1234', apiKeyId: 'AK', apiKeySecret: 'SK' } } } } },
    reply: NO_CONTENT,
  },
  // admin/ApiKey
  {
    cls: ApiKey, action: 'generate', title: 'adopts the string access key',
    make: () => build(ApiKey, { name: 'ci', description: 'for CI' }),
    call: (k: ApiKey) => k.generate(),
    request: { method: 'POST', path: 'admin/ApiKey', body: { generateApiKey: [{ description: 'for CI', name: 'ci' }] } },
    reply: { status: 201, body: { apiKeys: [{ accessKey: 'NEWACCESSKEY', secretKey: 'newsecret', name: 'ci', description: 'for CI', state: 'ACTIVE' }] } },
    adopts: 'NEWACCESSKEY',
    required: ['name', 'description'],
  },
  {
    cls: ApiKey, action: 'invalidate', title: 'default reason',
    make: () => new ApiKey('ABCDEFGHIJKL'),
    call: (k: ApiKey) => k.invalidate(),
    request: { method: 'DELETE', path: 'admin/ApiKey/ABCDEFGHIJKL', query: { reason: 'key deleted via mixcoatl' } },
    reply: NO_CONTENT,
  },
  // admin/BillingCode
  {
    cls: BillingCode, action: 'add', title: 'quotas in USD',
    make: () => build(BillingCode, { name: 'Lab', financeCode: 'LAB-1', description: 'lab budget', softQuota: 100, hardQuota: { value: 200, currency: 'USD' } }),
    call: (b: BillingCode) => b.add(),
    request: { method: 'POST', path: 'admin/BillingCode', body: { addBillingCode: [{ softQuota: { value: 100, currency: 'USD' }, hardQuota: { value: 200, currency: 'USD' }, status: 'ACTIVE', name: 'Lab', financeCode: 'LAB-1', description: 'lab budget' }] } },
    reply: { status: 201, body: { billingCodes: [{ billingCodeId: 10999 }] } },
    adopts: 10999,
    required: ['softQuota', 'hardQuota', 'name', 'financeCode', 'description'],
  },
  {
    cls: BillingCode, action: 'delete', title: 'with reason and replacement code',
    make: () => new BillingCode(10670),
    call: (b: BillingCode) => b.delete({ reason: 'merged', replacementCode: new BillingCode(10287) }),
    request: { method: 'DELETE', path: 'admin/BillingCode/10670', query: { reason: 'merged', replacementCode: '10287' } },
    reply: NO_CONTENT,
  },
  // admin/Group
  {
    cls: Group, action: 'create', title: 'addGroup is an object',
    make: () => build(Group, { name: 'ops', description: 'operators' }),
    call: (g: Group) => g.create(),
    request: { method: 'POST', path: 'admin/Group', body: { addGroup: { group: { name: 'ops', description: 'operators' } } } },
    reply: { status: 201, body: { groups: [{ groupId: 9999, name: 'ops' }] } },
    adopts: 9999,
    required: ['name', 'description'],
  },
  {
    cls: Group, action: 'setRole', title: 'role in an account',
    make: () => new Group(9465),
    call: (g: Group) => g.setRole({ role: 14039, account: 16000 }),
    request: { method: 'PUT', path: 'admin/Group/9465', body: { setRole: { group: { role: { roleId: 14039 }, account: { accountId: 16000 } } } } },
    reply: NO_CONTENT,
  },
  {
    cls: Group, action: 'describe', title: 'sends only the members given',
    make: () => new Group(9465),
    call: (g: Group) => g.describe({ name: 'renamed' }),
    request: { method: 'PUT', path: 'admin/Group/9465', body: { describeGroup: { group: { name: 'renamed' } } } },
    reply: NO_CONTENT,
  },
  {
    cls: Group, action: 'addRoleAssignments', title: 'with budget codes',
    make: () => new Group(9465),
    call: (g: Group) => g.addRoleAssignments({ roleAssignments: [{ accountId: 16000, roleId: 14039 }], groupAccountBudgetCodes: [{ accountId: 16000, budgetCodes: [10287] }] }),
    request: { method: 'PUT', path: 'admin/Group/9465', body: { addRoleAssignments: { group: { roleAssignments: [{ accountId: 16000, roleId: 14039 }], groupAccountBudgetCodes: [{ accountId: 16000, budgetCodes: [10287] }] } } } },
    reply: NO_CONTENT,
  },
  {
    cls: Group, action: 'delete', title: 'no parameters',
    make: () => new Group(9848),
    call: (g: Group) => g.delete(),
    request: { method: 'DELETE', path: 'admin/Group/9848', query: {} },
    reply: NO_CONTENT,
  },
  // admin/Role
  {
    cls: Role, action: 'create', title: 'status ACTIVE',
    make: () => build(Role, { name: 'auditor', description: 'read only' }),
    call: (r: Role) => r.create(),
    request: { method: 'POST', path: 'admin/Role', body: { addRole: [{ status: 'ACTIVE', name: 'auditor', description: 'read only' }] } },
    reply: { status: 201, body: { roles: [{ roleId: 51200 }] } },
    adopts: 51200,
    required: ['name', 'description'],
  },
  {
    cls: Role, action: 'grant', title: 'an ACL document { access: [...] }',
    make: () => new Role(51200),
    call: (r: Role) => r.grant({ access: [{ action: 'Attach', qualifier: 'MINE', resourceType: 'VOLUME' }] }),
    request: { method: 'PUT', path: 'admin/Role/51200', body: { grant: [{ acl: [{ action: 'Attach', qualifier: 'MINE', resourceType: 'VOLUME', role: 51200 }] }] } },
    reply: NO_CONTENT,
  },
  // admin/User
  {
    cls: User, action: 'create', title: 'with every group and billing code',
    make: () => build(User, { givenName: 'John', familyName: 'Vincent', email: 'j@example.com', groups: [9465], account: 16000, billingCodes: [10287, 10670], password: 'pw' }),
    call: (u: User) => u.create(),
    request: { method: 'POST', path: 'admin/User', body: { addUser: [{ givenName: 'John', familyName: 'Vincent', email: 'j@example.com', groups: [{ groupId: 9465 }], account: { accountId: 16000 }, billingCodes: [{ billingCodeId: 10287 }, { billingCodeId: 10670 }], password: 'pw' }] } },
    reply: { status: 201, body: { users: [{ userId: 7777 }] } },
    adopts: 7777,
    required: ['givenName', 'familyName', 'email', 'groups', 'account', 'billingCodes'],
  },
  {
    cls: User, action: 'grant', title: 'account access',
    make: () => new User(9876),
    call: (u: User) => u.grant({ account: 16000, groups: [9465, new Group(9848)], billingCodes: 10287 }),
    request: { method: 'PUT', path: 'admin/User/9876', body: { grant: [{ account: { accountId: 16000 }, groups: [{ groupId: 9465 }, { groupId: 9848 }], billingCodes: [{ billingCodeId: 10287 }] }] } },
    reply: NO_CONTENT,
  },
  // automation
  {
    cls: ConfigurationManagementService, action: 'create', title: 'cmSystemID with a capital ID',
    make: () => build(ConfigurationManagementService, { budget: 201, serviceEndpoint: 'http://chef.example.com', description: 'chef', name: 'chef', cmSystem: 1 }),
    call: (c: ConfigurationManagementService) => c.create(),
    request: { method: 'POST', path: 'automation/ConfigurationManagementService', body: { addService: [{ budget: 201, serviceEndpoint: 'http://chef.example.com', description: 'chef', name: 'chef', label: 'red', cmSystem: { cmSystemID: 1 } }] } },
    reply: { status: 201, body: { cmServices: [{ cmServiceId: 4400 }] } },
    adopts: 4400,
    required: ['budget', 'serviceEndpoint', 'description', 'name', 'cmSystem'],
  },
  {
    cls: Deployment, action: 'create', title: 'a flat regionId',
    make: () => build(Deployment, { budget: 10287, regions: [19344], description: 'wp', name: 'wordpress' }),
    call: (d: Deployment) => d.create(),
    request: { method: 'POST', path: 'automation/Deployment', body: { addDeployment: [{ budget: 10287, regionId: 19344, description: 'wp', name: 'wordpress' }] } },
    reply: { status: 201, body: { deployments: [{ deploymentId: 5001 }] } },
    adopts: 5001,
    required: ['budget', 'regions', 'description', 'name'],
  },
  {
    cls: Tier, action: 'create', title: 'with scaling settings',
    make: () => build(Tier, { budget: 10287, deployment: 5001, description: 'web', name: 'web', minimumServers: 1, maximumServers: 2, breachIncrement: 1, lowerCpuThreshold: 10 }),
    call: (t: Tier) => t.create(),
    request: { method: 'POST', path: 'automation/Tier', body: { addTier: [{ budget: 10287, deployment: { deploymentId: 5001 }, description: 'web', name: 'web', minimumServers: 1, maximumServers: 2, breachIncrement: 1, lowerCpuThreshold: 10 }] } },
    reply: { status: 201, body: { tiers: [{ tierId: 901 }] } },
    adopts: 901,
    required: ['budget', 'deployment', 'description', 'name', 'minimumServers', 'maximumServers'],
  },
  {
    cls: LaunchConfiguration, action: 'create', title: 'provider product id as a string',
    make: () => build(LaunchConfiguration, { tier: 901, primaryMachineImage: 284831, primaryProduct: { productId: 'm1.small' }, firewalls: [130001], region: 19344 }),
    call: (l: LaunchConfiguration) => l.create(),
    request: { method: 'POST', path: 'automation/LaunchConfiguration', body: { addLaunchConfiguration: [{ tier: { tierId: 901 }, primaryMachineImage: { machineImageId: 284831 }, primaryProduct: { productId: 'm1.small' }, firewalls: [{ firewallId: 130001 }], region: { regionId: 19344 } }] } },
    reply: { status: 201, body: { launchConfigurations: [{ launchConfigurationId: 601 }] } },
    adopts: 601,
    required: ['tier', 'primaryMachineImage', 'primaryProduct', 'region'],
  },
  // infrastructure/MachineImage
  {
    cls: MachineImage, action: 'create', title: 'imageServer answered with a job',
    make: () => build(MachineImage, { budget: 10287, description: 'golden', name: 'golden-1', server: 331810, owningGroups: [9465] }),
    call: (m: MachineImage) => m.create(),
    request: { method: 'POST', path: 'infrastructure/MachineImage', body: { imageServer: [{ budget: 10287, description: 'golden', name: 'golden-1', server: { serverId: 331810 }, owningGroups: [{ groupId: 9465 }] }] } },
    reply: JOB(),
    required: ['budget', 'description', 'name', 'server', 'owningGroups'],
  },
  {
    cls: MachineImage, action: 'describe', title: 'only the members given',
    make: () => new MachineImage(284831),
    call: (m: MachineImage) => m.describe({ name: 'n', label: 'blue' }),
    request: { method: 'PUT', path: 'infrastructure/MachineImage/284831', body: { describeImage: [{ name: 'n', label: 'blue' }] } },
    reply: NO_CONTENT,
  },
  {
    cls: MachineImage, action: 'registerAgent', title: 'agent version',
    make: () => new MachineImage(284831),
    call: (m: MachineImage) => m.registerAgent(17),
    request: { method: 'PUT', path: 'infrastructure/MachineImage/284831', body: { registerAgent: [{ agentVersion: 17 }] } },
    reply: NO_CONTENT,
  },
  {
    cls: MachineImage, action: 'unregisterAgent', title: 'capital R',
    make: () => new MachineImage(284831),
    call: (m: MachineImage) => m.unregisterAgent(),
    request: { method: 'PUT', path: 'infrastructure/MachineImage/284831', body: { unRegisterAgent: [{}] } },
    reply: NO_CONTENT,
  },
  {
    cls: MachineImage, action: 'assignGroups', title: 'owner group',
    make: () => new MachineImage(284831),
    call: (m: MachineImage) => m.assignGroups(9465),
    request: { method: 'PUT', path: 'infrastructure/MachineImage/284831', body: { assignGroups: [{ owningGroups: [{ groupId: 9465 }] }] } },
    reply: NO_CONTENT,
  },
  {
    cls: MachineImage, action: 'assignBudget', title: 'billing code',
    make: () => new MachineImage(284831),
    call: (m: MachineImage) => m.assignBudget(new BillingCode(10287)),
    request: { method: 'PUT', path: 'infrastructure/MachineImage/284831', body: { assignBudget: [{ budget: 10287 }] } },
    reply: NO_CONTENT,
  },
  {
    cls: MachineImage, action: 'deprecate', title: 'a job',
    make: () => new MachineImage(284831),
    call: (m: MachineImage) => m.deprecate(),
    request: { method: 'PUT', path: 'infrastructure/MachineImage/284831', body: { deprecateImage: [{}] } },
    reply: JOB(),
  },
  {
    cls: MachineImage, action: 'delete', title: 'default reason',
    make: () => new MachineImage(284831),
    call: (m: MachineImage) => m.delete(),
    request: { method: 'DELETE', path: 'infrastructure/MachineImage/284831', query: { reason: 'no reason provided' } },
    reply: NO_CONTENT,
  },
  // infrastructure/Server
  {
    cls: Server, action: 'launch', title: 'the six required members',
    make: () => build(Server, LAUNCH),
    call: (s: Server) => s.launch(),
    request: { method: 'POST', path: 'infrastructure/Server', body: { launch: [{ product: { productId: 'm1.xlarge' }, budget: 10287, machineImage: { machineImageId: 284831 }, description: 'unit test server', name: 'my-test-server', dataCenter: { dataCenterId: 64716 } }] } },
    reply: JOB(),
    required: ['providerProductId', 'budget', 'machineImage', 'description', 'name', 'dataCenter'],
  },
  {
    cls: Server, action: 'launch', title: 'every optional member',
    make: () => build(Server, {
      ...LAUNCH, keypair: 'my-keypair', vlan: { vlanId: 2600 }, network: 20001, subnet: { subnetId: 200011 }, firewalls: [130001, { firewallId: 130002 }], label: 'red',
      userData: '#!/bin/sh', cmAccount: 3609, environment: 'prod', scripts: ['a', 'b'], personalities: ['p'], volumeConfiguration: { raidlevel: 'RAID0', volumeCount: 2, volumeSize: 1 },
    }),
    call: (s: Server) => s.launch(),
    request: {
      method: 'POST', path: 'infrastructure/Server',
      body: { launch: [{
        product: { productId: 'm1.xlarge' }, budget: 10287, machineImage: { machineImageId: 284831 }, description: 'unit test server', name: 'my-test-server', dataCenter: { dataCenterId: 64716 },
        keypair: 'my-keypair', vlan: { vlanId: 2600 }, network: { networkId: 20001 }, subnet: { subnetId: 200011 }, firewalls: [{ firewallId: 130001 }, { firewallId: 130002 }], label: 'red',
        userData: '#!/bin/sh', cmAccount: { cmAccountId: 3609 }, environment: { sharedEnvironmentCode: 'prod' }, scripts: [{ sharedScriptCode: 'a' }, { sharedScriptCode: 'b' }],
        personalities: [{ sharedPersonalityCode: 'p' }], volumeConfiguration: { raidlevel: 'RAID0', volumeCount: 2, volumeSize: 1 },
      }] },
    },
    reply: JOB(),
  },
  {
    cls: Server, action: 'stop', title: 'with a reason',
    make: () => new Server(331810),
    call: (s: Server) => s.stop({ reason: 'maintenance' }),
    request: { method: 'PUT', path: 'infrastructure/Server/331810', body: { stop: [{ reason: 'maintenance' }] } },
    reply: JOB(),
  },
  {
    cls: Server, action: 'stop', title: 'without a reason',
    make: () => new Server(331810),
    call: (s: Server) => s.stop(),
    request: { method: 'PUT', path: 'infrastructure/Server/331810', body: { stop: [{}] } },
    reply: JOB(),
  },
  {
    cls: Server, action: 'start', title: 'a job',
    make: () => new Server(331810),
    call: (s: Server) => s.start(),
    request: { method: 'PUT', path: 'infrastructure/Server/331810', body: { start: [{}] } },
    reply: JOB(),
  },
  {
    cls: Server, action: 'pause', title: 'a job',
    make: () => new Server(331810),
    call: (s: Server) => s.pause(),
    request: { method: 'PUT', path: 'infrastructure/Server/331810', body: { pause: [{}] } },
    reply: JOB(),
  },
  {
    cls: Server, action: 'terminate', title: 'with a reason (answered with a job)',
    make: () => new Server(331810),
    call: (s: Server) => s.terminate({ reason: 'done testing' }),
    request: { method: 'DELETE', path: 'infrastructure/Server/331810', query: { reason: 'done testing' } },
    reply: JOB(),
  },
  {
    cls: Server, action: 'terminate', title: 'default reason (answered 204)',
    make: () => new Server(331810),
    call: (s: Server) => s.terminate(),
    request: { method: 'DELETE', path: 'infrastructure/Server/331810', query: { reason: 'no reason provided' } },
    reply: NO_CONTENT,
  },
  {
    cls: Server, action: 'scheduleTermination', title: 'in four hours',
    make: () => new Server(331810),
    call: (s: Server) => s.scheduleTermination(4 * 3_600_000),
    request: { method: 'DELETE', path: 'infrastructure/Server/331810', query: { terminateAfter: '14400000' } },
    reply: NO_CONTENT,
  },
  {
    cls: Server, action: 'rename', title: 'describeServer with the name only',
    make: () => new Server(331810),
    call: (s: Server) => s.rename('web-2'),
    request: { method: 'PUT', path: 'infrastructure/Server/331810', body: { describeServer: [{ name: 'web-2' }] } },
    reply: NO_CONTENT,
  },
  {
    cls: Server, action: 'describe', title: 'description and label',
    make: () => new Server(331810),
    call: (s: Server) => s.describe({ description: 'd', label: 'green' }),
    request: { method: 'PUT', path: 'infrastructure/Server/331810', body: { describeServer: [{ description: 'd', label: 'green' }] } },
    reply: NO_CONTENT,
  },
  {
    cls: Server, action: 'assignBudget', title: 'billing code id',
    make: () => new Server(331810),
    call: (s: Server) => s.assignBudget(10670),
    request: { method: 'PUT', path: 'infrastructure/Server/331810', body: { assignBudget: [{ budget: 10670 }] } },
    reply: NO_CONTENT,
  },
  {
    cls: Server, action: 'assignGroups', title: 'a Group object',
    make: () => new Server(331810),
    call: (s: Server) => s.assignGroups(new Group(9848)),
    request: { method: 'PUT', path: 'infrastructure/Server/331810', body: { assignGroups: [{ owningGroups: [{ groupId: 9848 }] }] } },
    reply: NO_CONTENT,
  },
  {
    cls: Server, action: 'provisionUser', title: 'with an admin role',
    make: () => new Server(331810),
    call: (s: Server) => s.provisionUser(9876, { adminRole: 'sudo' }),
    request: { method: 'PUT', path: 'infrastructure/Server/331810', body: { provisionUser: [{ user: { userId: 9876, adminRole: 'sudo' } }] } },
    reply: JOB(),
  },
  {
    cls: Server, action: 'deprovisionUser', title: 'a user object',
    make: () => new Server(331810),
    call: (s: Server) => s.deprovisionUser(new User(9876)),
    request: { method: 'PUT', path: 'infrastructure/Server/331810', body: { deprovisionUser: [{ user: { userId: 9876 } }] } },
    reply: JOB(),
  },
  // infrastructure/Snapshot
  {
    cls: Snapshot, action: 'create', title: 'with a label',
    make: () => build(Snapshot, { volume: 211309, name: 's1', description: 'nightly', budget: 10287, label: 'red' }),
    call: (s: Snapshot) => s.create(),
    request: { method: 'POST', path: 'infrastructure/Snapshot', body: { addSnapshot: [{ volume: { volumeId: 211309 }, name: 's1', description: 'nightly', budget: 10287, label: 'red' }] } },
    reply: JOB(),
    required: ['volume', 'name', 'description', 'budget'],
  },
  {
    cls: Snapshot, action: 'describe', title: 'only the members given',
    make: () => new Snapshot(5001),
    call: (s: Snapshot) => s.describe({ description: 'weekly' }),
    request: { method: 'PUT', path: 'infrastructure/Snapshot/5001', body: { describeSnapshot: [{ description: 'weekly' }] } },
    reply: NO_CONTENT,
  },
  {
    cls: Snapshot, action: 'delete', title: 'with a reason',
    make: () => new Snapshot(5001),
    call: (s: Snapshot) => s.delete({ reason: 'old' }),
    request: { method: 'DELETE', path: 'infrastructure/Snapshot/5001', query: { reason: 'old' } },
    reply: JOB(),
  },
  // infrastructure/Volume
  {
    cls: Volume, action: 'create', title: 'with a label (the original crashed on it)',
    make: () => build(Volume, { name: 'data', description: 'data disk', dataCenter: 218, sizeInGb: 1, budget: 201, label: 'blue' }),
    call: (v: Volume) => v.create(),
    request: { method: 'POST', path: 'infrastructure/Volume', body: { addVolume: [{ name: 'data', description: 'data disk', dataCenter: { dataCenterId: 218 }, sizeInGb: 1, budget: 201, label: 'blue' }] } },
    reply: JOB(),
    required: ['name', 'description', 'dataCenter', 'sizeInGb', 'budget'],
  },
  {
    cls: Volume, action: 'attach', title: 'at a device',
    make: () => new Volume(211309),
    call: (v: Volume) => v.attach(new Server(331810), { deviceId: '/dev/xvdh' }),
    request: { method: 'PUT', path: 'infrastructure/Volume/211309', body: { attach: [{ server: { serverId: 331810 }, deviceId: '/dev/xvdh' }] } },
    reply: JOB(),
  },
  {
    cls: Volume, action: 'detach', title: 'answered 204',
    make: () => new Volume(211309),
    call: (v: Volume) => v.detach(),
    request: { method: 'PUT', path: 'infrastructure/Volume/211309', body: { detach: [{}] } },
    reply: NO_CONTENT,
  },
  {
    cls: Volume, action: 'describe', title: 'name only',
    make: () => new Volume(211309),
    call: (v: Volume) => v.describe({ name: 'renamed' }),
    request: { method: 'PUT', path: 'infrastructure/Volume/211309', body: { describeVolume: [{ name: 'renamed' }] } },
    reply: NO_CONTENT,
  },
  {
    cls: Volume, action: 'assignBudget', title: '{ billingCodeId }',
    make: () => new Volume(211309),
    call: (v: Volume) => v.assignBudget({ billingCodeId: 10670 }),
    request: { method: 'PUT', path: 'infrastructure/Volume/211309', body: { assignBudget: [{ budget: 10670 }] } },
    reply: NO_CONTENT,
  },
  {
    cls: Volume, action: 'assignGroups', title: 'two groups',
    make: () => new Volume(211309),
    call: (v: Volume) => v.assignGroups([9465, 9848]),
    request: { method: 'PUT', path: 'infrastructure/Volume/211309', body: { assignGroups: [{ owningGroups: [{ groupId: 9465 }, { groupId: 9848 }] }] } },
    reply: NO_CONTENT,
  },
  {
    cls: Volume, action: 'delete', title: 'answered with a job',
    make: () => new Volume(211309),
    call: (v: Volume) => v.delete({ reason: 'cleanup' }),
    request: { method: 'DELETE', path: 'infrastructure/Volume/211309', query: { reason: 'cleanup' } },
    reply: JOB(),
  },
  {
    cls: Volume, action: 'snapshot', title: 'a Snapshot of this volume',
    make: () => new Volume(211309),
    call: (v: Volume) => v.snapshot({ name: 'snap-1', budget: 10287 }),
    request: { method: 'POST', path: 'infrastructure/Snapshot', body: { addSnapshot: [{ volume: { volumeId: 211309 }, name: 'snap-1', description: 'mixcoatl snapshot', budget: 10287 }] } },
    reply: JOB(),
  },
  // network
  {
    cls: Firewall, action: 'create', title: 'addFirewall answered with a job',
    make: () => build(Firewall, { budget: 10287, region: 19344, name: 'web', description: 'web tier', label: 'red' }),
    call: (f: Firewall) => f.create(),
    request: { method: 'POST', path: 'network/Firewall', body: { addFirewall: [{ budget: 10287, region: { regionId: 19344 }, name: 'web', description: 'web tier', label: 'red' }] } },
    reply: JOB(),
    required: ['budget', 'region', 'name', 'description'],
  },
  {
    cls: FirewallRule, action: 'create', title: 'sends startPort and endPort',
    make: () => build(FirewallRule, { firewall: 130001, source: '1.2.3.4/32', sourceType: 'CIDR', destination: 'sg-1', destinationType: 'GLOBAL', direction: 'INGRESS', permission: 'ALLOW', protocol: 'TCP', startPort: 8080, endPort: 8090 }),
    call: (r: FirewallRule) => r.create(),
    request: { method: 'POST', path: 'network/FirewallRule', body: { addRule: [{ firewallId: 130001, source: '1.2.3.4/32', sourceType: 'CIDR', destination: 'sg-1', destinationType: 'GLOBAL', direction: 'INGRESS', permission: 'ALLOW', protocol: 'TCP', startPort: 8080, endPort: 8090, reason: 'Added by mixcoatl' }] } },
    reply: { status: 201, body: { rules: [{ firewallRuleId: 600999 }] } },
    adopts: 600999,
    required: ['firewall', 'source', 'sourceType', 'direction', 'permission', 'protocol'],
  },
  {
    cls: FirewallRule, action: 'create', title: '418 (already present) is a success',
    make: () => build(FirewallRule, { firewall: new Firewall(130001), source: '0.0.0.0/0', sourceType: 'CIDR', direction: 'INGRESS', permission: 'ALLOW', protocol: 'TCP', startPort: 22 }),
    call: (r: FirewallRule) => r.create({ reason: 'ssh' }),
    request: { method: 'POST', path: 'network/FirewallRule', body: { addRule: [{ firewallId: 130001, source: '0.0.0.0/0', sourceType: 'CIDR', direction: 'INGRESS', permission: 'ALLOW', protocol: 'TCP', startPort: 22, reason: 'ssh' }] } },
    reply: { status: 418, body: { rules: [{ firewallRuleId: 600001 }], error: { message: 'Firewall rule already exists: 600001' } } },
    adopts: 600001,
  },
  {
    cls: FirewallRule, action: 'remove', title: 'with a reason',
    make: () => new FirewallRule(600001),
    call: (r: FirewallRule) => r.remove({ reason: 'closing ssh' }),
    request: { method: 'DELETE', path: 'network/FirewallRule/600001', query: { reason: 'closing ssh' } },
    reply: NO_CONTENT,
  },
  {
    cls: Network, action: 'create', title: 'with groups, NTP and DNS servers',
    make: () => build(Network, { budget: 10287, name: 'lab', networkAddress: '192.168.0.0/24', description: 'lab net', region: 19344, owningGroups: [9465], ntpServers: ['pool.ntp.org'], dnsServers: ['8.8.8.8'], label: 'red' }),
    call: (n: Network) => n.create(),
    request: { method: 'POST', path: 'network/Network', body: { addNetwork: [{ budget: 10287, name: 'lab', networkAddress: '192.168.0.0/24', description: 'lab net', region: { regionId: 19344 }, owningGroups: [{ groupId: 9465 }], ntpServers: ['pool.ntp.org'], dnsServers: ['8.8.8.8'], label: 'red' }] } },
    reply: JOB(),
    required: ['budget', 'name', 'networkAddress', 'description', 'region'],
  },
  {
    cls: Network, action: 'delete', title: 'default reason, a job',
    make: () => new Network(20001),
    call: (n: Network) => n.delete(),
    request: { method: 'DELETE', path: 'network/Network/20001', query: { reason: 'no reason provided' } },
    reply: JOB(),
  },
  // platform
  {
    cls: RelationalDatabase, action: 'delete', title: 'with a reason',
    make: () => new RelationalDatabase(12001),
    call: (d: RelationalDatabase) => d.delete({ reason: 'retired' }),
    request: { method: 'DELETE', path: 'platform/RelationalDatabase/12001', query: { reason: 'retired' } },
    reply: JOB(),
  },
];
