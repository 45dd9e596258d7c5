/**
 * List filters: what each resource's collection GET accepts as query parameters, declared once on
 * the class (`static readonly filters = defineFilters({ … })`) and used three ways:
 *
 * - the TYPE of `X.all(options)` and `X.find(query)`: a misspelt filter does not compile, a
 *   required one cannot be left out, an enumerated one takes only its values;
 * - the CHECK before any request: an unknown filter, a value of the wrong type and a missing
 *   required filter are one `ValidationError` that lists the valid filters and suggests the
 *   nearest name (a filter the server would silently ignore returns everything, which is worse
 *   than no filter);
 * - the command line's `dcm <resource> list --help` and `--filter` flag.
 */
import { ValidationError } from '../errors.js';
import { closest } from '../suggest.js';
import type { QueryValue } from '../http/client.js';

export type FilterType = 'number' | 'string' | 'boolean';

/** One list filter of a resource's collection GET. */
export interface FilterDef {
  /** `number` (an id), `string` or `boolean`. */
  readonly type: FilterType;
  /** The listing is refused without it (the API answers 400). */
  readonly required?: boolean;
  /** The values a string filter accepts. */
  readonly values?: readonly string[];
  /** The parameter's name in the API when the API spells it otherwise (`account_id`). */
  readonly wire?: string;
  /** What the filter selects (shown by `dcm <resource> list --help`). */
  readonly description?: string;
}

/** A resource's list filters by name. */
export type FilterDecl = { readonly [name: string]: FilterDef };

/** Rules over several filters that a single filter's declaration cannot state. */
export interface FilterRules {
  /** At least one of these filters must be given (Network: dataCenterId, regionId or accountId). */
  readonly oneOf?: readonly string[];
}

/** Declares a resource's filters, keeping their literal types for `all()` and `find()`. */
export function defineFilters<const F extends FilterDecl>(filters: F): F {
  return filters;
}

/** The value type of one filter: its enumerated values, a number, a boolean or a string. */
export type FilterValue<D> = D extends { readonly values: ReadonlyArray<infer V> } ? V : D extends { readonly type: 'number' } ? number : D extends { readonly type: 'boolean' } ? boolean : string;

/** The names of the required filters of a declaration. */
export type RequiredFilterNames<F> = { [K in keyof F]: F[K] extends { readonly required: true } ? K : never }[keyof F];

/** The filter values `all()` takes for a declaration: required ones required, the rest optional. */
export type FilterValues<F> = { [K in keyof F as F[K] extends { readonly required: true } ? K : never]: FilterValue<F[K]> } & {
  [K in keyof F as F[K] extends { readonly required: true } ? never : K]?: FilterValue<F[K]>;
};

/** A class's declared filters (none when it declares none). */
export function filtersOf(cls: Function): FilterDecl {
  const declared = (cls as { filters?: unknown }).filters;
  return declared && typeof declared === 'object' ? (declared as FilterDecl) : {};
}

/** A class's multi-filter rules. */
export function filterRulesOf(cls: Function): FilterRules {
  const declared = (cls as { filterRules?: unknown }).filterRules;
  return declared && typeof declared === 'object' ? (declared as FilterRules) : {};
}

/** The names of a class's required filters. */
export function requiredFiltersOf(cls: Function): string[] {
  return Object.entries(filtersOf(cls))
    .filter(([, def]) => def.required)
    .map(([name]) => name);
}

function describeValid(decl: FilterDecl): string {
  const names = Object.keys(decl);
  return names.length ? `the valid filters are ${names.map((n) => `${n}${decl[n].required ? ' (required)' : ''}`).join(', ')}` : 'it takes no filters';
}

function convert(name: string, def: FilterDef, value: unknown, problems: string[]): QueryValue {
  switch (def.type) {
    case 'number': {
      const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
      problems.push(`filter ${name} must be a whole number (an id), got ${JSON.stringify(value)}`);
      return undefined;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      problems.push(`filter ${name} must be true or false, got ${JSON.stringify(value)}`);
      return undefined;
    }
    default: {
      if (typeof value !== 'string' && typeof value !== 'number') {
        problems.push(`filter ${name} must be a string, got ${JSON.stringify(value)}`);
        return undefined;
      }
      const text = String(value);
      if (def.values && !def.values.includes(text)) {
        problems.push(`filter ${name} must be one of ${def.values.join(', ')}, got ${JSON.stringify(value)}`);
        return undefined;
      }
      return text;
    }
  }
}

/**
 * Checks filter values against a class's declaration and returns the query to send (the API's names,
 * typed values). Every problem is reported in ONE ValidationError, before any request: unknown
 * names (with the nearest valid one), wrong types, values outside an enumeration, missing
 * required filters and an unmet "one of" rule. `what` names the call, e.g. `Server.all()`.
 */
export function checkFilters(cls: Function, what: string, given: Readonly<Record<string, unknown>>): Record<string, QueryValue> {
  const decl = filtersOf(cls);
  const rules = filterRulesOf(cls);
  const problems: string[] = [];
  const query: Record<string, QueryValue> = {};
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const def = Object.prototype.hasOwnProperty.call(decl, name) ? decl[name] : undefined;
    if (!def) {
      const near = closest(name, Object.keys(decl));
      problems.push(`unknown filter "${name}"${near ? ` (did you mean ${near}?)` : ''}`);
      continue;
    }
    const converted = convert(name, def, value, problems);
    if (converted !== undefined) query[def.wire ?? name] = converted;
  }
  const missing = Object.entries(decl)
    .filter(([name, def]) => def.required && (given[name] === undefined || given[name] === null))
    .map(([name]) => name);
  if (missing.length) problems.push(`requires the filter${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (e.g. ${what.replace(/\(\)$/, '')}({ ${missing[0]}: … }))`);
  if (rules.oneOf && !rules.oneOf.some((name) => given[name] !== undefined && given[name] !== null)) {
    problems.push(`requires one of the filters ${rules.oneOf.join(', ')}`);
  }
  if (problems.length) {
    const unknown = problems.some((p) => p.startsWith('unknown filter'));
    throw new ValidationError({ message: `${what} ${problems.join('; ')}${unknown ? `; ${describeValid(decl)}` : ''}`, problems });
  }
  return query;
}
