/** A region of a cloud (REFERENCE §4.5). Read-only. */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Ref } from '../types.js';
import { Customer } from '../admin/customer.js';
import { Cloud } from './cloud.js';

@resource({ path: 'geography/Region', collection: 'regions', id: 'regionId' })
export class Region extends Resource {
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
