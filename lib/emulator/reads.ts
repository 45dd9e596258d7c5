/**
 * GET and HEAD of every resource: collections with filters, objects by id
 * in a one-element envelope, 404 naming type and id, the flat License, computed analytics.
 * HEAD answers 200 with `x-es-count` and no body; filters (and required filters) apply.
 */
import { serverAnalytics, tierAnalytics } from './analytics.js';
import { ApiError } from './api-error.js';
import type { ApiRequest, Reply, World } from './context.js';
import { present } from './detail.js';
import { applyFilters, checkRequired } from './filters.js';
import { parsePathId } from './ids.js';
import type { ResourceDef } from './resources.js';
import type { Rec } from './types.js';

function envelope(req: ApiRequest, world: World, items: Rec[]): Reply {
  if (req.method === 'HEAD') return { status: 200, headers: { 'x-es-count': String(items.length) } };
  const out = req.detail === 'extended' ? items.map((i) => present(world.store, i, 'extended')) : items;
  return { status: 200, body: { [req.def.collection]: out } };
}

function license(req: ApiRequest, world: World): Reply {
  if (req.rawId !== undefined) throw ApiError.notFound('License', req.rawId);
  if (req.method === 'HEAD') return { status: 200, headers: { 'x-es-count': '1' } };
  const lic = world.store.license;
  const days = Math.max(0, Math.floor((Date.parse(lic.expirationDateTime.replace('+0000', 'Z')) - req.now) / 86_400_000));
  return { status: 200, body: { ...lic, daysUntilExpiration: days } };
}

function analytics(req: ApiRequest, world: World): Reply {
  const def = req.def;
  const subjectPath = def.subjectPath as string;
  const raw = req.rawId ?? checkRequired(def.path, req.query)[def.idKey];
  const id = parsePathId(def, raw) as number;
  const subjectType = subjectPath.split('/')[1];
  if (!world.store.has(subjectPath, id)) throw ApiError.notFound(subjectType, id);
  const item = subjectType === 'Server' ? serverAnalytics(world.seed, id, req.query, req.now) : tierAnalytics(world.seed, id, req.query, req.now);
  return envelope(req, world, [item]);
}

export function handleRead(req: ApiRequest, world: World): Reply {
  const def: ResourceDef = req.def;
  if (def.shape === 'flat') return license(req, world);
  if (def.shape === 'analytics') return analytics(req, world);
  if (req.rawId !== undefined) {
    const id = parsePathId(def, req.rawId);
    const item = world.store.get(def.path, id);
    if (!item) throw ApiError.notFound(def.type, id);
    return envelope(req, world, [item]);
  }
  const query = checkRequired(def.path, req.query);
  return envelope(req, world, applyFilters(def.path, world.store.table(def.path).values(), query, world.store));
}
