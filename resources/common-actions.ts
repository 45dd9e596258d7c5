/**
 * The operations servers, volumes and machine images share: changing name/description/label
 * (`describeServer`, `describeVolume`, `describeImage`), the billing code (`assignBudget`) and
 * the owning groups (`assignGroups`). Each class declares the three with `@action` (the operation
 * key is its own); their bodies are these helpers.
 */
import { act, refuse, type ActionOptions } from '../lib/orm/actions.js';
import { idOf, referencesTo } from '../lib/orm/ids.js';
import { metaOf } from '../lib/orm/registry.js';
import type { IdOr, Resource } from '../lib/orm/resource.js';
import type { Job } from '../lib/orm/job.js';
import type { UpdateRoute } from '../lib/orm/save.js';
import type { UpdateDeclaration } from '../lib/orm/lifecycle.js';
import { BillingCode } from './admin/billing-code.js';
import { Group } from './admin/group.js';

/** Input of the `describe…` operations: the members to change (at least one). */
export interface DescribeInput extends ActionOptions {
  name?: string;
  description?: string;
  label?: string;
}

/** Sends the members of `input` that the `describe` action declares as its options (only those given). */
export function describeWith(obj: Resource, input: DescribeInput): Promise<Job | undefined> {
  const keys = metaOf(obj.constructor).actions.find((a) => a.name === 'describe')?.signature.options ?? [];
  const item: Record<string, unknown> = {};
  for (const key of keys) if (input?.[key as keyof DescribeInput] !== undefined) item[key] = input[key as keyof DescribeInput];
  refuse(obj, 'describe', Object.keys(item).length ? [] : [`give ${keys.length > 2 ? `${keys.slice(0, -1).join(', ')} and/or ${keys[keys.length - 1]}` : keys.join(' and/or ')}`]);
  return act(obj, 'describe', item, { ...input });
}

/** Sets the billing code (id, BillingCode or `{ billingCodeId }`). */
export function assignBudgetWith(obj: Resource, budget: IdOr<BillingCode, 'billingCodeId'>, options: ActionOptions): Promise<Job | undefined> {
  return act(obj, 'assignBudget', { budget: idOf(BillingCode, budget, `${metaOf(obj.constructor).name}.assignBudget() budget`) }, options);
}

/** Sets the owning groups (ids, Group objects or `{ groupId }`, one or several). */
export function assignGroupsWith(obj: Resource, groups: IdOr<Group, 'groupId'> | Array<IdOr<Group, 'groupId'>>, options: ActionOptions): Promise<Job | undefined> {
  return act(obj, 'assignGroups', { owningGroups: referencesTo(Group, groups, `${metaOf(obj.constructor).name}.assignGroups() groups`) }, options);
}

/** What a class with the three operations offers. */
export interface Manageable extends Resource {
  describe(input: DescribeInput): Promise<Job | undefined>;
  assignBudget(budget: IdOr<BillingCode, 'billingCodeId'>, options?: ActionOptions): Promise<Job | undefined>;
  assignGroups(groups: IdOr<Group, 'groupId'> | Array<IdOr<Group, 'groupId'>>, options?: ActionOptions): Promise<Job | undefined>;
}

/** The update routes of `save()` for such a class: name/description/label, budget, owning groups. */
export function manageableUpdates<T extends Manageable>(): Array<UpdateRoute<T>> {
  return [
    { attributes: ['name', 'description', 'label'], send: (obj, changes) => obj.describe(changes) },
    { attributes: ['budget'], send: (obj, changes) => obj.assignBudget(changes.budget as number) },
    { attributes: ['owningGroups'], send: (obj, changes) => obj.assignGroups(changes.owningGroups as Array<{ groupId: number }>) },
  ];
}

/**
 * The updates of such a class for `@lifecycle`: name/description/label through its `describe`
 * action, the billing code through `assignBudget`, the owning groups through `assignGroups`.
 */
export const MANAGEABLE_UPDATES: readonly UpdateDeclaration[] = [
  { action: 'describe', attributes: ['name', 'description', 'label'] },
  { action: 'assignBudget', attributes: ['budget'] },
  { action: 'assignGroups', attributes: ['owningGroups'] },
];
