/**
 * Completeness: walks every registered resource class and fails when one has no fixture-backed
 * load case, or when a declared @action has no case checking its method, path and payload —
 * and, the other way round, when the table names a class or action the registry does not know.
 */
import { readdirSync } from 'node:fs';
import { allResources, metaOf } from '../../lib/index.js';
import { ACTIONS, LOADS } from './table.js';

const REGISTERED = allResources();

function shippedFixtures(): string[] {
  const root = new URL('../fixtures/', import.meta.url);
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(new URL(`${d.name}/`, root)).filter((f) => f.endsWith('.json')).map((f) => `${d.name}/${f}`));
}

describe('the registry', () => {
  it('holds the 39 resource types of the API, one class each', () => {
    expect(REGISTERED).toHaveLength(39);
    expect(new Set(REGISTERED.map((m) => m.path)).size).toBe(39);
  });
});

describe('every registered resource class has a fixture-backed load case', () => {
  it.each(REGISTERED.map((m) => [m.name, m] as const))('%s', (_name, meta) => {
    const cases = LOADS.filter((c) => c.cls === meta.cls);
    expect(cases).toHaveLength(1);
    const [loadCase] = cases;
    expect(loadCase.items.length).toBeGreaterThan(0);
    expect(loadCase.source).toMatch(/^(fixture:.+\.json|seed|reference)$/);
    for (const item of loadCase.items) {
      if (meta.idKey) expect(item[meta.idKey]).toBeDefined();
    }
    for (const filter of meta.requiredFilters) expect(loadCase.filters?.[filter]).toBeDefined();
  });

  it('uses every shipped fixture (spec/fixtures/**) as the source of its class', () => {
    const used = LOADS.map((c) => c.source).filter((s) => s.startsWith('fixture:')).map((s) => s.slice('fixture:'.length));
    expect(used.sort()).toEqual(shippedFixtures().sort());
  });

  it('names only registered classes', () => {
    for (const c of LOADS) expect(REGISTERED.map((m) => m.cls)).toContain(c.cls);
  });
});

const DECLARED = REGISTERED.flatMap((meta) => meta.actions.map((act) => [`${meta.name}.${act.name}()`, meta, act] as const));

describe('every declared @action has a case checking its method, path and payload', () => {
  it('there are declared actions at all', () => {
    expect(DECLARED.length).toBeGreaterThan(50);
  });

  it.each(DECLARED)('%s', (_label, meta, act) => {
    const cases = ACTIONS.filter((c) => c.cls === meta.cls && c.action === act.name);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      // The request the case expects is the operation the decorator declares.
      expect(c.request.method).toBe(act.method);
      if (act.method === 'DELETE') {
        expect(c.request.query).toBeDefined();
        expect(c.request.body).toBeUndefined();
        if (act.operation) expect(Object.keys(c.request.query ?? {})).toContain(act.operation);
        else expect(c.request.query).toEqual({});
      } else {
        expect(c.request.body).toBeDefined();
        expect(Object.keys(c.request.body as object)).toEqual([act.operation]);
      }
      expect(typeof c.call).toBe('function');
    }
  });

  it('every case names a declared action of its class', () => {
    for (const c of ACTIONS) {
      const meta = metaOf(c.cls);
      expect(meta.actions.map((a) => `${meta.name}.${a.name}`)).toContain(`${meta.name}.${c.action}`);
    }
  });

  it('every class that can be created has a case listing its required attributes', () => {
    const creatable = REGISTERED.filter((m) => (m.cls as { persistence?: { create?: unknown } }).persistence?.create);
    expect(creatable.length).toBeGreaterThan(10);
    for (const meta of creatable) {
      const withRequired = ACTIONS.filter((c) => c.cls === meta.cls && c.required?.length);
      expect({ cls: meta.name, cases: withRequired.length }).toEqual({ cls: meta.name, cases: 1 });
    }
  });
});
