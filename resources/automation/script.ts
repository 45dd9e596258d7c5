/**
 * A script of a configuration-management account. Read-only.
 *
 * API notes: only the listing exists, and it requires the account:
 * `Script.all({ cmAccountId })`. The identifier here is `sharedScriptCode` — the code a server
 * launch references (`cmAccountId` is the listing's filter, not an identifier).
 */
import { attribute, reference, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource, type ResourceInit } from '../../lib/orm/resource.js';
import type { Id, NumericId } from '../../lib/orm/state.js';
import type { Ref } from '../types.js';
import { ConfigurationManagementAccount } from './configuration-management-account.js';

@resource({ path: 'automation/Script', collection: 'scripts', id: 'sharedScriptCode', idType: 'string', listOnly: true })
export class Script extends Resource {
  /** Identifiers of this type are strings (the shared script code); a number becomes its decimal text. */
  constructor(id?: Id, options?: ResourceInit) {
    // The base constructor's type is that of integer ids; its run-time check follows @resource idType.
    super(id as NumericId | undefined, options);
  }

  /** The list filters of `Script.all()` and `find()`. */
  static override readonly filters = defineFilters({ cmAccountId: { type: 'number', required: true, description: 'the configuration management account' } });
  @attribute() sharedScriptCode!: string;
  @attribute() name!: string;
  @attribute() description!: string;
  @attribute() createdTimestamp!: string;
  @attribute() status!: string;
  /** The configuration-management account it belongs to (the listing's filter). */
  @reference(() => ConfigurationManagementAccount) cmAccount!: Ref<ConfigurationManagementAccount>;
}
