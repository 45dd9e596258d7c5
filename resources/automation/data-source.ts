/**
 * A database managed as part of a service. Read-only;
 * the path `automation/DataSource` is inferred and only the listing is assumed.
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Ref } from '../types.js';
import { Customer } from '../admin/customer.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import { Service } from './service.js';

@resource({ path: 'automation/DataSource', collection: 'dataSources', id: 'dataSourceId', listOnly: true })
export class DataSource extends Resource {
  @attribute() dataSourceId!: number;
  @attribute() backupIntervalInMinutes!: number;
  /** Opaque (base64). */
  @attribute() customConfiguration!: string;
  @reference(() => Customer) customer!: Ref<Customer>;
  /** `{ cloudFileId }`. */
  @attribute({ type: 'object' }) dataSourceImage!: Record<string, unknown>;
  /** e.g. `VM_DYNAMIC`. */
  @attribute() databaseType!: string;
  @attribute() description!: string;
  @attribute() label!: string;
  @attribute() name!: string;
  @attribute() nameInDatabase!: string;
  @reference(() => User) owningUser!: Ref<User>;
  /** Singular name, array value. */
  @reference(() => Group, { many: true }) owningGroup!: Array<Ref<Group>>;
  @attribute({ type: 'any' }) preventRemove!: unknown;
  @attribute() removable!: boolean;
  @reference(() => Service) service!: Ref<Service>;
  @attribute() servicePassword!: string;
  @attribute() serviceUser!: string;
}
