/**
 * An account with a configuration-management service such as Chef or Puppet.
 * Read-only.
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Ref } from '../types.js';
import { Customer } from '../admin/customer.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import { ConfigurationManagementService } from './configuration-management-service.js';

@resource({ path: 'automation/ConfigurationManagementAccount', collection: 'cmAccounts', id: 'cmAccountId' })
export class ConfigurationManagementAccount extends Resource {
  @attribute() cmAccountId!: number;
  @attribute() accountNumber!: string;
  /** Billing code id (`-1` seen). */
  @attribute({ idOf: () => BillingCode }) budget!: number;
  @reference(() => ConfigurationManagementService) cmService!: Ref<ConfigurationManagementService>;
  @attribute() createdTimestamp!: string;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute() description!: string;
  /** `/customer/<customerId>/cmAccount/<cmAccountId>`. */
  @attribute() guid!: string;
  /** Icon/colour label. */
  @attribute() label?: string;
  @attribute() lastModifiedTimestamp!: string;
  @attribute() name!: string;
  @attribute() removable!: boolean;
  @attribute() status!: string;
  @reference(() => Group, { many: true }) owningGroups?: Array<Ref<Group>>;
  @reference(() => User) owningUser?: Ref<User>;
}
