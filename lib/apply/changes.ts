/**
 * The differences a plan step makes, attribute by attribute (`current → desired`): what
 * `dcm apply --check` prints and `PlanStep.changes` holds. Computed from the step's request body
 * and the object as read at plan time, so it says exactly what the step sends.
 *
 * - An update: each attribute of its item, with the value read at plan time.
 * - A creation: each attribute it sends, from nothing (`current: null`).
 * - An attachment: the server (and device) the volume is attached to.
 * - A deletion: none (the whole object goes).
 *
 * References are shown by id (`{ "dataCenterId": 64351 }` → `64351`, a list of groups → their
 * ids in order); `"@name"` stands for an object the same apply creates.
 */

/** One attribute a step changes. */
export interface AttributeChange {
  /** The attribute, as the record names it (`description`, `budget`, `server`…). */
  attribute: string;
  /** Its value at plan time; null when it has none (always for a creation). */
  current: unknown;
  /** The value the step sends (`"@name"` for an object the same apply creates). */
  desired: unknown;
}

/** What {@link stepChanges} reads of a step (a `PlanStep` with the object read at plan time). */
export interface ChangeSource {
  kind: 'create' | 'update' | 'attach' | 'delete';
  body?: Record<string, unknown>;
  before?: Record<string, unknown>;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Members of a request item that are not attributes of the object. */
const NOT_ATTRIBUTES = new Set(['reason']);

/** An id-like member of `value` (`billingCodeId`, `serverId`…), when it is a reference as read. */
function idMember(value: Record<string, unknown>, key?: string): unknown {
  if (key !== undefined && Object.hasOwn(value, key)) return value[key];
  const found = Object.keys(value).find((k) => k.endsWith('Id') && (typeof value[k] === 'number' || typeof value[k] === 'string'));
  return found === undefined ? value : value[found];
}

/** `value` in plain JSON form (a `"@name"` reference as its text). */
function jsonForm(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') return (value as { toJSON(): unknown }).toJSON();
  if (Array.isArray(value)) return value.map(jsonForm);
  if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonForm(v)]));
  return value;
}

/** The pair as it is shown: references by id, in the form the desired value takes. */
function shownPair(current: unknown, desired: unknown): [unknown, unknown] {
  const want = jsonForm(desired);
  if (isPlain(want)) {
    const keys = Object.keys(want);
    if (keys.length === 1) {
      const key = keys[0];
      return [isPlain(current) ? idMember(current, key) : (current ?? null), want[key]];
    }
    return [current ?? null, want];
  }
  if (Array.isArray(want)) {
    const item = (v: unknown): unknown => (isPlain(v) && Object.keys(v).length === 1 ? Object.values(v)[0] : v);
    const held = Array.isArray(current) ? current.map((v) => (isPlain(v) ? idMember(v) : v)) : (current ?? null);
    return [held, want.map(item)];
  }
  if (isPlain(current) && want !== null && typeof want !== 'object') return [idMember(current), want];
  return [current ?? null, want];
}

function itemsOf(body: Record<string, unknown> | undefined): Array<Record<string, unknown>> {
  if (!body) return [];
  const out: Array<Record<string, unknown>> = [];
  for (const value of Object.values(body)) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) if (isPlain(item)) out.push(item);
  }
  return out;
}

/** The attributes `step` changes (see the module note). */
export function stepChanges(step: ChangeSource): AttributeChange[] {
  if (step.kind === 'delete') return [];
  const changes: AttributeChange[] = [];
  for (const item of itemsOf(step.body)) {
    for (const [attribute, value] of Object.entries(item)) {
      if (NOT_ATTRIBUTES.has(attribute)) continue;
      const held = step.kind === 'create' ? null : step.before?.[attribute];
      const [current, desired] = shownPair(held, value);
      changes.push({ attribute, current, desired });
    }
  }
  return changes;
}

/** A value as `--check` prints it: JSON, cut at 80 characters; a missing value is `(none)`. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** `attribute: current → desired`, one change as `--check` prints it. */
export function formatChange(change: AttributeChange): string {
  return `${change.attribute}: ${showValue(change.current)} → ${showValue(change.desired)}`;
}

/** What {@link formatChanges} reads of a plan step. */
export interface ChangedStep {
  step: number;
  kind: 'create' | 'update' | 'attach' | 'delete';
  label: string;
  method: string;
  path: string;
  changes?: AttributeChange[];
}

const MARK: Record<ChangedStep['kind'], string> = { create: '+', update: '~', attach: '~', delete: '-' };

/**
 * The differences of a plan as `dcm apply --check` prints them: per step a line (`+` create,
 * `~` update or attach, `-` delete) and its changes indented below, `attribute: current → desired`.
 */
export function formatChanges(steps: readonly ChangedStep[]): string {
  if (!steps.length) return 'No changes: every record is already as wanted.';
  const lines: string[] = [];
  for (const s of steps) {
    lines.push(`${MARK[s.kind]} ${s.kind} ${s.label}  (${s.method} ${s.path})`);
    for (const change of s.changes ?? []) lines.push(`    ${formatChange(change)}`);
  }
  lines.push(`${steps.length} step${steps.length === 1 ? '' : 's'} pending.`);
  return lines.join('\n');
}
