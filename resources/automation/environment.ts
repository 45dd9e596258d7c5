/**
 * An environment (e.g. production) of a configuration-management account. Read-only.
 *
 * API notes: only the listing exists, and it requires the account:
 * `Environment.all({ cmAccountId })`. The identifier here is `sharedEnvironmentCode` — the code a server
 * launch references — documented as the real unique id. `environmentId` stays readable.
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource, type ResourceInit } from '../../lib/orm/resource.js';
import type { Id, NumericId } from '../../lib/orm/state.js';
import type { Ref } from '../types.js';
import { ConfigurationManagementAccount } from './configuration-management-account.js';

@resource({ path: 'automation/Environment', collection: 'environments', id: 'sharedEnvironmentCode', idType: 'string', listOnly: true })
export class Environment extends Resource {
  /** Identifiers of this type are strings (the shared environment code); a number becomes its decimal text. */
  constructor(id?: Id, options?: ResourceInit) {
    // The base constructor's type is that of integer ids; its run-time check follows @resource idType.
    super(id as NumericId | undefined, options);
  }

  /** The list filters of `Environment.all()` and `find()`. */
  static override readonly filters = defineFilters({ cmAccountId: { type: 'number', required: true, description: 'the configuration management account' } });
  @attribute() sharedEnvironmentCode!: string;
  @attribute({ type: 'any' }) environmentId!: number | string;
  @attribute() name!: string;
  @attribute() description!: string;
  @attribute() createdTimestamp!: string;
  @attribute() status!: string;
  /** The configuration-management account it belongs to (the listing's filter). */
  @reference(() => ConfigurationManagementAccount) cmAccount!: Ref<ConfigurationManagementAccount>;
}
