/**
 * An API key pair. The identifier is the access key itself (a string).
 *
 * API note: `secretKey` is in the answer to `generate()` — keep the object: later reads may not
 * show it again. `invalidate()` is the API's DELETE.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource, type ResourceInit } from '../../lib/orm/resource.js';
import type { Id, NumericId } from '../../lib/orm/state.js';
import { collect, type ActionOptions, type RemoveOptions } from '../../lib/orm/actions.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { Account } from './account.js';
import { Customer } from './customer.js';
import { User } from './user.js';
import type { Job } from './job.js';

export interface InvalidateOptions extends RemoveOptions {
  /** Default `key deleted via mixcoatl`. */
  reason?: string;
}

@lifecycle({
  create: { action: 'generate' },
  delete: { action: 'invalidate', how: 'invalidate the key' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY },
  secrets: ['secretKey'],
  fixed: { name: 'the API offers no update of an API key', description: 'the API offers no update of an API key' },
})
@resource({ path: 'admin/ApiKey', collection: 'apiKeys', id: 'accessKey', idType: 'string' })
export class ApiKey extends Resource {
  /** Identifiers of this type are strings (the access key); a number becomes its decimal text. */
  constructor(id?: Id, options?: ResourceInit) {
    // The base constructor's type is that of integer ids; its run-time check follows @resource idType.
    super(id as NumericId | undefined, options);
  }

  /** The list filters of `ApiKey.all()` and `find()`. */
  static override readonly filters = defineFilters({ accountId: { type: 'number', description: 'the system keys of this account' }, userId: { type: 'number', description: 'the keys of this user' } });
  @attribute() accessKey!: string;
  @reference(() => Account) account!: Ref<Account>;
  @attribute() activation!: string;
  /** Settable, but no operation sends it. */
  @attribute({ settable: true }) expiration?: string;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute() customerManagementKey!: boolean;
  @attribute({ settable: true }) description!: string;
  @attribute({ settable: true }) name!: string;
  @attribute() secretKey!: string;
  /** `ACTIVE`, … */
  @attribute() state!: string;
  @attribute() systemManagementKey!: boolean;
  /** `{ userId: -1 }` for account-level keys. */
  @reference(() => User) user!: Ref<User>;

  static override persistence: Persistence<ApiKey> = { create: (key, options) => key.generate(options) };

  /** Generates a key pair from name and description (201; the answer carries the secret). */
  @action('POST', 'generateApiKey', { args: [], options: ['name', 'description'], sends: { required: ['name', 'description'] } })
  async generate(options: ActionOptions = {}): Promise<Job | undefined> {
    const { name, description } = collect(this, 'generate');
    return this.act('generate', { description, name }, options);
  }

  /** Invalidates (deletes) the key (204). */
  @action('DELETE', 'reason', { args: [], options: ['reason'] })
  async invalidate(options: InvalidateOptions = {}): Promise<Job | undefined> {
    return this.act('invalidate', { reason: options.reason ?? 'key deleted via mixcoatl' }, options);
  }
}
