/**
 * The wire boundary's typed values, converted by class-transformer: the API sends timestamps as
 * text (`2013-01-08T21:13:39.621+0000`) or epoch milliseconds; `resource.dateOf(key)` gives them
 * as a `Date` through the typed class below, while the attribute and `toJSON()` keep the wire form.
 */
import { plainToInstance, Type } from 'class-transformer';

/** One timestamp as received; class-transformer turns `value` into a Date (`@Type(() => Date)`). */
class WireTimestamp {
  @Type(() => Date)
  value: Date | undefined;
}

/** A wire timestamp as a Date; undefined for anything that is not one (absent, null, not a date). */
export function dateFromWire(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const date = plainToInstance(WireTimestamp, { value }).value;
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : undefined;
}
