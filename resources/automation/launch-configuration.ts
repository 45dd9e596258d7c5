/**
 * How a tier launches its servers.
 *
 * API notes: `primaryProduct`/`secondaryProduct` hold the PROVIDER product id as a string
 * (`{ productId: 'm1.small' }`), not a ServerProduct id, so they stay plain objects. `scripts`
 * items were observed carrying `sharedPersonalityCode` (sic), so they stay plain too.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle } from '../../lib/orm/lifecycle.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, type ActionOptions } from '../../lib/orm/actions.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { PlainRef, Ref } from '../types.js';
import { Customer } from '../admin/customer.js';
import { Region } from '../geography/region.js';
import { MachineImage } from '../infrastructure/machine-image.js';
import { Firewall } from '../network/firewall.js';
import { Network } from '../network/network.js';
import { ConfigurationManagementAccount } from './configuration-management-account.js';
import { Deployment } from './deployment.js';
import { Personality } from './personality.js';
import { Tier } from './tier.js';
import type { Job } from '../admin/job.js';

/** `{ productId: 'm1.small' }` — the cloud's product name. */
export interface ProviderProduct {
  productId: string;
  [key: string]: unknown;
}

@lifecycle({
  create: { action: 'create' },
  delete: { refused: 'the API offers no delete of a launch configuration' },
  identity: { by: 'id' },
})
@resource({ path: 'automation/LaunchConfiguration', collection: 'launchConfigurations', id: 'launchConfigurationId' })
export class LaunchConfiguration extends Resource {
  @attribute() launchConfigurationId!: number;
  @attribute() arrayVolumeCapacity!: number;
  @attribute() arrayVolumeCount!: number;
  @reference(() => ConfigurationManagementAccount) cmAccount!: Ref<ConfigurationManagementAccount>;
  @reference(() => Customer) customer!: Ref<Customer>;
  @reference(() => Deployment) deployment!: Ref<Deployment>;
  @reference(() => Firewall, { many: true, settable: true }) firewalls!: Array<Ref<Firewall>>;
  @reference(() => Personality, { many: true }) personalities!: Array<Ref<Personality>>;
  @attribute() scripts!: Array<Record<string, unknown>>;
  @reference(() => MachineImage, { settable: true }) primaryMachineImage!: Ref<MachineImage>;
  @reference(() => MachineImage) secondaryMachineImage!: Ref<MachineImage>;
  @attribute({ type: 'object', settable: true }) primaryProduct!: ProviderProduct;
  @attribute({ type: 'object' }) secondaryProduct!: ProviderProduct;
  /** `NONE`, … */
  @attribute() raidLevel!: string;
  @attribute() recoveryDelayInMinutes!: number;
  @reference(() => Region, { settable: true }) region!: Ref<Region>;
  /** A template with `{placeholders}`. */
  @attribute() serverNameTemplate!: string;
  /** `SERVICE`, … */
  @attribute() serverType!: string;
  @attribute() snapshotIntervalInMinutes!: number;
  @attribute() status!: string;
  @reference(() => Tier, { settable: true }) tier!: Ref<Tier>;
  @attribute() useEncryptedVolumes!: boolean;
  @attribute() useHypervisorStats!: boolean;
  @attribute() label!: string;
  @attribute() created!: string;
  @attribute() createdTimestamp!: string;
  @reference(() => Network) network!: Ref<Network>;
  @attribute({ type: 'object' }) subnet!: PlainRef<'subnetId'>;
  @attribute() removable!: boolean;

  static override persistence: Persistence<LaunchConfiguration> = { create: (config, options) => config.create(options) };

  /** Creates the launch configuration (201). Needs tier, primaryMachineImage, primaryProduct, region. */
  @action('POST', 'addLaunchConfiguration', { args: [], options: ['tier', 'primaryMachineImage', 'primaryProduct', 'region', 'firewalls'], sends: { required: ['tier', 'primaryMachineImage', 'primaryProduct', 'region'], optional: ['firewalls'] } })
  async create(options: ActionOptions = {}): Promise<Job | undefined> {
    const { tier, primaryMachineImage, primaryProduct, region, firewalls } = collect(this, 'create');
    return this.act('create', { tier, primaryMachineImage, primaryProduct, firewalls, region }, options);
  }
}
