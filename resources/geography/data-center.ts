/**
 * A data center (availability zone) of a region. Read-only.
 * Listing requires the `regionId` filter.
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Ref } from '../types.js';
import { Region } from './region.js';

@resource({ path: 'geography/DataCenter', collection: 'dataCenters', id: 'dataCenterId' })
export class DataCenter extends Resource {
  /** The list filters of `DataCenter.all()` and `find()`. */
  static override readonly filters = defineFilters({ regionId: { type: 'number', required: true, description: 'the data centers of this region' } });
  @attribute() dataCenterId!: number;
  @attribute() description!: string;
  @attribute() name!: string;
  /** e.g. `us-west-2a`. */
  @attribute() providerId!: string;
  @reference(() => Region) region!: Ref<Region>;
  @attribute() status!: string;
}
