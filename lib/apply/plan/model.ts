/**
 * What the phases of planning share: the public shapes of a plan (`Plan`, `PlanStep`), the
 * internal ones (a normalised record, a step with what execution needs), and small helpers.
 */
import { ValidationError } from '../../errors.js';
import type { Endpoint } from '../../endpoint.js';
import type { HttpMethod } from '../../wire.js';
import type { Lifecycle } from '../../orm/lifecycle.js';
import type { AttributeMeta } from '../../orm/metadata.js';
import { referenceTarget, type ResourceMeta } from '../../orm/registry.js';
import type { Id } from '../../orm/state.js';
import type { AttributeChange } from '../changes.js';

/** The most records one apply takes (files are also bounded in bytes: lib/apply/file.ts). */
export const MAX_RECORDS = 250_000;

/** A record as given: its type, action, local name and identity, and sparse attributes. */
export type ApplyRecord = Record<string, unknown>;

/** A reference to an object the same apply creates (`"@web-fw"`); in JSON it stays `"@web-fw"`. */
export class LocalRef {
  /** `name`: the record's local name (`__name__` / `ref`), without the `@`. */
  constructor(readonly name: string) {}
  /** `"@name"`, as the plan prints it. */
  toJSON(): string {
    return `@${this.name}`;
  }
  /** `@name`. */
  toString(): string {
    return `@${this.name}`;
  }
}

/** What a step does: create an object, update one, attach a volume, or delete an object. */
export type StepKind = 'create' | 'update' | 'attach' | 'delete';

/** One request of the plan. `body`/`path` hold `"@name"` where an id created earlier goes. */
export interface PlanStep {
  /** 1-based position in the order of execution. */
  step: number;
  /** 0-based index of the record it comes from. */
  record: number;
  /** e.g. `Volume data-1`. */
  label: string;
  kind: StepKind;
  method: HttpMethod;
  path: string;
  query?: Record<string, string>;
  /** The body sent; the values of secret attributes show as `[redacted]`. */
  body?: Record<string, unknown>;
  /** Steps that must succeed first (they create what this one refers to). */
  after: number[];
  /** How it is undone, or null when it cannot be. */
  undo: { how: string; method: HttpMethod; path: string; query?: Record<string, string>; body?: Record<string, unknown> } | null;
  /** Why it cannot be undone (when `undo` is null). */
  noUndo?: string;
  /** The attributes it changes, `current → desired` (lib/apply/changes.ts); set on the steps of a {@link Plan}. */
  changes?: AttributeChange[];
}

/** The plan of an apply: the exact ordered requests, and the records that change nothing. */
export interface Plan {
  steps: PlanStep[];
  /**
   * Why writing this plan needs `allowIrreversible`: one sentence per step that cannot be undone
   * and has steps after it, which stays if one of them fails (empty when there is none). A dry
   * run shows the plan all the same.
   */
  irreversible: string[];
  /** Records that change nothing (already as wanted, or a delete of what is absent). */
  unchanged: Array<{ record: number; label: string; why: string }>;
  /** True when there is nothing to send. */
  noChanges: boolean;
}

/** Internal: a step with what execution needs. */
export interface StepInternal extends PlanStep {
  /** The managed type of the object. */
  type: Lifecycle;
  /** The object's id or the local name it gets. */
  target: Id | LocalRef;
  /** Local name the step's created object answers to (creates). */
  creates?: string;
  /** The object's state at plan time (updates, deletes). */
  before?: Record<string, unknown>;
  collectionPath: string;
  /** The body sent, where it differs from `body` (which shows secrets redacted). */
  sent?: Record<string, unknown>;
  /** Answers that also mean success (an identical rule exists already: 418). */
  alsoSuccess: readonly number[];
  /** A change of an object created by the same apply: undoing the creation undoes it too. */
  covered?: boolean;
}

/** Internal: the plan with what execution needs. */
export interface Planned {
  plan: Plan;
  steps: StepInternal[];
  /**
   * Per record: the id (known or created) of its object, for the final read-back, and the object
   * as read while planning (`found`; undefined for one this apply creates), which stands for it
   * when no step changes it.
   */
  targets: Array<{ type: Lifecycle; target: Id | LocalRef | undefined; action: 'set' | 'delete'; found?: Record<string, unknown> }>;
}

/** How a plan is made: where to read, and whether steps that cannot be undone may be followed by others. */
export interface PlanOptions {
  /** The endpoint of every read and write (default: the configured one). */
  endpoint?: Endpoint;
  /** Accept steps that cannot be undone with fallible steps after them. */
  allowIrreversible?: boolean;
  /** The `reason` sent with deletes (default `mixcoatl apply`). */
  reason?: string;
  /** Aborting stops planning at once (checked between records and reads): it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Internal: a record once normalised. */
export interface Normal {
  index: number;
  label: string;
  type: Lifecycle;
  meta: ResourceMeta;
  action: 'set' | 'delete';
  ref: string;
  userRef: boolean;
  id?: Id;
  /** The attributes given (own members only; the id is not one of them). */
  attrs: Record<string, unknown>;
  /** Attributes already reported as wrong (not reported again as missing). */
  bad: Set<string>;
  /** Its identity is wrong: it takes no part in matching against the current state. */
  broken: boolean;
}

/** Whether `value` is a plain object (not null, not an array). */
export function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value as a message shows it: JSON, except numbers JSON cannot hold (`1e400` parses to Infinity). */
export function shown(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return `${String(value)} (not a finite number)`;
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The attribute that names an object of `type` uniquely (`name`, a user's `email`), if it has one. */
export function nameKey(type: Lifecycle): string | undefined {
  return type.identity.by === 'name' ? (type.identity.key ?? 'name') : undefined;
}

/** The class an attribute refers to (a reference, or the id of another resource), memoised: no copy per record. */
const TARGETS = new WeakMap<AttributeMeta, ResourceMeta | null>();
export function targetOf(meta: ResourceMeta, attr: AttributeMeta | undefined): ResourceMeta | undefined {
  if (!attr) return undefined;
  let target = TARGETS.get(attr);
  if (target === undefined) {
    target = attr.reference ? referenceTarget(meta.cls, attr) : attr.idOf ? referenceTarget(meta.cls, { ...attr, reference: { target: attr.idOf, many: false } }) : null;
    TARGETS.set(attr, target);
  }
  return target ?? undefined;
}

/** The id inside a converted reference (`{ <idKey>: id }`, or the bare id of an `idOf` attribute). */
export function idInside(value: unknown, idKey: string): unknown {
  return isPlain(value) ? value[idKey] : value;
}

/** The local names `value` refers to. */
export function refsIn(value: unknown, out: string[] = []): string[] {
  if (value instanceof LocalRef) out.push(value.name);
  else if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (isPlain(value)) Object.values(value).forEach((v) => refsIn(v, out));
  return out;
}

/** One ValidationError with every problem, by record. */
export function refusal(problems: string[]): ValidationError {
  const sorted = problems.map((p, i) => ({ p, i, rank: Number(/^record (\d+)/.exec(p)?.[1] ?? 0) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((x) => x.p);
  return new ValidationError({ message: `apply: ${sorted.length} problem${sorted.length > 1 ? 's' : ''}: ${sorted.join('; ')}`, problems: sorted });
}
