/**
 * A configuration-management service endpoint (a Chef server, a Puppet master…).
 *
 * API notes: the identifier is `cmServiceId` (not the system's `cmSystemId`). Only the
 * listing is offered. `addService`
 * spells the system reference `{"cmSystemID": n}` (capital `ID`); `label` defaults to `red`.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, type ActionOptions } from '../../lib/orm/actions.js';
import { idsIn } from '../../lib/orm/ids.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { Customer } from '../admin/customer.js';
import { ConfigurationManagementSystem } from './configuration-management-system.js';
import type { Job } from '../admin/job.js';

/**
 * The item of `addService` from the service's attributes (`cmSystem` as `{ cmSystemId }`): the
 * system travels as `{ cmSystemID }` (sic), the label is `red` unless given.
 */
function serviceItem(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { cmSystem, label, ...v } = values;
  return { ...v, label: label ?? 'red', cmSystem: { cmSystemID: cmSystem !== null && typeof cmSystem === 'object' ? (cmSystem as Record<string, unknown>).cmSystemId : cmSystem } };
}

@lifecycle({
  create: { action: 'create', item: serviceItem },
  delete: { refused: 'the API offers no delete of a configuration management service' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY, serviceEndpoint: NON_EMPTY },
})
@resource({ path: 'automation/ConfigurationManagementService', collection: 'cmServices', id: 'cmServiceId', listOnly: true })
export class ConfigurationManagementService extends Resource {
  @attribute() cmServiceId!: number;
  @reference(() => ConfigurationManagementSystem, { settable: true }) cmSystem!: Ref<ConfigurationManagementSystem>;
  /** One URL, or several separated by commas. */
  @attribute({ settable: true }) serviceEndpoint!: string;
  /** Free-form (bucket, cloud delegate, region ids as strings…). */
  @attribute({ type: 'object' }) properties!: Record<string, unknown>;
  @attribute({ settable: true, idOf: () => BillingCode }) budget!: number;
  @attribute() removable!: boolean;
  @attribute({ settable: true }) description!: string;
  @attribute({ settable: true }) name!: string;
  @attribute() status!: string;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute({ settable: true }) label!: string;

  static override persistence: Persistence<ConfigurationManagementService> = { create: (service, options) => service.create(options) };

  /** Registers the service (201). Needs budget, serviceEndpoint, description, name, cmSystem. */
  @action('POST', 'addService', { args: [], options: ['budget', 'serviceEndpoint', 'description', 'name', 'cmSystem', 'label'], sends: { required: ['budget', 'serviceEndpoint', 'description', 'name', 'cmSystem'], optional: ['label'] } })
  async create(options: ActionOptions = {}): Promise<Job | undefined> {
    const { cmSystem, ...v } = collect(this, 'create');
    return this.act('create', serviceItem({ ...v, cmSystem: idsIn(cmSystem, ConfigurationManagementSystem) }), options);
  }
}
