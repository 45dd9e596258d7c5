/**
 * Planning, phase 4: order. Dependencies first (a step waits for the creation of every object it
 * refers to); of the steps ready, undoable before not undoable, then by record, then as planned;
 * deletions last, once every other step is placed. Then the steps that cannot be undone and have
 * steps after them are named (writing such a plan needs `allowIrreversible`).
 */
import { ValidationError } from '../../errors.js';
import type { Plan, StepInternal } from './model.js';

/** A binary min-heap. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(item: T): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.before(items[l], items[m])) m = l;
        if (r < items.length && this.before(items[r], items[m])) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Whether a step stays done if a later one fails (deletions and changes of new objects excepted). */
function irreversible(s: StepInternal): boolean {
  return s.undo === null && !s.covered;
}

/**
 * Sets each step's `after` (positions before ordering) from the local names it refers to, then
 * orders the steps: Kahn's algorithm with a priority queue keyed (rank, record, position),
 * O(n log n + dependencies). Numbers the steps and rewrites `after` in step numbers.
 */
export function order(steps: StepInternal[], refs: readonly string[][], createdBy: ReadonlyMap<string, number>, signal: AbortSignal | undefined): StepInternal[] {
  steps.forEach((step, self) => {
    const after = new Set<number>();
    for (const ref of refs[self]) {
      const by = createdBy.get(ref);
      if (by !== undefined && by !== self) after.add(by);
    }
    // A change of a new object waits for its creation too (a ref to itself).
    step.after = [...after];
  });
  const rank = (s: StepInternal): number => (s.kind === 'delete' ? 2 : irreversible(s) ? 1 : 0);
  const keys = steps.map((s, i) => ({ rank: rank(s), record: s.record, i }));
  const before = (a: number, b: number): boolean => {
    const x = keys[a];
    const y = keys[b];
    return x.rank !== y.rank ? x.rank < y.rank : x.record !== y.record ? x.record < y.record : x.i < y.i;
  };
  const waiting = steps.map((s) => s.after.length);
  const dependents: number[][] = steps.map(() => []);
  steps.forEach((s, i) => s.after.forEach((d) => dependents[d].push(i)));
  const ready = new Heap<number>(before);
  const deletes = new Heap<number>(before);
  let others = 0;
  steps.forEach((s, i) => {
    if (s.kind !== 'delete') others++;
    if (waiting[i] === 0) (s.kind === 'delete' ? deletes : ready).push(i);
  });
  const out: StepInternal[] = [];
  while (out.length < steps.length) {
    if (out.length % 4096 === 0) signal?.throwIfAborted();
    const next = ready.size ? ready.pop() : others === 0 ? deletes.pop() : undefined;
    if (next === undefined) throw new Error(`internal: the steps of the plan wait for each other (${steps.length - out.length} left)`);
    const step = steps[next];
    if (step.kind !== 'delete') others--;
    out.push(step);
    for (const d of dependents[next]) if (--waiting[d] === 0) (steps[d].kind === 'delete' ? deletes : ready).push(d);
  }
  const position = new Map(out.map((s, i) => [s, i + 1]));
  const original = [...steps];
  for (const s of out) s.step = position.get(s) as number;
  for (const s of out) s.after = s.after.map((i) => position.get(original[i]) as number).sort((a, b) => a - b);
  return out;
}

/**
 * Why writing the plan needs `allowIrreversible`: the steps that cannot be undone (deletions
 * excepted) with fallible steps after them, one sentence each. `ordered` is in step order.
 */
export function irreversibleSteps(ordered: readonly StepInternal[]): string[] {
  const dependents = new Map<number, number[]>();
  for (const o of ordered) for (const a of o.after) (dependents.get(a) ?? dependents.set(a, []).get(a)!).push(o.step);
  const lines: string[] = [];
  for (const s of ordered) {
    if (!irreversible(s) || s.kind === 'delete') continue;
    const followers = ordered.length - s.step;
    if (followers <= 0) continue;
    const need = (dependents.get(s.step) ?? []).sort((a, b) => a - b);
    lines.push(`step ${s.step} (${s.method} ${s.path}, ${s.kind} ${s.label}) cannot be undone (${s.noUndo ?? 'no inverse'}) and ${followers} step${followers > 1 ? 's' : ''} follow${followers > 1 ? '' : 's'} it${need.length ? ` (${need.join(', ')} need${need.length > 1 ? '' : 's'} it)` : ''}: if one of them fails, it stays`);
  }
  return lines;
}

/** The refusal to write a plan with {@link Plan.irreversible} steps without `allowIrreversible`. */
export function irreversibleRefusal(plan: Plan): ValidationError {
  return new ValidationError({
    message: `apply: the plan has steps that cannot be undone before steps that may fail: ${plan.irreversible.join('; ')}. Pass allowIrreversible (dcm apply --allow-irreversible) to accept this, or apply those objects on their own first`,
    problems: plan.irreversible,
  });
}
