/**
 * One rule of a firewall.
 *
 * API notes:
 * - `addRule` is flat: the firewall travels as `firewallId`, not `{ firewall: { firewallId } }`.
 *   It answers 201 with the rule, or 418 when an identical rule already exists — also a success;
 *   the existing rule's id is adopted when the answer carries it.
 * - `startPort`/`endPort` are sent when assigned.
 *   ICMP rules are not supported by the API.
 * - The listing requires `firewallId`: `FirewallRule.all({ firewallId })`.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY, PORT } from '../../lib/orm/lifecycle.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, type ActionOptions, type RemoveOptions } from '../../lib/orm/actions.js';
import type { Persistence } from '../../lib/orm/save.js';
import { idsIn } from '../../lib/orm/ids.js';
import type { Ref } from '../types.js';
import { DEFAULT_REASON } from '../types.js';
import type { Job } from '../admin/job.js';
import { Firewall } from './firewall.js';

/** Attributes of a new rule (for `firewall.addRule()` and `Object.assign`). */
export interface FirewallRuleInput {
  /** `INGRESS` or `EGRESS`. */
  direction: string;
  /** e.g. `1.2.3.4/32`. */
  source: string;
  /** `CIDR`, … */
  sourceType: string;
  /** `ALLOW` or `DENY`. */
  permission: string;
  /** `TCP`, `UDP`. */
  protocol: string;
  destination?: string;
  /** `GLOBAL`, … */
  destinationType?: string;
  startPort?: number;
  endPort?: number;
}

export interface CreateRuleOptions extends ActionOptions {
  /** Default `Added by mixcoatl`. */
  reason?: string;
}

export interface RemoveRuleOptions extends RemoveOptions {
  /** Default `no reason provided`. */
  reason?: string;
}

const CREATE_REQUIRED = ['firewall', 'source', 'sourceType', 'direction', 'permission', 'protocol'];
const CREATE_OPTIONAL = ['destination', 'destinationType', 'startPort', 'endPort'];
/** The members a rule is found by in its firewall's listing (those given). */
const RULE_MEMBERS = ['direction', 'source', 'sourceType', 'destination', 'destinationType', 'permission', 'protocol', 'startPort', 'endPort'];

/**
 * The item of `addRule` from a rule's attributes (`firewall` as `{ firewallId }`): flat, the
 * firewall as `firewallId`, members given in the API's order, and the reason.
 */
export function ruleItem(values: Readonly<Record<string, unknown>>, context: { reason: string }): Record<string, unknown> {
  const firewall = values.firewall;
  const item: Record<string, unknown> = { firewallId: firewall !== null && typeof firewall === 'object' ? (firewall as Record<string, unknown>).firewallId : firewall };
  for (const key of ['source', 'sourceType', 'destination', 'destinationType', 'direction', 'permission', 'protocol', 'startPort', 'endPort']) if (values[key] !== undefined) item[key] = values[key];
  item.reason = context.reason;
  return item;
}

@lifecycle({
  create: { action: 'create', item: ruleItem },
  delete: { action: 'remove' },
  identity: { by: 'parent', parent: 'firewall', match: RULE_MEMBERS, index: ['direction', 'source', 'protocol'] },
  enums: { direction: ['INGRESS', 'EGRESS'], permission: ['ALLOW', 'DENY'], protocol: ['TCP', 'UDP'], sourceType: ['CIDR', 'GLOBAL'], destinationType: ['CIDR', 'GLOBAL'] },
  rules: { startPort: PORT, endPort: PORT, source: NON_EMPTY, destination: NON_EMPTY },
  gone: () => false,
})
@resource({ path: 'network/FirewallRule', collection: 'rules', id: 'firewallRuleId' })
export class FirewallRule extends Resource {
  /** The list filters of `FirewallRule.all()` and `find()`. */
  static override readonly filters = defineFilters({ firewallId: { type: 'number', required: true, description: 'the rules of this firewall' } });
  @attribute() firewallRuleId!: number;
  @reference(() => Firewall, { settable: true }) firewall!: Ref<Firewall>;
  /** `INGRESS`, `EGRESS`. */
  @attribute({ settable: true }) direction!: string;
  /** e.g. a CIDR block. */
  @attribute({ settable: true }) source!: string;
  /** `CIDR`, … */
  @attribute({ settable: true }) sourceType!: string;
  @attribute({ settable: true }) destination!: string;
  /** `GLOBAL`, … */
  @attribute({ settable: true }) destinationType!: string;
  /** `TCP`, `UDP`. */
  @attribute({ settable: true }) protocol!: string;
  @attribute({ settable: true, type: 'number' }) startPort!: number | null;
  @attribute({ settable: true, type: 'number' }) endPort!: number | null;
  @attribute() precedence!: number;
  /** `ALLOW`, `DENY`. */
  @attribute({ settable: true }) permission!: string;
  @attribute() ruleProviderId!: string;

  static override persistence: Persistence<FirewallRule> = { create: (rule, options) => rule.create(options) };

  /**
   * Creates the rule (POST `addRule`, 201; 418 = already present, also a success). Needs
   * firewall, source, sourceType, direction, permission, protocol; destination, destinationType,
   * startPort and endPort are sent when assigned.
   */
  @action('POST', 'addRule', { args: [], options: ['reason', 'destination', 'destinationType', 'startPort', 'endPort'], sends: { required: CREATE_REQUIRED, optional: CREATE_OPTIONAL }, alsoSuccess: [418] })
  async create(options: CreateRuleOptions = {}): Promise<Job | undefined> {
    const { firewall, ...values } = collect(this, 'create');
    return this.act('create', ruleItem({ ...values, firewall: idsIn(firewall, Firewall) }, { reason: options.reason ?? 'Added by mixcoatl' }), options);
  }

  /** Removes the rule: `DELETE network/FirewallRule/<id>?reason=` (204). */
  @action('DELETE', 'reason', { args: [], options: ['reason'] })
  async remove(options: RemoveRuleOptions = {}): Promise<Job | undefined> {
    return this.act('remove', { reason: options.reason ?? DEFAULT_REASON }, options);
  }
}
