/**
 * Fixture load specs: every item of every load case (shipped fixtures first, otherwise payloads
 * shaped as the API documents them) loads through its class with EVERY key readable — declared keys as
 * properties of the declared type, any key through get(key) — with exactly the one expected
 * request and none more (strict mode: a lazy read would throw instead of loading).
 */
import nock from 'nock';
import { metaOf, type ResourceBase, type ResourceClass } from '../../lib/index.js';
import { LOADS, type LoadCase } from './table.js';
import { API, BASE, plain, unmatched, useNockApi } from './support.js';

useNockApi();

const TYPE_CHECKS: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  object: (v) => typeof v === 'object' && !Array.isArray(v),
  any: () => true,
};

/** Asserts that every key of `item` reads back from `obj`. */
function expectReadable(cls: ResourceClass<ResourceBase>, obj: ResourceBase, item: Record<string, unknown>): void {
  const meta = metaOf(cls);
  expect(obj).toBeInstanceOf(cls);
  expect(obj.isLoaded).toBe(true);
  expect(obj.toJSON()).toEqual(item);
  if (meta.idKey) expect(obj.id).toBe(item[meta.idKey]);
  for (const [key, value] of Object.entries(item)) {
    const viaGet = obj.get(key);
    const attr = meta.attributes.get(key);
    const ref = meta.references.get(key);
    if (attr) {
      const viaProperty = (obj as unknown as Record<string, unknown>)[key];
      expect(viaProperty).toBe(viaGet);
      if (value !== null && !ref) expect({ key, typed: TYPE_CHECKS[attr.type](value) }).toEqual({ key, typed: true });
    }
    if (ref && value !== null && typeof value === 'object') {
      const target = ref.reference!.target() as ResourceClass<ResourceBase>;
      const list = (ref.reference!.many ? viaGet : [viaGet]) as unknown[];
      const raw = (ref.reference!.many ? value : [value]) as Array<Record<string, unknown>>;
      expect(Array.isArray(list)).toBe(true);
      expect(list).toHaveLength(raw.length);
      list.forEach((entry, i) => {
        expect(entry).toBeInstanceOf(target);
        // A reference keeps every member it arrived with (possibly merged with others of the same id).
        expect(plain(entry)).toMatchObject(plain(raw[i]) as object);
      });
    } else {
      expect({ key, value: plain(viaGet) }).toEqual({ key, value });
    }
  }
}

function query(filters: LoadCase['filters']): Record<string, string> {
  return Object.fromEntries(Object.entries(filters ?? {}).map(([k, v]) => [k, String(v)]));
}

describe.each(LOADS.map((c) => [`${metaOf(c.cls).name} (${c.source})`, c] as const))('%s', (_title, loadCase) => {
  const meta = metaOf(loadCase.cls);
  const cls = loadCase.cls;

  if (loadCase.single !== false) {
    it.each(loadCase.items.map((item, i) => [meta.idKey ? String(item[meta.idKey]) : `#${i}`, item] as const))('item %s loads by itself with every key readable', async (_id, item) => {
      let obj: ResourceBase;
      if (meta.flat) {
        const scope = nock(API).get(`${BASE}/${meta.path}`).once().reply(200, item);
        obj = await (cls as unknown as { current(): Promise<ResourceBase> }).current();
        expect(scope.isDone()).toBe(true);
      } else {
        const id = item[meta.idKey as string] as string | number;
        const scope = nock(API).get(`${BASE}/${meta.path}/${encodeURIComponent(String(id))}`).once().reply(200, { [meta.collection]: [item] });
        obj = await cls.get(id);
        expect(scope.isDone()).toBe(true);
        expect(obj.lastRequest?.url).toBe(`${API}${BASE}/${meta.path}/${encodeURIComponent(String(id))}`);
      }
      expectReadable(cls, obj, item);
      expect(unmatched).toEqual([]);
    });
  }

  if (loadCase.list !== false) {
    it(`the collection loads from ONE request${loadCase.filters ? ' with its required filters' : ''}, every item readable`, async () => {
      const scope = nock(API).get(`${BASE}/${meta.path}`).query(query(loadCase.filters)).once().reply(200, meta.flat ? loadCase.items[0] : { [meta.collection]: loadCase.items });
      const all = await cls.all({ ...(loadCase.filters ?? {}) });
      expect(scope.isDone()).toBe(true);
      expect(all).toHaveLength(loadCase.items.length);
      all.forEach((obj, i) => expectReadable(cls, obj, loadCase.items[i]));
      if (meta.idKey) {
        nock(API).get(`${BASE}/${meta.path}`).query(query(loadCase.filters)).once().reply(200, { [meta.collection]: loadCase.items });
        expect(await cls.all({ ...(loadCase.filters ?? {}), keysOnly: true })).toEqual(loadCase.items.map((item) => item[meta.idKey as string]));
      }
      expect(unmatched).toEqual([]);
    });
  }

  if (meta.requiredFilters.length) {
    it(`refuses a listing without ${meta.requiredFilters.join(', ')} before any request`, async () => {
      await expect(cls.all()).rejects.toMatchObject({ name: 'ValidationError' });
      expect(unmatched).toEqual([]);
    });
  }
});
