/**
 * Listing filters.
 *
 * Quirks honoured:
 * - some clients send names in snake_case (`customer_id`, `account_id`, `group_id`,
 *   `server_id`): every query name is converted to camelCase before matching;
 * - booleans arrive Python-style (`True`/`False`): accepted case-insensitively;
 * - required filters answer 400 naming the filter; Network's rule is "one of three", with the
 *   API's own message;
 * - MachineImage `active` defaults to true server-side; `registered` restricts only when given;
 * - Region `scope` is validated (`all`/`account`) but does not narrow the list;
 * - RelationalDatabase passes arbitrary parameters through: each one that names a top-level
 *   member (or a reference id) of the items filters on it.
 * Unknown parameters are ignored, as a lenient server would.
 */
import { ApiError } from './api-error.js';
import type { Store } from './store.js';
import type { Rec } from './types.js';

export type Query = Record<string, string>;

type Kind = 'id' | 'bool' | 'string';

interface FilterSpec {
  name: string;
  kind: Kind;
  /** Allowed values of a string filter (case-insensitive). */
  values?: string[];
  /** True when the item passes; `value` is already parsed (number / boolean / string). */
  match: (item: Rec, value: any, store: Store) => boolean;
}

interface ListingRules {
  filters: FilterSpec[];
  required?: string[];
  /** At least one of these must be present, else 400 with `message`. */
  oneOf?: { names: string[]; message: string };
  defaults?: Query;
  passThrough?: boolean;
}

/** `customer_id` → `customerId`; camelCase names pass unchanged. */
export function toCamel(name: string): string {
  if (!name.includes('_')) return name;
  const [first, ...rest] = name.split('_').filter(Boolean);
  return first.toLowerCase() + rest.map((p) => p[0].toUpperCase() + p.slice(1).toLowerCase()).join('');
}

export function normaliseQuery(params: URLSearchParams): Query {
  const out: Query = {};
  for (const [k, v] of params) out[toCamel(k)] = v;
  return out;
}

/** `{"regionId": 5}`-style member equality. */
const ref = (field: string, key: string) => (item: Rec, v: number) => item[field]?.[key] === v;
const idFilter = (name: string, field: string, key = name): FilterSpec => ({ name, kind: 'id', match: ref(field, key) });

function accountCloud(store: Store, accountId: number): number | undefined {
  const account = store.get('admin/Account', accountId);
  return account?.cloudSubscription?.cloudId ?? account?.cloudSubscriptionId?.cloudId;
}

/** Role ids assigned to groups, optionally restricted to one group and/or one account. */
function assignedRoles(store: Store, groupId?: number, accountId?: number): Set<number> {
  const roles = new Set<number>();
  for (const group of store.table('admin/Group').values()) {
    if (groupId !== undefined && group.groupId !== groupId) continue;
    for (const a of group.roleAssignments ?? []) if (accountId === undefined || a.accountId === accountId) roles.add(a.roleId);
  }
  return roles;
}

function productRegion(store: Store, product: Rec, regionId: number): boolean {
  const region = store.get('geography/Region', regionId);
  return !!region && product.providerRegionId === region.providerId && product.cloud?.cloudId === region.cloud?.cloudId;
}

const LISTINGS: Record<string, ListingRules> = {
  'admin/Account': { filters: [{ name: 'cloudId', kind: 'id', match: (a, v) => (a.cloudSubscription ?? a.cloudSubscriptionId)?.cloudId === v }] },
  'admin/ApiKey': { filters: [idFilter('accountId', 'account'), idFilter('userId', 'user')] },
  'admin/Customer': { filters: [{ name: 'customerId', kind: 'id', match: (c, v) => c.customerId === v }] },
  'admin/Group': {
    filters: [{ name: 'accountId', kind: 'id', match: (g, v, s) => g.customer?.customerId === s.get('admin/Account', v)?.customer?.customerId }],
  },
  'admin/Role': {
    filters: [
      { name: 'accountId', kind: 'id', match: (r, v, s) => assignedRoles(s, undefined, v).has(r.roleId) },
      { name: 'groupId', kind: 'id', match: (r, v, s) => assignedRoles(s, v).has(r.roleId) },
    ],
  },
  'analytics/ServerAnalytics': { filters: [], required: ['serverId'] },
  'analytics/TierAnalytics': { filters: [], required: ['tierId'] },
  'automation/Environment': { filters: [idFilter('cmAccountId', 'cmAccount')], required: ['cmAccountId'] },
  'automation/Personality': { filters: [idFilter('cmAccountId', 'cmAccount')], required: ['cmAccountId'] },
  'automation/Script': { filters: [idFilter('cmAccountId', 'cmAccount')], required: ['cmAccountId'] },
  'geography/Cloud': {
    filters: [
      { name: 'publicOnly', kind: 'bool', match: (c, v) => !v || c.privateCloud === false },
      { name: 'status', kind: 'string', match: (c, v) => String(c.status).toLowerCase() === v.toLowerCase() },
    ],
  },
  'geography/DataCenter': { filters: [idFilter('regionId', 'region')], required: ['regionId'] },
  'geography/Region': {
    filters: [
      { name: 'accountId', kind: 'id', match: (r, v, s) => r.cloud?.cloudId === accountCloud(s, v) },
      { name: 'jurisdiction', kind: 'string', match: (r, v) => String(r.jurisdiction).toLowerCase() === v.toLowerCase() },
      { name: 'scope', kind: 'string', values: ['all', 'account'], match: () => true },
    ],
  },
  'infrastructure/MachineImage': {
    filters: [
      idFilter('regionId', 'region'),
      { name: 'active', kind: 'bool', match: (i, v) => (i.status === 'ACTIVE') === v },
      { name: 'registered', kind: 'bool', match: (i, v) => (Number(i.agentVersion ?? 0) > 0) === v },
    ],
    defaults: { active: 'true' },
  },
  'infrastructure/Server': { filters: [idFilter('regionId', 'region')] },
  'infrastructure/ServerProduct': {
    filters: [{ name: 'regionId', kind: 'id', match: (p, v, s) => productRegion(s, p, v) }],
    required: ['regionId'],
  },
  'infrastructure/Snapshot': { filters: [idFilter('regionId', 'region'), idFilter('accountId', 'owningAccount'), idFilter('volumeId', 'volume')] },
  'infrastructure/Volume': { filters: [idFilter('dataCenterId', 'dataCenter'), idFilter('regionId', 'region'), idFilter('accountId', 'owningAccount')] },
  'network/Firewall': { filters: [idFilter('regionId', 'region'), idFilter('accountId', 'owningAccount')] },
  'network/FirewallRule': { filters: [idFilter('firewallId', 'firewall')], required: ['firewallId'] },
  'network/Network': {
    filters: [
      idFilter('regionId', 'region'),
      idFilter('dataCenterId', 'dataCenter'),
      idFilter('accountId', 'account'),
      { name: 'activeOnly', kind: 'bool', match: (n, v) => !v || n.status === 'ACTIVE' },
    ],
    oneOf: { names: ['dataCenterId', 'regionId', 'accountId'], message: 'You must specify either a dataCenterId, regionId, or accountId' },
  },
  'platform/RelationalDatabase': { filters: [], passThrough: true },
  'platform/RelationalDatabaseProduct': {
    filters: [
      idFilter('regionId', 'region'),
      { name: 'engine', kind: 'string', match: (p, v) => String(p.engine).toUpperCase() === v.toUpperCase() },
    ],
    required: ['regionId', 'engine'],
  },
  'platform/StorageObject': { filters: [idFilter('regionId', 'region')], required: ['regionId'] },
};

function parseValue({ name, kind, values }: FilterSpec, raw: string): number | boolean | string {
  if (values && !values.includes(raw.toLowerCase())) throw ApiError.badRequest(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  if (kind === 'id') {
    if (!/^-?\d+$/.test(raw.trim())) throw ApiError.badRequest(`${name} must be a numeric id, got "${raw}"`);
    return Number(raw);
  }
  if (kind === 'bool') {
    const v = raw.trim().toLowerCase();
    if (v !== 'true' && v !== 'false') throw ApiError.badRequest(`${name} must be true or false, got "${raw}"`);
    return v === 'true';
  }
  return raw;
}

/** Throws the 400 of a missing required filter; returns the query with defaults applied. */
export function checkRequired(path: string, query: Query): Query {
  const rules = LISTINGS[path];
  if (!rules) return query;
  for (const name of rules.required ?? []) {
    if (query[name] === undefined || query[name] === '') {
      throw ApiError.badRequest(`${name} is a required filter for GET ${path} (e.g. ${path}?${name}=<value>)`);
    }
  }
  if (rules.oneOf && !rules.oneOf.names.some((n) => query[n] !== undefined && query[n] !== '')) throw ApiError.badRequest(rules.oneOf.message);
  return rules.defaults ? { ...rules.defaults, ...query } : query;
}

/** Pass-through matching: a scalar member compared as text, or a reference member's id. */
function passThroughMatch(item: Rec, name: string, raw: string): boolean {
  if (name in item) {
    const v = item[name];
    if (v === null || typeof v !== 'object') return String(v).toLowerCase() === raw.toLowerCase();
    return true;
  }
  for (const value of Object.values(item)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && name in value && Object.keys(value).length === 1) {
      return String(value[name]) === raw;
    }
  }
  return true;
}

/** The items of `path` that pass the query's filters (required filters must be checked first). */
export function applyFilters(path: string, items: Iterable<Rec>, query: Query, store: Store): Rec[] {
  const rules = LISTINGS[path];
  const active: Array<[FilterSpec, any]> = [];
  for (const spec of rules?.filters ?? []) {
    const raw = query[spec.name];
    if (raw !== undefined && raw !== '') active.push([spec, parseValue(spec, raw)]);
  }
  const passThrough = rules?.passThrough ? Object.entries(query) : [];
  if (active.length === 0 && passThrough.length === 0) return Array.isArray(items) ? items : [...items];
  const out: Rec[] = [];
  for (const item of items) {
    if (active.every(([spec, v]) => spec.match(item, v, store)) && passThrough.every(([k, v]) => passThroughMatch(item, k, v))) out.push(item);
  }
  return out;
}

/** The filters a listing of `path` understands (camelCase), which are required, and its "one of" rule. */
export function listingFilters(path: string): { names: string[]; required: string[]; oneOf: string[] } {
  const rules = LISTINGS[path];
  return { names: (rules?.filters ?? []).map((f) => f.name).concat(rules?.required?.filter((r) => !rules.filters.some((f) => f.name === r)) ?? []), required: rules?.required ?? [], oneOf: rules?.oneOf?.names ?? [] };
}
