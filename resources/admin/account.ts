/**
 * An account: one cloud subscription with its users, groups and budgets.
 *
 * API notes:
 * - `addAccount` needs the cloud credentials, which are never received back: assign them as the
 *   write-only attributes `accountNumber`, `cloud`, `apiKeyId`, `apiKeySecret` (plus `name`).
 * - `assignCloud` nests the subscription under `accounts` as an OBJECT, not an array.
 * - Samples show the subscription under a member named `cloudSubscriptionId` holding an object;
 *   newer payloads use `cloudSubscription`. Both are declared.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, refuse, type ActionOptions } from '../../lib/orm/actions.js';
import { idsIn } from '../../lib/orm/ids.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { Customer } from './customer.js';
import { User } from './user.js';
import { Cloud } from '../geography/cloud.js';
import type { Job } from './job.js';

export interface AlertConfiguration {
  alertIntervalInMinutes: number;
  allowIndividualEmailAlerts: boolean;
  allowIndividualSmsAlerts: boolean;
  globalEmailThreshold: number;
  globalSmsThreshold: number;
  stopAlertsAfterMinutes: number;
  [key: string]: unknown;
}

export interface CloudSubscription {
  cloudSubscriptionId?: number;
  accountNumber?: string;
  cloudId?: number;
  storageAccountNumber?: string | null;
  [key: string]: unknown;
}

export interface AddAccountOptions extends ActionOptions {
  /** Group that receives `roleId` and/or `budgetCodes`; without it the API sets admin defaults. */
  groupId?: number;
  roleId?: number;
  /** Budget (finance) codes for the group, e.g. `['BC-1', 'BC-2']` or `'BC-1,BC-2'`. */
  budgetCodes?: string[] | string;
}

export interface AssignCloudInput extends ActionOptions {
  cloudId: number;
  accountNumber: string;
  apiKeyId: string;
  apiKeySecret: string;
}

/** The id inside a reference given as `{ <key>: id }` (or the bare value). */
function inner(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : value;
}

/**
 * The item of `addAccount` from the account's attributes (`cloud` as `{ cloudId }`): the cloud
 * subscription with its key, the customer when given, and the administrators' defaults.
 */
function accountItem(v: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const item: Record<string, unknown> = { name: v.name, cloudSubscription: { accountNumber: v.accountNumber, cloudId: inner(v.cloud, 'cloudId'), apiKeyId: v.apiKeyId, apiKeySecret: v.apiKeySecret } };
  if (v.customer !== undefined) item.customer = v.customer;
  item.setAdminDefaults = true;
  return item;
}

@lifecycle({
  create: { action: 'add', item: accountItem },
  delete: { refused: 'the API offers no delete of an account' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY },
  secrets: ['apiKeySecret'],
})
@resource({ path: 'admin/Account', collection: 'accounts', id: 'accountId' })
export class Account extends Resource {
  /** The list filters of `Account.all()` and `find()`. */
  static override readonly filters = defineFilters({ cloudId: { type: 'number', description: 'accounts tied to this cloud' } });
  @attribute() accountId!: number;
  @attribute({ type: 'object' }) alertConfiguration!: AlertConfiguration;
  /** A string in samples, documented as an integer. */
  @attribute({ type: 'any' }) billingSystemId!: string | number;
  @attribute({ type: 'object' }) cloudSubscription!: CloudSubscription;
  /** The subscription as older samples name it (an object despite the name). */
  @attribute({ type: 'object' }) cloudSubscriptionId!: CloudSubscription;
  @attribute() configured!: boolean;
  @reference(() => Customer, { settable: true }) customer!: Ref<Customer>;
  @attribute() defaultBudget!: number;
  @attribute() dnsAutomation!: boolean;
  @attribute({ settable: true }) name!: string;
  @reference(() => User) owner!: Ref<User>;
  @attribute() planId!: number;
  @attribute() provisioned!: boolean;
  /** `ACTIVE`, … */
  @attribute() status!: string;
  @attribute() subscribed!: boolean;
  /** The cloud account number (write-only, for add()). */
  @attribute({ settable: true, writeOnly: true }) accountNumber!: string;
  /** The cloud (write-only, for add()). */
  @reference(() => Cloud, { settable: true, writeOnly: true }) cloud!: Ref<Cloud>;
  /** The cloud API key id (write-only, for add()). */
  @attribute({ settable: true, writeOnly: true }) apiKeyId!: string;
  /** The cloud API key secret (write-only, for add()). */
  @attribute({ settable: true, writeOnly: true }) apiKeySecret!: string;

  static override persistence: Persistence<Account> = { create: (account, options) => account.add(options) };

  /** Adds the account (201). Needs name, accountNumber, cloud, apiKeyId, apiKeySecret. */
  @action('POST', 'addAccount', {
    args: [],
    options: ['groupId', 'budgetCodes', 'roleId', 'name', 'accountNumber', 'cloud', 'apiKeyId', 'apiKeySecret', 'customer'],
    sends: { required: ['name', 'accountNumber', 'cloud', 'apiKeyId', 'apiKeySecret'], optional: ['customer'] },
  })
  async add(options: AddAccountOptions = {}): Promise<Job | undefined> {
    const v = collect(this, 'add');
    const item: Record<string, unknown> = {
      name: v.name,
      cloudSubscription: { accountNumber: v.accountNumber, cloudId: idsIn(v.cloud, Cloud), apiKeyId: v.apiKeyId, apiKeySecret: v.apiKeySecret },
      customer: v.customer,
    };
    if (options.groupId === undefined) {
      item.setAdminDefaults = true;
    } else {
      const codes = typeof options.budgetCodes === 'string' ? options.budgetCodes.split(',').map((c) => c.trim()).filter(Boolean) : options.budgetCodes;
      if (codes?.length) item.groupBudgetCodes = [{ groupId: options.groupId, budgetCodes: codes }];
      if (options.roleId !== undefined) item.groupRoles = [{ roleId: options.roleId, groupId: options.groupId }];
    }
    return this.act('add', item, options);
  }

  /** Attaches a cloud subscription to the account (204, or a job). */
  @action('PUT', 'assignCloud', { args: [], optionsParam: 'input', options: ['cloudId', 'accountNumber', 'apiKeyId', 'apiKeySecret'], envelope: 'object' })
  async assignCloud(input: AssignCloudInput): Promise<Job | undefined> {
    const problems = (['cloudId', 'accountNumber', 'apiKeyId', 'apiKeySecret'] as const).filter((k) => input?.[k] === undefined || input[k] === '').map((k) => `${k} is missing`);
    refuse(this, 'assignCloud', problems);
    const cloudSubscription = { cloudId: input.cloudId, accountNumber: input.accountNumber, apiKeyId: input.apiKeyId, apiKeySecret: input.apiKeySecret };
    return this.act('assignCloud', { accounts: { cloudSubscription } }, input);
  }
}
