/**
 * automation seed: configuration-management systems/services/accounts (accounts 3609/3610 are the
 * fixture items; services 3709/3710 are the ones they reference), environments, personalities and
 * scripts per CM account, and the types known only from earlier client versions and samples
 * (deployments, tiers, services, launch configurations, data sources, data-source backups).
 */
import type { Prng } from '../prng.js';
import type { Rec } from '../types.js';
import { seededTimestamp } from './common.js';
import { CUSTOMER_ID } from './geography.js';
import { FIXTURE_CM_ACCOUNTS } from './fixtures-automation.js';

export interface AutomationSeed {
  cmSystems: Rec[];
  cmServices: Rec[];
  cmAccounts: Rec[];
  environments: Rec[];
  personalities: Rec[];
  scripts: Rec[];
  deployments: Rec[];
  tiers: Rec[];
  services: Rec[];
  launchConfigurations: Rec[];
  dataSources: Rec[];
  dataSourceBackups: Rec[];
}

const customer = { customerId: CUSTOMER_ID };

function cmSystem(cmSystemId: number, name: string, type: string, vendor: string, propertyNames: string[]): Rec {
  return { cmSystemId, name, description: `${name} configuration management`, type, vendor, logoUrl: `/cm/${type.toLowerCase()}.png`, private: false, propertyNames };
}

function cmService(cmServiceId: number, cmSystemId: number, name: string, serviceEndpoint: string, properties: Rec): Rec {
  return { cmServiceId, budget: 10287, cmSystem: { cmSystemId }, customer, description: `${name} service`, label: 'red', name, properties, removable: true, serviceEndpoint, status: 'ACTIVE' };
}

/** Environments, personalities and scripts of one CM account, keyed by shared codes. */
function cmContent(cmAccountId: number, rng: Prng, counter: { n: number }) {
  const mk = (kind: string, name: string): Rec => {
    const id = ++counter.n;
    return {
      [`${kind}Id`]: id, [`shared${kind[0].toUpperCase()}${kind.slice(1)}Code`]: `${kind}-${cmAccountId}-${name}`,
      cmAccount: { cmAccountId }, createdTimestamp: seededTimestamp(rng), description: `${name} ${kind}`, name, status: 'ACTIVE',
    };
  };
  return {
    environments: ['_default', 'production', 'staging'].map((n) => mk('environment', n)),
    personalities: ['webserver', 'database'].map((n) => mk('personality', n)),
    // Scripts have no numeric id on the wire.
    scripts: ['install-nginx', 'backup-db'].map((n) => { const s = mk('script', n); delete s.scriptId; return s; }),
  };
}

const timeWindow = (daysOfWeek: string[], startHour: number) => ({ daysOfWeek, startHour, startMinute: 0, endHour: startHour + 2, endMinute: 0 });

export function seedAutomation(rng: Prng): AutomationSeed {
  const counter = { n: 500 };
  const content = [3609, 3610].map((id) => cmContent(id, rng, counter));
  const deployments = [4001, 4002].map((deploymentId, i) => ({
    backupWindow: timeWindow(['SUNDAY'], 2), budget: 10287, creationTimestamp: seededTimestamp(rng), customer,
    description: i === 0 ? 'WordPress demo deployment' : 'Internal tools', deploymentId, forServiceCatalog: false, label: 'green',
    launchTimestamp: seededTimestamp(rng), maintenanceWindow: timeWindow(['SATURDAY'], 4), name: i === 0 ? 'wordpress' : 'tools',
    owningGroups: [{ groupId: 9465 }], owningUser: { userId: 54321 }, reasonNotRemovable: '', regions: [{ regionId: 19344 }],
    removable: true, status: i === 0 ? 'RUNNING' : 'STOPPED', type: 'DEDICATED',
  }));
  const tiers = [[5001, 4001, 'web'], [5002, 4001, 'db'], [5003, 4002, 'app']].map(([tierId, deploymentId, name]) => ({
    breachIncrement: 1, breachPeriodInMinutes: 5, budget: 10287, cooldownPeriodInMinutes: 5, deployment: { deploymentId },
    description: `${name} tier`, label: 'blue', lastBreachChangeTimestamp: seededTimestamp(rng), lowerCpuThreshold: 10, lowerRamThreshold: 10,
    maximumServers: 4, minimumServers: 1, name, removable: true, scalingRules: 'NONE', status: 'ACTIVE', tierId, upperCpuThreshold: 80, upperRamThreshold: 80,
  }));
  const services = [[6001, 'wordpress-web'], [6002, 'wordpress-db']].map(([serviceId, name]) => ({
    backupIntervalInMinutes: 1440, budget: 10287, description: `${name} service`, name, owningGroup: [{ groupId: 9465 }],
    owningUser: { userId: 54321 }, runAsUser: null, scalingModel: 'NONE', serviceId, status: 'ACTIVE',
  }));
  const launchConfigurations = tiers.map((tier, i) => ({
    arrayVolumeCapacity: 0, arrayVolumeCount: 0, cmAccount: { cmAccountId: 3610 }, customer, deployment: tier.deployment,
    firewalls: [{ firewallId: 117164 }], launchConfigurationId: 8001 + i, personalities: [{ sharedPersonalityCode: 'personality-3610-webserver' }],
    primaryMachineImage: { machineImageId: 284831 }, primaryProduct: { productId: 'm1.small' }, raidLevel: 'NONE', recoveryDelayInMinutes: 5,
    region: { regionId: 19344 }, scripts: [{ sharedScriptCode: 'script-3610-install-nginx' }], serverNameTemplate: `${tier.name}-{tier}-{count}`,
    serverType: 'SERVICE', snapshotIntervalInMinutes: 1440, status: 'ACTIVE', tier: { tierId: tier.tierId }, useEncryptedVolumes: false, useHypervisorStats: false,
  }));
  const dataSources = services.map((svc, i) => ({
    backupIntervalInMinutes: 1440, customConfiguration: '', customer, dataSourceId: 9001 + i, dataSourceImage: { cloudFileId: 7001 + i },
    databaseType: 'VM_DYNAMIC', description: `${svc.name} data`, label: 'red', name: `${svc.name}-data`, nameInDatabase: `db${i + 1}`,
    owningGroup: [{ groupId: 9465 }], owningUser: { userId: 54321 }, preventRemove: null, removable: true, service: { serviceId: svc.serviceId },
    servicePassword: 'changeme', serviceUser: 'dbuser',
  }));
  const dataSourceBackups = dataSources.map((ds, i) => ({
    dataSource: { dataSourceId: ds.dataSourceId }, dataSourceBackupId: 9101 + i, endTimestamp: seededTimestamp(rng),
    server: { serverId: 331810 }, startTimestamp: seededTimestamp(rng), status: i === 0 ? 'COMPLETE' : 'ERROR',
  }));
  return {
    cmSystems: [
      cmSystem(1, 'Chef', 'CHEF', 'Opscode', ['validationKey', 'validationClient']),
      cmSystem(2, 'Puppet', 'PUPPET', 'Puppet Labs', ['puppetMaster']),
      cmSystem(3, 'Object Store', 'OBJECT_STORE', 'Dell', ['bucket', 'cloudDelegate', 'regionId']),
    ],
    cmServices: [
      cmService(3709, 3, 'object-store', 'https://s3.amazonaws.com', { bucket: 'dcm-cm', cloudDelegate: 'org.dasein.cloud.aws.AWSCloud', regionId: '19344' }),
      cmService(3710, 1, 'chef-server', 'https://chef.example.com,https://chef2.example.com', {}),
    ],
    cmAccounts: structuredClone(FIXTURE_CM_ACCOUNTS),
    environments: content.flatMap((c) => c.environments),
    personalities: content.flatMap((c) => c.personalities),
    scripts: content.flatMap((c) => c.scripts),
    deployments, tiers, services, launchConfigurations, dataSources, dataSourceBackups,
  };
}
