/**
 * A role: a named access-control list. Groups get roles per account.
 *
 * API note: `grant` takes `{"grant":[{"acl":[{action, qualifier, resourceType, role}]}]}`. An
 * ACL document `{"access":[…]}` is accepted too: `grant()` takes either form.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, refuse, type ActionOptions } from '../../lib/orm/actions.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { Customer } from './customer.js';
import type { Job } from './job.js';

/** One access rule, e.g. `{ action: 'Attach', qualifier: 'MINE', resourceType: 'VOLUME' }`. */
export interface AclEntry {
  /** `ANY`, `Configure`, `UseAPI`, `Attach`, … */
  action: string;
  /** `ANY`, `THIS_GROUP`, `MINE`, … */
  qualifier: string;
  /** `ANY`, `IMAGE`, `CONSOLE`, `VOLUME`, … */
  resourceType: string;
  /** The role id; filled in with this role's id when absent. */
  role?: number;
  [key: string]: unknown;
}

/** An ACL as a set: `action/qualifier/resourceType` per entry, sorted (the API adds entries, in its own order). */
function aclKeys(value: unknown): string[] {
  return Array.isArray(value) ? value.map((e) => ['action', 'qualifier', 'resourceType'].map((k) => String((e as Record<string, unknown>)?.[k])).join('/')).sort() : [];
}

@lifecycle({
  create: { action: 'create', item: (v) => ({ status: 'ACTIVE', name: v.name, description: v.description }) },
  updates: [{ action: 'grant', attributes: ['acl'], additive: true, undo: { refused: 'the API offers no revoke of an ACL entry' } }],
  delete: { refused: 'the API offers no delete of a role' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY },
  compareAs: { acl: aclKeys },
})
@resource({ path: 'admin/Role', collection: 'roles', id: 'roleId' })
export class Role extends Resource {
  /** The list filters of `Role.all()` and `find()`. */
  static override readonly filters = defineFilters({ accountId: { type: 'number', wire: 'account_id', description: 'roles mapped to groups in this account' }, groupId: { type: 'number', wire: 'group_id', description: 'the roles of this group' } });
  @attribute() roleId!: number;
  @attribute() acl!: AclEntry[];
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute({ settable: true }) description!: string;
  @attribute({ settable: true }) name!: string;
  @attribute() status!: string;

  static override persistence: Persistence<Role> = { create: (role, options) => role.create(options) };

  /** Creates the role from name and description (201). */
  @action('POST', 'addRole', { args: [], options: ['name', 'description'], sends: { required: ['name', 'description'] } })
  async create(options: ActionOptions = {}): Promise<Job | undefined> {
    const { name, description } = collect(this, 'create');
    return this.act('create', { status: 'ACTIVE', name, description }, options);
  }

  /** Grants access rules: an array of entries, or an ACL document `{ access: [...] }` (204). */
  @action('PUT', 'grant', { args: ['acl'], options: [] })
  async grant(acl: AclEntry[] | { access: AclEntry[] }, options: ActionOptions = {}): Promise<Job | undefined> {
    const entries = Array.isArray(acl) ? acl : acl && typeof acl === 'object' ? (Object.values(acl)[0] as unknown) : undefined;
    const problems: string[] = [];
    if (!Array.isArray(entries) || !entries.length) problems.push('give a non-empty array of { action, qualifier, resourceType } (or { access: [...] })');
    else {
      entries.forEach((entry: unknown, i) => {
        const e = entry as Partial<AclEntry> | null;
        for (const key of ['action', 'qualifier', 'resourceType'] as const) if (!e || typeof e[key] !== 'string' || !e[key]) problems.push(`entry ${i}: ${key} is missing`);
      });
    }
    refuse(this, 'grant', problems);
    const list = (entries as AclEntry[]).map((e) => ({ ...e, role: e.role ?? this.id }));
    return this.act('grant', { acl: list }, options);
  }
}
