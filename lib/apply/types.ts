/**
 * What `apply()` knows of each type it can manage: how a new object is created (the class's
 * create action, from its `@action` declaration), which operations change an existing one, how a
 * step is undone, and which attributes take a fixed set of values. Only these types are accepted;
 * every other is refused by validation, by name.
 *
 * - Firewall: created by `addFirewall` (202 job). The documented API has no delete of a firewall
 *   and no update: its creation cannot be undone, and nothing of an existing one can be changed.
 * - FirewallRule: `addRule` (201, or 418 = an identical rule exists); undone by its DELETE (204).
 *   A rule has no name: it is identified by its firewall and the attributes given.
 * - Volume: `addVolume` (202); name/description/label, budget and owning groups change through
 *   `describeVolume`, `assignBudget`, `assignGroups`; `server` (a server, by id or `@local`) asks
 *   for the volume to be attached (`attach`, undone by `detach`); DELETE undoes a creation.
 * - Server: `launch` (202); the same three update operations; DELETE (terminate) undoes a launch.
 *
 * Value rules (`rules`): what the API refuses, checked before anything is sent — ports 0–65535,
 * sizes positive whole numbers, names non-empty. They are data (a {@link ValueRule} per attribute),
 * so they can move onto the resources' own declarations unchanged.
 */
import { MetadataError } from '../errors.js';
import { findResource, metaOf, type ResourceMeta } from '../orm/registry.js';
import { isLive } from '../orm/lookups.js';

/** A resource class by name (registered when the resources are loaded: the package root, the CLI). */
function classOf(name: string): Function {
  const meta = findResource(name);
  if (!meta) throw new MetadataError({ message: `apply needs the ${name} resource class, which is not loaded (import mixcoatl's root)` });
  return meta.cls;
}

/** One operation that changes attributes of an existing object (a PUT with `{ <operation>: [item] }`). */
export interface UpdateOperation {
  operation: string;
  attributes: readonly string[];
}

/**
 * A rule on an attribute's value, beyond its type: a whole number (`integer`), bounds (`min`,
 * `max`, inclusive), or a non-empty text (`nonEmpty`).
 */
export interface ValueRule {
  integer?: boolean;
  min?: number;
  max?: number;
  nonEmpty?: boolean;
}

/** A TCP/UDP port. */
const PORT: ValueRule = { integer: true, min: 0, max: 65535 };
/** A size in GB. */
const SIZE: ValueRule = { integer: true, min: 1 };
/** A name. */
const NAME: ValueRule = { nonEmpty: true };

/** What a rule asks for, e.g. `a whole number from 0 to 65535`, `a positive whole number`. */
function wanted(rule: ValueRule): string {
  const kind = rule.integer ? 'whole number' : 'number';
  if (rule.min !== undefined && rule.max !== undefined) return `a ${kind} from ${rule.min} to ${rule.max}`;
  if (rule.min === 1 && rule.integer) return 'a positive whole number';
  if (rule.min !== undefined) return `a ${kind} of at least ${rule.min}`;
  if (rule.max !== undefined) return `a ${kind} of at most ${rule.max}`;
  return `a ${kind}`;
}

/** The problem with `value` under `rule` (words after the attribute's name), or undefined when it passes. */
export function breaksRule(rule: ValueRule, value: unknown): string | undefined {
  if (rule.nonEmpty && typeof value === 'string' && value.trim() === '') return 'must not be empty';
  if (typeof value !== 'number') return undefined;
  const out = (rule.integer && !Number.isInteger(value)) || (rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max);
  return out ? `must be ${wanted(rule)}, got ${value}` : undefined;
}

export interface ApplyType {
  name: string;
  cls: Function;
  /** The create action's name (its `@action` declaration gives operation and attributes). */
  createAction: string;
  /** Objects are identified by `name` (unique among the live objects of the type). */
  named: boolean;
  updates: readonly UpdateOperation[];
  /** Why a creation cannot be undone (undefined: DELETE `?reason=` undoes it). */
  noUndoCreate?: string;
  /** Why a delete is refused (undefined: DELETE `?reason=`). */
  noDelete?: string;
  /** Attributes with a fixed set of values. */
  enums: Record<string, readonly string[]>;
  /** Rules on attribute values (ranges, whole numbers, non-empty texts). */
  rules: Record<string, ValueRule>;
  /** Attributes the create sends that are not declared as settable attributes (none so far). */
  extra: readonly string[];
  /** Whether a listed object is still there (a terminated server stays listed). */
  live: (item: Record<string, unknown>) => boolean;
}

const MANAGEABLE = (describe: string): UpdateOperation[] => [
  { operation: describe, attributes: ['name', 'description', 'label'] },
  { operation: 'assignBudget', attributes: ['budget'] },
  { operation: 'assignGroups', attributes: ['owningGroups'] },
];

const notGone = isLive;

let table: Map<string, ApplyType> | undefined;

/** The types apply manages, by class name (case-sensitive, as the classes are spelled). */
export function applyTypes(): Map<string, ApplyType> {
  if (table) return table;
  const list: ApplyType[] = [
    {
      name: 'Firewall', cls: classOf('Firewall'), createAction: 'create', named: true, updates: [],
      noUndoCreate: 'the API offers no delete of a firewall', noDelete: 'the API offers no delete of a firewall',
      enums: {}, rules: { name: NAME }, extra: [], live: notGone,
    },
    {
      name: 'FirewallRule', cls: classOf('FirewallRule'), createAction: 'create', named: false, updates: [],
      enums: { direction: ['INGRESS', 'EGRESS'], permission: ['ALLOW', 'DENY'], protocol: ['TCP', 'UDP'], sourceType: ['CIDR', 'GLOBAL'], destinationType: ['CIDR', 'GLOBAL'] },
      rules: { startPort: PORT, endPort: PORT, source: NAME, destination: NAME },
      extra: [], live: () => true,
    },
    { name: 'Volume', cls: classOf('Volume'), createAction: 'create', named: true, updates: MANAGEABLE('describeVolume'), enums: {}, rules: { name: NAME, sizeInGb: SIZE }, extra: [], live: notGone },
    { name: 'Server', cls: classOf('Server'), createAction: 'launch', named: true, updates: MANAGEABLE('describeServer'), enums: {}, rules: { name: NAME }, extra: [], live: notGone },
  ];
  table = new Map(list.map((t) => [t.name, t]));
  return table;
}

/** The enumeration of `key` on `type`, if it has one (own members only: `toString` is no attribute). */
export function enumOf(type: ApplyType, key: string): readonly string[] | undefined {
  return Object.hasOwn(type.enums, key) ? type.enums[key] : undefined;
}

/** The value rule of `key` on `type`, if it has one (own members only). */
export function ruleOf(type: ApplyType, key: string): ValueRule | undefined {
  return Object.hasOwn(type.rules, key) ? type.rules[key] : undefined;
}

export function metaFor(type: ApplyType): ResourceMeta {
  return metaOf(type.cls);
}
