/**
 * A group of users (REFERENCE §4.2). Groups own resources (`owningGroups`) and get roles per
 * account.
 *
 * API note: unlike most creates, `addGroup` is an OBJECT (`{"addGroup":{"group":{…}}}`), as are
 * `setRole`, `describeGroup` and `addRoleAssignments`. `describeGroup` sends only the members
 * that changed (the original always sent both, lazy-loading the other: REFERENCE §7.20).
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';
import { collect, ref, refuse, run, type ActionOptions } from '../../lib/orm/actions.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { Ref } from '../types.js';
import { Customer } from './customer.js';
import type { Account } from './account.js';
import type { Role } from './role.js';
import type { Job } from './job.js';

export interface RoleAssignment {
  roleId: number;
  roleName?: string;
  [key: string]: unknown;
}

export interface SetRoleOptions extends ActionOptions {
  /** The role (id, object or `{ roleId }`). */
  role: number | Role | { roleId: number };
  /** The account the role applies in (optional in the API). */
  account?: number | Account | { accountId: number };
}

export interface AddRoleAssignmentsOptions extends ActionOptions {
  roleAssignments: Array<{ accountId: number; roleId: number }>;
  groupAccountBudgetCodes?: Array<{ accountId: number; budgetCodes: Array<number | string> }>;
}

export interface DescribeGroupInput extends ActionOptions {
  name?: string;
  description?: string;
}

@resource({ path: 'admin/Group', collection: 'groups', id: 'groupId' })
export class Group extends Resource {
  /** The list filters of `Group.all()` and `find()`. */
  static override readonly filters = defineFilters({ accountId: { type: 'number', description: 'the groups of this account' } });
  @attribute() groupId!: number;
  @reference(() => Customer) customer!: Ref<Customer>;
  @attribute({ settable: true }) description!: string;
  @attribute({ settable: true }) name!: string;
  @attribute() status!: string;
  @attribute() customerAdmin!: boolean;
  @attribute() userAdmin!: boolean;
  @attribute() configurationManagementAdmin!: boolean;
  @attribute({ type: 'any' }) configurationManagementQualifier!: unknown;
  @attribute() groupAccountBudgetCodes!: Array<Record<string, unknown>>;
  @attribute() roleAssignments!: RoleAssignment[];

  static override persistence: Persistence<Group> = {
    create: (group, options) => group.create(options),
    update: [{ attributes: ['name', 'description'], send: (group, changes) => group.describe(changes) }],
  };

  /** Creates the group from name and description (201). */
  @action('POST', 'addGroup', { args: [], options: ['name', 'description'] })
  async create(options: ActionOptions = {}): Promise<Job | undefined> {
    const v = collect(this, 'create', ['name', 'description']);
    return run(this, { method: 'POST', action: 'create', body: { addGroup: { group: { name: v.name, description: v.description } } }, creates: true, consumes: ['name', 'description'] }, options);
  }

  /** Gives the group a role, in an account if given (204). */
  @action('PUT', 'setRole', { args: [], options: ['role', 'account'] })
  async setRole(options: SetRoleOptions): Promise<Job | undefined> {
    const group: Record<string, unknown> = { role: ref(options?.role, 'roleId', 'Group.setRole() role') };
    if (options.account !== undefined) group.account = ref(options.account, 'accountId', 'Group.setRole() account');
    return run(this, { method: 'PUT', action: 'setRole', body: { setRole: { group } } }, options);
  }

  /** Renames and/or re-describes the group; sends only the members given (204). */
  @action('PUT', 'describeGroup', { args: [], optionsParam: 'input', options: ['name', 'description'] })
  async describe(input: DescribeGroupInput): Promise<Job | undefined> {
    const group: Record<string, unknown> = {};
    if (input?.name !== undefined) group.name = input.name;
    if (input?.description !== undefined) group.description = input.description;
    refuse(this, 'describe', Object.keys(group).length ? [] : ['give a name and/or a description']);
    return run(this, { method: 'PUT', action: 'describe', body: { describeGroup: { group } } }, { ...input });
  }

  /** Assigns roles per account, optionally with budget codes (as the installer tooling does). */
  @action('PUT', 'addRoleAssignments', { args: [], options: ['roleAssignments', 'groupAccountBudgetCodes'] })
  async addRoleAssignments(options: AddRoleAssignmentsOptions): Promise<Job | undefined> {
    refuse(this, 'addRoleAssignments', Array.isArray(options?.roleAssignments) && options.roleAssignments.length ? [] : ['roleAssignments must be a non-empty array of { accountId, roleId }']);
    const group: Record<string, unknown> = { roleAssignments: options.roleAssignments };
    if (options.groupAccountBudgetCodes) group.groupAccountBudgetCodes = options.groupAccountBudgetCodes;
    return run(this, { method: 'PUT', action: 'addRoleAssignments', body: { addRoleAssignments: { group } } }, options);
  }

  /** Deletes the group: `DELETE admin/Group/<id>`, no parameters (204). */
  @action('DELETE', '', { args: [], options: [] })
  async delete(options: ActionOptions = {}): Promise<Job | undefined> {
    return run(this, { method: 'DELETE', action: 'delete' }, options);
  }
}
