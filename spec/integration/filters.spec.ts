/**
 * The library's filter declarations and the emulator's listings agree, so the integration specs
 * exercise what the API does: every declared filter is accepted and applied, and a listing
 * without a required filter gets the API's 400.
 */
import { allResources, request, BadRequestError, type FilterDef } from '../../lib/index.js';
import { listingFilters } from '../../lib/emulator/filters.js';
import { useClientEmulator } from '../support/client-emulator.js';


useClientEmulator();

function declared(cls: Function): Record<string, FilterDef> {
  return (cls as unknown as { filters: Record<string, FilterDef> }).filters;
}

/** Ids of seeded objects for the filters that name one object (analytics exist per server or tier). */
const SEEDED: Record<string, number> = { serverId: 331810, tierId: 5001 };

function sample(name: string, def: FilterDef): number | string | boolean {
  if (SEEDED[name] !== undefined) return SEEDED[name];
  if (def.values) return def.values[0];
  return def.type === 'number' ? 19344 : def.type === 'boolean' ? true : 'MYSQL';
}

const LISTED = allResources().filter((meta) => !meta.flat);

describe('declared filters against the emulator', () => {
  it.each(LISTED.map((meta) => [meta.name, meta] as const))('%s: the same filters, the same required ones', (_name, meta) => {
    const emulated = listingFilters(meta.path);
    expect(Object.keys(declared(meta.cls)).sort()).toEqual([...emulated.names].sort());
    expect([...meta.requiredFilters].sort()).toEqual([...emulated.required].sort());
  });

  it.each(LISTED.filter((meta) => Object.keys(declared(meta.cls)).length).map((meta) => [meta.name, meta] as const))('%s: every declared filter is accepted at once', async (_name, meta) => {
    const options: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(declared(meta.cls))) options[name] = sample(name, def);
    const list = await (meta.cls as unknown as { all(o: Record<string, unknown>): Promise<unknown[]> }).all(options);
    expect(Array.isArray(list)).toBe(true);
  });

  it.each(LISTED.filter((meta) => meta.requiredFilters.length).map((meta) => [meta.name, meta] as const))('%s: the API answers 400 naming a missing required filter', async (_name, meta) => {
    const answer = await request('GET', meta.path).catch((e: unknown) => e);
    expect(answer).toBeInstanceOf(BadRequestError);
    expect((answer as Error).message).toContain(meta.requiredFilters[0]);
  });
});
