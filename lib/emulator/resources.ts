/**
 * The resource catalogue of the API — all 39 types — as the emulator serves it.
 *
 * Quirks kept on purpose (see the reference):
 * - `admin/License` answers with a flat object, not an envelope.
 * - `admin/ApiKey` is keyed by the string access key; Environment/Personality/Script by their
 *   shared codes, the ids a launch actually references.
 * - `geography/Subscription` is keyed by `regionId`.
 * - The analytics types have no stored items: `…/ServerAnalytics/<serverId>` and
 *   `…/TierAnalytics/<tierId>` are computed from the server / tier.
 * - RelationalDatabase's envelope is `relationalDatabases` (the camelCase form).
 */

export type Shape = 'envelope' | 'flat' | 'analytics';

export interface ResourceDef {
  /** Position in the API's catalogue of resource types (1–39). */
  row: number;
  /** `<scope>/<Type>`, e.g. `infrastructure/Server`. */
  path: string;
  scope: string;
  type: string;
  /** Envelope member. */
  collection: string;
  /** JSON primary-key member. */
  idKey: string;
  idKind: 'int' | 'string';
  shape: Shape;
  /** For analytics: the type whose id addresses the analytics item. */
  subjectPath?: string;
}

function def(row: number, path: string, collection: string, idKey: string, extra: Partial<ResourceDef> = {}): ResourceDef {
  const [scope, type] = path.split('/');
  return { row, path, scope, type, collection, idKey, idKind: 'int', shape: 'envelope', ...extra };
}

export const RESOURCES: readonly ResourceDef[] = [
  def(1, 'admin/Account', 'accounts', 'accountId'),
  def(2, 'admin/ApiKey', 'apiKeys', 'accessKey', { idKind: 'string' }),
  def(3, 'admin/BillingCode', 'billingCodes', 'billingCodeId'),
  def(4, 'admin/Customer', 'customers', 'customerId'),
  def(5, 'admin/Group', 'groups', 'groupId'),
  def(6, 'admin/Job', 'jobs', 'jobId'),
  def(7, 'admin/License', 'license', 'licensee', { shape: 'flat', idKind: 'string' }),
  def(8, 'admin/Role', 'roles', 'roleId'),
  def(9, 'admin/User', 'users', 'userId'),
  def(10, 'analytics/ServerAnalytics', 'analytics', 'serverId', { shape: 'analytics', subjectPath: 'infrastructure/Server' }),
  def(11, 'analytics/TierAnalytics', 'analytics', 'tierId', { shape: 'analytics', subjectPath: 'automation/Tier' }),
  def(12, 'automation/ConfigurationManagementAccount', 'cmAccounts', 'cmAccountId'),
  def(13, 'automation/ConfigurationManagementService', 'cmServices', 'cmServiceId'),
  def(14, 'automation/ConfigurationManagementSystem', 'cmSystems', 'cmSystemId'),
  def(15, 'automation/Environment', 'environments', 'sharedEnvironmentCode', { idKind: 'string' }),
  def(16, 'automation/Personality', 'personalities', 'sharedPersonalityCode', { idKind: 'string' }),
  def(17, 'automation/Script', 'scripts', 'sharedScriptCode', { idKind: 'string' }),
  def(18, 'geography/Cloud', 'clouds', 'cloudId'),
  def(19, 'geography/DataCenter', 'dataCenters', 'dataCenterId'),
  def(20, 'geography/Region', 'regions', 'regionId'),
  def(21, 'geography/Subscription', 'subscriptions', 'regionId'),
  def(22, 'infrastructure/MachineImage', 'images', 'machineImageId'),
  def(23, 'infrastructure/Server', 'servers', 'serverId'),
  def(24, 'infrastructure/ServerProduct', 'serverProducts', 'productId'),
  def(25, 'infrastructure/Snapshot', 'snapshots', 'snapshotId'),
  def(26, 'infrastructure/Volume', 'volumes', 'volumeId'),
  def(27, 'network/Firewall', 'firewalls', 'firewallId'),
  def(28, 'network/FirewallRule', 'rules', 'firewallRuleId'),
  def(29, 'network/LoadBalancer', 'loadBalancers', 'loadBalancerId'),
  def(30, 'network/Network', 'networks', 'networkId'),
  def(31, 'platform/RelationalDatabase', 'relationalDatabases', 'relationalDatabaseId'),
  def(32, 'platform/RelationalDatabaseProduct', 'rdbmsProducts', 'productId'),
  def(33, 'platform/StorageObject', 'storageObjects', 'storageObjectId'),
  def(34, 'automation/Deployment', 'deployments', 'deploymentId'),
  def(35, 'automation/Tier', 'tiers', 'tierId'),
  def(36, 'automation/Service', 'services', 'serviceId'),
  def(37, 'automation/LaunchConfiguration', 'launchConfigurations', 'launchConfigurationId'),
  def(38, 'automation/DataSource', 'dataSources', 'dataSourceId'),
  def(39, 'automation/DataSourceBackup', 'dataSourceBackups', 'dataSourceBackupId'),
];

const BY_PATH = new Map(RESOURCES.map((r) => [r.path, r]));

/** The definition of `<scope>/<Type>`, if the API has it. */
export function resourceDef(path: string): ResourceDef | undefined {
  return BY_PATH.get(path);
}

/** Definitions that hold stored items (everything except License and analytics). */
export const STORED_RESOURCES: readonly ResourceDef[] = RESOURCES.filter((r) => r.shape === 'envelope');

/**
 * Reference member → resource it points at, for expanding `{"<x>Id": n}` in extended detail and
 * for the seed-consistency check. `productId` is ambiguous, so it is resolved per member name
 * (`product` → ServerProduct, `rdbmsProduct` → RelationalDatabaseProduct) in REF_BY_FIELD.
 */
export const REF_BY_KEY: Readonly<Record<string, string>> = {
  accountId: 'admin/Account',
  billingCodeId: 'admin/BillingCode',
  customerId: 'admin/Customer',
  groupId: 'admin/Group',
  roleId: 'admin/Role',
  userId: 'admin/User',
  cmAccountId: 'automation/ConfigurationManagementAccount',
  cmServiceId: 'automation/ConfigurationManagementService',
  cmSystemId: 'automation/ConfigurationManagementSystem',
  deploymentId: 'automation/Deployment',
  tierId: 'automation/Tier',
  serviceId: 'automation/Service',
  dataSourceId: 'automation/DataSource',
  cloudId: 'geography/Cloud',
  dataCenterId: 'geography/DataCenter',
  regionId: 'geography/Region',
  machineImageId: 'infrastructure/MachineImage',
  serverId: 'infrastructure/Server',
  snapshotId: 'infrastructure/Snapshot',
  volumeId: 'infrastructure/Volume',
  firewallId: 'network/Firewall',
  networkId: 'network/Network',
  loadBalancerId: 'network/LoadBalancer',
  relationalDatabaseId: 'platform/RelationalDatabase',
};

export const REF_BY_FIELD: Readonly<Record<string, string>> = {
  product: 'infrastructure/ServerProduct',
  rdbmsProduct: 'platform/RelationalDatabaseProduct',
};
