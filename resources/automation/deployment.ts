/**
 * A deployment: an application made of tiers.
 *
 * API note: `addDeployment` takes a single flat `regionId` (the first of `regions`).
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, type ActionOptions } from '../../lib/orm/actions.js';
import { idsIn } from '../../lib/orm/ids.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref, Window } from '../types.js';
import { Customer } from '../admin/customer.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import { Region } from '../geography/region.js';
import type { Job } from '../admin/job.js';

/** The item of `addDeployment`: the (first) region travels as `regionId`. */
function deploymentItem(v: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const region = Array.isArray(v.regions) ? (v.regions[0] as unknown) : v.regions;
  return { budget: v.budget, regionId: region !== null && typeof region === 'object' ? (region as Record<string, unknown>).regionId : region, description: v.description, name: v.name };
}

@lifecycle({
  create: { action: 'create', item: deploymentItem },
  delete: { refused: 'the API offers no delete of a deployment' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY },
})
@resource({ path: 'automation/Deployment', collection: 'deployments', id: 'deploymentId' })
export class Deployment extends Resource {
  @attribute() deploymentId!: number;
  @attribute({ type: 'object' }) backupWindow!: Window;
  @attribute({ type: 'object' }) maintenanceWindow!: Window;
  @attribute({ settable: true, idOf: () => BillingCode }) budget!: number;
  @attribute() creationTimestamp!: string;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute({ settable: true }) description!: string;
  @attribute() forServiceCatalog!: boolean;
  @attribute() label!: string;
  @attribute() launchTimestamp!: string;
  @attribute({ settable: true }) name!: string;
  @reference(() => Group, { many: true }) owningGroups!: Array<Ref<Group>>;
  @reference(() => User) owningUser!: Ref<User>;
  @reference(() => Region, { many: true, settable: true }) regions!: Array<Ref<Region>>;
  @attribute() removable!: boolean;
  @attribute() reasonNotRemovable!: string;
  /** `STOPPED`, … */
  @attribute() status!: string;
  /** `DEDICATED`, … */
  @attribute() type!: string;
  @attribute({ type: 'any' }) catalogItem!: unknown;
  @attribute({ type: 'any' }) loadBalancers!: unknown;
  @attribute({ type: 'any' }) drStorage!: unknown;

  static override persistence: Persistence<Deployment> = { create: (deployment, options) => deployment.create(options) };

  /** Creates the deployment (201). Needs budget, regions (the first is sent), description, name. */
  @action('POST', 'addDeployment', { args: [], options: ['budget', 'regions', 'description', 'name'], sends: { required: ['budget', 'regions', 'description', 'name'] } })
  async create(options: ActionOptions = {}): Promise<Job | undefined> {
    const { regions, ...v } = collect(this, 'create');
    const region = Array.isArray(regions) ? (regions[0] as unknown) : regions;
    return this.act('create', deploymentItem({ ...v, regions: idsIn(region, Region) }), options);
  }
}
