/**
 * P10 (docs/PERFORMANCE.md): listing 1,000 servers and reading each one's name and its region's
 * name costs one request for the list plus one per distinct region, counted at the emulator; with
 * `include: ['region']` it costs one request in all. Synchronous lazy reads and the async API both.
 */
import { clearIdentityMaps, configure, offline, resetConfiguration, Server } from '../../lib/index.js';
import { resetNPlusOne } from '../../lib/orm/n-plus-one.js';
import { startEmulatorInWorker, type EmulatorHandle } from '../../lib/emulator/index.js';

/** The emulator's seed data holds 13 servers; this many more make 1,000. */
const EXTRA_SERVERS = 987;
let emulator: EmulatorHandle;

async function sent(): Promise<string[]> {
  return (await emulator.requestLog()).map((e) => `${e.method} ${e.resource}`);
}

beforeAll(async () => {
  emulator = await startEmulatorInWorker({ port: 0, jobDelayMs: 0, servers: EXTRA_SERVERS, seed: 1 });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, retry: { limit: 0 }, nPlusOne: { threshold: 1_000_000 } });
  clearIdentityMaps();
  resetNPlusOne();
  await emulator.clearLog();
});
afterEach(() => resetConfiguration());

describe('P10: 1,000 servers, each one name and region name', () => {
  it('synchronous lazy reads: 1 request for the list + 1 per distinct region', async () => {
    const servers = await Server.all();
    expect(servers).toHaveLength(1_000);
    const lines = servers.map((s) => `${s.name} in ${s.region.name}`);
    const regions = new Set(servers.map((s) => s.region.regionId));
    expect(regions.size).toBeGreaterThan(1);
    expect(regions.size).toBeLessThan(100);
    expect(lines.every((line) => /^.+ in .+$/.test(line))).toBe(true);
    const log = await sent();
    expect(log[0]).toBe('GET infrastructure/Server');
    expect(log).toHaveLength(1 + regions.size);
    expect(new Set(log.slice(1))).toEqual(new Set([...regions].map((id) => `GET geography/Region/${id}`)));
  });

  it('the async API: the same count, each region loaded once however many servers share it', async () => {
    const servers = await Server.all();
    for (const s of servers) await s.region.load();
    const names = offline(() => servers.map((s) => `${s.name} in ${s.region.name}`));
    expect(names).toHaveLength(1_000);
    const regions = new Set(servers.map((s) => s.region.regionId));
    expect(await sent()).toHaveLength(1 + regions.size);
  });

  it("with include: ['region']: 1 request in all", async () => {
    const servers = await Server.all({ include: ['region'] });
    const names = offline(() => servers.map((s) => `${s.name} in ${s.region.name}`));
    expect(names).toHaveLength(1_000);
    expect(await sent()).toEqual(['GET infrastructure/Server']);
  });
});
