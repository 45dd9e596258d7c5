/**
 * Dispatch of POST/PUT/DELETE: the route table of every resource that accepts
 * writes, root-key selection, and the registry of clock effects.
 *
 * POST goes to the collection path, PUT/DELETE to an object path (404 when the object is absent).
 * Any other combination answers 405 with the allowed methods. Bodies must carry exactly one known
 * root key (400 naming the unknown key otherwise).
 */
import { ApiError } from '../api-error.js';
import type { ApiRequest, Reply, World } from '../context.js';
import { parsePathId } from '../ids.js';
import { rootMember } from '../payload.js';
import { ADMIN_WRITES } from './admin.js';
import { AUTOMATION_WRITES } from './automation.js';
import { completeEffect, createEffect, deleteEffect, type Effect, type WriteCtx, type WriteRoutes } from './common.js';
import { NETWORK_WRITES } from './network.js';
import { SERVER_EFFECTS, SERVER_WRITES } from './server.js';
import { STORAGE_EFFECTS, STORAGE_WRITES } from './storage.js';

const WRITES: Record<string, WriteRoutes> = {
  ...ADMIN_WRITES,
  ...AUTOMATION_WRITES,
  ...SERVER_WRITES,
  ...STORAGE_WRITES,
  ...NETWORK_WRITES,
};

/** Clock event kind → effect. */
export const EFFECTS: Record<string, Effect> = {
  create: createEffect,
  delete: deleteEffect,
  'job.complete': completeEffect,
  ...SERVER_EFFECTS,
  ...STORAGE_EFFECTS,
};

function allowed(routes: WriteRoutes | undefined, onObject: boolean): string[] {
  const methods = ['GET', 'HEAD'];
  if (!onObject && routes?.post) methods.push('POST');
  if (onObject && routes?.put) methods.push('PUT');
  if (onObject && routes?.del) methods.push('DELETE');
  return methods;
}

export function handleWrite(req: ApiRequest, world: World): Reply {
  const def = req.def;
  const routes = WRITES[def.path];
  const onObject = req.rawId !== undefined;
  const label = `${req.method} ${def.path}${onObject ? '/{id}' : ''}`;
  const table = req.method === 'POST' && !onObject ? routes?.post : req.method === 'PUT' && onObject ? routes?.put : undefined;
  const del = req.method === 'DELETE' && onObject ? routes?.del : undefined;
  if (!table && !del) {
    if ((req.method === 'PUT' || req.method === 'DELETE') && !onObject && (routes?.put || routes?.del)) {
      throw ApiError.badRequest(`${req.method} ${def.path} needs an id: ${def.path}/<${def.idKey}>`);
    }
    throw ApiError.methodNotAllowed(req.method, `${def.path}${onObject ? `/${req.rawId}` : ''}`, allowed(routes, onObject));
  }

  const ctx: WriteCtx = { ...req, world };
  if (onObject) {
    ctx.id = parsePathId(def, req.rawId as string);
    ctx.item = world.store.get(def.path, ctx.id);
    if (!ctx.item) throw ApiError.notFound(def.type, ctx.id);
  }
  if (del) return del(ctx);
  const actions = table as Record<string, (c: WriteCtx, v: unknown, k: string) => Reply>;
  const [key, value] = rootMember(req.body, Object.keys(actions), label, routes?.companions);
  return actions[key](ctx, value, key);
}
