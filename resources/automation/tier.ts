/**
 * A tier of a deployment: an auto-scaling group of servers.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY, COUNT } from '../../lib/orm/lifecycle.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, type ActionOptions } from '../../lib/orm/actions.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { Deployment } from './deployment.js';
import type { Job } from '../admin/job.js';

const SCALING = ['breachIncrement', 'breachPeriodInMinutes', 'cooldownPeriodInMinutes', 'lowerCpuThreshold', 'upperCpuThreshold', 'lowerRamThreshold', 'upperRamThreshold'];

@lifecycle({
  create: { action: 'create' },
  delete: { refused: 'the API offers no delete of a tier' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY, minimumServers: COUNT, maximumServers: COUNT, breachIncrement: COUNT, breachPeriodInMinutes: COUNT, cooldownPeriodInMinutes: COUNT, lowerCpuThreshold: COUNT, upperCpuThreshold: COUNT, lowerRamThreshold: COUNT, upperRamThreshold: COUNT },
})
@resource({ path: 'automation/Tier', collection: 'tiers', id: 'tierId' })
export class Tier extends Resource {
  @attribute() tierId!: number;
  @attribute({ settable: true }) breachIncrement!: number;
  @attribute({ settable: true }) breachPeriodInMinutes!: number;
  @attribute({ settable: true }) cooldownPeriodInMinutes!: number;
  @reference(() => Deployment, { settable: true }) deployment!: Ref<Deployment>;
  @attribute({ settable: true }) description!: string;
  @attribute() label!: string;
  @attribute() lastBreachChangeTimestamp!: string;
  @attribute({ settable: true }) lowerCpuThreshold!: number;
  @attribute({ settable: true }) upperCpuThreshold!: number;
  @attribute({ settable: true }) lowerRamThreshold!: number;
  @attribute({ settable: true }) upperRamThreshold!: number;
  @attribute({ settable: true }) minimumServers!: number;
  @attribute({ settable: true }) maximumServers!: number;
  @attribute({ settable: true }) name!: string;
  @attribute() removable!: boolean;
  @attribute() scalingRules!: string;
  @attribute() status!: string;
  @attribute({ settable: true, idOf: () => BillingCode }) budget!: number;

  static override persistence: Persistence<Tier> = { create: (tier, options) => tier.create(options) };

  /**
   * Creates the tier (201). Needs budget, deployment, description, name, minimumServers and
   * maximumServers; the breach/cool-down/threshold settings are sent when assigned.
   */
  @action('POST', 'addTier', { args: [], options: ['budget', 'deployment', 'description', 'name', 'minimumServers', 'maximumServers'], sends: { required: ['budget', 'deployment', 'description', 'name', 'minimumServers', 'maximumServers'], optional: SCALING } })
  async create(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('create', collect(this, 'create'), options);
  }
}
