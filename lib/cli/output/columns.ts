/**
 * Column specifications shared by the table, describe and CSV formatters.
 *
 * A column is a key (`'name'`), a dotted path (`'dataCenter.region'`), or an object with a header
 * and/or a `value` function for computed cells. Only own properties are read, so a column named
 * `constructor` or `__proto__` shows `-` rather than something from a prototype.
 */
import type { ResourceMeta } from '../../orm/registry.js';

/** A record to print: what the API returned, or any plain object. */
export type Row = Readonly<Record<string, unknown>>;

export interface ColumnSpec {
  /** Property name or dotted path; also the default header. */
  key: string;
  /** Header text (default: `key`). */
  header?: string;
  /** Computes the cell's value instead of reading `key`. */
  value?: (row: Row) => unknown;
}

export type Column = string | ColumnSpec;

export interface ResolvedColumn {
  key: string;
  header: string;
  read: (row: Row) => unknown;
}

export function resolveColumns(columns: readonly Column[] | undefined, rows: readonly Row[]): ResolvedColumn[] {
  const specs: readonly Column[] = columns ?? keysOf(rows);
  return specs.map((column) => {
    const spec: ColumnSpec = typeof column === 'string' ? { key: column } : column;
    const compute = spec.value;
    return {
      key: spec.key,
      header: spec.header ?? spec.key,
      read: compute ?? ((row: Row) => readPath(row, spec.key)),
    };
  });
}

/** Union of the rows' own keys, in first-seen order (every record's, not only the first one's). */
export function keysOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/** Reads `key` as an own property, or else as a dotted path of own properties. */
export function readPath(row: unknown, key: string): unknown {
  if (row === null || typeof row !== 'object') return undefined;
  if (Object.hasOwn(row, key)) return (row as Record<string, unknown>)[key];
  if (!key.includes('.')) return undefined;
  let current: unknown = row;
  for (const part of key.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Default table columns of `dcm <resource> list`. A column
 * is shown only when the class declares that attribute or a listed item carries it, so a name that
 * does not fit a payload costs nothing; a resource without an entry here gets its identifier,
 * name-like and status columns.
 */
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
