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
      enums: {}, extra: [], live: notGone,
    },
    {
      name: 'FirewallRule', cls: classOf('FirewallRule'), createAction: 'create', named: false, updates: [],
      enums: { direction: ['INGRESS', 'EGRESS'], permission: ['ALLOW', 'DENY'], protocol: ['TCP', 'UDP'], sourceType: ['CIDR', 'GLOBAL'], destinationType: ['CIDR', 'GLOBAL'] },
      extra: [], live: () => true,
    },
    { name: 'Volume', cls: classOf('Volume'), createAction: 'create', named: true, updates: MANAGEABLE('describeVolume'), enums: {}, extra: [], live: notGone },
    { name: 'Server', cls: classOf('Server'), createAction: 'launch', named: true, updates: MANAGEABLE('describeServer'), enums: {}, extra: [], live: notGone },
  ];
  table = new Map(list.map((t) => [t.name, t]));
  return table;
}

export function metaFor(type: ApplyType): ResourceMeta {
  return metaOf(type.cls);
}
