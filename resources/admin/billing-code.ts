/**
 * A billing code, a.k.a. budget. Other resources hold one as `budget` (its id).
 *
 * API note: quotas are money objects (`{ value: 100, currency: 'USD' }`); the API only takes USD
 * here, so `add()` always sends `currency: "USD"`.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, type ActionOptions, type RemoveOptions } from '../../lib/orm/actions.js';
import { idOf } from '../../lib/orm/ids.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Money, Ref } from '../types.js';
import { DEFAULT_REASON } from '../types.js';
import { Customer } from './customer.js';
import type { Job } from './job.js';

export interface DeleteBillingCodeOptions extends RemoveOptions {
  reason?: string;
  /** The billing code (id or object) that takes over what this one paid for. */
  replacementCode?: number | BillingCode;
}

function usd(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'string') return { value: Number(value), currency: 'USD' };
  if (value && typeof value === 'object') return { ...(value as Money), currency: 'USD' };
  return value;
}

/** The item of `addBillingCode`: quotas in USD, status ACTIVE. */
function billingCodeItem(v: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { softQuota: usd(v.softQuota), hardQuota: usd(v.hardQuota), status: 'ACTIVE', name: v.name, financeCode: v.financeCode, description: v.description };
}

/** A quota's amount (`100` and `{ value: 100, currency: 'USD' }` are the same quota). */
function quotaValue(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? Number((value as Money).value) : Number(value);
}

@lifecycle({
  create: { action: 'add', item: billingCodeItem },
  delete: { action: 'delete' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY, financeCode: NON_EMPTY },
  compareAs: { softQuota: quotaValue, hardQuota: quotaValue },
})
@resource({ path: 'admin/BillingCode', collection: 'billingCodes', id: 'billingCodeId' })
export class BillingCode extends Resource {
  @attribute() billingCodeId!: number;
  /** `NORMAL`, … */
  @attribute() budgetState!: string;
  @attribute({ type: 'object' }) currentUsage!: Money;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute({ settable: true }) description!: string;
  /** The alphanumeric "budget code" used by finance. */
  @attribute({ settable: true }) financeCode!: string;
  @attribute({ settable: true }) name!: string;
  @attribute({ type: 'object' }) projectedUsage!: Money;
  @attribute() status!: string;
  /** A money object as received; may be assigned as a plain number of USD. */
  @attribute({ settable: true, type: 'any' }) hardQuota?: Money | number;
  /** A money object as received; may be assigned as a plain number of USD. */
  @attribute({ settable: true, type: 'any' }) softQuota?: Money | number;

  static override persistence: Persistence<BillingCode> = { create: (code, options) => code.add(options) };

  /** Creates the billing code from name, financeCode, description, softQuota and hardQuota (201). */
  @action('POST', 'addBillingCode', { args: [], options: ['softQuota', 'hardQuota', 'name', 'financeCode', 'description'], sends: { required: ['softQuota', 'hardQuota', 'name', 'financeCode', 'description'] } })
  async add(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('add', billingCodeItem(collect(this, 'add')), options);
  }

  /** Deletes the billing code: `DELETE admin/BillingCode/<id>?reason=…&replacementCode=…` (204). */
  @action('DELETE', 'reason', { args: [], options: ['replacementCode', 'reason'] })
  async delete(options: DeleteBillingCodeOptions = {}): Promise<Job | undefined> {
    const replacement = options.replacementCode === undefined ? undefined : idOf(BillingCode, options.replacementCode, 'BillingCode.delete() replacementCode');
    return this.act('delete', { reason: options.reason ?? DEFAULT_REASON, replacementCode: replacement }, options);
  }
}
