/**
 * Every request accounted for, counted at the emulator: offline zones and budgets (sync lazy
 * reads, the async API, actions, raw requests; across await; nested), request events and N+1
 * events that name the calling code, never a secret.
 */
import { BudgetExceededError, clearIdentityMaps, configure, resetConfiguration, offline, withBudget, remainingBudget, on, request, Server, Region, type RequestEvent, type NPlusOneEvent } from '../../lib/index.js';
import { resetNPlusOne } from '../../lib/orm/n-plus-one.js';
import { startEmulatorInWorker, type EmulatorHandle } from '../../lib/emulator/index.js';

let emulator: EmulatorHandle;
const HERE = new URL(import.meta.url).pathname;

async function sent(): Promise<string[]> {
  return (await emulator.requestLog()).map((e) => `${e.method} ${e.resource}`);
}

beforeAll(async () => {
  emulator = await startEmulatorInWorker({ port: 0, jobDelayMs: 0 });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, retry: { limit: 0 } });
  clearIdentityMaps();
  resetNPlusOne();
  await emulator.reset();
});
afterEach(() => resetConfiguration());

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
      expect(JSON.stringify(e)).not.toContain(emulator.secretKey);
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
});
