/**
 * Request budgets: `offline(fn)` forbids every request inside `fn`, `withBudget(n, fn)` allows at
 * most `n`. Scopes follow the code across `await` (AsyncLocalStorage) and nest: a request counts
 * against every enclosing budget, so an inner one can never allow more than an outer one has left.
 * Every request passes `admit()` before anything is sent, whatever path it takes (a blocking lazy
 * read, the async API, an action, `request()`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { BudgetExceededError, ValidationError } from '../errors.js';
import { callSite } from '../callsite.js';

interface Budget {
  limit: number;
  used: number;
  parent: Budget | undefined;
}

const scope = new AsyncLocalStorage<Budget>();

function enter<T>(limit: number, fn: () => T, what: string): T {
  if (typeof fn !== 'function') throw new ValidationError({ message: `${what} takes a function to run` });
  return scope.run({ limit, used: 0, parent: scope.getStore() }, fn);
}

/**
 * Runs `fn` (sync or async) with requests forbidden: any request inside it throws
 * BudgetExceededError before anything is sent, naming what asked and where.
 */
export function offline<T>(fn: () => T): T {
  return enter(0, fn, 'offline()');
}

/**
 * Runs `fn` (sync or async) allowing at most `limit` requests inside it: the first one over the
 * limit throws BudgetExceededError (the ones before it are sent). Nested budgets each count.
 */
export function withBudget<T>(limit: number, fn: () => T): T {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new ValidationError({ message: `withBudget(limit, fn): limit must be a whole number ≥ 0, got ${JSON.stringify(limit)}` });
  return enter(limit, fn, 'withBudget()');
}

/** The requests still allowed here (Infinity outside any budget). */
export function remainingBudget(): number {
  let left = Infinity;
  for (let b = scope.getStore(); b; b = b.parent) left = Math.min(left, b.limit - b.used);
  return left;
}

/** Counts a request against every enclosing budget, or throws when one of them is spent. */
export function admit(trigger: string, method: string, path: string): void {
  const innermost = scope.getStore();
  if (!innermost) return;
  for (let b: Budget | undefined = innermost; b; b = b.parent) {
    if (b.used >= b.limit) {
      const where = callSite();
      const zone = b.limit === 0 ? 'inside offline()' : `over the budget of ${b.limit} request${b.limit === 1 ? '' : 's'} (withBudget)`;
      throw new BudgetExceededError({
        message: `${method} ${path} refused ${zone}: ${trigger}${where ? ` at ${where}` : ''}`,
        limit: b.limit,
        trigger,
        callSite: where,
      });
    }
  }
  for (let b: Budget | undefined = innermost; b; b = b.parent) b.used += 1;
}
