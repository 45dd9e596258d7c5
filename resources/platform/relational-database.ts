/**
 * A managed relational database (RDS-style).
 *
 * API notes:
 * - The envelope is `relationalDatabases`.
 * - The listing passes any query parameter through to the API: give them as `rawQuery`
 *   (`RelationalDatabase.all({ rawQuery: { engine: "MYSQL" } })`).
 * - The only write the API documents is the DELETE `?reason=` (202 with a job, or 204). No
 *   launch payload is documented, so no launch is offered; the settable attributes are those the reference marks "S".
 * - `dnsName` is its own attribute, settable apart from `description`.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import type { RemoveOptions } from '../../lib/orm/actions.js';
import type { Ref, Window } from '../types.js';
import { DEFAULT_REASON } from '../types.js';
import { Account } from '../admin/account.js';
import { Customer } from '../admin/customer.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import type { Job } from '../admin/job.js';
import { Cloud } from '../geography/cloud.js';
import { DataCenter } from '../geography/data-center.js';
import { Region } from '../geography/region.js';
import { RelationalDatabaseProduct } from './relational-database-product.js';

export interface DeleteDatabaseOptions extends RemoveOptions {
  /** Default `no reason provided`. */
  reason?: string;
}

@lifecycle({
  create: { refused: 'the API offers no create (the documented launch was never implemented)' },
  delete: { action: 'delete' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY },
})
@resource({ path: 'platform/RelationalDatabase', collection: 'relationalDatabases', id: 'relationalDatabaseId' })
export class RelationalDatabase extends Resource {
  @attribute() relationalDatabaseId!: number;
  @reference(() => Account, { settable: true }) account!: Ref<Account>;
  @attribute({ settable: true }) adminPassword!: string;
  @attribute({ settable: true }) adminUser!: string;
  @attribute({ settable: true }) allocatedStorageInGb!: number;
  @attribute({ type: 'object' }) backupWindow!: Window;
  @attribute({ idOf: () => BillingCode }) budget!: number;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  @attribute() createdTimestamp!: string;
  @attribute({ type: 'any' }) currentRecoveryPoint!: unknown;
  @reference(() => Customer) customer!: Ref<Customer>;
  @reference(() => DataCenter, { settable: true }) dataCenter!: Ref<DataCenter>;
  @attribute({ settable: true }) description!: string;
  @attribute() dnsName!: string;
  /** e.g. `MYSQL`, `ORACLE11G`. */
  @attribute({ settable: true }) engine!: string;
  @attribute({ settable: true }) ha!: boolean;
  @attribute({ settable: true, type: 'string' }) label!: string | null;
  @attribute({ type: 'object' }) maintenanceWindow!: Window;
  @attribute({ settable: true }) name!: string;
  /** Singular name, array value. */
  @reference(() => Group, { many: true }) owningGroup!: Array<Ref<Group>>;
  @reference(() => Account) owningAccount!: Ref<Account>;
  @reference(() => User) owningUser!: Ref<User>;
  @attribute({ settable: true }) port!: number;
  @attribute() providerId!: string;
  @reference(() => RelationalDatabaseProduct, { settable: true }) rdbmsProduct!: Ref<RelationalDatabaseProduct>;
  @reference(() => Region, { settable: true }) region!: Ref<Region>;
  /** `RUNNING`, `PAUSED`, … */
  @attribute() status!: string;

  /** Deletes the database: `DELETE platform/RelationalDatabase/<id>?reason=` (202 or 204). */
  @action('DELETE', 'reason', { args: [], options: ['reason'] })
  async delete(options: DeleteDatabaseOptions = {}): Promise<Job | undefined> {
    return this.act('delete', { reason: options.reason ?? DEFAULT_REASON }, options);
  }
}
