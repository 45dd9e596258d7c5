/**
 * Argument helpers shared by the resource classes' actions (budgets, owning groups, reasons).
 */
import { ref, refs } from '../lib/orm/actions.js';
import type { Id } from '../lib/orm/state.js';

/** A billing code given as an id, a BillingCode or `{ billingCodeId }` → its id (what `budget` holds). */
export function budgetId(value: unknown, what: string): Id {
  return ref(value, 'billingCodeId', what).billingCodeId;
}

/** Groups given as ids, Group objects or `{ groupId }` (one or a list) → `[{ groupId }]`. */
export function groupRefs(value: unknown, what: string): Array<Record<string, Id>> {
  return refs(value, 'groupId', what);
}
