/**
 * Value shapes shared by resource classes.
 */

/**
 * The declared type of a reference attribute: `@reference(() => Region) region!: Ref<Region>`.
 * It IS the class type; the alias only exists because `emitDecoratorMetadata` would otherwise
 * emit the referenced class itself as `design:type`, evaluated while the module loads — which
 * breaks resource files that refer to each other (Account ↔ User). Through an alias the metadata
 * is `Object`, and the `() => Region` thunk stays the only run-time link.
 */
export type Ref<T> = T;

/** Money: `{ "value": 150.9, "currency": "USD" }`. */
export interface Money {
  /** Amount. */
  value: number;
  /** ISO 4217 code, e.g. `USD`. */
  currency: string;
  [key: string]: unknown;
}

/** A weekly window (deployments, databases). */
export interface Window {
  /** e.g. `["MONDAY", "THURSDAY"]`. */
  daysOfWeek?: string[];
  /** Start hour, 0–23. */
  startHour?: number;
  /** Start minute, 0–59. */
  startMinute?: number;
  /** End hour, 0–23. */
  endHour?: number;
  /** End minute, 0–59. */
  endMinute?: number;
  [key: string]: unknown;
}

/** A plain `{ "<type>Id": n }` reference to something that has no resource class (subnet, VLAN). */
export type PlainRef<K extends string> = { [P in K]: number } & { [key: string]: unknown };

/** Reasons sent with DELETE when the caller gives none. */
export const DEFAULT_REASON = 'no reason provided';
