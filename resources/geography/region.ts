/** A region of a cloud. Read-only. */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Ref } from '../types.js';
import { Customer } from '../admin/customer.js';
import { Cloud } from './cloud.js';

@resource({ path: 'geography/Region', collection: 'regions', id: 'regionId' })
export class Region extends Resource {
  /** The list filters of `Region.all()` and `find()`. */
  static override readonly filters = defineFilters({ accountId: { type: 'number', description: 'the regions of this account\'s cloud' }, jurisdiction: { type: 'string', description: 'regions under this jurisdiction, e.g. US' }, scope: { type: 'string', values: ['all', 'account'], description: 'all: across clouds (default); account: the account\'s cloud' } });
  @attribute() regionId!: number;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute() description!: string;
  /** ISO country code, e.g. `US`. */
  @attribute() jurisdiction!: string;
  @attribute() name!: string;
  /** e.g. `us-west-2`. */
  @attribute() providerId!: string;
  @attribute() status!: string;
}
