/**
 * A user.
 *
 * API note: `addUser` needs an account, names, e-mail, groups and billing codes; `password` and
 * `sshPublicKey` are sent only when assigned (`password` is write-only: never received). Every
 * assigned group is sent. Group and billing-code
 * lists are plain `[{groupId}]` / `[{billingCodeId}]` references.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { Resource, type IdOr } from '../../lib/orm/resource.js';
import { collect, type ActionOptions } from '../../lib/orm/actions.js';
import { referenceTo, referencesTo } from '../../lib/orm/ids.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { Customer } from './customer.js';
import { Account } from './account.js';
import { Group } from './group.js';
import { BillingCode } from './billing-code.js';
import type { Job } from './job.js';

export interface GrantAccessOptions extends ActionOptions {
  account: IdOr<Account, 'accountId'>;
  groups: IdOr<Group, 'groupId'> | Array<IdOr<Group, 'groupId'>>;
  billingCodes: IdOr<BillingCode, 'billingCodeId'> | Array<IdOr<BillingCode, 'billingCodeId'>>;
}

@lifecycle({
  create: { action: 'create' },
  updates: [
    {
      action: 'grant',
      attributes: ['account', 'groups', 'billingCodes'],
      item: (v, { current }) => ({ account: v.account ?? current?.account, groups: v.groups ?? [], billingCodes: v.billingCodes ?? [] }),
      additive: true,
      undo: { refused: 'the API offers no revoke of a grant' },
    },
  ],
  delete: { refused: 'the API offers no delete of a user' },
  identity: { by: 'name', key: 'email' },
  rules: { email: NON_EMPTY, givenName: NON_EMPTY, familyName: NON_EMPTY },
  secrets: ['password'],
})
@resource({ path: 'admin/User', collection: 'users', id: 'userId' })
export class User extends Resource {
  @attribute() userId!: number;
  @reference(() => Account, { settable: true }) account?: Ref<Account>;
  /** Per-account user reference (integer or string). */
  @attribute({ type: 'any' }) accountUserId?: number | string;
  /** `Last, First`. */
  @attribute() alphaName!: string;
  @reference(() => BillingCode, { many: true, settable: true }) billingCodes?: Array<Ref<BillingCode>>;
  @attribute() cloudConsolePassword?: string;
  @attribute() cloudAPIPublicKey?: string;
  @attribute() cloudAPISecretKey?: string;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute() editable!: boolean;
  @attribute({ settable: true }) email!: string;
  @attribute({ settable: true }) familyName!: string;
  @attribute({ settable: true }) givenName!: string;
  @reference(() => Group, { many: true, settable: true }) groups!: Array<Ref<Group>>;
  @attribute() hasCloudAPIAccess!: boolean;
  @attribute() hasCloudConsoleAccess!: boolean;
  @attribute() legacyUserId?: number;
  @attribute({ type: 'any' }) notificationsTargets?: unknown;
  @attribute({ type: 'object' }) notificationsSettings?: Record<string, unknown>;
  @attribute() status!: string;
  /** e.g. `America/New_York`. */
  @attribute() timeZone!: string;
  /** e.g. `p6789`. */
  @attribute() vmLoginId!: string;
  @attribute({ settable: true }) sshPublicKey?: string;
  /** Sent when creating the user, never received. */
  @attribute({ settable: true, writeOnly: true }) password?: string;

  static override persistence: Persistence<User> = { create: (user, options) => user.create(options) };

  /** Creates the user (201). Needs account, givenName, familyName, email, groups, billingCodes. */
  @action('POST', 'addUser', { args: [], options: ['givenName', 'familyName', 'email', 'groups', 'account', 'billingCodes', 'sshPublicKey', 'password'], sends: { required: ['givenName', 'familyName', 'email', 'groups', 'account', 'billingCodes'], optional: ['sshPublicKey', 'password'] } })
  async create(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('create', collect(this, 'create'), options);
  }

  /** Grants the user access to an account with groups and billing codes (204). */
  @action('PUT', 'grant', { args: [], options: ['account', 'groups', 'billingCodes'] })
  async grant(options: GrantAccessOptions): Promise<Job | undefined> {
    const entry = {
      account: referenceTo(Account, options?.account, 'User.grant() account'),
      groups: referencesTo(Group, options?.groups, 'User.grant() groups'),
      billingCodes: referencesTo(BillingCode, options?.billingCodes, 'User.grant() billingCodes'),
    };
    return this.act('grant', entry, options);
  }
}
