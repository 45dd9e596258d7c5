/**
 * The DCM license. Read-only.
 *
 * API note: `GET admin/License` answers ONE flat object — no envelope, no identifier. Nothing
 * triggers a lazy load of an object without an identifier, so read it explicitly:
 * `const license = await License.current()`.
 */
import { attribute, resource } from '../../lib/orm/metadata.js';
import { Resource, type ResourceInit } from '../../lib/orm/resource.js';

@resource({ path: 'admin/License', collection: 'license', flat: true })
export class License extends Resource {
  @attribute() expirationDateTime!: string;
  @attribute() daysUntilExpiration!: number;
  @attribute() licensee!: string;
  @attribute() serverLimit!: number;
  @attribute() valid!: boolean;

  /** Reads the license (one GET). */
  static async current(options: ResourceInit = {}): Promise<License> {
    return new License(undefined, options).reload();
  }
}
