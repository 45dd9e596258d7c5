/**
 * Action specs (unit level, nock): for every case of the shared table, the exact request — method,
 * path, query, JSON body — and what the answer becomes: a 202 a Job (the object's currentJob), a
 * 201 the adopted identifier, a 204 nothing. Creates refuse, before any request, with ONE
 * ValidationError naming every missing attribute.
 */
import nock from 'nock';
import { metaOf, Job, Resource, ValidationError } from '../../lib/index.js';
import { ACTIONS, type ActionCase } from './table.js';
import { API, BASE, unmatched, useNockApi } from './support.js';

useNockApi();

interface Captured {
  path: string;
  query: Record<string, string>;
  body: unknown;
  contentType: string | undefined;
}

function intercept(c: ActionCase): Captured[] {
  const seen: Captured[] = [];
  nock(API)
    .intercept(`${BASE}/${c.request.path}`, c.request.method)
    .query(true)
    .once()
    .reply(function (uri, body) {
      const url = new URL(uri, API);
      const header = this.req.headers['content-type'];
      seen.push({
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: typeof body === 'string' ? (body === '' ? undefined : (JSON.parse(body) as unknown)) : body,
        contentType: Array.isArray(header) ? header[0] : header,
      });
      return c.reply.body === undefined ? [c.reply.status] : [c.reply.status, c.reply.body];
    });
  return seen;
}

function jobIdOf(body: unknown): number | undefined {
  const jobs = (body as { jobs?: Array<{ jobId: number }> } | undefined)?.jobs;
  return jobs?.[0]?.jobId;
}

const CASES = ACTIONS.map((c) => [`${metaOf(c.cls).name}.${c.action}() ${c.title}`, c] as const);

describe.each(CASES)('%s', (_title, c) => {
  it(`sends ${c.request.method} ${c.request.path} with the expected query and body, and interprets the ${c.reply.status}`, async () => {
    const seen = intercept(c);
    const obj = c.make();
    const before = obj.id;
    const result = await c.call(obj as never);

    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request.path).toBe(`${BASE}/${c.request.path}`);
    expect(request.query).toEqual(c.request.query ?? {});
    expect(request.body).toEqual(c.request.body);
    if (c.request.body !== undefined) expect(request.contentType).toBe('application/json');
    expect(unmatched).toEqual([]);

    // An action may create another object (volume.snapshot() → a Snapshot), which then sent it.
    const sender = result instanceof Resource && !(result instanceof Job) ? result : obj;
    const jobId = jobIdOf(c.reply.body);
    if (jobId !== undefined) {
      // 202: a Job, remembered as the current job of the object that started it.
      const job = result instanceof Job ? result : sender.currentJob;
      expect(job).toBeInstanceOf(Job);
      expect(job?.id).toBe(jobId);
      expect(job?.status).toBe('RUNNING');
      expect(sender.currentJob).toBe(job);
      if (c.request.method === 'POST') expect(sender.id).toBeUndefined();
    } else if (c.reply.status === 204) {
      expect(result).toBeUndefined();
    }
    if (c.adopts !== undefined) {
      expect(before).toBeUndefined();
      expect(obj.id).toBe(c.adopts);
      expect(obj.get(metaOf(c.cls).idKey as string)).toBe(c.adopts);
    } else if (before !== undefined) {
      expect(obj.id).toBe(before);
    }
    expect(sender.lastError).toBeNull();
    expect(sender.lastRequest?.statusCode).toBe(c.reply.status);
  });

  if (c.required) {
    const required = c.required;
    it(`a new ${metaOf(c.cls).name} without attributes is refused before any request, naming all ${required.length} missing`, async () => {
      const obj = new (c.cls as unknown as new () => Resource)();
      const error = await c.call(obj as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      const problems = (error as ValidationError).problems;
      expect(problems).toHaveLength(required.length);
      for (const key of required) {
        expect(problems).toContain(`Required attribute "${key}" is missing`);
        expect((error as Error).message).toContain(key);
      }
      expect(unmatched).toEqual([]);
      expect(obj.lastRequest).toBeNull();
    });
  }
});

describe('failures', () => {
  it('an API refusal throws its typed error, keeps it on lastError, and the object keeps its pending changes', async () => {
    nock(API).post(`${BASE}/admin/Group`).once().reply(400, { error: { message: 'name already taken' } });
    const { Group, BadRequestError } = await import('../../lib/index.js');
    const group = Object.assign(new Group(), { name: 'ops', description: 'operators' });
    await expect(group.create()).rejects.toBeInstanceOf(BadRequestError);
    expect(group.lastError?.message).toContain('name already taken');
    expect(group.id).toBeUndefined();
    expect(group.changes()).toEqual({ name: 'ops', description: 'operators' });
  });

  it('a create refuses an object that already has an identifier, sending nothing', async () => {
    const { Server } = await import('../../lib/index.js');
    await expect(new Server(331810).launch()).rejects.toBeInstanceOf(ValidationError);
    expect(unmatched).toEqual([]);
  });

  it('an action on a new object (no identifier) is refused before any request', async () => {
    const { Volume } = await import('../../lib/index.js');
    await expect(new Volume().detach()).rejects.toBeInstanceOf(ValidationError);
    expect(unmatched).toEqual([]);
  });

  it('a partly filled create lists only what is still missing', async () => {
    const { Server } = await import('../../lib/index.js');
    const server = Object.assign(new Server(), { name: 'web-1', budget: 10287, machineImage: 284831 });
    const error = (await server.launch().catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.problems).toEqual(['Required attribute "providerProductId" is missing', 'Required attribute "description" is missing', 'Required attribute "dataCenter" is missing']);
    expect(unmatched).toEqual([]);
  });
});
