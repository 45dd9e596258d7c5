/** A firewall (security group) (REFERENCE §4.7). */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { Resource } from '../../lib/orm/resource.js';
import { Cloud } from '../geography/cloud.js';
import { Region } from '../geography/region.js';

@resource({ path: 'network/Firewall', collection: 'firewalls', id: 'firewallId' })
export class Firewall extends Resource {
  @attribute() firewallId!: number;
  @attribute({ settable: true }) budget!: number;
  @reference(() => Cloud) cloud!: Cloud;
  @attribute({ type: 'object' }) customer!: { customerId: number; [key: string]: unknown };
  @attribute({ settable: true }) description!: string;
  @attribute({ settable: true }) label!: string;
  @attribute() legacyOwnerId!: number;
  @attribute({ settable: true }) name!: string;
  @attribute({ type: 'object' }) owningAccount!: { accountId: number; [key: string]: unknown };
  @attribute() owningGroups!: Array<{ groupId: number; [key: string]: unknown }>;
  @attribute({ type: 'object' }) owningUser!: { userId: number; [key: string]: unknown };
  /** e.g. `sg-39930503`. */
  @attribute() providerId!: string;
  @reference(() => Region, { settable: true }) region!: Region;
  @attribute() removable!: boolean;
  @attribute() status!: string;
}
