/**
 * A check run on the plan that `apply()` makes under its lock, before any write (and before a dry
 * run returns): saved plans (./saved.ts) use it to capture the state each step was planned from,
 * and to refuse a plan that went stale. Kept beside the options object it belongs to, so
 * `ApplyOptions` does not grow a member that only the library may use.
 */
import type { Planned } from './plan.js';

/** Told the plan made under the lock; throws to refuse it (nothing is sent then). */
export type PlanCheck = (planned: Planned) => void;

const checks = new WeakMap<object, PlanCheck>();

/** Runs `check` on the plan of the apply given `options`. */
export function checkPlanWith<T extends object>(options: T, check: PlanCheck): T {
  checks.set(options, check);
  return options;
}

/** The check of the apply given `options`, if any. */
export function planCheckOf(options: object): PlanCheck | undefined {
  return checks.get(options);
}
