/**
 * A kind of configuration-management system: 1 = Chef, 2 = Puppet, 3 = Object Store.
 * Read-only; only the listing is offered.
 */
import { attribute, resource } from '../../lib/orm/metadata.js';
import { Resource } from '../../lib/orm/resource.js';

@resource({ path: 'automation/ConfigurationManagementSystem', collection: 'cmSystems', id: 'cmSystemId', listOnly: true })
export class ConfigurationManagementSystem extends Resource {
  @attribute() cmSystemId!: number;
  @attribute() name!: string;
  @attribute() description!: string;
  /** e.g. `CHEF`. */
  @attribute() type!: string;
  @attribute() vendor!: string;
  @attribute() logoUrl!: string;
  @attribute() private!: boolean;
  @attribute() propertyNames!: string[];
}
