/**
 * A server size offered in a region. Read-only.
 * Listing requires the `regionId` filter.
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Ref } from '../types.js';
import { Cloud } from '../geography/cloud.js';

@resource({ path: 'infrastructure/ServerProduct', collection: 'serverProducts', id: 'productId' })
export class ServerProduct extends Resource {
  /** The list filters of `ServerProduct.all()` and `find()`. */
  static override readonly filters = defineFilters({ regionId: { type: 'number', required: true, description: 'products offered in this region' } });
  @attribute() productId!: number;
  @attribute() architecture!: string;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  @attribute() cpuCount!: number;
  @attribute() cpuSpeedInMhz!: number;
  @attribute() currency!: string;
  @attribute() description!: string;
  @attribute() diskSizeInGb!: number;
  @attribute() hourlyRate!: number;
  @attribute() name!: string;
  /** `UNIX`, `WINDOWS`. */
  @attribute() platform!: string;
  /** The cloud's name for it, e.g. `c1.medium` (what a server launch sends). */
  @attribute() providerProductId!: string;
  @attribute() providerRegionId!: string;
  @attribute() ramInMb!: number;
  @attribute() software!: string;
}
