/** The apply run a request belongs to (for the journal), carried across awaits. */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

/** Runs `fn` with `run` as the apply run of every request it sends. */
export function withApplyRun<T>(run: string, fn: () => Promise<T>): Promise<T> {
  return current.run(run, fn);
}

/** The apply run of the request being sent, if any. */
export function currentApplyRun(): string | undefined {
  return current.getStore();
}
