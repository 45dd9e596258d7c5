/**
 * A customer (the tenant owning everything else). Read-only.
 *
 * API note: the API offers the listing only (`GET admin/Customer`, filter `customerId`,
 * sent as `customer_id`).
 * Customer objects mostly arrive nested in other payloads (`customer: {customerId}`).
 */
import { attribute, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';

@resource({ path: 'admin/Customer', collection: 'customers', id: 'customerId', listOnly: true })
export class Customer extends Resource {
  /** The list filters of `Customer.all()` and `find()`. */
  static override readonly filters = defineFilters({ customerId: { type: 'number', wire: 'customer_id', description: 'this customer' } });
  @attribute() customerId!: number;
  @attribute() businessName!: string;
  /** ISO currency code, e.g. `USD`. */
  @attribute() accountingCurrency!: string;
  @attribute() automatedExchangeRates!: boolean;
  @attribute() created!: string;
  @attribute() createdTimestamp!: string;
  @attribute() status!: string;
  @attribute() timeZone!: string;
}
