/**
 * A machine image (AMI, template).
 *
 * API notes:
 * - Creating an image means imaging a server: `imageServer` (202, job `message` = the new image
 *   id). Assign `server` (write-only), name, description, budget and owningGroups, then
 *   `save()` / `create()`.
 * - Every update is a PUT with a one-element array (`describeImage`, `assignBudget`,
 *   `assignGroups`, `registerAgent`, and `unRegisterAgent` with a capital R).
 * - `deprecate()` sends `deprecateImage` (202 with a job).
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource, type IdOr } from '../../lib/orm/resource.js';
import { collect, refuse, type ActionOptions, type RemoveOptions } from '../../lib/orm/actions.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { DEFAULT_REASON } from '../types.js';
import { assignBudgetWith, assignGroupsWith, describeWith, manageableUpdates, type DescribeInput, MANAGEABLE_UPDATES } from '../common-actions.js';
import { Account } from '../admin/account.js';
import { Customer } from '../admin/customer.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import { BillingCode } from '../admin/billing-code.js';
import type { Job } from '../admin/job.js';
import { Cloud } from '../geography/cloud.js';
import { Region } from '../geography/region.js';
import { Server } from './server.js';

/** What `describe()` of a machine image may change (those of `name`, `description`, `label` its action declares), with the action options. */
export type DescribeImageInput = DescribeInput;

export interface DeleteOptions extends RemoveOptions {
  /** Default `no reason provided`. */
  reason?: string;
}

/**
 * The states of an image: ACTIVE (listed by default), DEPRECATED once `deprecate()` has run. The
 * reference types `status` only as a string, so `image.status` stays open to other strings.
 */
export type MachineImageStatus = 'ACTIVE' | 'DEPRECATED';

const CREATE_REQUIRED = ['budget', 'description', 'name', 'server', 'owningGroups'];

@lifecycle({
  create: { action: 'create' },
  updates: MANAGEABLE_UPDATES,
  delete: { action: 'delete' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY },
})
@resource({ path: 'infrastructure/MachineImage', collection: 'images', id: 'machineImageId' })
export class MachineImage extends Resource {
  /** The list filters of `MachineImage.all()` and `find()`. */
  static override readonly filters = defineFilters({ regionId: { type: 'number', description: 'images of this region' }, active: { type: 'boolean', description: 'active images only (the API\'s default is true)' }, registered: { type: 'boolean', description: 'images with the agent installed' } });
  @attribute() machineImageId!: number;
  /** 0 = no agent. */
  @attribute() agentVersion!: number;
  /** `I32`, `I64`. */
  @attribute() architecture!: string;
  @attribute({ settable: true, idOf: () => BillingCode }) budget!: number;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  /** Epoch zero when unknown. */
  @attribute() creationTimestamp!: string;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute({ settable: true }) description!: string;
  @attribute({ settable: true }) label!: string;
  @attribute() legacyOwnerId!: number;
  @attribute({ settable: true }) name!: string;
  @reference(() => Account) owningAccount!: Ref<Account>;
  /** Empty for public images. */
  @attribute() owningCloudAccountNumber!: string;
  @reference(() => Group, { many: true, settable: true }) owningGroups!: Array<Ref<Group>>;
  @reference(() => User) owningUser!: Ref<User> | null;
  /** `UBUNTU`, `WINDOWS`, `UNKNOWN`, … */
  @attribute() platform!: string;
  @attribute() products!: Array<Record<string, unknown>>;
  /** e.g. `ami-f5b225cf`. */
  @attribute() providerId!: string;
  /** Settable, but no operation sends it. */
  @attribute({ settable: true }) public!: boolean;
  @reference(() => Region) region!: Ref<Region>;
  @attribute() removable!: boolean;
  @attribute() sharable!: boolean;
  /** A {@link MachineImageStatus}; open to other strings. */
  @attribute({ type: 'string' }) status!: MachineImageStatus | (string & {});
  /** The server to image (write-only, for create()). */
  @reference(() => Server, { settable: true, writeOnly: true }) server!: Ref<Server>;

  static override persistence: Persistence<MachineImage> = {
    create: (image, options) => image.create(options),
    update: manageableUpdates<MachineImage>(),
  };

  /** Images a server (POST `imageServer`, 202). Needs server, name, description, budget, owningGroups. */
  @action('POST', 'imageServer', { args: [], options: [], sends: { required: CREATE_REQUIRED }, job: 'always' })
  async create(options: ActionOptions = {}): Promise<Job> {
    return this.actForJob('create', collect(this, 'create'), options);
  }

  /** Changes name, description and/or label: `describeImage` with the members given (204). */
  @action('PUT', 'describeImage', { args: [], optionsParam: 'input', options: ['description', 'name', 'label'] })
  async describe(input: DescribeImageInput): Promise<Job | undefined> {
    return describeWith(this, input);
  }

  /** Records that the DCM agent (this version) is installed in the image (204). */
  @action('PUT', 'registerAgent', { args: ['agentVersion'], options: [] })
  async registerAgent(agentVersion: number, options: ActionOptions = {}): Promise<Job | undefined> {
    refuse(this, 'registerAgent', Number.isInteger(agentVersion) && agentVersion > 0 ? [] : [`agentVersion must be a positive integer, got ${JSON.stringify(agentVersion)}`]);
    return this.act('registerAgent', { agentVersion }, options);
  }

  /** Records that the image has no agent: `unRegisterAgent` (204). */
  @action('PUT', 'unRegisterAgent', { args: [], options: [] })
  async unregisterAgent(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('unregisterAgent', {}, options);
  }

  /** Sets the owning groups (204). */
  @action('PUT', 'assignGroups', { args: ['groups'], options: [] })
  async assignGroups(groups: IdOr<Group, 'groupId'> | Array<IdOr<Group, 'groupId'>>, options: ActionOptions = {}): Promise<Job | undefined> {
    return assignGroupsWith(this, groups, options);
  }

  /** Sets the billing code (204). */
  @action('PUT', 'assignBudget', { args: ['budget'], options: [] })
  async assignBudget(budget: IdOr<BillingCode, 'billingCodeId'>, options: ActionOptions = {}): Promise<Job | undefined> {
    return assignBudgetWith(this, budget, options);
  }

  /** Marks the image deprecated: `deprecateImage` (202, with a job). */
  @action('PUT', 'deprecateImage', { args: [], options: [], job: 'always' })
  async deprecate(options: ActionOptions = {}): Promise<Job> {
    return this.actForJob('deprecate', {}, options);
  }

  /** Deletes the image: `DELETE …?reason=` (202 or 204). */
  @action('DELETE', 'reason', { args: [], options: ['reason'] })
  async delete(options: DeleteOptions = {}): Promise<Job | undefined> {
    return this.act('delete', { reason: options.reason ?? DEFAULT_REASON }, options);
  }
}
