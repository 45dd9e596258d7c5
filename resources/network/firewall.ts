/**
 * A firewall (security group).
 *
 * API notes:
 * - `addFirewall` answers 202; the job's `message` is the new firewall id, adopted when a waiter
 *   sees the job COMPLETE (`save({ wait: true })` also loads the firewall).
 * - Rules are a separate resource: `firewall.rules()` reads `network/FirewallRule?firewallId=<id>`
 *   with this firewall's endpoint; `firewall.addRule`
 *   creates one, sending `startPort`/`endPort`.
 * - The API offers no update or delete of a firewall itself.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { BillingCode } from '../admin/billing-code.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, type ActionOptions } from '../../lib/orm/actions.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { Account } from '../admin/account.js';
import { Customer } from '../admin/customer.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import type { Job } from '../admin/job.js';
import { Cloud } from '../geography/cloud.js';
import { Region } from '../geography/region.js';
import { FirewallRule, type FirewallRuleInput } from './firewall-rule.js';

const CREATE_REQUIRED = ['budget', 'region', 'name', 'description'];

@lifecycle({
  create: { action: 'create' },
  delete: { refused: 'the API offers no delete of a firewall' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY },
})
@resource({ path: 'network/Firewall', collection: 'firewalls', id: 'firewallId' })
export class Firewall extends Resource {
  /** The list filters of `Firewall.all()` and `find()`. */
  static override readonly filters = defineFilters({ regionId: { type: 'number', description: 'firewalls of this region' }, accountId: { type: 'number', description: 'firewalls of this account' } });
  @attribute() firewallId!: number;
  @attribute({ settable: true, idOf: () => BillingCode }) budget!: number;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute({ settable: true }) description!: string;
  @attribute({ settable: true, type: 'string' }) label!: string | null;
  @attribute() legacyOwnerId!: number;
  @attribute({ settable: true }) name!: string;
  @reference(() => Account) owningAccount!: Ref<Account>;
  @reference(() => Group, { many: true }) owningGroups!: Array<Ref<Group>>;
  @reference(() => User) owningUser!: Ref<User>;
  /** e.g. `sg-39930503`. */
  @attribute() providerId!: string;
  @reference(() => Region, { settable: true }) region!: Ref<Region>;
  @attribute() removable!: boolean;
  @attribute() status!: string;

  static override persistence: Persistence<Firewall> = { create: (firewall, options) => firewall.create(options) };

  /** Creates the firewall (POST `addFirewall`, 202). Needs budget, region, name, description; label when assigned. */
  @action('POST', 'addFirewall', { args: [], options: ['label'], sends: { required: CREATE_REQUIRED, optional: ['label'] }, job: 'always' })
  async create(options: ActionOptions = {}): Promise<Job> {
    return this.actForJob('create', collect(this, 'create'), options);
  }

  /** The firewall's rules: one `GET network/FirewallRule?firewallId=<id>` (same endpoint). */
  async rules(): Promise<FirewallRule[]> {
    if (this.id === undefined) return [];
    return FirewallRule.all({ firewallId: Number(this.id), endpoint: this.endpoint });
  }

  /** Adds a rule to this firewall (see FirewallRule.create); resolves with the new rule. */
  async addRule(input: FirewallRuleInput, options: ActionOptions = {}): Promise<FirewallRule> {
    const rule = Object.assign(new FirewallRule(undefined, { endpoint: this.endpoint }), { ...input, firewall: this });
    await rule.create(options);
    return rule;
  }
}
