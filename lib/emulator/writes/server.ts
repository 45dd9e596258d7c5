/**
 * Server writes and the server state machine.
 *
 *   launch      → job; at completion the server exists as PENDING, one clock step later RUNNING
 *   start       STOPPED|PAUSED → PENDING (now) → RUNNING (job completes)
 *   stop        RUNNING|PAUSED → STOPPING (now) → STOPPED (job completes)
 *   pause       RUNNING → PAUSED (job completes)
 *   DELETE      any but TERMINATED → TERMINATED (job completes); attached volumes are detached.
 *               Terminated servers stay visible with status TERMINATED and refuse every action.
 *   DELETE ?terminateAfter=<ms>  → 204; sets `terminateAfter` and terminates when that time passes
 *               (a later call moves the time; the earlier schedule is ignored).
 *
 * While a change is in progress the server is busy and state-changing actions answer 409, as do
 * invalid transitions (e.g. start of a RUNNING server). Quirk: `launch.product.productId` carries the
 * *provider* product id string (`"m1.small"`); a numeric product id is accepted as well.
 */
import { ApiError } from '../api-error.js';
import type { Reply, World } from '../context.js';
import { toIntId } from '../ids.js';
import { finishJob } from '../jobs.js';
import {
  budget, describeMembers, isObject, mustExist, object, objectList, onlyMembers, optRef, optStr, ref, refList, str,
} from '../payload.js';
import { dcmTimestamp } from '../time.js';
import type { Rec } from '../types.js';
import { accepted, assertNotBusy, failTrigger, noContent, ownership, sortedKeys, startJob, type Effect, type WriteCtx, type WriteRoutes } from './common.js';

const SERVER = 'infrastructure/Server';
const VOLUME = 'infrastructure/Volume';

const LAUNCH_MEMBERS = [
  'product', 'budget', 'machineImage', 'description', 'name', 'dataCenter', 'keypair', 'vlan', 'network', 'subnet', 'firewalls',
  'label', 'userData', 'cmAccount', 'environment', 'scripts', 'personalities', 'volumeConfiguration', 'owningGroups',
];

/** Resolve `product.productId` (provider id string or numeric product id) within a region. */
function resolveProduct(world: World, o: Rec, region: Rec, where: string): Rec {
  const p = object(o, 'product', where);
  const raw = p.productId;
  const w = `${where}.product.productId`;
  if (raw === undefined || raw === null || raw === '') throw ApiError.badRequest(`${w} is required`);
  const numeric = toIntId(raw);
  const products = world.store.table('infrastructure/ServerProduct');
  if (numeric !== undefined) {
    const product = products.get(numeric);
    if (!product) throw ApiError.badRequest(`${w}: no such ServerProduct ${numeric}`);
    return product;
  }
  if (typeof raw !== 'string') throw ApiError.badRequest(`${w} must be a provider product id string such as "m1.small"`);
  for (const product of products.values()) {
    if (product.providerProductId === raw && product.providerRegionId === region.providerId && product.cloud?.cloudId === region.cloud?.cloudId) return product;
  }
  throw ApiError.badRequest(`${w}: product "${raw}" is not offered in region ${region.regionId} (${region.providerId})`);
}

/** Shared-code references (`[{"sharedScriptCode": "..."}]`) to existing items. */
function codeList(world: World, o: Rec, key: string, codeKey: string, path: string, where: string): Rec[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw ApiError.badRequest(`${where}.${key} must be an array of {"${codeKey}": "..."}`);
  return v.map((item, i) => {
    if (!isObject(item)) throw ApiError.badRequest(`${where}.${key}[${i}] must be an object`);
    const code = str(item, codeKey, `${where}.${key}[${i}]`);
    mustExist(world.store, path, code, `${where}.${key}[${i}].${codeKey}`);
    return { [codeKey]: code };
  });
}

function launch(ctx: WriteCtx, value: unknown, root: string): Reply {
  const world = ctx.world;
  const store = world.store;
  const jobs = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    onlyMembers(o, LAUNCH_MEMBERS, where);
    const dataCenterId = ref(store, o, 'dataCenter', 'dataCenterId', 'geography/DataCenter', where);
    const regionId = (store.get('geography/DataCenter', dataCenterId) as Rec).region.regionId;
    const region = store.get('geography/Region', regionId) as Rec;
    const imageId = ref(store, o, 'machineImage', 'machineImageId', 'infrastructure/MachineImage', where);
    const image = store.get('infrastructure/MachineImage', imageId) as Rec;
    if (image.region?.regionId !== regionId) {
      throw ApiError.badRequest(`${where}.machineImage.machineImageId: image ${imageId} is in region ${image.region?.regionId}, but data center ${dataCenterId} is in region ${regionId}`);
    }
    if (image.status !== 'ACTIVE') throw ApiError.badRequest(`${where}.machineImage.machineImageId: image ${imageId} is ${image.status}`);
    const product = resolveProduct(world, o, region, where);
    const budgetId = budget(store, o, where);
    const name = str(o, 'name', where);
    const description = str(o, 'description', where);
    const firewalls = refList(store, o, 'firewalls', 'firewallId', 'network/Firewall', where) ?? [];
    firewalls.forEach((id, j) => {
      const fwRegion = store.get('network/Firewall', id)?.region?.regionId;
      if (fwRegion !== regionId) throw ApiError.badRequest(`${where}.firewalls[${j}].firewallId: firewall ${id} is in region ${fwRegion}, not ${regionId}`);
    });
    const groups = refList(store, o, 'owningGroups', 'groupId', 'admin/Group', where);
    const record: Rec = {
      ...ownership(ctx, regionId, region.cloud.cloudId, budgetId, groups),
      agentVersion: image.agentVersion ?? 0, architecture: product.architecture, dataCenter: { dataCenterId }, description,
      firewalls: firewalls.map((firewallId) => ({ firewallId })), machineImage: { machineImageId: imageId }, name, platform: image.platform,
      product: { productId: product.productId }, providerProductId: product.providerProductId, status: 'PENDING',
    };
    const networkId = optRef(store, o, 'network', 'networkId', 'network/Network', where);
    if (networkId !== undefined) record.network = { networkId };
    const cmAccountId = optRef(store, o, 'cmAccount', 'cmAccountId', 'automation/ConfigurationManagementAccount', where);
    if (cmAccountId !== undefined) record.cmAccount = { cmAccountId };
    if (o.environment !== undefined) {
      const code = str(object(o, 'environment', where), 'sharedEnvironmentCode', `${where}.environment`);
      mustExist(store, 'automation/Environment', code, `${where}.environment.sharedEnvironmentCode`);
      record.environment = { sharedEnvironmentCode: code };
    }
    const scripts = codeList(world, o, 'scripts', 'sharedScriptCode', 'automation/Script', where);
    if (scripts) record.scripts = scripts;
    const personalities = codeList(world, o, 'personalities', 'sharedPersonalityCode', 'automation/Personality', where);
    if (personalities) record.personalities = personalities;
    for (const key of ['vlan', 'subnet', 'volumeConfiguration']) if (o[key] !== undefined) record[key] = object(o, key, where);
    for (const key of ['label', 'userData']) {
      const v = optStr(o, key, where);
      if (v !== undefined) record[key] = v;
    }
    optStr(o, 'keypair', where); // client-only
    return startJob(ctx, `Launch Server ${name}`, 'server.launch', { record, fail: failTrigger(o) });
  });
  return accepted(jobs);
}

const launchEffect: Effect = (world, data, at) => {
  const store = world.store;
  if (data.fail) return finishJob(store, data.jobId, { error: data.fail }, at);
  const serverId = store.allocateId(SERVER);
  const ip = `${store.rng.int(50, 54)}.${store.rng.int(0, 255)}.${store.rng.int(0, 255)}.${store.rng.int(1, 254)}`;
  store.put(SERVER, sortedKeys({
    ...data.record,
    privateIpAddresses: [`10.${store.rng.int(0, 255)}.${store.rng.int(0, 255)}.${store.rng.int(1, 254)}`],
    providerId: `i-${store.rng.hex(8)}`, publicIpAddress: ip, publicIpAddresses: [ip], serverId, startDate: dcmTimestamp(at),
  }));
  store.setBusy(SERVER, serverId, { jobId: data.jobId, op: 'launch' });
  finishJob(store, data.jobId, { message: String(serverId) }, at);
  world.clock.schedule('server.settle', { serverId, to: 'RUNNING' }, at);
};

/** Final step of a transition: `{serverId, to, from?, jobId?, fail?}`. */
const settleEffect: Effect = (world, data, at) => {
  const store = world.store;
  const server = store.get(SERVER, data.serverId);
  store.setBusy(SERVER, data.serverId, undefined);
  if (!server) return data.jobId && finishJob(store, data.jobId, { error: `Server ${data.serverId} no longer exists` }, at);
  if (data.fail) {
    server.status = data.from;
    return finishJob(store, data.jobId, { error: data.fail }, at);
  }
  server.status = data.to;
  if (data.to === 'STOPPED') server.stopDate = dcmTimestamp(at);
  if (data.to === 'TERMINATED') terminate(world, server, at);
  if (data.jobId) finishJob(store, data.jobId, { message: '' }, at);
};

function terminate(world: World, server: Rec, at: number): void {
  server.status = 'TERMINATED';
  server.terminateTimestamp = dcmTimestamp(at);
  for (const volume of world.store.table(VOLUME).values()) {
    if (volume.server?.serverId === server.serverId) {
      volume.server = null;
      volume.deviceId = null;
    }
  }
}

/** Scheduled termination: fires only if `terminateAfter` was not moved since. */
const autoTerminateEffect: Effect = (world, data, at) => {
  const server = world.store.get(SERVER, data.serverId);
  if (!server || server.status === 'TERMINATED' || server.terminateAfter !== data.terminateAfter) return;
  if (world.store.busyMark(SERVER, data.serverId)) return;
  terminate(world, server, at);
};

function live(ctx: WriteCtx, action: string): Rec {
  const server = ctx.item as Rec;
  if (server.status === 'TERMINATED') throw ApiError.conflict(`Server ${server.serverId} is TERMINATED; ${action} is not possible`);
  return server;
}

/** A state change: check the transition, set the interim status, start the job. */
function transition(op: 'start' | 'stop' | 'pause', from: string[], interim: string | undefined, to: string) {
  return (ctx: WriteCtx, value: unknown, root: string): Reply => {
    const items = objectList(value, root);
    const server = live(ctx, op);
    const id = server.serverId;
    assertNotBusy(ctx, SERVER, id, 'Server');
    if (!from.includes(server.status)) {
      throw ApiError.conflict(`Server ${id} is ${server.status}; ${op} requires ${from.join(' or ')}`);
    }
    const previous = server.status;
    const verb = op[0].toUpperCase() + op.slice(1);
    const job = startJob(ctx, `${verb} Server ${server.name}`, 'server.settle', { serverId: id, to, from: previous, fail: failTrigger(items[0]) });
    ctx.world.store.setBusy(SERVER, id, { jobId: job.jobId, op });
    if (interim) server.status = interim;
    return accepted([job]);
  };
}

function userAction(kind: 'provision' | 'deprovision') {
  return (ctx: WriteCtx, value: unknown, root: string): Reply => {
    const server = live(ctx, `${kind}User`);
    const jobs = objectList(value, root).map((o, i) => {
      const where = `${root}[${i}]`;
      const user = object(o, 'user', where);
      const userId = ref(ctx.world.store, { user: { userId: user.userId } }, 'user', 'userId', 'admin/User', where);
      if (kind === 'provision') optStr(user, 'adminRole', `${where}.user`);
      const verb = kind === 'provision' ? 'Provision' : 'Deprovision';
      return startJob(ctx, `${verb} user ${userId} on Server ${server.name}`, 'job.complete', { fail: failTrigger(o) });
    });
    return accepted(jobs);
  };
}

function describeServer(ctx: WriteCtx, value: unknown, root: string): Reply {
  const server = live(ctx, 'describeServer');
  const [o] = objectList(value, root);
  Object.assign(server, describeMembers(o, ['name', 'description', 'label'], `${root}[0]`));
  return noContent();
}

function assignGroups(ctx: WriteCtx, value: unknown, root: string): Reply {
  const item = ctx.item as Rec;
  if (item.status === 'TERMINATED') live(ctx, root);
  const [o] = objectList(value, root);
  const groups = refList(ctx.world.store, o, 'owningGroups', 'groupId', 'admin/Group', `${root}[0]`, true) as number[];
  item.owningGroups = groups.map((groupId) => ({ groupId }));
  return noContent();
}

function assignBudget(ctx: WriteCtx, value: unknown, root: string): Reply {
  const item = ctx.item as Rec;
  if (item.status === 'TERMINATED') live(ctx, root);
  const [o] = objectList(value, root);
  item.budget = budget(ctx.world.store, o, `${root}[0]`);
  return noContent();
}

function deleteServer(ctx: WriteCtx): Reply {
  const server = live(ctx, 'terminate');
  const id = server.serverId;
  const after = ctx.query.terminateAfter;
  if (after !== undefined && after !== '') {
    if (!/^\d+$/.test(after)) throw ApiError.badRequest(`terminateAfter must be a number of milliseconds, got "${after}"`);
    const due = ctx.now + Number(after);
    server.terminateAfter = dcmTimestamp(due);
    ctx.world.clock.scheduleAt('server.autoTerminate', { serverId: id, terminateAfter: server.terminateAfter }, due);
    return noContent();
  }
  assertNotBusy(ctx, SERVER, id, 'Server');
  const reason = ctx.query.reason ?? 'no reason provided';
  const job = startJob(ctx, `Terminate Server ${server.name}`, 'server.settle', { serverId: id, to: 'TERMINATED', from: server.status, fail: failTrigger({ reason }) });
  ctx.world.store.setBusy(SERVER, id, { jobId: job.jobId, op: 'terminate' });
  return accepted([job]);
}

export const SERVER_WRITES: Record<string, WriteRoutes> = {
  [SERVER]: {
    post: { launch },
    put: {
      start: transition('start', ['STOPPED', 'PAUSED'], 'PENDING', 'RUNNING'),
      stop: transition('stop', ['RUNNING', 'PAUSED'], 'STOPPING', 'STOPPED'),
      pause: transition('pause', ['RUNNING'], undefined, 'PAUSED'),
      provisionUser: userAction('provision'),
      deprovisionUser: userAction('deprovision'),
      describeServer,
      assignGroups,
      assignBudget,
    },
    del: deleteServer,
  },
};

/** Shared with volumes, snapshots and images, which take the same metadata PUTs. */
export { assignBudget, assignGroups };

export const SERVER_EFFECTS: Record<string, Effect> = {
  'server.launch': launchEffect,
  'server.settle': settleEffect,
  'server.autoTerminate': autoTerminateEffect,
};
