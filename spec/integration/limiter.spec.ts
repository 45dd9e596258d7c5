/**
 * The process-wide limiter against the emulator's rate limit (20 requests per second per access
 * key): 300 concurrent `Server.get()` all succeed; the API's 429s lower the rate for the whole
 * process (a few waves of refusals, not one per request), and the request events show the time
 * each request waited in the queue.
 */
import { clearIdentityMaps, configure, on, resetConfiguration, Server, type RequestEvent } from '../../lib/index.js';
import { startEmulatorInWorker, type EmulatorHandle } from '../../lib/emulator/index.js';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulatorInWorker({ port: 0, jobDelayMs: 0, rateLimit: 20, servers: 300 });
});
afterAll(() => emu.close());
afterEach(() => resetConfiguration());

describe('the limiter under the API\'s rate limit', () => {
  it('300 concurrent Server.get() finish with 0 errors; 429s lower the rate process-wide', async () => {
    configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false });
    clearIdentityMaps();
    const ids = (await emu.items('infrastructure/Server')).map((s) => s.serverId as number).slice(0, 300);
    expect(ids).toHaveLength(300);
    await emu.clearLog();
    const events: RequestEvent[] = [];
    const stop = on('request', (event) => events.push(event));
    let results: PromiseSettledResult<Server>[];
    try {
      results = await Promise.allSettled(ids.map((id) => Server.get(id)));
    } finally {
      stop();
    }
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toEqual([]);
    const log = await emu.requestLog();
    const refused = log.filter((e) => e.status === 429).length;
    expect(log.filter((e) => e.status === 200)).toHaveLength(300);
    // The limiter was met (the first burst beyond 20 was refused) and backed off for everyone:
    // far fewer refusals than requests.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(60);
    expect(events).toHaveLength(300);
    expect(events.every((e) => typeof e.queuedMs === 'number' && e.queuedMs >= 0)).toBe(true);
    expect(events.filter((e) => e.queuedMs > 0).length).toBeGreaterThan(200);
  });

  it('a configured rate paces requests before the API refuses any', async () => {
    configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, limiter: { rate: 15 } });
    clearIdentityMaps();
    const ids = (await emu.items('infrastructure/Server')).map((s) => s.serverId as number).slice(0, 40);
    await emu.reset();
    await Promise.all(ids.map((id) => Server.get(id)));
    const log = await emu.requestLog();
    expect(log.filter((e) => e.status === 429)).toEqual([]);
    expect(log.filter((e) => e.status === 200)).toHaveLength(40);
  });

  it('refuses bad limiter settings, naming them', () => {
    expect(() => configure({ limiter: { concurrency: 0 } })).toThrow('limiter.concurrency must be a whole number ≥ 1 (or Infinity), got 0');
    expect(() => configure({ limiter: { rate: -1 } })).toThrow('limiter.rate must be a positive number of requests per second, got -1');
    expect(() => configure({ limiter: { burst: 3 } as never })).toThrow('unknown limiter option burst; known: concurrency, rate');
  });
});
