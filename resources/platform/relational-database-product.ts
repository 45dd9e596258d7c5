/**
 * A database size offered for an engine in a region (REFERENCE §4.8). Read-only.
 * The listing requires both filters: `RelationalDatabaseProduct.all({ regionId, engine })`.
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Money, Ref } from '../types.js';
import { Cloud } from '../geography/cloud.js';
import { Region } from '../geography/region.js';

@resource({ path: 'platform/RelationalDatabaseProduct', collection: 'rdbmsProducts', id: 'productId', requiredFilters: ['regionId', 'engine'] })
export class RelationalDatabaseProduct extends Resource {
  @attribute() productId!: number;
  @attribute() architecture!: string;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  @attribute() coreCount!: number;
  @attribute() cpuInGHz!: number;
  @attribute() customPricing!: boolean;
  @attribute() description!: string;
  /** e.g. `MYSQL`, `MYSQL51`, `ORACLE11G`. */
  @attribute() engine!: string;
  @attribute({ type: 'object' }) hourlyPricing!: Money;
  @attribute({ type: 'object' }) ioPricing!: Money;
  @attribute() ioUnits!: number;
  @attribute() maximumStorageInGb!: number;
  @attribute() memoryInGb!: number;
  @attribute() minimumStorageInGb!: number;
  @attribute() name!: string;
  @attribute() providerId!: string;
  @reference(() => Region) region!: Ref<Region>;
  @attribute() status!: string;
  @attribute({ type: 'object' }) storagePricing!: Money;
  @attribute() storageUnits!: number;
}
