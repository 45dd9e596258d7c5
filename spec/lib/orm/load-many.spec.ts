import nock from 'nock';
import { clearIdentityMaps, configure, Endpoint, resetConfiguration, Resource, Server, Region, NotFoundError } from '../../../lib/index.js';
import { resetNPlusOne } from '../../../lib/orm/n-plus-one.js';
import { FakeTransport } from '../../support/fake-transport.js';
import { serverItems } from '../../support/fixtures.js';

const API = 'https://dcm.test';
const BASE = '/api/enstratus/2015-05-25';
const ITEMS = serverItems();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  configure({ endpoint: `${API}${BASE}`, accessKey: 'ak', secretKey: 'sk', envFile: false, retry: { limit: 0 } });
  clearIdentityMaps();
  resetNPlusOne();
});
afterEach(() => {
  nock.cleanAll();
  resetConfiguration();
});

describe('Resource.loadMany', () => {
  it('loads each distinct unloaded object once, skipping loaded ones', async () => {
    const transport = new FakeTransport([{ path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: ITEMS }]);
    configure({ transport });
    const loaded = await Server.get(ITEMS[0].serverId as number);
    const a = new Server(ITEMS[1].serverId as number);
    const b = new Server(ITEMS[2].serverId as number);
    const before = transport.count;
    const result = await Resource.loadMany([loaded, a, b, a], { concurrency: 2 });
    expect(result).toEqual([loaded, a, b, a]);
    expect(transport.count - before).toBe(2);
    expect(a.isLoaded && b.isLoaded).toBe(true);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const transport = new FakeTransport([{ path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: ITEMS }]);
    configure({
      transport: {
        async send(request) {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setImmediate(resolve));
          inFlight -= 1;
          return transport.answer(request);
        },
      },
    });
    await Resource.loadMany(ITEMS.map((i) => new Server(i.serverId as number)), { concurrency: 3 });
    expect(peak).toBe(3);
    expect(transport.count).toBe(ITEMS.length);
  });

  it('rejects with the first error after all loads settled, and refuses a bad concurrency', async () => {
    const transport = new FakeTransport([{ path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: ITEMS }]);
    configure({ transport });
    const good = new Server(ITEMS[0].serverId as number);
    const bad = new Server(1);
    await expect(Resource.loadMany([bad, good])).rejects.toBeInstanceOf(NotFoundError);
    expect(good.isLoaded).toBe(true);
    expect(bad.lastError).toBeInstanceOf(NotFoundError);
    await expect(Resource.loadMany([good], { concurrency: 0 })).rejects.toThrow(/concurrency/);
  });
});

describe('identity map', () => {
  it('1,000 servers sharing 5 regions cause 5 region loads, not 1,000', async () => {
    const regions = [1, 2, 3, 4, 5].map((regionId) => ({ regionId, name: `r${regionId}`, status: 'ACTIVE' }));
    const servers = Array.from({ length: 1000 }, (_, i) => ({ serverId: i + 1, name: `s${i}`, region: { regionId: (i % 5) + 1 } }));
    const transport = new FakeTransport([
      { path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: servers },
      { path: 'geography/Region', collection: 'regions', id: 'regionId', items: regions },
    ]);
    configure({ transport });
    const all = await Server.all();
    expect(transport.count).toBe(1);
    const names = all.map((s) => s.region.name);
    expect(new Set(names).size).toBe(5);
    expect(transport.count).toBe(1 + 5);
    expect(all[0].region).toBe(all[5].region);
    expect(all[0].region).toBeInstanceOf(Region);
  });

  it('can be turned off: then each reference is its own object', async () => {
    const servers = Array.from({ length: 10 }, (_, i) => ({ serverId: i + 1, region: { regionId: 1 } }));
    const transport = new FakeTransport([{ path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: servers }]);
    configure({ transport, identityMap: false });
    const all = await Server.all();
    expect(all[0].region).not.toBe(all[1].region);
    expect(all[0].region.regionId).toBe(all[1].region.regionId);
  });

  it('Server.get and all() return the same object for the same id', async () => {
    const transport = new FakeTransport([{ path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: ITEMS }]);
    configure({ transport });
    const one = await Server.get(ITEMS[0].serverId as number);
    const all = await Server.all();
    expect(all[0]).toBe(one);
  });
});

describe('in-flight sharing between objects', () => {
  const ID = ITEMS[0].serverId as number;
  const path = `${BASE}/infrastructure/Server/${ID}`;

  it('two objects for the same id loading at once make one request and both fill', async () => {
    const scope = nock(API).get(path).once().reply(200, { servers: [ITEMS[0]] });
    const a = new Server(ID);
    const b = new Server(ID);
    expect(a).not.toBe(b);
    await Promise.all([a.load(), b.load()]);
    expect(scope.isDone()).toBe(true);
    expect([a.name, b.name]).toEqual([ITEMS[0].name, ITEMS[0].name]);
  });

  it('is off with the identity map: each object makes its own request', async () => {
    configure({ identityMap: false });
    const scope = nock(API).get(path).twice().reply(200, { servers: [ITEMS[0]] });
    await Promise.all([new Server(ID).load(), new Server(ID).load()]);
    expect(scope.isDone()).toBe(true);
  });

  it('never shares a load between an endpoint that verifies TLS and one that does not', async () => {
    const lax = new Endpoint({ url: `${API}${BASE}`, accessKey: 'ak', secretKey: 'sk', sslVerify: false });
    const scope = nock(API).get(path).twice().reply(200, { servers: [ITEMS[0]] });
    const verified = new Server(ID);
    const unverified = new Server(ID, { endpoint: lax });
    await Promise.all([verified.load(), unverified.load()]);
    expect(scope.isDone()).toBe(true);
    expect([verified.name, unverified.name]).toEqual([ITEMS[0].name, ITEMS[0].name]);
  });
});

describe('N+1 warning', () => {
  it('warns once, through the debug logger, naming the type and suggesting all() or loadMany', async () => {
    const lines: string[] = [];
    const servers = Array.from({ length: 40 }, (_, i) => ({ serverId: i + 1, name: `s${i}` }));
    const transport = new FakeTransport([{ path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: servers }]);
    configure({ transport, debug: (line) => lines.push(line), nPlusOne: { threshold: 20, windowMs: 60_000 } });
    for (let i = 1; i <= 40; i++) void new Server(i).name;
    const warnings = lines.filter((l) => l.includes('N+1'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/21 single Server loads/);
    expect(warnings[0]).toMatch(/Server\.all\(\{\.\.\.\}\) or Resource\.loadMany/);
    expect(transport.count).toBe(40);
  });

  it('stays silent below the threshold', async () => {
    const lines: string[] = [];
    const transport = new FakeTransport([{ path: 'infrastructure/Server', collection: 'servers', id: 'serverId', items: ITEMS }]);
    configure({ transport, debug: (line) => lines.push(line), nPlusOne: { threshold: 20, windowMs: 60_000 } });
    for (const item of ITEMS) void new Server(item.serverId as number).name;
    expect(lines.filter((l) => l.includes('N+1'))).toHaveLength(0);
    expect(lines.length).toBe(ITEMS.length);
  });
});
