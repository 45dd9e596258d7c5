/**
 * A service of a deployment. Read-only.
 *
 * API note: `owningGroup` is singular in name but holds an array of groups.
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Ref } from '../types.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';

@resource({ path: 'automation/Service', collection: 'services', id: 'serviceId' })
export class Service extends Resource {
  @attribute() serviceId!: number;
  @attribute() backupIntervalInMinutes!: number;
  @attribute({ idOf: () => BillingCode }) budget!: number;
  @attribute() description!: string;
  @attribute() name!: string;
  @reference(() => Group, { many: true }) owningGroup!: Array<Ref<Group>>;
  @reference(() => User) owningUser!: Ref<User>;
  @attribute({ type: 'any' }) runAsUser!: unknown;
  @attribute() scalingModel!: string;
  @attribute() status!: string;
}
