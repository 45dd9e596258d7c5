/**
 * Clouds, regions, data centers and subscriptions: the fixture ones (AWS cloud 1, regions 19343,
 * 19344, 19556, subscriptions for 19340–19346 and 19556) plus generated items so that every region
 * id referenced by the fixtures exists and has data centers.
 */
import type { Rec } from '../types.js';
import { FIXTURE_EMBEDDED_CLOUDS, FIXTURE_EMBEDDED_DATA_CENTERS, FIXTURE_EMBEDDED_REGIONS, FIXTURE_SUBSCRIPTIONS } from './fixtures-geography.js';

export const CUSTOMER_ID = 12345;

const EXTRA_CLOUDS: Rec[] = [
  {
    cloudId: 2, cloudProviderConsoleURL: 'https://portal.azure.com', cloudProviderLogoURL: '/clouds/azure.gif',
    cloudProviderName: 'Microsoft', computeAccessKeyLabel: 'AZURE_SUBSCRIPTION_ID', computeAccountNumberLabel: 'AZURE_ACCOUNT',
    computeDelegate: 'org.dasein.cloud.azure.Azure', computeEndpoint: 'https://management.core.windows.net',
    computeSecretKeyLabel: 'AZURE_SECRET', computeX509CertLabel: 'AZURE_CERTIFICATE', computeX509KeyLabel: 'AZURE_PRIVATE_KEY',
    documentationLabel: null, name: 'Microsoft Azure', privateCloud: false, status: 'ACTIVE',
  },
  {
    cloudId: 3, cloudProviderConsoleURL: 'https://openstack.lab.example', cloudProviderLogoURL: '/clouds/openstack.gif',
    cloudProviderName: 'OpenStack', computeAccessKeyLabel: 'OS_USERNAME', computeAccountNumberLabel: 'OS_TENANT',
    computeDelegate: 'org.dasein.cloud.openstack.nova.os.NovaOpenStack', computeEndpoint: 'https://openstack.lab.example:5000/v2.0',
    computeSecretKeyLabel: 'OS_PASSWORD', computeX509CertLabel: 'OS_CERTIFICATE', computeX509KeyLabel: 'OS_KEY',
    documentationLabel: null, name: 'Lab OpenStack', privateCloud: true, status: 'ACTIVE',
  },
];

/** [regionId, cloudId, providerId, name, description, jurisdiction] of the generated regions. */
const EXTRA_REGIONS: Array<[number, number, string, string, string, string]> = [
  [19340, 1, 'eu-west-1', 'Ireland (eu-west-1)', 'AWS EU (Ireland)', 'IE'],
  [19341, 1, 'ap-southeast-1', 'Singapore (ap-southeast-1)', 'AWS Southeast Asia/Pacific (1)', 'SG'],
  [19342, 1, 'us-west-1', 'N. California (us-west-1)', 'AWS Western United States (1)', 'US'],
  [19345, 1, 'ap-northeast-1', 'Tokyo (ap-northeast-1)', 'AWS Northeast Asia/Pacific (1)', 'JP'],
  [19346, 1, 'sa-east-1', 'Sao Paulo (sa-east-1)', 'AWS South America (1)', 'BR'],
  [19600, 2, 'eastus', 'East US (eastus)', 'Azure East US', 'US'],
  [19700, 3, 'RegionOne', 'Lab (RegionOne)', 'Private OpenStack lab', 'DE'],
];

/** [dataCenterId, regionId, providerId] of the generated data centers. */
const EXTRA_DATA_CENTERS: Array<[number, number, string]> = [
  [64340, 19340, 'eu-west-1a'], [64341, 19340, 'eu-west-1b'],
  [64342, 19341, 'ap-southeast-1a'], [64343, 19341, 'ap-southeast-1b'],
  [64346, 19342, 'us-west-1a'], [64347, 19342, 'us-west-1b'],
  [64349, 19343, 'us-east-1c'], [64350, 19343, 'us-east-1d'],
  [64353, 19344, 'us-west-2c'],
  [64354, 19345, 'ap-northeast-1a'], [64355, 19345, 'ap-northeast-1c'],
  [64356, 19346, 'sa-east-1a'], [64357, 19346, 'sa-east-1b'],
  [64717, 19556, 'ap-southeast-2b'],
  [64800, 19600, 'eastus-1'],
  [64900, 19700, 'nova'],
];

export interface GeographySeed {
  clouds: Rec[];
  regions: Rec[];
  dataCenters: Rec[];
  subscriptions: Rec[];
}

export function seedGeography(): GeographySeed {
  const clouds = [...structuredClone(FIXTURE_EMBEDDED_CLOUDS), ...structuredClone(EXTRA_CLOUDS)];
  const regions = structuredClone(FIXTURE_EMBEDDED_REGIONS);
  for (const [regionId, cloudId, providerId, name, description, jurisdiction] of EXTRA_REGIONS) {
    regions.push({ cloud: { cloudId }, customer: { customerId: CUSTOMER_ID }, description, jurisdiction, name, providerId, regionId, status: 'ACTIVE' });
  }
  regions.sort((a, b) => a.regionId - b.regionId);
  const dataCenters = structuredClone(FIXTURE_EMBEDDED_DATA_CENTERS);
  for (const [dataCenterId, regionId, providerId] of EXTRA_DATA_CENTERS) {
    dataCenters.push({ dataCenterId, description: providerId, name: providerId, providerId, region: { regionId }, status: 'ACTIVE' });
  }
  dataCenters.sort((a, b) => a.dataCenterId - b.dataCenterId);
  const subscriptions = structuredClone(FIXTURE_SUBSCRIPTIONS);
  // The non-AWS regions get a copy of an AWS subscription with the AWS-only features switched off.
  for (const regionId of [19600, 19700]) {
    subscriptions.push({ ...structuredClone(FIXTURE_SUBSCRIPTIONS[0]), regionId, subscribedRDBMS: false, subscribedCDN: false, rdbmsHA: false });
  }
  return { clouds, regions, dataCenters, subscriptions };
}
