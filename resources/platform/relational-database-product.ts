/**
 * A database size offered for an engine in a region. Read-only.
 * The listing requires both filters: `RelationalDatabaseProduct.all({ regionId, engine })`.
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';
import type { Money, Ref } from '../types.js';
import { Cloud } from '../geography/cloud.js';
import { Region } from '../geography/region.js';

@resource({ path: 'platform/RelationalDatabaseProduct', collection: 'rdbmsProducts', id: 'productId' })
export class RelationalDatabaseProduct extends Resource {
  /** The list filters of `RelationalDatabaseProduct.all()` and `find()`. */
  static override readonly filters = defineFilters({ regionId: { type: 'number', required: true, description: 'products offered in this region' }, engine: { type: 'string', required: true, description: 'the database engine, e.g. MYSQL, ORACLE11G' } });
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
