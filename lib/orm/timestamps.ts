/**
 * Timestamps as typed values, converted by class-transformer: the API sends timestamps as text
 * (`2013-01-08T21:13:39.621+0000`) or epoch milliseconds; `resource.dateOf(key)` gives them as a
 * `Date` through the typed class below, while the attribute and `toJSON()` keep the API's form.
 *
 * class-transformer is loaded at the first conversion, not with the library: it is a large module
 * graph that a program which never asks for a date should not wait for at start-up (its CommonJS
 * build, through `createRequire`, so that `dateOf()` stays synchronous).
 */
import { createRequire } from 'node:module';
import type * as ClassTransformer from 'class-transformer';

type Convert = (value: string | number) => unknown;

let convert: Convert | undefined;

/** The converter: one class with a `@Type(() => Date)` member, declared at the first use. */
function converter(): Convert {
  if (convert) return convert;
  const { plainToInstance, Type } = createRequire(import.meta.url)('class-transformer') as typeof ClassTransformer;
  /** One timestamp as received; class-transformer turns `value` into a Date. */
  class ApiTimestamp {
    @Type(() => Date)
    value: Date | undefined;
  }
  convert = (value) => plainToInstance(ApiTimestamp, { value }).value;
  return convert;
}

/** A timestamp as the API sends it, as a Date; undefined for anything that is not one (absent, null, not a date). */
export function dateFromApi(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const date = converter()(value);
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : undefined;
}
