/**
 * Table columns of `dcm <resource> list`, after the original list tools (REFERENCE §5). A column
 * is shown only when the class declares that attribute or a listed item carries it, so a name that
 * does not fit a payload costs nothing; a resource without an entry here gets its identifier,
 * name-like and status columns.
 */
import type { ResourceMeta } from '../orm/registry.js';
import type { Row } from './output/columns.js';

const PREFERRED: Readonly<Record<string, readonly string[]>> = {
  Account: ['accountId', 'name', 'customer', 'defaultBudget', 'status'],
  ApiKey: ['accessKey', 'name', 'description', 'account', 'state', 'systemKey', 'customerKey'],
  BillingCode: ['billingCodeId', 'name', 'financeCode', 'softQuota', 'hardQuota', 'currentUsage', 'projectedUsage', 'status'],
  Cloud: ['cloudId', 'name', 'cloudProviderName', 'computeDelegate', 'endpoint', 'status'],
  ConfigurationManagementService: ['cmServiceId', 'name', 'cmSystem', 'customer', 'serviceEndpoint', 'status'],
  ConfigurationManagementAccount: ['cmAccountId', 'name', 'cmService', 'description', 'status'],
  ConfigurationManagementSystem: ['cmSystemId', 'name', 'description', 'cmSystemType', 'vendor'],
  Customer: ['customerId', 'businessName', 'created', 'status'],
  DataCenter: ['dataCenterId', 'providerId', 'name', 'description', 'region', 'status'],
  Environment: ['sharedEnvironmentCode', 'name', 'description', 'createdTimestamp', 'status'],
  Firewall: ['firewallId', 'name', 'region', 'providerId', 'status'],
  FirewallRule: ['firewallRuleId', 'source', 'sourceType', 'destination', 'destinationType', 'protocol', 'direction', 'startPort', 'endPort', 'permission', 'precedence'],
  Group: ['groupId', 'name', 'description', 'status'],
  Job: ['jobId', 'description', 'status', 'startDate', 'endDate', 'message'],
  LoadBalancer: ['loadBalancerId', 'providerId', 'budget', 'address', 'name', 'description', 'status'],
  MachineImage: ['machineImageId', 'providerId', 'name', 'platform', 'architecture', 'agentVersion', 'status'],
  Network: ['networkId', 'region', 'name', 'providerId', 'networkType', 'networkAddress', 'status'],
  Personality: ['sharedPersonalityCode', 'name', 'description', 'createdTimestamp', 'status'],
  RelationalDatabase: ['relationalDatabaseId', 'name', 'product', 'engine', 'budget', 'allocatedStorageInGb', 'status'],
  RelationalDatabaseProduct: ['productId', 'providerProductId', 'name', 'description', 'architecture', 'status'],
  Region: ['regionId', 'providerId', 'cloud', 'name', 'description', 'status'],
  Role: ['roleId', 'name', 'description', 'status'],
  Script: ['sharedScriptCode', 'name', 'description', 'createdTimestamp', 'status'],
  Server: ['serverId', 'name', 'region', 'providerId', 'publicIpAddress', 'platform', 'budget', 'providerProductId', 'status', 'startDate'],
  ServerProduct: ['productId', 'providerProductId', 'name', 'architecture', 'platform', 'currency', 'hourlyRate'],
  Snapshot: ['snapshotId', 'providerId', 'name', 'owningGroups', 'budget', 'created', 'status'],
  StorageObject: ['storageObjectId', 'name', 'directory', 'region', 'sizeInBytes', 'status'],
  Subscription: ['region', 'subscribedServer', 'subscribedVolume', 'subscribedSnapshot', 'subscribedMachineImage', 'subscribedFirewall', 'subscribedNetwork', 'subscribedLoadBalancer', 'subscribedRDBMS'],
  User: ['userId', 'vmLoginId', 'familyName', 'givenName', 'email', 'status'],
  Volume: ['volumeId', 'providerId', 'dataCenter', 'name', 'server', 'sizeInGb', 'budget', 'status'],
};

const FALLBACK = ['name', 'businessName', 'description', 'providerId', 'status'];

/** The columns for listing `rows` of `meta`'s class. */
export function listColumns(meta: ResourceMeta, rows: readonly Row[]): string[] {
  const present = (key: string): boolean => meta.attributes.has(key) || rows.some((row) => Object.hasOwn(row, key));
  const preferred = (PREFERRED[meta.name] ?? []).filter(present);
  if (preferred.length >= 2) return preferred;
  const fallback = [...(meta.idKey ? [meta.idKey] : []), ...FALLBACK].filter(present);
  if (fallback.length >= 2) return fallback;
  // Unknown shape: the first few scalar members of the first item.
  const first = rows[0] ?? {};
  return Object.keys(first)
    .filter((key) => first[key] === null || typeof first[key] !== 'object')
    .slice(0, 8);
}
