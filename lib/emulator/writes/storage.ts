/**
 * Volume, Snapshot and MachineImage writes.
 *
 * Creates are asynchronous (202 + job; the object exists once the job is COMPLETE). Volume
 * `attach` is a 202 job that sets `server`/`deviceId` on completion; `detach` is immediate, 204
 * (the CLI expects no job). Deletes of volumes, snapshots and images are 202 jobs; an attached
 * volume cannot be deleted (409). Job descriptions hold the substrings load tests key on
 * (`CREATE VOLUME`, `Snapshot of`, `Create Image`). `deprecateImage` is a 202 job that sets the image's status to DEPRECATED, so
 * it drops out of the default `active=true` listing.
 */
import { ApiError } from '../api-error.js';
import type { Reply } from '../context.js';
import { finishJob } from '../jobs.js';
import {
  budget, describeMembers, int, objectList, onlyMembers, optStr, ref, refList, str,
} from '../payload.js';
import { dcmTimestamp } from '../time.js';
import type { Rec } from '../types.js';
import {
  accepted, assertNotBusy, asyncDelete, failTrigger, noContent, ownership, startJob, type Effect, type WriteCtx, type WriteRoutes,
} from './common.js';
import { assignBudget, assignGroups } from './server.js';

const VOLUME = 'infrastructure/Volume';
const SNAPSHOT = 'infrastructure/Snapshot';
const IMAGE = 'infrastructure/MachineImage';
const SERVER = 'infrastructure/Server';

function describe(keys: string[]) {
  return (ctx: WriteCtx, value: unknown, root: string): Reply => {
    const [o] = objectList(value, root);
    Object.assign(ctx.item as Rec, describeMembers(o, keys, `${root}[0]`));
    return noContent();
  };
}

function addVolume(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const jobs = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    onlyMembers(o, ['name', 'description', 'dataCenter', 'sizeInGb', 'budget', 'label', 'owningGroups'], where);
    const dataCenterId = ref(store, o, 'dataCenter', 'dataCenterId', 'geography/DataCenter', where);
    const regionId = (store.get('geography/DataCenter', dataCenterId) as Rec).region.regionId;
    const cloudId = (store.get('geography/Region', regionId) as Rec).cloud.cloudId;
    const sizeInGb = int(o, 'sizeInGb', where, { min: 1, max: 16384 });
    const name = str(o, 'name', where);
    const record: Rec = {
      ...ownership(ctx, regionId, cloudId, budget(store, o, where), refList(store, o, 'owningGroups', 'groupId', 'admin/Group', where)),
      array: null, available: true, creationTimestamp: dcmTimestamp(ctx.now), dataCenter: { dataCenterId }, description: str(o, 'description', where),
      deviceId: null, encrypted: false, label: optStr(o, 'label', where) ?? null, name, providerId: `vol-${store.rng.hex(8)}`, removable: true,
      server: null, sizeInGb, sizeString: `${sizeInGb}GB`, status: 'ACTIVE',
    };
    return startJob(ctx, `CREATE VOLUME ${name}`, 'create', { path: VOLUME, record, fail: failTrigger(o) });
  });
  return accepted(jobs);
}

function attach(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const volume = ctx.item as Rec;
  const [o] = objectList(value, root);
  const where = `${root}[0]`;
  const serverId = ref(store, o, 'server', 'serverId', SERVER, where);
  const deviceId = optStr(o, 'deviceId', where);
  assertNotBusy(ctx, VOLUME, volume.volumeId, 'Volume');
  if (volume.server) throw ApiError.conflict(`Volume ${volume.volumeId} is already attached to server ${volume.server.serverId}; detach it first`);
  const server = store.get(SERVER, serverId) as Rec;
  if (server.status === 'TERMINATED') throw ApiError.conflict(`Server ${serverId} is TERMINATED; cannot attach volume ${volume.volumeId}`);
  if (server.dataCenter?.dataCenterId !== volume.dataCenter?.dataCenterId) {
    throw ApiError.badRequest(`${where}.server.serverId: server ${serverId} is in data center ${server.dataCenter?.dataCenterId}, volume ${volume.volumeId} in ${volume.dataCenter?.dataCenterId}`);
  }
  const device = deviceId ?? nextDevice(ctx, serverId);
  const job = startJob(ctx, `Attach Volume ${volume.name} to Server ${server.name}`, 'volume.attach', {
    volumeId: volume.volumeId, serverId, deviceId: device, fail: failTrigger(o),
  });
  store.setBusy(VOLUME, volume.volumeId, { jobId: job.jobId, op: 'attach' });
  return accepted([job]);
}

/** First of /dev/sdf … /dev/sdp not used on the server. */
function nextDevice(ctx: WriteCtx, serverId: number): string {
  const used = new Set<string>();
  for (const v of ctx.world.store.table(VOLUME).values()) if (v.server?.serverId === serverId && v.deviceId) used.add(v.deviceId);
  for (const letter of 'fghijklmnop') if (!used.has(`/dev/sd${letter}`)) return `/dev/sd${letter}`;
  return '/dev/sdz';
}

const attachEffect: Effect = (world, data, at) => {
  const store = world.store;
  store.setBusy(VOLUME, data.volumeId, undefined);
  const volume = store.get(VOLUME, data.volumeId);
  const server = store.get(SERVER, data.serverId);
  if (data.fail || !volume || !server || server.status === 'TERMINATED') {
    finishJob(store, data.jobId, { error: data.fail ?? `cannot attach volume ${data.volumeId} to server ${data.serverId}` }, at);
    return;
  }
  volume.server = { serverId: data.serverId };
  volume.deviceId = data.deviceId;
  finishJob(store, data.jobId, { message: '' }, at);
};

function detach(ctx: WriteCtx, value: unknown, root: string): Reply {
  objectList(value, root);
  const volume = ctx.item as Rec;
  assertNotBusy(ctx, VOLUME, volume.volumeId, 'Volume');
  if (!volume.server) throw ApiError.conflict(`Volume ${volume.volumeId} is not attached`);
  volume.server = null;
  volume.deviceId = null;
  return noContent();
}

function deleteVolume(ctx: WriteCtx): Reply {
  const volume = ctx.item as Rec;
  if (volume.server) throw ApiError.conflict(`Volume ${volume.volumeId} is attached to server ${volume.server.serverId}; detach it before deleting`);
  return asyncDelete(ctx, 'Volume');
}

function addSnapshot(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const jobs = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    onlyMembers(o, ['volume', 'name', 'description', 'budget', 'label'], where);
    const volumeId = ref(store, o, 'volume', 'volumeId', VOLUME, where);
    const volume = store.get(VOLUME, volumeId) as Rec;
    const record: Rec = {
      ...ownership(ctx, volume.region.regionId, volume.cloud.cloudId, budget(store, o, where)),
      available: true, createdTimestamp: dcmTimestamp(ctx.now), description: str(o, 'description', where), encrypted: !!volume.encrypted,
      label: optStr(o, 'label', where) ?? null, name: str(o, 'name', where), providerId: `snap-${store.rng.hex(8)}`, removable: true, sharable: false,
      sizeInGb: volume.sizeInGb, status: 'ACTIVE', volume: { volumeId },
    };
    return startJob(ctx, `Snapshot of ${volume.name}`, 'create', { path: SNAPSHOT, record, fail: failTrigger(o) });
  });
  return accepted(jobs);
}

function imageServer(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const jobs = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    onlyMembers(o, ['budget', 'description', 'name', 'server', 'owningGroups', 'label'], where);
    const serverId = ref(store, o, 'server', 'serverId', SERVER, where);
    const server = store.get(SERVER, serverId) as Rec;
    if (server.status === 'TERMINATED') throw ApiError.conflict(`Server ${serverId} is TERMINATED; it cannot be imaged`);
    const groups = refList(store, o, 'owningGroups', 'groupId', 'admin/Group', where, true);
    const name = str(o, 'name', where);
    const record: Rec = {
      ...ownership(ctx, server.region.regionId, server.cloud.cloudId, budget(store, o, where), groups),
      agentVersion: server.agentVersion ?? 0, architecture: server.architecture ?? 'I64', creationTimestamp: dcmTimestamp(ctx.now),
      description: str(o, 'description', where), label: optStr(o, 'label', where) ?? null, name, owningCloudAccountNumber: '825279278023',
      platform: server.platform ?? 'UNKNOWN', providerId: `ami-${store.rng.hex(8)}`, public: false, removable: true, sharable: false, status: 'ACTIVE',
    };
    return startJob(ctx, `Create Image ${name} from Server ${server.name}`, 'create', { path: IMAGE, record, fail: failTrigger(o) });
  });
  return accepted(jobs);
}

function registerAgent(ctx: WriteCtx, value: unknown, root: string): Reply {
  const [o] = objectList(value, root);
  (ctx.item as Rec).agentVersion = int(o, 'agentVersion', `${root}[0]`, { min: 1 });
  return noContent();
}

function unRegisterAgent(ctx: WriteCtx, value: unknown, root: string): Reply {
  objectList(value, root);
  (ctx.item as Rec).agentVersion = 0;
  return noContent();
}

function deprecateImage(ctx: WriteCtx, value: unknown, root: string): Reply {
  const [o] = objectList(value, root);
  const image = ctx.item as Rec;
  assertNotBusy(ctx, IMAGE, image.machineImageId, 'MachineImage');
  if (image.status !== 'ACTIVE') throw ApiError.conflict(`MachineImage ${image.machineImageId} is ${image.status}; only an ACTIVE image can be deprecated`);
  const job = startJob(ctx, `Deprecate Image ${image.name}`, 'image.deprecate', { machineImageId: image.machineImageId, fail: failTrigger(o) });
  ctx.world.store.setBusy(IMAGE, image.machineImageId, { jobId: job.jobId, op: 'deprecate' });
  return accepted([job]);
}

const deprecateEffect: Effect = (world, data, at) => {
  world.store.setBusy(IMAGE, data.machineImageId, undefined);
  const image = world.store.get(IMAGE, data.machineImageId);
  if (data.fail || !image) return finishJob(world.store, data.jobId, { error: data.fail ?? `MachineImage ${data.machineImageId} no longer exists` }, at);
  image.status = 'DEPRECATED';
  finishJob(world.store, data.jobId, { message: '' }, at);
};

export const STORAGE_WRITES: Record<string, WriteRoutes> = {
  [VOLUME]: {
    post: { addVolume },
    put: { attach, detach, describeVolume: describe(['name', 'description', 'label']), assignBudget, assignGroups },
    del: deleteVolume,
  },
  [SNAPSHOT]: {
    post: { addSnapshot },
    put: { describeSnapshot: describe(['name', 'description', 'label']) },
    del: (ctx) => asyncDelete(ctx, 'Snapshot'),
  },
  [IMAGE]: {
    post: { imageServer },
    put: { describeImage: describe(['name', 'description', 'label']), registerAgent, unRegisterAgent, assignGroups, assignBudget, deprecateImage },
    del: (ctx) => asyncDelete(ctx, 'Image'),
  },
};

export const STORAGE_EFFECTS: Record<string, Effect> = {
  'volume.attach': attachEffect,
  'image.deprecate': deprecateEffect,
};
