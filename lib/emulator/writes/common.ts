/**
 * Building blocks of write handlers: reply shapes (201 envelope, 202 jobs, 204), job start,
 * generic create/delete effects run by the clock, busy checks (409), and the ERROR trigger.
 *
 * ERROR trigger (deterministic, documented in ../index.ts): an asynchronous action whose payload
 * item has a `name` starting with `fail-`, or a `description` or `reason` containing `[fail]`,
 * ends its job in ERROR with message `Simulated failure: …`; nothing is created or changed.
 */
import { ApiError } from '../api-error.js';
import type { ApiRequest, Reply, World } from '../context.js';
import { present } from '../detail.js';
import { createJob, finishJob, jobsBody } from '../jobs.js';
import { resourceDef } from '../resources.js';
import type { Id, Rec } from '../types.js';

/** A write request with its world and, for PUT/DELETE, the target object. */
export interface WriteCtx extends ApiRequest {
  world: World;
  id?: Id;
  item?: Rec;
}

export type Action = (ctx: WriteCtx, value: unknown, root: string) => Reply;

export interface WriteRoutes {
  /** POST on the collection, by root key. */
  post?: Record<string, Action>;
  /** PUT on an object, by root key. */
  put?: Record<string, Action>;
  /** DELETE of an object (options in the query). */
  del?: (ctx: WriteCtx) => Reply;
  /** Other members tolerated beside a root key. */
  companions?: Record<string, string[]>;
}

/** Applied by the clock when a scheduled event comes due; `at` is the event's due time. */
export type Effect = (world: World, data: Rec, at: number) => void;

export function created(ctx: WriteCtx, path: string, records: Rec[]): Reply {
  const def = resourceDef(path);
  return { status: 201, body: { [def?.collection ?? path]: records.map((r) => present(ctx.world.store, r, ctx.detail)) } };
}

export function accepted(jobs: Rec[]): Reply {
  return { status: 202, body: jobsBody(jobs) };
}

export const noContent = (): Reply => ({ status: 204 });

/** The simulated-failure message for a payload item, if it asks for one. */
export function failTrigger(spec: Rec | undefined): string | undefined {
  if (!spec) return undefined;
  if (typeof spec.name === 'string' && spec.name.startsWith('fail-')) return `Simulated failure: "${spec.name}" names start with fail-`;
  for (const key of ['description', 'reason']) {
    if (typeof spec[key] === 'string' && spec[key].includes('[fail]')) return `Simulated failure: ${key} contains [fail]`;
  }
  return undefined;
}

/** Create a RUNNING job and schedule the event that will finish it. */
export function startJob(ctx: WriteCtx, description: string, kind: string, data: Rec): Rec {
  const job = createJob(ctx.world.store, description, ctx.now);
  ctx.world.clock.schedule(kind, { ...data, jobId: job.jobId }, ctx.now);
  return job;
}

/** 409 when the object has a change in progress. */
export function assertNotBusy(ctx: WriteCtx, path: string, id: Id, type: string): void {
  const mark = ctx.world.store.busyMark(path, id);
  if (mark) throw ApiError.conflict(`${type} ${id} is busy: ${mark.op} in progress (job ${mark.jobId}); try again when it completes`);
}

/**
 * Generic asynchronous create: `{jobId, path, record, fail?}`. On success the record gets the next
 * id, becomes retrievable, and the job's message is that id.
 */
export const createEffect: Effect = (world, data, at) => {
  if (data.fail) return finishJob(world.store, data.jobId, { error: data.fail }, at);
  const def = resourceDef(data.path);
  if (!def) return finishJob(world.store, data.jobId, { error: `unknown resource ${data.path}` }, at);
  const id = world.store.allocateId(def.path);
  const record = sortedKeys({ ...data.record, [def.idKey]: id });
  world.store.put(def.path, record);
  finishJob(world.store, data.jobId, { message: String(id) }, at);
};

/** Members in alphabetical order, like the API's own payloads (and the seed fixtures). */
export function sortedKeys(rec: Rec): Rec {
  const out: Rec = {};
  for (const k of Object.keys(rec).sort()) out[k] = rec[k];
  return out;
}

/** Generic asynchronous delete: `{jobId, path, id, fail?}`. */
export const deleteEffect: Effect = (world, data, at) => {
  if (data.fail) {
    world.store.setBusy(data.path, data.id, undefined);
    return finishJob(world.store, data.jobId, { error: data.fail }, at);
  }
  world.store.remove(data.path, data.id);
  finishJob(world.store, data.jobId, { message: '' }, at);
};

/** Plain job completion (`provisionUser` and other actions with no visible state). */
export const completeEffect: Effect = (world, data, at) => {
  finishJob(world.store, data.jobId, data.fail ? { error: data.fail } : { message: '' }, at);
};

/** Start an asynchronous delete of `ctx.item`, marking it busy until the job ends. */
export function asyncDelete(ctx: WriteCtx, label: string): Reply {
  const def = ctx.def;
  const id = ctx.id as Id;
  assertNotBusy(ctx, def.path, id, def.type);
  const job = startJob(ctx, `Delete ${label} ${ctx.item?.name ?? id}`, 'delete', { path: def.path, id, fail: failTrigger({ reason: ctx.query.reason }) });
  ctx.world.store.setBusy(def.path, id, { jobId: job.jobId, op: 'delete' });
  return accepted([job]);
}

/** Who the caller is: taken from the caller's `admin/ApiKey` item (account-level keys act as user 54321). */
export function caller(ctx: WriteCtx): { accountId: number; userId: number; customerId: number } {
  const key = ctx.world.store.get('admin/ApiKey', ctx.accessKey);
  const userId = key?.user?.userId;
  return {
    accountId: key?.account?.accountId ?? 16000,
    userId: typeof userId === 'number' && userId > 0 ? userId : 54321,
    customerId: key?.customer?.customerId ?? 12345,
  };
}

/** Ownership members of an object the caller creates. */
export function ownership(ctx: WriteCtx, regionId: number, cloudId: number, budgetId: number, groups?: number[]): Rec {
  const who = caller(ctx);
  return {
    budget: budgetId,
    cloud: { cloudId },
    customer: { customerId: who.customerId },
    owningAccount: { accountId: who.accountId },
    owningGroups: (groups ?? [9465]).map((groupId) => ({ groupId })),
    owningUser: { userId: who.userId },
    region: { regionId },
  };
}
