/**
 * Every request accounted for, counted at the emulator: offline zones and budgets (sync lazy
 * reads, the async API, actions, raw requests; across await; nested), request events and N+1
 * events that name the calling code, never a secret.
 */
import { BudgetExceededError, clearIdentityMaps, configure, offline, withBudget, remainingBudget, on, request, provenanceOf, Server, Region, ValidationError, type RequestEvent, type NPlusOneEvent } from '../../lib/index.js';
import { resetNPlusOne } from '../../lib/orm/n-plus-one.js';
import { useClientEmulator } from '../support/client-emulator.js';

const HERE = new URL(import.meta.url).pathname;

async function sent(): Promise<string[]> {
  return (await emu().requestLog()).map((e) => `${e.method} ${e.resource}`);
}

const emu = useClientEmulator({ beforeEach: () => resetNPlusOne() });

describe('offline(fn)', () => {
  it('a lazy read inside it sends nothing and throws, naming the attribute and this file', async () => {
    const server = new Server(331810);
    let error: unknown;
    offline(() => {
      try {
        void server.name;
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(BudgetExceededError);
    const refused = error as BudgetExceededError;
    expect(refused.trigger).toBe('lazy read of Server.name');
    expect(refused.callSite).toContain(HERE);
    expect(refused.message).toMatch(/^GET infrastructure\/Server\/331810 refused inside offline\(\): lazy read of Server\.name at .*requests\.spec\.ts:\d+:\d+$/);
    expect(refused.limit).toBe(0);
    expect(await sent()).toEqual([]);
  });

  it('covers the async API, actions and raw requests, across await', async () => {
    await offline(async () => {
      await Promise.resolve();
      await expect(Server.get(331810)).rejects.toBeInstanceOf(BudgetExceededError);
      await expect(Server.all()).rejects.toBeInstanceOf(BudgetExceededError);
      await expect(new Server(331810).stop()).rejects.toBeInstanceOf(BudgetExceededError);
      await expect(request('GET', 'geography/Region')).rejects.toBeInstanceOf(BudgetExceededError);
    });
    expect(await sent()).toEqual([]);
  });

  it('what was loaded before stays readable inside it', async () => {
    const server = await Server.get(331810);
    expect(offline(() => server.name)).toBe(server.name);
    expect(await sent()).toEqual(['GET infrastructure/Server/331810']);
  });
});

describe('withBudget(n, fn)', () => {
  it('withBudget(1) around two loads sends exactly one; the second throws', async () => {
    await withBudget(1, async () => {
      await Server.get(331810);
      await expect(Region.get(19344)).rejects.toThrow(/over the budget of 1 request \(withBudget\): Region\.get\(\)/);
    });
    expect(await sent()).toEqual(['GET infrastructure/Server/331810']);
  });

  it('nests: a request counts against every enclosing budget, so an inner one cannot exceed the outer', async () => {
    await withBudget(2, async () => {
      expect(remainingBudget()).toBe(2);
      await Server.get(331810);
      await withBudget(5, async () => {
        expect(remainingBudget()).toBe(1);
        await Region.get(19344);
        await expect(Region.get(19343)).rejects.toBeInstanceOf(BudgetExceededError);
      });
      expect(remainingBudget()).toBe(0);
    });
    expect(remainingBudget()).toBe(Infinity);
    expect(await sent()).toEqual(['GET infrastructure/Server/331810', 'GET geography/Region/19344']);
  });

  it('concurrent scopes do not share a budget (one per request in a service)', async () => {
    const handle = (id: number) => withBudget(1, async () => (await Server.get(id)).name);
    const names = await Promise.all([handle(331810), handle(329613)]);
    expect(names).toEqual(['Sample-Tier-independent-node-0', 'jdsAD2']);
  });

  it('refuses a limit that is not a whole number ≥ 0', () => {
    expect(() => withBudget(-1, () => 0)).toThrow(/limit must be a whole number/);
  });
});

describe("on('request')", () => {
  it('reports method, path, status, duration, attempts, trigger and call site, never a secret', async () => {
    const events: RequestEvent[] = [];
    const stop = on('request', (e) => events.push(e));
    try {
      void new Server(331810).name;
      await Server.all({ regionId: 19344 });
      await new Server(999999).load().catch(() => undefined);
    } finally {
      stop();
    }
    expect(events.map((e) => [e.method, e.path, e.status, e.trigger, e.sync, e.attempts])).toEqual([
      ['GET', 'infrastructure/Server/331810', 200, 'lazy read of Server.name', true, 1],
      ['GET', 'infrastructure/Server', 200, 'Server.all()', false, 1],
      ['GET', 'infrastructure/Server/999999', 404, 'Server.load()', false, 1],
    ]);
    expect(events[2].errorCode).toBe('ENOTFOUND');
    for (const e of events) {
      expect(e.callSite).toContain(HERE);
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
      expect(JSON.stringify(e)).not.toContain(emu().secretKey);
      expect(JSON.stringify(e)).not.toMatch(/signature/i);
    }
    void new Server(329613).name;
    expect(events).toHaveLength(3);
  });
});

describe("on('nPlusOne')", () => {
  it('names the type, the count, the window and the loop in this file; a new call site warns again', async () => {
    configure({ nPlusOne: { threshold: 3, windowMs: 60_000 } });
    const events: NPlusOneEvent[] = [];
    const stop = on('nPlusOne', (e) => events.push(e));
    try {
      for (const id of [19340, 19341, 19342, 19343, 19344]) await new Region(id).load();
      for (const id of [19345, 19346]) await new Region(id).load();
    } finally {
      stop();
    }
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'Region', count: 4, windowMs: 60_000 });
    expect(events[0].callSite).toContain(HERE);
    expect(events[1].callSite).toContain(HERE);
    expect(events[1].callSite).not.toBe(events[0].callSite);
    expect(events[0].suggestion).toMatch(/Region\.all|loadMany/);
  });

  it('a debug logger alone receives the warning, naming the loop in this file', async () => {
    const lines: string[] = [];
    configure({ nPlusOne: { threshold: 2, windowMs: 60_000 }, debug: (line) => lines.push(line) });
    for (const id of [19340, 19341, 19342]) await new Region(id).load();
    const warnings = lines.filter((line) => line.includes('N+1 pattern'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('3 single Region loads within 60000 ms');
    expect(warnings[0]).toContain(HERE);
  });

  it('loads nobody observes warn nobody, and a listener added later hears of the same loop', async () => {
    configure({ nPlusOne: { threshold: 2, windowMs: 60_000 } });
    const events: NPlusOneEvent[] = [];
    const load = async (id: number): Promise<void> => {
      await new Region(id).load();
    };
    for (const id of [19340, 19341, 19342]) await load(id);
    const stop = on('nPlusOne', (e) => events.push(e));
    try {
      await load(19343);
      await load(19344);
    } finally {
      stop();
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'Region', count: 4 });
    expect(events[0].callSite).toContain(HERE);
  });
});

describe('include', () => {
  it("all({ include: ['region'] }) and every server's region name: one request in all", async () => {
    const servers = await Server.all({ include: ['region', 'dataCenter'] });
    const names = offline(() => servers.map((s) => `${s.region.name}/${s.dataCenter.name}`));
    expect(names).toHaveLength(13);
    expect(names).toContain('Oregon (us-west-2)/us-west-2a');
    expect(await sent()).toEqual(['GET infrastructure/Server']);
    expect((await emu().requestLog())[0].query).toEqual({});
  });

  it('without include the same reads cost one request per distinct region', async () => {
    const servers = await Server.all();
    for (const s of servers) void s.region.name;
    const regions = new Set(servers.map((s) => s.region.regionId));
    expect(await sent()).toHaveLength(1 + regions.size);
  });

  it('get(id, { include }) fills the references from the same answer', async () => {
    const server = await Server.get(331810, { include: ['machineImage', 'owningGroups'] });
    expect(offline(() => [server.machineImage.name, server.owningGroups?.map((g) => g.name)])).toEqual(['WordpressDemoImage', ['Admin']]);
    expect(await sent()).toEqual(['GET infrastructure/Server/331810']);
  });

  it('an include the API cannot embed is refused before any request', async () => {
    // @ts-expect-error name is not a reference
    await expect(Server.all({ include: ['name'] })).rejects.toThrow(/name is not a reference of Server, so the API has nothing to embed/);
    // @ts-expect-error a misspelt reference does not compile
    await expect(Server.all({ include: ['regoin'] })).rejects.toThrow(new ValidationError({ message: 'Server.all(): Server has no reference "regoin" (did you mean region?); the references Server can include are cloud, cmAccount, customer, dataCenter, environment, firewalls, machineImage, network, owningGroups, owningUser, personalities, product, region, scripts' }));
    await expect(Server.all({ include: ['region'], details: 'basic' })).rejects.toThrow(/include needs the extended detail level/);
    expect(await sent()).toEqual([]);
  });

  it('the N+1 warning names the include that would have avoided it', async () => {
    configure({ nPlusOne: { threshold: 2, windowMs: 60_000 } });
    const events: NPlusOneEvent[] = [];
    const stop = on('nPlusOne', (e) => events.push(e));
    try {
      for (const s of await Server.all()) await s.region.load();
    } finally {
      stop();
    }
    expect(events[0].suggestion).toBe("Server.all({ include: ['region'] }) (or Server.get(id, { include: ['region'] }))");
  });
});

describe('provenanceOf(obj, attribute)', () => {
  it('never loads, and tells not loaded, absent, null, a value, and set locally apart', async () => {
    const server = new Server(331810);
    expect(provenanceOf(server, 'name')).toEqual({ attribute: 'name', state: 'not loaded', how: undefined, request: undefined, at: undefined, details: undefined });
    expect(provenanceOf(server, 'serverId').state).toBe('identifier');
    expect(await sent()).toEqual([]);
    await server.load();
    const name = provenanceOf(server, 'name');
    expect(name).toMatchObject({ state: 'value', how: 'single load', request: { method: 'GET', url: `${emu().url}/infrastructure/Server/331810` }, details: 'basic' });
    expect(name.at).toBeInstanceOf(Date);
    expect(provenanceOf(server, 'noSuchKey').state).toBe('absent');
    server.name = 'renamed';
    expect(provenanceOf(server, 'name').state).toBe('set locally');
  });

  it('from a listing, embedded in another answer, or pre-filled from a reference', async () => {
    const [server] = await Server.all({ include: ['region'] });
    expect(provenanceOf(server, 'status')).toMatchObject({ state: 'value', how: 'list', request: { method: 'GET', url: `${emu().url}/infrastructure/Server` }, details: 'extended' });
    expect(provenanceOf(server.region, 'name')).toMatchObject({ state: 'value', how: 'embedded', details: 'extended' });
    clearIdentityMaps();
    const [plain] = await Server.all();
    expect(provenanceOf(plain.dataCenter, 'dataCenterId').state).toBe('identifier');
    expect(provenanceOf(plain.dataCenter, 'name').state).toBe('not loaded');
  });

  it('holds no secret and no signature', async () => {
    const server = await Server.get(331810);
    const text = JSON.stringify(['name', 'serverId', 'status'].map((key) => provenanceOf(server, key)));
    expect(text).not.toContain(emu().secretKey);
    expect(text).not.toMatch(/signature/i);
  });
});
