/**
 * A virtual machine (REFERENCE §4.6). `product` carries `productId` (the DCM product id) while
 * `providerProductId` is the cloud's name for it (e.g. `m1.small`).
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { Resource } from '../../lib/orm/resource.js';
import { Cloud } from '../geography/cloud.js';
import { DataCenter } from '../geography/data-center.js';
import { Region } from '../geography/region.js';
import { Firewall } from '../network/firewall.js';

type Ref<K extends string> = { [P in K]: number } & { [key: string]: unknown };

@resource({ path: 'infrastructure/Server', collection: 'servers', id: 'serverId' })
export class Server extends Resource {
  @attribute() serverId!: number;
  @attribute() agentVersion!: number;
  @attribute() architecture!: string;
  @attribute({ settable: true }) budget!: number;
  @reference(() => Cloud) cloud!: Cloud;
  @attribute({ type: 'object', settable: true }) cmAccount!: Ref<'cmAccountId'>;
  @attribute({ type: 'object' }) customer!: Ref<'customerId'>;
  @reference(() => DataCenter, { settable: true }) dataCenter!: DataCenter;
  @attribute({ settable: true }) description!: string;
  @attribute({ type: 'object', settable: true }) environment!: { sharedEnvironmentCode: string };
  @reference(() => Firewall, { many: true, settable: true }) firewalls!: Firewall[];
  @attribute({ settable: true }) label!: string;
  @attribute() lastAgentContactTimestamp!: string;
  @attribute({ settable: true }) legacyOwnerId!: number;
  @attribute({ type: 'object', settable: true }) machineImage!: Ref<'machineImageId'>;
  @attribute({ settable: true }) name!: string;
  @attribute({ type: 'object', settable: true }) network!: Ref<'networkId'>;
  @attribute() owningGroups!: Array<Ref<'groupId'>>;
  @attribute({ type: 'object' }) owningUser!: Ref<'userId'>;
  @attribute() pauseAfter!: string;
  @attribute({ type: 'array', settable: true }) personalities!: Array<Record<string, unknown>>;
  @attribute() platform!: string;
  @attribute() privateIpAddresses!: string[];
  @attribute({ type: 'object' }) product!: Ref<'productId'>;
  /** e.g. `i-5f2e1b3c`. */
  @attribute() providerId!: string;
  /** The cloud's product name, e.g. `m1.small`. */
  @attribute({ settable: true }) providerProductId!: string;
  @attribute() publicIpAddress!: string;
  @attribute() publicIpAddresses!: string[];
  @reference(() => Region) region!: Region;
  @attribute({ type: 'array' }) runList!: Array<Record<string, unknown>>;
  @attribute({ type: 'array', settable: true }) scripts!: Array<Record<string, unknown>>;
  @attribute() startDate!: string;
  /** `PENDING`, `RUNNING`, `STOPPING`, `STOPPED`, `PAUSED`, `TERMINATED`. */
  @attribute() status!: string;
  @attribute() stopDate!: string;
  @attribute({ type: 'object', settable: true }) subnet!: Ref<'subnetId'>;
  @attribute({ settable: true }) terminateAfter!: string;
  @attribute({ settable: true }) userData!: string;
  /** Deprecated by DCM; kept for old payloads. */
  @attribute({ type: 'object', settable: true }) vlan!: Ref<'vlanId'>;
  @attribute({ type: 'object', settable: true }) volumeConfiguration!: Record<string, unknown>;
  /** Sent with a launch, never returned. */
  @attribute({ settable: true, writeOnly: true }) keypair!: string;
}
