/**
 * automation and platform writes, all synchronous 201 creates except the
 * RelationalDatabase DELETE (202 job).
 *
 * Quirks: `addService` sends `cmSystem.cmSystemID` (capital ID) — both spellings are accepted and
 * the stored reference is `cmSystemId`; `label` is whatever the client sends (always `red` in
 * practice). Deployment/Tier/LaunchConfiguration creates come from earlier client versions;
 * `addDeployment` carries a bare `regionId`, `addLaunchConfiguration` a provider product id string.
 */
import { ApiError } from '../api-error.js';
import type { Reply } from '../context.js';
import { toIntId } from '../ids.js';
import { budget, int, isObject, mustExist, object, objectList, optInt, optStr, ref, refList, str } from '../payload.js';
import { dcmTimestamp } from '../time.js';
import type { Rec } from '../types.js';
import { asyncDelete, caller, created, type WriteCtx, type WriteRoutes } from './common.js';

const CM_SERVICE = 'automation/ConfigurationManagementService';
const DEPLOYMENT = 'automation/Deployment';
const TIER = 'automation/Tier';
const LAUNCH_CONFIG = 'automation/LaunchConfiguration';

function addService(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const made = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    const system = object(o, 'cmSystem', where);
    const key = system.cmSystemID !== undefined ? 'cmSystemID' : 'cmSystemId';
    const cmSystemId = int(system, key, `${where}.cmSystem`);
    mustExist(store, 'automation/ConfigurationManagementSystem', cmSystemId, `${where}.cmSystem.${key}`);
    const rec: Rec = {
      budget: budget(store, o, where), cmServiceId: store.allocateId(CM_SERVICE), cmSystem: { cmSystemId }, customer: { customerId: caller(ctx).customerId },
      description: str(o, 'description', where), label: optStr(o, 'label', where) ?? 'red', name: str(o, 'name', where),
      properties: isObject(o.properties) ? o.properties : {}, removable: true, serviceEndpoint: str(o, 'serviceEndpoint', where), status: 'ACTIVE',
    };
    return store.put(CM_SERVICE, rec);
  });
  return created(ctx, CM_SERVICE, made);
}

function addDeployment(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const made = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    const regionId = int(o, 'regionId', where);
    mustExist(store, 'geography/Region', regionId, `${where}.regionId`);
    const window = { daysOfWeek: ['SUNDAY'], startHour: 2, startMinute: 0, endHour: 4, endMinute: 0 };
    const who = caller(ctx);
    const rec: Rec = {
      backupWindow: window, budget: budget(store, o, where), creationTimestamp: dcmTimestamp(ctx.now), customer: { customerId: who.customerId },
      deploymentId: store.allocateId(DEPLOYMENT), description: str(o, 'description', where), forServiceCatalog: false, label: null,
      launchTimestamp: null, maintenanceWindow: { ...window, daysOfWeek: ['SATURDAY'] }, name: str(o, 'name', where),
      owningGroups: [{ groupId: 9465 }], owningUser: { userId: who.userId }, reasonNotRemovable: '', regions: [{ regionId }], removable: true,
      status: 'STOPPED', type: 'DEDICATED',
    };
    return store.put(DEPLOYMENT, rec);
  });
  return created(ctx, DEPLOYMENT, made);
}

function addTier(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const made = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    const n = (key: string, fallback: number) => optInt(o, key, where, { min: 0 }) ?? fallback;
    const minimumServers = n('minimumServers', 1);
    const maximumServers = n('maximumServers', minimumServers);
    if (maximumServers < minimumServers) throw ApiError.badRequest(`${where}.maximumServers (${maximumServers}) must not be below minimumServers (${minimumServers})`);
    const rec: Rec = {
      breachIncrement: n('breachIncrement', 1), breachPeriodInMinutes: n('breachPeriodInMinutes', 5), budget: budget(store, o, where),
      cooldownPeriodInMinutes: n('cooldownPeriodInMinutes', 5), deployment: { deploymentId: ref(store, o, 'deployment', 'deploymentId', DEPLOYMENT, where) },
      description: str(o, 'description', where), label: null, lastBreachChangeTimestamp: dcmTimestamp(ctx.now),
      lowerCpuThreshold: n('lowerCpuThreshold', 10), lowerRamThreshold: n('lowerRamThreshold', 10), maximumServers, minimumServers,
      name: str(o, 'name', where), removable: true, scalingRules: 'NONE', status: 'ACTIVE', tierId: store.allocateId(TIER),
      upperCpuThreshold: n('upperCpuThreshold', 80), upperRamThreshold: n('upperRamThreshold', 80),
    };
    return store.put(TIER, rec);
  });
  return created(ctx, TIER, made);
}

function addLaunchConfiguration(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const made = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    const tierId = ref(store, o, 'tier', 'tierId', TIER, where);
    const imageId = ref(store, o, 'primaryMachineImage', 'machineImageId', 'infrastructure/MachineImage', where);
    const product = object(o, 'primaryProduct', where);
    const productId = product.productId;
    if (typeof productId !== 'string' && toIntId(productId) === undefined) {
      throw ApiError.badRequest(`${where}.primaryProduct.productId is required (a provider product id such as "m1.small")`);
    }
    const regionId = ref(store, o, 'region', 'regionId', 'geography/Region', where);
    const firewalls = refList(store, o, 'firewalls', 'firewallId', 'network/Firewall', where) ?? [];
    const tier = store.get(TIER, tierId) as Rec;
    const rec: Rec = {
      arrayVolumeCapacity: 0, arrayVolumeCount: 0, customer: { customerId: caller(ctx).customerId }, deployment: tier.deployment,
      firewalls: firewalls.map((firewallId) => ({ firewallId })), launchConfigurationId: store.allocateId(LAUNCH_CONFIG), personalities: [],
      primaryMachineImage: { machineImageId: imageId }, primaryProduct: { productId: String(productId) }, raidLevel: 'NONE',
      recoveryDelayInMinutes: 5, region: { regionId }, scripts: [], serverNameTemplate: `${tier.name}-{count}`, serverType: 'SERVICE',
      snapshotIntervalInMinutes: 1440, status: 'ACTIVE', tier: { tierId }, useEncryptedVolumes: false, useHypervisorStats: false,
    };
    return store.put(LAUNCH_CONFIG, rec);
  });
  return created(ctx, LAUNCH_CONFIG, made);
}

export const AUTOMATION_WRITES: Record<string, WriteRoutes> = {
  [CM_SERVICE]: { post: { addService } },
  [DEPLOYMENT]: { post: { addDeployment } },
  [TIER]: { post: { addTier } },
  [LAUNCH_CONFIG]: { post: { addLaunchConfiguration } },
  'platform/RelationalDatabase': { del: (ctx) => asyncDelete(ctx, 'Relational Database') },
};
