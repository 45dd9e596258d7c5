/**
 * infrastructure seed: the fixture servers and volumes, the machine images and server products
 * embedded in the server sample, server 339452 (job 2's `message` in the job sample), and
 * generated images, products, volumes, snapshots and `extraServers` servers spread over five AWS
 * regions. Generated values come from the seeded PRNG; generated ids are fixed ranges.
 */
import type { Prng } from '../prng.js';
import type { Rec } from '../types.js';
import { owned, privateIp, publicIp, seededTimestamp, type RegionInfo } from './common.js';
import { FIXTURE_EMBEDDED_IMAGES, FIXTURE_EMBEDDED_SERVER_PRODUCTS, FIXTURE_SERVERS, FIXTURE_VOLUMES } from './fixtures-infrastructure.js';

/** [providerProductId, name, cpuCount, ramInMb, diskSizeInGb, hourlyRate, architecture]. */
const PRODUCT_TYPES: Array<[string, string, number, number, number, number, string]> = [
  ['t1.micro', '32-bit Micro', 1, 700, 0, 0.02, 'I32'],
  ['m1.small', '32-bit Small', 1, 1700, 160, 0.085, 'I32'],
  ['m1.medium', '64-bit Medium', 1, 3750, 410, 0.17, 'I64'],
  ['m1.large', '64-bit Large', 2, 7500, 850, 0.34, 'I64'],
  ['m1.xlarge', '64-bit Extra Large', 4, 15000, 1690, 0.68, 'I64'],
  ['c1.medium', 'High-CPU Medium', 2, 1700, 350, 0.17, 'I32'],
];

/** Regions the generated servers are spread over. */
export const SERVER_REGIONS = [19343, 19344, 19556, 19342, 19340];

export interface InfrastructureSeed {
  images: Rec[];
  serverProducts: Rec[];
  servers: Rec[];
  volumes: Rec[];
  snapshots: Rec[];
}

export function seedProducts(regions: RegionInfo[]): Rec[] {
  const products = structuredClone(FIXTURE_EMBEDDED_SERVER_PRODUCTS);
  const taken = new Set(products.map((p) => `${p.providerRegionId}/${p.providerProductId}/${p.platform}`));
  let productId = 1000;
  for (const { region, cloudId } of regions) {
    for (const [providerProductId, name, cpuCount, ramInMb, diskSizeInGb, hourlyRate, architecture] of PRODUCT_TYPES) {
      productId++;
      if (taken.has(`${region.providerId}/${providerProductId}/UNIX`)) continue;
      products.push({
        architecture, cloud: { cloudId }, cpuCount, cpuSpeedInMhz: 1, currency: 'USD',
        description: `${name}, ${cpuCount}x CPU, ${(ramInMb / 1000).toFixed(1)} GB RAM, ${diskSizeInGb} GB Disk`,
        diskSizeInGb, hourlyRate, name, platform: 'UNIX', productId, providerProductId, providerRegionId: region.providerId, ramInMb, software: '',
      });
    }
  }
  return products;
}

export function seedImages(regions: RegionInfo[], rng: Prng): Rec[] {
  const images = structuredClone(FIXTURE_EMBEDDED_IMAGES);
  let machineImageId = 290000;
  for (const { region, cloudId } of regions) {
    machineImageId++;
    images.push({
      ...owned(region.regionId, cloudId), agentVersion: 17, architecture: 'I64', creationTimestamp: seededTimestamp(rng),
      description: `Ubuntu 12.04 LTS with the DCM agent (${region.providerId})`, label: 'green', machineImageId,
      name: `dcm-ubuntu1204-amd64-${region.providerId}`, owningCloudAccountNumber: '825279278023', platform: 'UBUNTU',
      providerId: `ami-${rng.hex(8)}`, public: false, removable: true, sharable: true, status: 'ACTIVE',
    });
  }
  // One retired image so the `active` filter has something to hide.
  images.push({
    ...owned(19344, 1), agentVersion: 0, architecture: 'I32', creationTimestamp: seededTimestamp(rng), description: 'Retired CentOS 5 image',
    label: 'grey', machineImageId: 289999, name: 'centos-5.8-i386-retired', owningCloudAccountNumber: '825279278023', platform: 'CENTOS',
    providerId: `ami-${rng.hex(8)}`, public: false, removable: true, sharable: false, status: 'INACTIVE',
  });
  return images;
}

/** Server 339452, created by fixture job 2 ("Launch Server dpando-CentosLB"). */
function jobTwoServer(): Rec {
  return {
    ...owned(19344, 1), agentVersion: 17, architecture: 'I32', dataCenter: { dataCenterId: 64351 }, description: 'CentOS load balancer',
    firewalls: [{ firewallId: 116387 }], label: 'blue', machineImage: { machineImageId: 284831 }, name: 'dpando-CentosLB',
    platform: 'UBUNTU', privateIpAddresses: ['10.1.1.2'], product: { productId: 652 }, providerId: 'i-0c0ae850', providerProductId: 'm1.small',
    publicIpAddress: '1.1.1.2', publicIpAddresses: ['1.1.1.2'], serverId: 339452, startDate: '2013-01-08T21:29:59.662+0000', status: 'RUNNING',
  };
}

export interface ServerPlacement {
  info: RegionInfo;
  imageId: number;
  product: Rec;
  firewallId: number;
}

export function generateServers(count: number, placements: ServerPlacement[], rng: Prng): Rec[] {
  const out: Rec[] = [];
  for (let i = 0; i < count; i++) {
    const p = placements[i % placements.length];
    const ip = publicIp(rng);
    const roll = rng.next();
    out.push({
      ...owned(p.info.region.regionId, p.info.cloudId),
      agentVersion: 17, architecture: p.product.architecture, dataCenter: { dataCenterId: p.info.dataCenterIds[i % p.info.dataCenterIds.length] },
      description: `generated server ${i + 1}`, firewalls: [{ firewallId: p.firewallId }], label: rng.pick(['red', 'green', 'blue']),
      machineImage: { machineImageId: p.imageId }, name: `gen-${p.info.region.providerId}-${String(i + 1).padStart(5, '0')}`, platform: 'UBUNTU',
      privateIpAddresses: [privateIp(rng)], product: { productId: p.product.productId }, providerId: `i-${rng.hex(8)}`,
      providerProductId: p.product.providerProductId, publicIpAddress: ip, publicIpAddresses: [ip], serverId: 400000 + i,
      startDate: seededTimestamp(rng), status: roll < 0.8 ? 'RUNNING' : roll < 0.9 ? 'STOPPED' : 'PAUSED',
    });
  }
  return out;
}

export function seedVolumesAndSnapshots(rng: Prng): { volumes: Rec[]; snapshots: Rec[] } {
  const volumes = structuredClone(FIXTURE_VOLUMES);
  for (let i = 0; i < 3; i++) {
    const volumeId = 219001 + i;
    const providerId = `vol-${rng.hex(8)}`;
    const sizeInGb = rng.pick([10, 20, 50, 100]);
    volumes.push({
      ...owned(19344, 1), array: null, available: true, creationTimestamp: seededTimestamp(rng), dataCenter: { dataCenterId: 64351 },
      description: `spare data volume ${i + 1}`, deviceId: null, encrypted: false, label: null, name: `data-${i + 1}`, providerId,
      removable: true, server: null, sizeInGb, sizeString: `${sizeInGb}GB`, status: 'ACTIVE', volumeId,
    });
  }
  const snapshots = [211309, 215683, 212127].map((volumeId, i) => {
    const volume = volumes.find((v) => v.volumeId === volumeId) as Rec;
    return {
      ...owned(volume.region.regionId, 1), available: true, createdTimestamp: seededTimestamp(rng), description: `nightly snapshot of ${volume.name}`,
      encrypted: false, label: null, name: `snap-${volumeId}`, providerId: `snap-${rng.hex(8)}`, removable: true, sharable: false,
      sizeInGb: volume.sizeInGb, snapshotId: 60001 + i, status: 'ACTIVE', volume: { volumeId },
    };
  });
  return { volumes, snapshots };
}

export function fixtureServers(): Rec[] {
  return [...structuredClone(FIXTURE_SERVERS), jobTwoServer()];
}
