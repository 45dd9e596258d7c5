/** A load balancer. Read-only: the API offers no write operation for it. */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Ref } from '../types.js';
import { Account } from '../admin/account.js';
import { Customer } from '../admin/customer.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import { Cloud } from '../geography/cloud.js';
import { DataCenter } from '../geography/data-center.js';
import { Region } from '../geography/region.js';
import { Server } from '../infrastructure/server.js';

@resource({ path: 'network/LoadBalancer', collection: 'loadBalancers', id: 'loadBalancerId' })
export class LoadBalancer extends Resource {
  @attribute() loadBalancerId!: number;
  /** The DNS name, e.g. `my-lb.us-west-2.elb.amazonaws.com`. */
  @attribute() address!: string;
  @attribute({ idOf: () => BillingCode }) budget!: number;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  @attribute() cnameBased!: boolean;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute() description!: string;
  @attribute() name!: string;
  @reference(() => Account) owningAccount!: Ref<Account>;
  @reference(() => Group, { many: true }) owningGroups?: Array<Ref<Group>>;
  @reference(() => User) owningUser?: Ref<User>;
  @attribute() providerId!: string;
  @reference(() => Region) region!: Ref<Region>;
  @attribute() status!: string;
  @reference(() => DataCenter, { many: true }) dataCenters?: Array<Ref<DataCenter>>;
  @reference(() => Server, { many: true }) servers?: Array<Ref<Server>>;
  @attribute() listeners?: Array<Record<string, unknown>>;
}
