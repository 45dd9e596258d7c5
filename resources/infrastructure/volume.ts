/**
 * A block-storage volume.
 *
 * API notes:
 * - `addVolume` answers 202 (job `message` = the new volume id); `attach` 202; `detach` 204
 *   (a 202 is accepted too); DELETE 202.
 * - name/description/label change through `describeVolume`, budget through `assignBudget`,
 *   owning groups through `assignGroups`; `save()` sends every changed one in one go.
 * - `label` is sent on create when assigned.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY, POSITIVE } from '../../lib/orm/lifecycle.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource, type IdOr } from '../../lib/orm/resource.js';
import { collect, peek, refuse, type ActionOptions, type RemoveOptions } from '../../lib/orm/actions.js';
import { referenceTo } from '../../lib/orm/ids.js';
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
import { DataCenter } from '../geography/data-center.js';
import { Region } from '../geography/region.js';
import { Server } from './server.js';
import { Snapshot } from './snapshot.js';

export interface AttachOptions extends ActionOptions {
  /** e.g. `/dev/xvdh`; the cloud picks one when absent. */
  deviceId?: string;
}

/** What `describe()` of a volume may change (those of `name`, `description`, `label` its action declares), with the action options. */
export type DescribeVolumeInput = DescribeInput;

export interface DeleteVolumeOptions extends RemoveOptions {
  /** Default `no reason provided`. */
  reason?: string;
}

export interface SnapshotInput extends ActionOptions {
  /** Default `snap-<volumeId>-<unix seconds>`. */
  name?: string;
  /** Default `mixcoatl snapshot`. */
  description?: string;
  /** Default: the volume's billing code. */
  budget?: number;
  label?: string;
}

const CREATE_REQUIRED = ['name', 'description', 'dataCenter', 'sizeInGb', 'budget'];

@lifecycle({
  create: { action: 'create' },
  updates: [
    ...MANAGEABLE_UPDATES,
    {
      action: 'attach',
      attributes: ['server', 'deviceId'],
      kind: 'attach',
      undo: { action: 'detach', how: 'detach the volume', item: () => ({}) },
      onlyFromEmpty: 'the volume is attached to Server {current}; detach it first',
    },
  ],
  delete: { action: 'delete' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY, sizeInGb: POSITIVE },
})
@resource({ path: 'infrastructure/Volume', collection: 'volumes', id: 'volumeId' })
export class Volume extends Resource {
  /** The list filters of `Volume.all()` and `find()`. */
  static override readonly filters = defineFilters({ dataCenterId: { type: 'number', description: 'volumes in this data center' }, regionId: { type: 'number', description: 'volumes of this region' }, accountId: { type: 'number', description: 'volumes of this account' } });
  @attribute() volumeId!: number;
  @attribute({ type: 'any' }) array?: Record<string, unknown> | null;
  @attribute() available!: boolean;
  @attribute({ settable: true, idOf: () => BillingCode }) budget!: number;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  @attribute() creationTimestamp!: string;
  @reference(() => Customer) customer!: Ref<Customer>;
  @reference(() => DataCenter, { settable: true }) dataCenter!: Ref<DataCenter>;
  @attribute({ settable: true }) description!: string;
  /** e.g. `/dev/sda1`; null when not attached. */
  @attribute({ type: 'string' }) deviceId!: string | null;
  @attribute() encrypted!: boolean;
  @attribute({ settable: true }) label?: string;
  @attribute({ settable: true }) name!: string;
  @reference(() => Account) owningAccount!: Ref<Account>;
  /** Changed on an existing volume through `assignGroups`. */
  @reference(() => Group, { many: true, settable: true }) owningGroups?: Array<Ref<Group>>;
  @reference(() => User) owningUser?: Ref<User>;
  /** e.g. `vol-…`. */
  @attribute() providerId!: string;
  @reference(() => Region) region!: Ref<Region>;
  @attribute() removable!: boolean;
  /** The server it is attached to, or null. */
  @reference(() => Server) server?: Ref<Server> | null;
  @attribute({ settable: true }) sizeInGb!: number;
  /** e.g. `8GB`. */
  @attribute() sizeString!: string;
  @attribute() status!: string;

  static override persistence: Persistence<Volume> = {
    create: (volume, options) => volume.create(options),
    update: manageableUpdates<Volume>(),
  };

  /** Creates the volume (POST `addVolume`, 202). Needs name, description, dataCenter, sizeInGb, budget. */
  @action('POST', 'addVolume', { args: [], options: ['label'], sends: { required: CREATE_REQUIRED, optional: ['label'] }, job: 'always' })
  async create(options: ActionOptions = {}): Promise<Job> {
    return this.actForJob('create', collect(this, 'create'), options);
  }

  /** Attaches the volume to a server (id, Server or `{ serverId }`), at `deviceId` if given (202). */
  @action('PUT', 'attach', { args: ['server'], options: ['deviceId'], job: 'always' })
  async attach(server: IdOr<Server, 'serverId'>, options: AttachOptions = {}): Promise<Job> {
    return this.actForJob('attach', { server: referenceTo(Server, server, 'Volume.attach() server'), deviceId: options.deviceId }, options);
  }

  /** Detaches the volume from its server (204, or 202 with a job). */
  @action('PUT', 'detach', { args: [], options: [] })
  async detach(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('detach', {}, options);
  }

  /** Changes name, description and/or label: `describeVolume` with the members given (204). */
  @action('PUT', 'describeVolume', { args: [], optionsParam: 'input', options: ['name', 'description', 'label'] })
  async describe(input: DescribeVolumeInput): Promise<Job | undefined> {
    return describeWith(this, input);
  }

  /** Sets the billing code (204). */
  @action('PUT', 'assignBudget', { args: ['budget'], options: [] })
  async assignBudget(budget: IdOr<BillingCode, 'billingCodeId'>, options: ActionOptions = {}): Promise<Job | undefined> {
    return assignBudgetWith(this, budget, options);
  }

  /** Sets the owning groups (204). */
  @action('PUT', 'assignGroups', { args: ['groups'], options: [] })
  async assignGroups(groups: IdOr<Group, 'groupId'> | Array<IdOr<Group, 'groupId'>>, options: ActionOptions = {}): Promise<Job | undefined> {
    return assignGroupsWith(this, groups, options);
  }

  /** Deletes the volume: `DELETE …?reason=` (202); with `ignoreMissing`, a volume already gone resolves with undefined. */
  async delete(options: DeleteVolumeOptions & { ignoreMissing: true }): Promise<Job | undefined>;
  async delete(options?: DeleteVolumeOptions): Promise<Job>;
  @action('DELETE', 'reason', { args: [], options: ['reason'], job: 'always' })
  async delete(options: DeleteVolumeOptions = {}): Promise<Job | undefined> {
    return this.act('delete', { reason: options.reason ?? DEFAULT_REASON }, options);
  }

  /**
   * Snapshots this volume (POST `addSnapshot`, 202) and resolves with the new Snapshot, whose
   * `currentJob` is the job (with `{ wait: true }` it is loaded). Reads the volume's budget first
   * when none is given and it is not known yet.
   */
  @action('POST', 'addSnapshot', { args: [], optionsParam: 'input', options: ['budget', 'name', 'description', 'label'], receiver: 'existing' })
  async snapshot(input: SnapshotInput = {}): Promise<Snapshot> {
    refuse(this, 'snapshot', this.id === undefined ? ['the volume has no volumeId yet (save it first)'] : []);
    let budget = input.budget ?? peek(this, 'budget');
    if (budget === undefined) {
      await this.load();
      budget = peek(this, 'budget');
    }
    const snapshot = new Snapshot(undefined, { endpoint: this.endpoint });
    snapshot.volume = this;
    snapshot.name = input.name ?? `snap-${String(this.id)}-${Math.floor(Date.now() / 1000)}`;
    snapshot.description = input.description ?? 'mixcoatl snapshot';
    if (budget !== undefined && budget !== null) snapshot.budget = budget as number;
    if (input.label !== undefined) snapshot.label = input.label;
    await snapshot.save({ ...input });
    return snapshot;
  }
}
