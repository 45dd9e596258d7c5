/**
 * network seed: the fixture load balancers, the firewalls embedded in the server sample, a
 * generated `default` firewall for every other region, two rules per firewall, and one network per
 * region (plus a decommissioned one so `activeOnly` has something to hide).
 */
import type { Prng } from '../prng.js';
import type { Rec } from '../types.js';
import { owned, seededTimestamp, type RegionInfo } from './common.js';
import { CUSTOMER_ID } from './geography.js';
import { FIXTURE_EMBEDDED_FIREWALLS, FIXTURE_LOAD_BALANCERS } from './fixtures-network.js';

export interface NetworkSeed {
  firewalls: Rec[];
  rules: Rec[];
  loadBalancers: Rec[];
  networks: Rec[];
}

export function seedNetwork(regions: RegionInfo[], rng: Prng): NetworkSeed {
  const firewalls = structuredClone(FIXTURE_EMBEDDED_FIREWALLS);
  let firewallId = 130000;
  for (const { region, cloudId } of regions) {
    firewallId++;
    if (firewalls.some((f) => f.region.regionId === region.regionId)) continue;
    firewalls.push({
      ...owned(region.regionId, cloudId), description: 'default group', firewallId, label: null, name: 'default',
      providerId: `sg-${rng.hex(8)}`, removable: true, status: 'ACTIVE',
    });
  }

  const rules: Rec[] = [];
  let firewallRuleId = 600000;
  for (const fw of firewalls) {
    for (const port of [22, 443]) {
      rules.push({
        destination: fw.providerId, destinationType: 'GLOBAL', direction: 'INGRESS', endPort: port, firewall: { firewallId: fw.firewallId },
        firewallRuleId: ++firewallRuleId, permission: 'ALLOW', precedence: port === 22 ? 1 : 2, protocol: 'TCP',
        ruleProviderId: `fwr-${rng.hex(8)}`, source: '0.0.0.0/0', sourceType: 'CIDR', startPort: port,
      });
    }
  }

  const networks: Rec[] = [];
  regions.forEach(({ region, cloudId, dataCenterIds }, i) => {
    networks.push(network(20001 + i, region.regionId, cloudId, dataCenterIds[0], `vpc-${region.providerId}`, `10.${i}.0.0/16`, 'ACTIVE', rng));
  });
  networks.push(network(20100, 19344, 1, 64351, 'vpc-legacy', '172.16.0.0/16', 'INACTIVE', rng));

  return { firewalls, rules, loadBalancers: structuredClone(FIXTURE_LOAD_BALANCERS), networks };
}

function network(networkId: number, regionId: number, cloudId: number, dataCenterId: number, name: string, cidr: string, status: string, rng: Prng): Rec {
  const created = seededTimestamp(rng);
  const base = cidr.replace(/\.0\.0\/16$/, '');
  return {
    ...owned(regionId, cloudId), account: { accountId: 16000 }, agentCommunication: 'PUBLIC', allowSubnetCreation: true, canHaveSubnets: true,
    createdTimestamp: created, dataCenter: { dataCenterId }, description: `${name} network`, dnsServers: ['8.8.8.8'], flat: false,
    guid: `/customer/${CUSTOMER_ID}/network/${networkId}`, label: null, lastModifiedTimestamp: created, name, networkAddress: cidr, networkId,
    networkType: 'VPC', ntpServers: ['pool.ntp.org'], providerId: `vpc-${rng.hex(8)}`, publiclyAddressable: false, removable: true, status,
    subnets: [{ subnetId: networkId * 10 + 1, name: `${name}-a`, networkAddress: `${base}.1.0/24`, dataCenter: { dataCenterId } }],
  };
}
