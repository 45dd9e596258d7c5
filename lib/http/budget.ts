/**
 * Request budgets: `offline(fn)` forbids every request inside `fn`, `withBudget(n, fn)` allows at
 * most `n` HTTP attempts (a retry is an attempt: see `admitRetry`, `chargeAttempts`). Scopes follow the code across `await` (AsyncLocalStorage) and nest: a request counts
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
  const budget: Budget = { limit, used: 0, parent: scope.getStore() };
  return held(scope.run(budget, fn), budget);
}

/**
 * What `fn` returned, made to run its deferred work inside the scope:
 * - a generator (sync or async), whose body runs only when it is iterated, after `fn` has
 *   returned: each `next`, `return` and `throw` runs inside the scope;
 * - a thenable that is not a promise, which may start its work when its `then` is called (by
 *   `await`): `then` runs inside the scope; its other members are reached through it (prototype).
 * A promise is returned as it is: the work of an async `fn` runs inside the scope across every
 * `await` already. Callbacks the caller chains on what comes back (`.then(cb)`) run in the
 * caller's context, outside, as the code after an `await` does.
 */
function held<T>(value: T, budget: Budget): T {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || value instanceof Promise) return value;
  const tag = Object.prototype.toString.call(value);
  if (tag === '[object Generator]' || tag === '[object AsyncGenerator]') return heldGenerator(value as unknown as Generator & AsyncGenerator, tag === '[object AsyncGenerator]', budget) as T;
  const then = (value as { then?: unknown }).then;
  if (typeof then !== 'function') return value;
  const thenable = value as unknown as PromiseLike<unknown>;
  const inside = Object.create(thenable) as PromiseLike<unknown>;
  Object.defineProperty(inside, 'then', {
    value: (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) =>
      scope.run(budget, () => thenable.then(onFulfilled && AsyncLocalStorage.bind(onFulfilled), onRejected && AsyncLocalStorage.bind(onRejected))),
    writable: true,
    configurable: true,
  });
  return inside as T;
}

/** A generator whose every step runs inside the budget's scope. */
function heldGenerator(generator: Generator & AsyncGenerator, isAsync: boolean, budget: Budget): object {
  const step =
    (method: 'next' | 'return' | 'throw') =>
    (arg?: unknown): unknown =>
      scope.run(budget, () => (generator[method] as (a?: unknown) => unknown).call(generator, arg));
  const wrapped: Record<string | symbol, unknown> = { next: step('next'), return: step('return'), throw: step('throw') };
  wrapped[isAsync ? Symbol.asyncIterator : Symbol.iterator] = () => wrapped;
  return wrapped;
}

/**
 * Runs `fn` (sync or async) with requests forbidden: any request inside it throws
 * BudgetExceededError before anything is sent, naming what asked and where. The body of a
 * generator `fn` returns, and the `then` of a thenable it returns, run inside too.
 */
export function offline<T>(fn: () => T): T {
  return enter(0, fn, 'offline()');
}

/**
 * Runs `fn` (sync or async) allowing at most `limit` HTTP attempts inside it, retries included: the
 * first request over the limit throws BudgetExceededError (the ones before it are sent), and a
 * retry the budget has no room for is not made (the last answer or failure is returned, as when
 * the retries run out). Nested budgets each count. Generators and thenables `fn` returns are held
 * inside, as with {@link offline}.
 */
export function withBudget<T>(limit: number, fn: () => T): T {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new ValidationError({ message: `withBudget(limit, fn): limit must be a whole number ≥ 0, got ${JSON.stringify(limit)}` });
  return enter(limit, fn, 'withBudget()');
}

/** The requests still allowed here (Infinity outside any budget). */
export function remainingBudget(): number {
  let left = Infinity;
  for (let b = scope.getStore(); b; b = b.parent) left = Math.min(left, b.limit - b.used);
  return Math.max(0, left);
}

/**
 * Counts one further attempt of a request (a retry) against every enclosing budget when each has
 * room, and says whether it may be made. Asked by the async transport before each retry, in the
 * request's own context.
 */
export function admitRetry(): boolean {
  const innermost = scope.getStore();
  if (!innermost) return true;
  for (let b: Budget | undefined = innermost; b; b = b.parent) if (b.used >= b.limit) return false;
  for (let b: Budget | undefined = innermost; b; b = b.parent) b.used += 1;
  return true;
}

/**
 * Counts attempts already made beyond the first (reported by a transport that could not ask
 * {@link admitRetry}: the synchronous worker, a configured transport) against every enclosing budget.
 */
export function chargeAttempts(extra: number): void {
  if (!(extra > 0)) return;
  for (let b = scope.getStore(); b; b = b.parent) b.used += extra;
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
