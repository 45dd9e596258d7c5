/**
 * Builds the initial state, deterministically from `seed`.
 *
 * Derivation of the embedded fixtures (./fixtures-*.ts): the sample files, verbatim,
 * except that objects embedded in the extended-style samples (servers, API keys) were replaced by
 * basic references and collected, first occurrence winning, into `FIXTURE_EMBEDDED_*` lists. Basic
 * detail therefore shows `{"regionId": 19344}` where the sample has the full region, and extended
 * detail re-embeds it.
 *
 * Every reference in the seed resolves to an existing object (spec/emulator/seed.spec.ts checks
 * it), except two kept from the samples: `{"userId": -1}` on account-level API keys, and
 * `owningAccount {"accountId": 1700}` of the public RHEL image 281332 (a foreign vendor account).
 */
import { Prng, deriveSeed } from '../prng.js';
import type { StoreData } from '../store.js';
import type { Rec } from '../types.js';
import { seedAdmin } from './admin.js';
import { seedAutomation } from './automation.js';
import type { RegionInfo } from './common.js';
import { seedGeography } from './geography.js';
import { SERVER_REGIONS, fixtureServers, generateServers, seedImages, seedProducts, seedVolumesAndSnapshots, type ServerPlacement } from './infrastructure.js';
import { seedNetwork } from './network.js';
import { seedPlatform } from './platform.js';

export interface SeedOptions {
  seed: number;
  servers: number;
  keys: Array<{ accessKey: string; secretKey: string }>;
}

export function buildSeed(options: SeedOptions): StoreData {
  // Independent streams: adding generated servers does not change any other generated value.
  const rng = (stream: string) => new Prng(deriveSeed(options.seed, stream));
  const geo = seedGeography();
  const regions: RegionInfo[] = geo.regions.map((region) => ({
    region,
    cloudId: region.cloud.cloudId,
    dataCenterIds: geo.dataCenters.filter((d) => d.region.regionId === region.regionId).map((d) => d.dataCenterId),
  }));
  const admin = seedAdmin(options.keys);
  const automation = seedAutomation(rng('automation'));
  const network = seedNetwork(regions, rng('network'));
  const platform = seedPlatform(regions.filter((r) => r.cloudId === 1), rng('platform'));
  const images = seedImages(regions, rng('images'));
  const serverProducts = seedProducts(regions);
  const { volumes, snapshots } = seedVolumesAndSnapshots(rng('volumes'));

  const placements: ServerPlacement[] = SERVER_REGIONS.map((regionId) => {
    const info = regions.find((r) => r.region.regionId === regionId) as RegionInfo;
    const inRegion = (x: Rec) => x.region?.regionId === regionId;
    return {
      info,
      imageId: images.find((i) => inRegion(i) && i.status === 'ACTIVE')?.machineImageId,
      product: serverProducts.find((p) => p.providerRegionId === info.region.providerId && p.providerProductId === 'm1.small' && p.platform === 'UNIX') as Rec,
      firewallId: network.firewalls.find(inRegion)?.firewallId,
    };
  });
  const servers = [...fixtureServers(), ...generateServers(options.servers, placements, rng('servers'))];

  const tables: Record<string, Rec[]> = {
    'admin/Account': admin.accounts,
    'admin/ApiKey': admin.apiKeys,
    'admin/BillingCode': admin.billingCodes,
    'admin/Customer': admin.customers,
    'admin/Group': admin.groups,
    'admin/Job': admin.jobs,
    'admin/Role': admin.roles,
    'admin/User': admin.users,
    'automation/ConfigurationManagementAccount': automation.cmAccounts,
    'automation/ConfigurationManagementService': automation.cmServices,
    'automation/ConfigurationManagementSystem': automation.cmSystems,
    'automation/Environment': automation.environments,
    'automation/Personality': automation.personalities,
    'automation/Script': automation.scripts,
    'automation/Deployment': automation.deployments,
    'automation/Tier': automation.tiers,
    'automation/Service': automation.services,
    'automation/LaunchConfiguration': automation.launchConfigurations,
    'automation/DataSource': automation.dataSources,
    'automation/DataSourceBackup': automation.dataSourceBackups,
    'geography/Cloud': geo.clouds,
    'geography/DataCenter': geo.dataCenters,
    'geography/Region': geo.regions,
    'geography/Subscription': geo.subscriptions,
    'infrastructure/MachineImage': images,
    'infrastructure/Server': servers,
    'infrastructure/ServerProduct': serverProducts,
    'infrastructure/Snapshot': snapshots,
    'infrastructure/Volume': volumes,
    'network/Firewall': network.firewalls,
    'network/FirewallRule': network.rules,
    'network/LoadBalancer': network.loadBalancers,
    'network/Network': network.networks,
    'platform/RelationalDatabase': platform.relationalDatabases,
    'platform/RelationalDatabaseProduct': platform.rdbmsProducts,
    'platform/StorageObject': platform.storageObjects,
  };
  return { tables, license: admin.license, nextIds: {}, busy: {}, rngState: deriveSeed(options.seed, 'runtime') };
}
