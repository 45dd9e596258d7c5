/**
 * network writes.
 *
 * - `addFirewall` and `addNetwork` are asynchronous (202 + job; `message` = new id); network
 *   DELETE is a 202 job.
 * - `addRule` is synchronous: 201 `{"rules":[…]}`. A rule identical to an existing one (same
 *   firewall, direction, source, destination, protocol, ports, permission) answers **418** — the
 *   status the client treats as "already present" — with the existing rule in the envelope and an
 *   explanatory `error.message`. ICMP rules are refused (400), as the reference notes.
 * - Rule DELETE is 204.
 */
import { ApiError } from '../api-error.js';
import type { Reply } from '../context.js';
import { present } from '../detail.js';
import {
  budget, int, objectList, onlyMembers, optInt, optStr, ref, refList, str, strList,
} from '../payload.js';
import { dcmTimestamp } from '../time.js';
import type { Rec } from '../types.js';
import { accepted, asyncDelete, failTrigger, noContent, ownership, startJob, type WriteCtx, type WriteRoutes } from './common.js';

const FIREWALL = 'network/Firewall';
const RULE = 'network/FirewallRule';
const NETWORK = 'network/Network';

function regionOf(ctx: WriteCtx, o: Rec, where: string): { regionId: number; cloudId: number } {
  const regionId = ref(ctx.world.store, o, 'region', 'regionId', 'geography/Region', where);
  return { regionId, cloudId: (ctx.world.store.get('geography/Region', regionId) as Rec).cloud.cloudId };
}

function addFirewall(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const jobs = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    onlyMembers(o, ['budget', 'region', 'name', 'description', 'label', 'owningGroups'], where);
    const { regionId, cloudId } = regionOf(ctx, o, where);
    const name = str(o, 'name', where);
    const record: Rec = {
      ...ownership(ctx, regionId, cloudId, budget(store, o, where), refList(store, o, 'owningGroups', 'groupId', 'admin/Group', where)),
      description: str(o, 'description', where), label: optStr(o, 'label', where) ?? null, name, providerId: `sg-${store.rng.hex(8)}`,
      removable: true, status: 'ACTIVE',
    };
    return startJob(ctx, `Create Firewall ${name}`, 'create', { path: FIREWALL, record, fail: failTrigger(o) });
  });
  return accepted(jobs);
}

const DIRECTIONS = ['INGRESS', 'EGRESS'];
const PERMISSIONS = ['ALLOW', 'DENY'];
const PROTOCOLS = ['TCP', 'UDP'];

function oneOf(o: Rec, key: string, allowed: string[], where: string): string {
  const v = str(o, key, where).toUpperCase();
  if (!allowed.includes(v)) throw ApiError.badRequest(`${where}.${key} must be one of ${allowed.join(', ')}, got "${o[key]}"`);
  return v;
}

const RULE_IDENTITY = ['direction', 'source', 'sourceType', 'destination', 'destinationType', 'protocol', 'startPort', 'endPort', 'permission'];

function addRule(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const made: Rec[] = [];
  let duplicate: Rec | undefined;
  for (const [i, o] of objectList(value, root).entries()) {
    const where = `${root}[${i}]`;
    onlyMembers(o, ['firewallId', 'source', 'sourceType', 'destination', 'destinationType', 'direction', 'permission', 'protocol', 'reason', 'startPort', 'endPort', 'precedence'], where);
    const firewallId = int(o, 'firewallId', where);
    if (!store.has(FIREWALL, firewallId)) throw ApiError.badRequest(`${where}.firewallId: no such Firewall ${firewallId}`);
    if (String(o.protocol ?? '').toUpperCase() === 'ICMP') throw ApiError.badRequest(`${where}.protocol: ICMP rules are not supported`);
    const startPort = optInt(o, 'startPort', where, { min: 0, max: 65535 }) ?? null;
    const endPort = optInt(o, 'endPort', where, { min: 0, max: 65535 }) ?? startPort;
    if (startPort !== null && endPort !== null && endPort < startPort) throw ApiError.badRequest(`${where}.endPort (${endPort}) must not be below startPort (${startPort})`);
    const firewall = store.get(FIREWALL, firewallId) as Rec;
    const rule: Rec = {
      destination: optStr(o, 'destination', where) ?? firewall.providerId, destinationType: optStr(o, 'destinationType', where) ?? 'GLOBAL',
      direction: oneOf(o, 'direction', DIRECTIONS, where), endPort, firewall: { firewallId }, permission: oneOf(o, 'permission', PERMISSIONS, where),
      precedence: optInt(o, 'precedence', where) ?? 1, protocol: oneOf(o, 'protocol', PROTOCOLS, where), ruleProviderId: '',
      source: str(o, 'source', where), sourceType: str(o, 'sourceType', where), startPort,
    };
    optStr(o, 'reason', where);
    const existing = [...store.table(RULE).values()].find((r) => r.firewall?.firewallId === firewallId && RULE_IDENTITY.every((k) => (r[k] ?? null) === (rule[k] ?? null)));
    if (existing) {
      duplicate = existing;
      continue;
    }
    rule.firewallRuleId = store.allocateId(RULE);
    rule.ruleProviderId = `fwr-${store.rng.hex(8)}`;
    made.push(store.put(RULE, rule));
  }
  if (duplicate && made.length === 0) {
    return {
      status: 418,
      body: { rules: [present(store, duplicate, ctx.detail)], error: { message: `Firewall rule already exists: ${duplicate.firewallRuleId}` } },
    };
  }
  return { status: 201, body: { rules: made.map((r) => present(store, r, ctx.detail)) } };
}

/** `a.b.c.d/n` with each octet ≤ 255 and n ≤ 32. */
function cidr(o: Rec, key: string, where: string): string {
  const v = str(o, key, where);
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
  if (!m || m.slice(1, 5).some((x) => Number(x) > 255) || Number(m[5]) > 32) throw ApiError.badRequest(`${where}.${key} must be an IPv4 CIDR block such as 192.168.0.0/24, got "${v}"`);
  return v;
}

function addNetwork(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const jobs = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    onlyMembers(o, ['budget', 'name', 'networkAddress', 'description', 'region', 'owningGroups', 'ntpServers', 'dnsServers', 'label'], where);
    const { regionId, cloudId } = regionOf(ctx, o, where);
    const name = str(o, 'name', where);
    const created = dcmTimestamp(ctx.now);
    const record: Rec = {
      ...ownership(ctx, regionId, cloudId, budget(store, o, where), refList(store, o, 'owningGroups', 'groupId', 'admin/Group', where)),
      account: { accountId: 16000 }, agentCommunication: 'PUBLIC', allowSubnetCreation: true, canHaveSubnets: true, createdTimestamp: created,
      dataCenter: null, description: str(o, 'description', where), dnsServers: strList(o, 'dnsServers', where) ?? [], flat: false,
      guid: '', label: optStr(o, 'label', where) ?? null, lastModifiedTimestamp: created, name, networkAddress: cidr(o, 'networkAddress', where),
      networkType: 'VPC', ntpServers: strList(o, 'ntpServers', where) ?? [], providerId: `vpc-${store.rng.hex(8)}`, publiclyAddressable: false,
      removable: true, status: 'ACTIVE', subnets: [],
    };
    record.account = { accountId: record.owningAccount.accountId };
    return startJob(ctx, `Create Network ${name}`, 'create', { path: NETWORK, record, fail: failTrigger(o) });
  });
  return accepted(jobs);
}

export const NETWORK_WRITES: Record<string, WriteRoutes> = {
  [FIREWALL]: { post: { addFirewall } },
  [RULE]: { post: { addRule }, del: (ctx) => { ctx.world.store.remove(RULE, ctx.id as number); return noContent(); } },
  [NETWORK]: { post: { addNetwork }, del: (ctx) => asyncDelete(ctx, 'Network') },
};
