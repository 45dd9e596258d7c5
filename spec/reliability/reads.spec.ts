/**
 * Reads under injected faults: 20% of API requests fail (500, 503, 429, connection reset) and
 * every read still succeeds, because GET is retried. Counted from the emulator's request log.
 */
import { configure, Server, request } from '../../lib/index.js';
import { resetNPlusOne } from '../../lib/orm/n-plus-one.js';
import { startEmulator } from '../../lib/emulator/index.js';
import { FAULT_FIGURES } from './figures.js';
import { pool, QUICK_RETRY, tally, twentyPercentFaults, useFaultyEmulator } from './support.js';

/** 200 reads under 20% faults meet about 40 faults, at least a few of each of the four kinds. */
const READS = FAULT_FIGURES.reads.count;
const t = useFaultyEmulator(() => startEmulator({ servers: READS, seed: 6 }));
beforeEach(() => resetNPlusOne());

describe('reads under 20% injected 5xx/429/connection resets', () => {
  it(`${READS} single-object reads all succeed; each injected fault costs exactly one more attempt`, async () => {
    expect(t.ids.length).toBeGreaterThanOrEqual(READS);
    await t.emu.setFaults(twentyPercentFaults());
    const targets = t.ids.slice(0, READS);
    const results = await pool(targets, 8, async (id) => (await Server.get(id)).name, t.signal);
    const failures = results.filter((r) => !r.ok);
    expect(failures).toEqual([]);
    const names = results.map((r) => (r.ok ? r.value : undefined));
    expect(names.every((n) => typeof n === 'string' && n.length > 0)).toBe(true);

    const log = await t.emu.requestLog();
    const counts = tally(log, (e) => e.method === 'GET' && e.resource.startsWith('infrastructure/Server/'));
    // Each read is one attempt plus one per fault it met; nothing else reached the emulator.
    expect(counts.attempts).toBe(READS + counts.faulted);
    expect(counts.faulted / counts.attempts).toBeGreaterThan(0.1);
    for (const kind of ['status:500', 'status:503', 'status:429', 'reset']) expect(counts.byFault[kind]).toBeGreaterThan(0);
    // The seeded faults give the same counts on every run: the README quotes them (figures.ts).
    expect({ attempts: counts.attempts, faults: counts.byFault }).toEqual({ attempts: FAULT_FIGURES.reads.attempts, faults: FAULT_FIGURES.reads.faults });
    console.log(`reliability/reads: ${READS} reads, ${READS - failures.length} succeeded, ${counts.attempts} attempts, ${counts.faulted} retries after injected faults ${JSON.stringify(counts.byFault)}`);
  });

  it('collection reads and raw GETs survive the same faults', async () => {
    await t.emu.setFaults(twentyPercentFaults());
    const results = await pool(Array.from({ length: 40 }, (_, i) => i), 4, async (i) => {
      if (i % 2) return (await Server.all({ regionId: 19344 })).length;
      return ((await request('GET', 'geography/Region')).data as { regions: unknown[] }).regions.length;
    }, t.signal);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const counts = tally(await t.emu.requestLog(), () => true);
    expect(counts.attempts).toBe(40 + counts.faulted);
  });

  it('without retries the same faults surface as typed errors (the faults are real)', async () => {
    configure({ retry: { ...QUICK_RETRY, limit: 0 } });
    try {
      await t.emu.setFaults(twentyPercentFaults());
      const results = await pool(t.ids.slice(0, 100), 8, async (id) => (await Server.get(id)).name, t.signal);
      const failed = results.filter((r) => !r.ok).map((r) => (r.ok ? undefined : (r.error as Error).name));
      const counts = tally(await t.emu.requestLog(), () => true);
      expect(failed.length).toBe(counts.faulted);
      expect(failed.length).toBeGreaterThan(0);
      for (const name of failed) expect(['ServerError', 'RateLimitError', 'NetworkError']).toContain(name);
    } finally {
      configure({ retry: QUICK_RETRY });
    }
  });

  it('concurrent async loads of one object share one request', async () => {
    const server = await Server.get(t.ids[0]).then(() => new Server(t.ids[1]));
    await t.emu.clearLog();
    const twin = new Server(t.ids[1]);
    const loads = [...Array.from({ length: 25 }, () => server.load()), ...Array.from({ length: 25 }, () => Server.get(t.ids[1])), twin.reload()];
    const loaded = await Promise.all(loads);
    expect(loaded.every((s) => s.isLoaded && s.name === server.name)).toBe(true);
    const hits = (await t.emu.requestLog()).filter((e) => e.resource === `infrastructure/Server/${t.ids[1]}`);
    expect(hits.length).toBe(1);
    // Once settled, a reload is a new request.
    await server.reload();
    expect((await t.emu.requestLog()).length).toBe(2);
  });
});
