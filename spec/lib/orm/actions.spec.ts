/**
 * An action is declared once: `@action(method, operation, { envelope, sends, alsoSuccess })`
 * states the request, and the method only computes the values it passes to `this.act()`.
 * These specs use a class of their own, so each rule of the declaration is seen in isolation.
 */
import nock from 'nock';
import { action, attribute, resource, Resource, MetadataError, ValidationError, type ActionOptions, type Job } from '../../../lib/index.js';
import { collect } from '../../../lib/orm/actions.js';
import { API, BASE, unmatched, useNockApi } from '../../resources/support.js';

useNockApi();

@resource({ path: 'infrastructure/Kiln', collection: 'kilns', id: 'kilnId' })
class Kiln extends Resource {
  @attribute() kilnId!: number;
  @attribute({ settable: true }) name!: string;
  @attribute({ settable: true }) label!: string;

  @action('POST', 'addKiln', { sends: { required: ['name'], optional: ['label'] }, alsoSuccess: [418] })
  async create(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('create', { ...collect(this, 'create'), heat: 'low' }, options);
  }

  @action('PUT', 'fire', { options: ['degrees'], envelope: 'object' })
  async fire(options: ActionOptions & { degrees?: number } = {}): Promise<Job | undefined> {
    return this.act('fire', { degrees: options?.degrees }, options);
  }

  @action('DELETE', 'reason', { options: ['reason'] })
  async remove(options: ActionOptions & { reason?: string } = {}): Promise<Job | undefined> {
    return this.act('remove', { reason: options.reason ?? 'done', note: undefined }, options);
  }

  /** Calls act() with a name no @action declares. */
  async misnamed(): Promise<Job | undefined> {
    return this.act('fir', {});
  }
}

function capture(method: string, path: string, status: number, reply?: unknown): Array<{ query: Record<string, string>; body: unknown }> {
  const seen: Array<{ query: Record<string, string>; body: unknown }> = [];
  nock(API)
    .intercept(`${BASE}/${path}`, method)
    .query(true)
    .once()
    .reply((uri, body) => {
      seen.push({ query: Object.fromEntries(new URL(uri, API).searchParams), body: body === '' ? undefined : body });
      return reply === undefined ? [status] : [status, reply];
    });
  return seen;
}

describe('this.act()', () => {
  it('sends { operation: [values] } by default, leaving undefined values out, and settles what the create sends', async () => {
    const seen = capture('POST', 'infrastructure/Kiln', 201, { kilns: [{ kilnId: 7, name: 'k' }] });
    const kiln = new Kiln();
    kiln.name = 'k';
    await kiln.create();
    expect(seen).toEqual([{ query: {}, body: { addKiln: [{ name: 'k', heat: 'low' }] } }]);
    expect(kiln.id).toBe(7);
    expect(kiln.changes()).toEqual({});
  });

  it('sends { operation: values } for an object envelope', async () => {
    const seen = capture('PUT', 'infrastructure/Kiln/7', 204);
    await new Kiln(7).fire({ degrees: 900 });
    expect(seen).toEqual([{ query: {}, body: { fire: { degrees: 900 } } }]);
  });

  it('sends the values of a DELETE as query parameters and no body', async () => {
    const seen = capture('DELETE', 'infrastructure/Kiln/7', 204);
    await new Kiln(7).remove();
    expect(seen).toEqual([{ query: { reason: 'done' }, body: undefined }]);
  });

  it('takes a status the declaration names as success (418) and adopts the identifier it carries', async () => {
    capture('POST', 'infrastructure/Kiln', 418, { kilns: [{ kilnId: 8, name: 'k' }] });
    const kiln = new Kiln();
    kiln.name = 'k';
    await expect(kiln.create()).resolves.toBeUndefined();
    expect(kiln.id).toBe(8);
    expect(kiln.lastError).toBeNull();
  });

  it('refuses, before any request, a name no @action declares, an action on a new object that needs an existing one, and options that are no object', async () => {
    await expect(new Kiln(7).misnamed()).rejects.toThrow(MetadataError);
    await expect(new Kiln(7).misnamed()).rejects.toThrow('Kiln.fir: not declared with @action');
    await expect(new Kiln().fire()).rejects.toThrow('Kiln.fire() needs an existing Kiln (this one has no kilnId yet: save() it first)');
    await expect(new Kiln(7).fire(null as never)).rejects.toThrow(ValidationError);
    const existing = new Kiln(7);
    existing.name = 'k';
    await expect(existing.create()).rejects.toThrow('Kiln 7 already exists: create() creates a new Kiln');
    expect(unmatched).toEqual([]);
  });
});
