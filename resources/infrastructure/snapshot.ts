/**
 * A snapshot of a volume.
 *
 * API notes: `addSnapshot` answers 202 (job `message` = the new snapshot id);
 * `describeSnapshot` sends only the members that changed. `volume.snapshot()` is a shortcut.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, type ActionOptions, type RemoveOptions } from '../../lib/orm/actions.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { DEFAULT_REASON } from '../types.js';
import { describeWith, type DescribeInput } from '../common-actions.js';
import { Account } from '../admin/account.js';
import { Customer } from '../admin/customer.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import type { Job } from '../admin/job.js';
import { Cloud } from '../geography/cloud.js';
import { Region } from '../geography/region.js';
import { Volume } from './volume.js';

/** What `describe()` of a snapshot may change (those of `name`, `description`, `label` its action declares), with the action options. */
export type DescribeSnapshotInput = DescribeInput;

export interface DeleteSnapshotOptions extends RemoveOptions {
  /** Default `no reason provided`. */
  reason?: string;
}

/**
 * The states the reference lists for a snapshot. `snapshot.status` is open to other strings: the
 * reference gives these two without claiming they are all.
 */
export type SnapshotStatus = 'ACTIVE' | 'INACTIVE';

const CREATE_REQUIRED = ['volume', 'name', 'description', 'budget'];

@lifecycle({
  create: { action: 'create' },
  updates: [{ action: 'describe', attributes: ['name', 'description', 'label'] }],
  delete: { action: 'delete' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY },
})
@resource({ path: 'infrastructure/Snapshot', collection: 'snapshots', id: 'snapshotId' })
export class Snapshot extends Resource {
  /** The list filters of `Snapshot.all()` and `find()`. */
  static override readonly filters = defineFilters({ regionId: { type: 'number', description: 'snapshots of this region' }, accountId: { type: 'number', description: 'snapshots of this account' }, volumeId: { type: 'number', description: 'snapshots of this volume' } });
  @attribute() snapshotId!: number;
  @attribute() available!: boolean;
  @attribute({ settable: true, idOf: () => BillingCode }) budget!: number;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  @attribute() createdTimestamp!: string;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute({ settable: true }) description!: string;
  @attribute() encrypted!: boolean;
  @attribute({ settable: true, type: 'string' }) label!: string | null;
  @attribute({ settable: true }) name!: string;
  @reference(() => Account) owningAccount!: Ref<Account>;
  @reference(() => User) owningUser!: Ref<User>;
  @reference(() => Group, { many: true }) owningGroups!: Array<Ref<Group>>;
  /** e.g. `snap-…`. */
  @attribute() providerId!: string;
  @reference(() => Region) region!: Ref<Region>;
  @attribute() removable!: boolean;
  @attribute() sharable!: boolean;
  @attribute() sizeInGb!: number;
  /** `ACTIVE`, `INACTIVE`. */
  /** A {@link SnapshotStatus}; open to other strings. */
  @attribute({ type: 'string' }) status!: SnapshotStatus | (string & {});
  @reference(() => Volume, { settable: true }) volume!: Ref<Volume> | null;

  static override persistence: Persistence<Snapshot> = {
    create: (snapshot, options) => snapshot.create(options),
    update: [{ attributes: ['name', 'description', 'label'], send: (snapshot, changes) => snapshot.describe(changes) }],
  };

  /** Snapshots the volume (POST `addSnapshot`, 202). Needs volume, name, description, budget. */
  @action('POST', 'addSnapshot', { args: [], options: ['label'], sends: { required: CREATE_REQUIRED, optional: ['label'] }, job: 'always' })
  async create(options: ActionOptions = {}): Promise<Job> {
    return this.actForJob('create', collect(this, 'create'), options);
  }

  /** Changes name, description and/or label: `describeSnapshot` with the members given (204). */
  @action('PUT', 'describeSnapshot', { args: [], optionsParam: 'input', options: ['name', 'description', 'label'] })
  async describe(input: DescribeSnapshotInput): Promise<Job | undefined> {
    return describeWith(this, input);
  }

  /** Deletes the snapshot: `DELETE …?reason=` (202 or 204). */
  @action('DELETE', 'reason', { args: [], options: ['reason'] })
  async delete(options: DeleteSnapshotOptions = {}): Promise<Job | undefined> {
    return this.act('delete', { reason: options.reason ?? DEFAULT_REASON }, options);
  }
}
