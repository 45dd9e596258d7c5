/**
 * A network (VPC, VLAN).
 *
 * API notes:
 * - `addNetwork` answers 202 (job `message` = the new network id); DELETE `?reason=` answers 202.
 * - The listing needs at least one of `regionId`, `dataCenterId`, `accountId` (the API refuses
 *   it otherwise). `activeOnly` is sent only when given.
 * - `owningGroups` is sent as `[{ groupId }]`; `dnsServers`/`ntpServers` are lists of strings.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { defineFilters, type FilterRules } from '../../lib/orm/filters.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, type ActionOptions, type RemoveOptions } from '../../lib/orm/actions.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { PlainRef, Ref } from '../types.js';
import { DEFAULT_REASON } from '../types.js';
import { Account } from '../admin/account.js';
import { Customer } from '../admin/customer.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import type { Job } from '../admin/job.js';
import { Cloud } from '../geography/cloud.js';
import { DataCenter } from '../geography/data-center.js';
import { Region } from '../geography/region.js';

export interface DeleteNetworkOptions extends RemoveOptions {
  /** Default `no reason provided`. */
  reason?: string;
}

/** A subnet as embedded in a network. */
export type Subnet = PlainRef<'subnetId'>;

const CREATE_REQUIRED = ['budget', 'name', 'networkAddress', 'description', 'region'];
const CREATE_OPTIONAL = ['owningGroups', 'ntpServers', 'dnsServers', 'label'];

@lifecycle({
  create: { action: 'create' },
  delete: { action: 'delete' },
  identity: { by: 'name', within: 'region' },
  rules: { name: NON_EMPTY, networkAddress: NON_EMPTY },
})
@resource({ path: 'network/Network', collection: 'networks', id: 'networkId' })
export class Network extends Resource {
  /** The list filters of `Network.all()` and `find()`. */
  static override readonly filters = defineFilters({ regionId: { type: 'number', description: 'networks of this region' }, dataCenterId: { type: 'number', description: 'networks in this data center' }, accountId: { type: 'number', description: 'networks of this account' }, activeOnly: { type: 'boolean', description: 'active networks only' } });
  /** The API refuses a listing without one of these: "You must specify either a dataCenterId, regionId, or accountId". */
  static override readonly filterRules: FilterRules = { oneOf: ['regionId', 'dataCenterId', 'accountId'] };
  @attribute() networkId!: number;
  @reference(() => Account) account!: Ref<Account>;
  /** Public/private agent channel flag, e.g. `PUBLIC`. */
  @attribute({ type: 'any' }) agentCommunication!: unknown;
  @attribute() allowSubnetCreation!: boolean;
  @attribute({ settable: true, idOf: () => BillingCode }) budget!: number;
  @attribute() canHaveSubnets!: boolean;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  @attribute() createdTimestamp!: string;
  @reference(() => Customer) customer!: Ref<Customer>;
  @reference(() => DataCenter) dataCenter!: Ref<DataCenter> | null;
  @attribute({ settable: true }) description!: string;
  @attribute({ settable: true }) dnsServers!: string[];
  @attribute() flat!: boolean;
  @attribute() guid!: string;
  @attribute({ settable: true, type: 'string' }) label!: string | null;
  @attribute() lastModifiedTimestamp!: string;
  @attribute({ settable: true }) name!: string;
  /** A CIDR block, e.g. `192.168.0.0/24`. */
  @attribute({ settable: true }) networkAddress!: string;
  /** e.g. `VPC`. */
  @attribute() networkType!: string;
  @attribute({ settable: true }) ntpServers!: string[];
  @reference(() => Group, { many: true, settable: true }) owningGroups!: Array<Ref<Group>>;
  @reference(() => Account) owningAccount!: Ref<Account>;
  @reference(() => User) owningUser!: Ref<User>;
  @attribute() providerId!: string;
  @attribute() publiclyAddressable!: boolean;
  @reference(() => Region, { settable: true }) region!: Ref<Region>;
  @attribute() removable!: boolean;
  @attribute() status!: string;
  @attribute() subnets!: Subnet[];

  static override persistence: Persistence<Network> = { create: (network, options) => network.create(options) };

  /**
   * Creates the network (POST `addNetwork`, 202). Needs budget, name, networkAddress,
   * description, region; owningGroups, ntpServers, dnsServers and label are sent when assigned.
   */
  @action('POST', 'addNetwork', { args: [], options: [], sends: { required: CREATE_REQUIRED, optional: CREATE_OPTIONAL }, job: 'always' })
  async create(options: ActionOptions = {}): Promise<Job> {
    return this.actForJob('create', collect(this, 'create'), options);
  }

  /** Deletes the network: `DELETE network/Network/<id>?reason=` (202); with `ignoreMissing`, a network already gone resolves with undefined. */
  async delete(options: DeleteNetworkOptions & { ignoreMissing: true }): Promise<Job | undefined>;
  async delete(options?: DeleteNetworkOptions): Promise<Job>;
  @action('DELETE', 'reason', { args: [], options: ['reason'], job: 'always' })
  async delete(options: DeleteNetworkOptions = {}): Promise<Job | undefined> {
    return this.act('delete', { reason: options.reason ?? DEFAULT_REASON }, options);
  }
}
