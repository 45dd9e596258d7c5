/**
 * List filters are declared on each class and checked before any request: a filter the API would
 * ignore must not silently return everything. Requests are counted with nock.
 */
import nock from 'nock';
import { allResources, configure, resetConfiguration, clearIdentityMaps, Server, Volume, Region, Role, Network, MachineImage, ServerAnalytics, RelationalDatabase, ValidationError } from '../../../lib/index.js';

const API = 'https://dcm.test';
const BASE = '/api/enstratus/2015-05-25';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  configure({ endpoint: `${API}${BASE}`, accessKey: 'ak', secretKey: 'sk', envFile: false, retry: { limit: 0 } });
  clearIdentityMaps();
});
afterEach(() => {
  nock.cleanAll();
  resetConfiguration();
});

/** Every request nock sees, whatever its path (none are expected). */
function recordAll(): string[] {
  const seen: string[] = [];
  nock(API)
    .persist()
    .get(/.*/)
    .reply(function reply(uri) {
      seen.push(uri);
      return [200, {}];
    });
  return seen;
}

async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('declared list filters', () => {
  it('an unknown filter is refused before any request, naming the valid ones and the nearest', async () => {
    const seen = recordAll();
    // @ts-expect-error a misspelt filter does not compile
    const error = await refusal(Server.all({ regionID: 19344 }));
    expect(error.message).toBe('Server.all() unknown filter "regionID" (did you mean regionId?); the valid filters are regionId');
    // The case of the issue: Volume has no serverId filter (find({ server }) does that).
    // @ts-expect-error serverId is not a Volume filter
    const volume = await refusal(Volume.all({ serverId: 331810 }));
    expect(volume.message).toMatch(/unknown filter "serverId".*the valid filters are dataCenterId, regionId, accountId/);
    expect(seen).toEqual([]);
  });

  it('checks value types and enumerations, and reports every problem at once', async () => {
    const seen = recordAll();
    const error = await refusal(Region.all({ accountId: 'abc' as unknown as number, scope: 'everything' as 'all', jurisdiction: 'US' }));
    expect(error.problems).toEqual(['filter accountId must be a whole number (an id), got "abc"', 'filter scope must be one of all, account, got "everything"']);
    await refusal(MachineImage.all({ active: 'yes' as unknown as boolean }));
    expect(seen).toEqual([]);
  });

  it('a required filter and a "one of" rule are asked for before any request', async () => {
    const seen = recordAll();
    // @ts-expect-error the required filter is part of the type
    expect((await refusal(ServerAnalytics.all())).message).toMatch(/requires the filter serverId/);
    expect((await refusal(Network.all())).message).toBe('Network.all() requires one of the filters regionId, dataCenterId, accountId');
    expect(seen).toEqual([]);
  });

  it('sends valid filters under the API\'s own names, with numeric and boolean text converted', async () => {
    const roles = nock(API).get(`${BASE}/admin/Role`).query({ account_id: '5', group_id: '7' }).reply(200, { roles: [] });
    expect(await Role.all({ accountId: 5, groupId: 7 })).toEqual([]);
    expect(roles.isDone()).toBe(true);
    const images = nock(API).get(`${BASE}/infrastructure/MachineImage`).query({ regionId: '19344', active: 'false' }).reply(200, { images: [] });
    // Command lines hand over text: a numeric or boolean string is accepted for its type.
    expect(await MachineImage.all({ regionId: '19344' as unknown as number, active: 'false' as unknown as boolean })).toEqual([]);
    expect(images.isDone()).toBe(true);
  });

  it('rawQuery sends an undeclared parameter deliberately (RelationalDatabase passes any parameter through)', async () => {
    const servers = nock(API).get(`${BASE}/infrastructure/Server`).query({ regionId: '1', experimental: 'on' }).reply(200, { servers: [] });
    await Server.all({ regionId: 1, rawQuery: { experimental: 'on' } });
    expect(servers.isDone()).toBe(true);
    const dbs = nock(API).get(`${BASE}/platform/RelationalDatabase`).query({ engine: 'MYSQL' }).reply(200, { relationalDatabases: [] });
    await RelationalDatabase.all({ rawQuery: { engine: 'MYSQL' } });
    expect(dbs.isDone()).toBe(true);
  });

  it('every class\'s declaration is well formed: known types, enumerations only on strings', () => {
    for (const meta of allResources()) {
      const decl = (meta.cls as unknown as { filters: Record<string, { type: string; values?: unknown[]; wire?: string }> }).filters;
      for (const [name, def] of Object.entries(decl)) {
        expect([meta.name, name, ['number', 'string', 'boolean'].includes(def.type)]).toEqual([meta.name, name, true]);
        if (def.values) expect(def.type).toBe('string');
        if (def.wire) expect(def.wire).toMatch(/^[a-z]+(_[a-z]+)+$/);
      }
      for (const required of meta.requiredFilters) expect(decl[required]).toBeDefined();
    }
  });
});
