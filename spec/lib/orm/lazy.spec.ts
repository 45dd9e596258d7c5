/**
 * The lazy-loading contract (one spec per bullet of the core issue). Synchronous reads are
 * counted with an injected transport; asynchronous calls go through got and are counted by nock.
 */
import { jest } from '@jest/globals';
import nock from 'nock';
import { inspect } from 'node:util';
import { clearIdentityMaps, configure, resetConfiguration, Server, Region, NotFoundError, NotLoadedError, Job, ValidationError } from '../../../lib/index.js';
import { FakeTransport } from '../../support/fake-transport.js';
import { serverItems } from '../../support/fixtures.js';

const API = 'https://dcm.test';
const BASE = '/api/enstratus/2015-05-25';
const ITEMS = serverItems();
const FIRST = ITEMS[0];
const ID = FIRST.serverId as number;

function fake(): FakeTransport {
  const transport = new FakeTransport([
    { path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: serverItems() },
    { path: 'geography/Region', collection: 'regions', id: 'regionId', items: [{ regionId: 19556, name: 'Sydney (ap-southeast-2)', status: 'ACTIVE', jurisdiction: 'AU' }] },
  ]);
  configure({ transport });
  return transport;
}

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

describe('new X(id)', () => {
  it('performs no I/O, and the identifier and its id alias read without I/O', () => {
    const transport = fake();
    const server = new Server(ID);
    expect(server.serverId).toBe(ID);
    expect(server.id).toBe(ID);
    expect(server.isLoaded).toBe(false);
    expect(server.lastRequest).toBeNull();
    expect(transport.count).toBe(0);
  });

  it('accepts a numeric string id and refuses a non-numeric one', () => {
    expect(new Server('331810').id).toBe(331810);
    // @ts-expect-error a non-numeric id does not compile either
    expect(() => new Server('abc')).toThrow(ValidationError);
  });
});

describe('lazy attribute read', () => {
  it('performs exactly ONE GET <path>/<id> that fills every attribute; later reads perform none', () => {
    const transport = fake();
    const server = new Server(ID);
    expect(server.name).toBe(FIRST.name);
    expect(transport.count).toBe(1);
    expect(transport.requests[0].method).toBe('GET');
    expect(new URL(transport.requests[0].url).pathname).toBe(`${BASE}/infrastructure/Server/${ID}`);
    expect(server.status).toBe(FIRST.status);
    expect(server.providerProductId).toBe(FIRST.providerProductId);
    expect(server.get('description')).toBe(FIRST.description);
    expect(server.isLoaded).toBe(true);
    expect(transport.count).toBe(1);
  });

  it('reads undeclared keys through get(key), loading like a property read', () => {
    const transport = fake();
    const server = new Server(ID);
    expect(server.get('agentVersion')).toBe(FIRST.agentVersion);
    expect(server.get('noSuchKeyAnywhere')).toBeUndefined();
    expect(transport.count).toBe(1);
  });

  it('reads an absent key as undefined and keeps null as null', () => {
    const item = { ...FIRST, owningUser: undefined, pauseAfter: null };
    delete item.owningUser;
    const transport = new FakeTransport([{ path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: [item] }]);
    configure({ transport });
    const server = new Server(ID);
    expect(server.owningUser).toBeUndefined();
    expect(server.pauseAfter).toBeNull();
    expect(transport.count).toBe(1);
  });
});

describe('toJSON()', () => {
  it('returns the attributes exactly as received', async () => {
    fake();
    const server = await Server.get(ID);
    expect(server.toJSON()).toEqual(FIRST);
    expect(JSON.parse(JSON.stringify(server))).toEqual(FIRST);
  });

  it('returns the identifiers only on an unloaded object, with no I/O', () => {
    const transport = fake();
    expect(new Server(ID).toJSON()).toEqual({ serverId: ID });
    expect(transport.count).toBe(0);
  });
});

describe('load(), reload(), isLoaded', () => {
  it('load() requests once and not again when loaded; reload() always requests', async () => {
    const scope = nock(API).get(`${BASE}/infrastructure/Server/${ID}`).times(2).reply(200, { servers: [FIRST] });
    const server = new Server(ID);
    await server.load();
    expect(server.isLoaded).toBe(true);
    await server.load();
    expect(scope.pendingMocks()).toHaveLength(1);
    await server.reload();
    expect(scope.isDone()).toBe(true);
  });

  it('concurrent loads of one object share one request', async () => {
    const scope = nock(API).get(`${BASE}/infrastructure/Server/${ID}`).once().reply(200, { servers: [FIRST] });
    const server = new Server(ID);
    await Promise.all([server.load(), server.load(), server.load()]);
    expect(scope.isDone()).toBe(true);
    expect(server.name).toBe(FIRST.name);
  });
});

describe('lastRequest and lastError', () => {
  it('records method, URL, status and duration of the last request', async () => {
    nock(API).get(`${BASE}/infrastructure/Server/${ID}`).reply(200, { servers: [FIRST] });
    const server = await new Server(ID).load();
    expect(server.lastRequest).toEqual({ method: 'GET', url: `${API}${BASE}/infrastructure/Server/${ID}`, statusCode: 200, durationMs: expect.any(Number) });
    expect(Object.keys(server.lastRequest!).sort()).toEqual(['durationMs', 'method', 'statusCode', 'url']);
    expect(server.lastError).toBeNull();
  });

  it('throws a typed error on failure and also records it on lastError', async () => {
    nock(API).get(`${BASE}/infrastructure/Server/5`).reply(404, { error: { message: 'No such server: 5' } });
    const server = new Server(5);
    const error = await server.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toMatch(/^No such server: 5/);
    expect((error as NotFoundError).statusCode).toBe(404);
    expect(server.lastError).toBe(error);
    expect(server.lastRequest?.statusCode).toBe(404);
  });

  it('a failed synchronous read throws too (never returns the message as the value)', () => {
    fake();
    const server = new Server(424242);
    expect(() => server.name).toThrow(NotFoundError);
    expect(server.lastError).toBeInstanceOf(NotFoundError);
  });
});

describe('pprint() and util.inspect', () => {
  it('pprint() loads if needed, prints a multi-line view and returns the same text', () => {
    const transport = fake();
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const text = new Server(ID).pprint();
      expect(transport.count).toBe(1);
      expect(write).toHaveBeenCalledWith(text);
      expect(text.split('\n')[0]).toBe(`Server <${ID}>`);
      expect(text).toContain(`name`);
      expect(text).toContain(String(FIRST.name));
      expect(text.split('\n').length).toBeGreaterThan(10);
    } finally {
      write.mockRestore();
    }
  });

  it('util.inspect never fetches and shows an unloaded object as such', () => {
    const transport = fake();
    expect(inspect(new Server(331810))).toBe('Server <331810> (not loaded)');
    expect(inspect([new Server(1), new Job(2)])).toBe('[ Server <1> (not loaded), Job <2> (not loaded) ]');
    expect(transport.count).toBe(0);
  });

  it('util.inspect of a loaded object shows its attributes', async () => {
    fake();
    const server = await Server.get(ID);
    const text = inspect(server);
    expect(text.startsWith(`Server <${ID}> {`)).toBe(true);
    expect(text).toContain(String(FIRST.name));
  });
});

describe('X.all(options)', () => {
  it('builds loaded instances from ONE list response; reading every attribute makes no request', async () => {
    const scope = nock(API).get(`${BASE}/infrastructure/Server`).once().reply(200, { servers: ITEMS });
    const servers = await Server.all();
    expect(scope.isDone()).toBe(true);
    nock.cleanAll(); // any further request would now fail: reads must be answered locally
    expect(servers).toHaveLength(ITEMS.length);
    for (const [i, server] of servers.entries()) {
      expect(server).toBeInstanceOf(Server);
      expect(server.isLoaded).toBe(true);
      for (const key of Object.keys(ITEMS[i])) expect(JSON.parse(JSON.stringify(server.get(key)))).toEqual(ITEMS[i][key]);
      expect(server.name).toBe(ITEMS[i].name);
    }
  });

  it('sends filters as query parameters and the detail level as a header', async () => {
    const scope = nock(API, { reqheaders: { 'x-es-details': 'extended' } })
      .get(`${BASE}/infrastructure/Server`)
      .query({ regionId: '19344', echo: 'x' })
      .reply(200, { servers: [FIRST] });
    const servers = await Server.all({ regionId: 19344, rawQuery: { echo: 'x' }, details: 'extended' });
    expect(scope.isDone()).toBe(true);
    expect(servers.map((s) => s.id)).toEqual([ID]);
  });

  it('keysOnly returns the identifiers from the same single request', async () => {
    const scope = nock(API).get(`${BASE}/infrastructure/Server`).once().reply(200, { servers: ITEMS });
    expect(await Server.all({ keysOnly: true })).toEqual(ITEMS.map((i) => i.serverId));
    expect(scope.isDone()).toBe(true);
  });

  it('checks filters the API requires before any request', async () => {
    const { DataCenter } = await import('../../../lib/index.js');
    // @ts-expect-error the required filter is part of the type too
    await expect(DataCenter.all()).rejects.toThrow(/requires the filter regionId/);
  });
});

describe('X.get(id)', () => {
  it('resolves with a loaded instance', async () => {
    const scope = nock(API).get(`${BASE}/infrastructure/Server/${ID}`).reply(200, { servers: [FIRST] });
    const server = await Server.get(ID);
    expect(scope.isDone()).toBe(true);
    expect(server.isLoaded).toBe(true);
    expect(server.name).toBe(FIRST.name);
  });

  it('rejects with NotFoundError', async () => {
    nock(API).get(`${BASE}/infrastructure/Server/9`).reply(404, { error: { message: 'nope' } });
    await expect(Server.get(9)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('strict mode', () => {
  it("configure({ lazy: 'async' }) makes an unloaded read throw NotLoadedError with no request", async () => {
    const transport = fake();
    configure({ lazy: 'async' });
    const server = new Server(ID);
    expect(() => server.name).toThrow(NotLoadedError);
    expect(() => server.name).toThrow(/await server.load\(\)/);
    expect(transport.count).toBe(0);
    await server.load();
    expect(server.name).toBe(FIRST.name);
    expect(transport.count).toBe(1);
  });

  it('DCM_LAZY=async does the same', () => {
    const transport = fake();
    process.env.DCM_LAZY = 'async';
    try {
      expect(() => new Server(ID).status).toThrow(NotLoadedError);
    } finally {
      delete process.env.DCM_LAZY;
    }
    expect(transport.count).toBe(0);
  });
});

describe('references and hydration', () => {
  it('turns { regionId } into a lazy Region, pre-filled by the extra members, without loading during hydration', () => {
    const transport = fake();
    const server = new Server(ID);
    const region = server.region;
    expect(transport.count).toBe(1);
    expect(region).toBeInstanceOf(Region);
    expect(region.regionId).toBe((FIRST.region as { regionId: number }).regionId);
    expect(region.name).toBe((FIRST.region as { name: string }).name);
    expect(region.isLoaded).toBe(false);
    expect(transport.count).toBe(1);
    expect(server.firewalls.every((f) => f.constructor.name === 'Firewall')).toBe(true);
    expect(transport.count).toBe(1);
  });

  it('loads a reference that carries only its identifier on first read of another attribute', () => {
    const item = { ...FIRST, region: { regionId: 19556 } };
    const transport = new FakeTransport([
      { path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: [item] },
      { path: 'geography/Region', collection: 'regions', id: 'regionId', items: [{ regionId: 19556, name: 'Sydney', status: 'ACTIVE' }] },
    ]);
    configure({ transport });
    const region = new Server(ID).region;
    expect(transport.count).toBe(1);
    expect(region.name).toBe('Sydney');
    expect(transport.count).toBe(2);
    expect(new URL(transport.requests[1].url).pathname).toBe(`${BASE}/geography/Region/19556`);
  });

  it('the same id in one endpoint is the same object (identity map)', async () => {
    fake();
    const servers = await Server.all();
    const regions = new Set(servers.map((s) => s.region));
    expect(regions.size).toBe(new Set(ITEMS.map((i) => (i.region as { regionId: number }).regionId)).size);
  });
});
