/**
 * A group of users. Groups own resources (`owningGroups`) and get roles per
 * account.
 *
 * API note: unlike most creates, `addGroup` is an OBJECT (`{"addGroup":{"group":{…}}}`), as are
 * `setRole`, `describeGroup` and `addRoleAssignments`. `describeGroup` sends only the members
 * that changed.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource, type IdOr } from '../../lib/orm/resource.js';
import { collect, refuse, type ActionOptions, type RemoveOptions } from '../../lib/orm/actions.js';
import { referenceTo } from '../../lib/orm/ids.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { Customer } from './customer.js';
import { Account } from './account.js';
import { Role } from './role.js';
import type { Job } from './job.js';

export interface RoleAssignment {
  roleId: number;
  roleName?: string;
  [key: string]: unknown;
}

export interface SetRoleOptions extends ActionOptions {
  /** The role (id, object or `{ roleId }`). */
  role: IdOr<Role, 'roleId'>;
  /** The account the role applies in (optional in the API). */
  account?: IdOr<Account, 'accountId'>;
}

export interface AddRoleAssignmentsOptions extends ActionOptions {
  roleAssignments: Array<{ accountId: number; roleId: number }>;
  groupAccountBudgetCodes?: Array<{ accountId: number; budgetCodes: Array<number | string> }>;
}

export interface DescribeGroupInput extends ActionOptions {
  name?: string;
  description?: string;
}

/** Role assignments as the API takes them: `{ accountId, roleId }` each (what it answers also has `roleName`). */
function roleAssignmentsOf(value: unknown): Array<{ accountId: unknown; roleId: unknown }> {
  return Array.isArray(value) ? value.map((a) => ({ accountId: (a as Record<string, unknown>)?.accountId, roleId: (a as Record<string, unknown>)?.roleId })) : [];
}

@lifecycle({
  create: { action: 'create', item: (v) => ({ group: { name: v.name, description: v.description } }) },
  updates: [
    { action: 'describe', attributes: ['name', 'description'], item: (v) => ({ group: v }) },
    { action: 'addRoleAssignments', attributes: ['roleAssignments'], item: (v) => ({ group: { roleAssignments: roleAssignmentsOf(v.roleAssignments) } }), additive: true, undo: { refused: 'the API offers no removal of a role assignment' } },
  ],
  delete: { action: 'delete' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY },
  compareAs: { roleAssignments: (value) => roleAssignmentsOf(value).map((a) => `${String(a.accountId)}/${String(a.roleId)}`).sort() },
})
@resource({ path: 'admin/Group', collection: 'groups', id: 'groupId' })
export class Group extends Resource {
  /** The list filters of `Group.all()` and `find()`. */
  static override readonly filters = defineFilters({ accountId: { type: 'number', description: 'the groups of this account' } });
  @attribute() groupId!: number;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute({ settable: true }) description!: string;
  @attribute({ settable: true }) name!: string;
  @attribute() status!: string;
  @attribute() customerAdmin?: boolean;
  @attribute() userAdmin?: boolean;
  @attribute() configurationManagementAdmin?: boolean;
  @attribute({ type: 'any' }) configurationManagementQualifier?: unknown;
  @attribute() groupAccountBudgetCodes?: Array<Record<string, unknown>>;
  @attribute() roleAssignments?: RoleAssignment[];

  static override persistence: Persistence<Group> = {
    create: (group, options) => group.create(options),
    update: [{ attributes: ['name', 'description'], send: (group, changes) => group.describe(changes) }],
  };

  /** Creates the group from name and description (201). */
  @action('POST', 'addGroup', { args: [], options: ['name', 'description'], envelope: 'object', sends: { required: ['name', 'description'] } })
  async create(options: ActionOptions = {}): Promise<Job | undefined> {
    const { name, description } = collect(this, 'create');
    return this.act('create', { group: { name, description } }, options);
  }

  /** Gives the group a role, in an account if given (204). */
  @action('PUT', 'setRole', { args: [], options: ['role', 'account'], envelope: 'object' })
  async setRole(options: SetRoleOptions): Promise<Job | undefined> {
    const role = referenceTo(Role, options?.role, 'Group.setRole() role');
    const account = options.account === undefined ? undefined : referenceTo(Account, options.account, 'Group.setRole() account');
    return this.act('setRole', { group: account === undefined ? { role } : { role, account } }, options);
  }

  /** Renames and/or re-describes the group; sends only the members given (204). */
  @action('PUT', 'describeGroup', { args: [], optionsParam: 'input', options: ['name', 'description'], envelope: 'object' })
  async describe(input: DescribeGroupInput): Promise<Job | undefined> {
    const group: Record<string, unknown> = {};
    if (input?.name !== undefined) group.name = input.name;
    if (input?.description !== undefined) group.description = input.description;
    refuse(this, 'describe', Object.keys(group).length ? [] : ['give a name and/or a description']);
    return this.act('describe', { group }, { ...input });
  }

  /** Assigns roles per account, optionally with budget codes (as the installer tooling does). */
  @action('PUT', 'addRoleAssignments', { args: [], options: ['roleAssignments', 'groupAccountBudgetCodes'], envelope: 'object' })
  async addRoleAssignments(options: AddRoleAssignmentsOptions): Promise<Job | undefined> {
    refuse(this, 'addRoleAssignments', Array.isArray(options?.roleAssignments) && options.roleAssignments.length ? [] : ['roleAssignments must be a non-empty array of { accountId, roleId }']);
    const group: Record<string, unknown> = { roleAssignments: options.roleAssignments };
    if (options.groupAccountBudgetCodes) group.groupAccountBudgetCodes = options.groupAccountBudgetCodes;
    return this.act('addRoleAssignments', { group }, options);
  }

  /** Deletes the group: `DELETE admin/Group/<id>`, no parameters (204). */
  @action('DELETE', '', { args: [], options: [] })
  async delete(options: RemoveOptions = {}): Promise<Job | undefined> {
    return this.act('delete', {}, options);
  }
}
