/** platform seed: relational databases, RDBMS products per region and engine, storage objects. */
import type { Prng } from '../prng.js';
import type { Rec } from '../types.js';
import { owned, seededTimestamp, type RegionInfo } from './common.js';

export const RDBMS_ENGINES = ['MYSQL', 'MYSQL51', 'ORACLE11G'];

export interface PlatformSeed {
  relationalDatabases: Rec[];
  rdbmsProducts: Rec[];
  storageObjects: Rec[];
}

export function seedPlatform(regions: RegionInfo[], rng: Prng): PlatformSeed {
  const rdbmsProducts: Rec[] = [];
  const storageObjects: Rec[] = [];
  let productId = 3000;
  let storageObjectId = 7000;
  for (const { region, cloudId } of regions) {
    const regionId = region.regionId;
    for (const engine of RDBMS_ENGINES) {
      for (const [size, cores, mem] of [['small', 1, 1.7], ['large', 2, 7.5]] as Array<[string, number, number]>) {
        rdbmsProducts.push({
          architecture: 'I64', cloud: { cloudId }, coreCount: cores, cpuInGHz: 1, customPricing: false, description: `${engine} ${size}`, engine,
          hourlyPricing: { currency: 'USD', value: cores * 0.11 }, ioPricing: { currency: 'USD', value: 0.1 }, ioUnits: 1000000,
          maximumStorageInGb: 1024, memoryInGb: mem, minimumStorageInGb: 5, name: `db.m1.${size}`, productId: ++productId,
          providerId: `db.m1.${size}`, region: { regionId }, status: 'ACTIVE', storagePricing: { currency: 'USD', value: 0.1 }, storageUnits: 1,
        });
      }
    }
    const bucket = `dcm-${region.providerId.toLowerCase()}`;
    const created = seededTimestamp(rng);
    const common = { budget: 10287, cloud: { cloudId }, createdTimestamp: created, lastModifiedTimestamp: created, owningGroup: [{ groupId: 9465 }], owningUser: { userId: 54321 }, region: { regionId } };
    storageObjects.push({
      ...common, container: null, findFreeName: false, label: null, name: bucket, providerId: bucket, readAny: false, readCode: false, readGroup: true,
      readPublic: false, storageObjectId: ++storageObjectId, type: 'container', writeAny: false, writeCode: false, writeGroup: true,
    });
    storageObjects.push({
      ...common, container: { name: bucket }, findFreeName: false, label: null, name: 'backup.tar.gz', providerId: `${bucket}/backup.tar.gz`,
      size: rng.int(1_000_000, 90_000_000), storageObjectId: ++storageObjectId, type: 'blob',
    });
  }
  const relationalDatabases = [[12001, 19344, 'MYSQL', 'wordpress-db'], [12002, 19343, 'ORACLE11G', 'erp-db']].map(([id, regionId, engine, name]) => {
    const product = rdbmsProducts.find((p) => p.region.regionId === regionId && p.engine === engine) as Rec;
    const { owningGroups, ...rest } = owned(regionId as number, 1);
    return {
      ...rest, owningGroup: owningGroups, account: { accountId: 16000 }, adminUser: 'admin', allocatedStorageInGb: 20,
      backupWindow: { startHour: 2, endHour: 4 }, createdTimestamp: seededTimestamp(rng), currentRecoveryPoint: null,
      dataCenter: { dataCenterId: regionId === 19344 ? 64351 : 64348 }, description: `${name} database`, dnsName: `${name}.rds.example.com`,
      engine, ha: false, label: 'red', maintenanceWindow: { daysOfWeek: ['SUNDAY'], startHour: 4, endHour: 5 }, name, port: engine === 'MYSQL' ? 3306 : 1521,
      providerId: name, rdbmsProduct: { productId: product.productId }, relationalDatabaseId: id, status: 'RUNNING',
    };
  });
  return { relationalDatabases, rdbmsProducts, storageObjects };
}
