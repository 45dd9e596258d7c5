/** A cloud provider. Read-only. */
import { attribute, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';

@resource({ path: 'geography/Cloud', collection: 'clouds', id: 'cloudId' })
export class Cloud extends Resource {
  /** The list filters of `Cloud.all()` and `find()`. */
  static override readonly filters = defineFilters({ publicOnly: { type: 'boolean', description: 'public clouds only' }, status: { type: 'string', description: 'clouds in this status, e.g. ACTIVE' } });
  @attribute() cloudId!: number;
  @attribute() cloudProviderConsoleURL!: string;
  @attribute() cloudProviderLogoURL!: string;
  @attribute() cloudProviderName!: string;
  @attribute() computeAccessKeyLabel!: string;
  @attribute() computeAccountNumberLabel!: string;
  @attribute() computeSecretKeyLabel!: string;
  @attribute() computeX509CertLabel!: string;
  @attribute() computeX509KeyLabel!: string;
  @attribute() computePKCS12PasswordLabel!: string;
  @attribute() computePKCS12CertLabel!: string;
  @attribute() computeDelegate!: string;
  @attribute({ type: 'string' }) computeEndpoint!: string | null;
  @attribute({ type: 'string' }) documentationLabel!: string | null;
  @attribute() name!: string;
  @attribute() privateCloud!: boolean;
  @attribute() status!: string;
}
