/**
 * The strict entry (lib/strict.ts, `mixcoatl/strict`): every resource class the package exports
 * is there, retyped, and is the very same class at run time, so objects, the identity map and the
 * registry are shared with programs (and libraries) that import `mixcoatl`.
 */
import { readFileSync } from 'node:fs';
import * as plain from '../../../lib/index.js';
import * as strict from '../../../lib/strict.js';

const resourceClasses = Object.entries(plain).filter(([name, value]) => typeof value === 'function' && value.prototype instanceof plain.ResourceBase && name !== 'Resource');

const source = readFileSync(new URL('../../../lib/strict.ts', import.meta.url), 'utf8');

it('retypes every resource class the package exports (a class it missed would keep its lazy types)', () => {
  expect(resourceClasses.length).toBeGreaterThan(30);
  const missed = resourceClasses.map(([name]) => name).filter((name) => !source.includes(`export const ${name} = base.${name} as unknown as StrictClass<typeof base.${name}>;`) || !source.includes(`export type ${name} = Strict<base.${name}>;`));
  expect(missed).toEqual([]);
});

it('exports everything else the package exports, unchanged', () => {
  expect(Object.keys(strict).sort()).toEqual(Object.keys(plain).sort());
  for (const [name, value] of Object.entries(plain)) expect((strict as Record<string, unknown>)[name]).toBe(value);
});
