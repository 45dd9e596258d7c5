/**
 * Launches under injected faults. POST is never retried, so no fault can turn one launch into
 * two servers; every launch that did not get its 202 is reported with a typed error.
 */
import { Server, DcmError, ServerError, RateLimitError, NetworkError } from '../../lib/index.js';
import { configureJobs } from '../../lib/orm/waiters.js';
import { startEmulator, type RequestLogEntry } from '../../lib/emulator/index.js';
import { FAULT_FIGURES } from './figures.js';
import { launchAttributes, pool, tally, twentyPercentFaults, useFaultyEmulator } from './support.js';

/** 100 launches per phase under 20% faults: about 20 failed POSTs and 20 faulted job polls each. */
const LAUNCHES = FAULT_FIGURES.launches.count;
const t = useFaultyEmulator(() => startEmulator({ seed: 7 }), () => configureJobs({ intervalMs: 0 }), () => configureJobs());

const isLaunch = (e: RequestLogEntry) => e.method === 'POST' && e.resource === 'infrastructure/Server';

async function serverCount(): Promise<number> {
  return (await t.emu.summary()).counts['infrastructure/Server'];
}

async function namesInEmulator(prefix: string): Promise<Map<string, number>> {
  const all = await Server.all();
  const names = new Map<string, number>();
  for (const s of all) if (s.name.startsWith(prefix)) names.set(s.name, (names.get(s.name) ?? 0) + 1);
  return names;
}

/** Launches `LAUNCHES` servers named `<prefix><i>` and waits for the jobs of the accepted ones. */
async function launchAll(prefix: string) {
  const results = await pool(Array.from({ length: LAUNCHES }, (_, i) => `${prefix}${i}`), 8, async (name) => {
    const server = await Server.launch(launchAttributes(name));
    return { name, server };
  }, t.signal);
  // Jobs complete as the emulator's clock steps; the waits (GETs) still run under the faults.
  const settled = await pool(results.flatMap((r) => (r.ok ? [r.value] : [])), 8, async ({ name, server }) => {
    await server.currentJob!.wait({ signal: t.signal });
    return { name, id: server.id as number };
  }, t.signal);
  return { results, settled };
}

function typedFailures(results: Awaited<ReturnType<typeof launchAll>>['results']) {
  return results.flatMap((r) => (r.ok ? [] : [r.error]));
}

describe('launches under 20% injected faults', () => {
  it(`${LAUNCHES} launches (faults before the launch is applied): no duplicates, every failure typed, count = initial + successes`, async () => {
    const initial = await serverCount();
    await t.emu.setFaults(twentyPercentFaults());
    const { results, settled } = await launchAll('rel-before-');
    await t.emu.setFaults([]);

    const failures = typedFailures(results);
    const successes = results.length - failures.length;
    expect(settled.filter((s) => !s.ok)).toEqual([]);
    const launched = settled.map((s) => (s.ok ? s.value.id : -1));
    expect(new Set(launched).size).toBe(successes);
    expect(launched.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    for (const error of failures) {
      expect(error).toBeInstanceOf(DcmError);
      expect([ServerError, RateLimitError, NetworkError].some((cls) => error instanceof cls)).toBe(true);
    }
    expect(await serverCount()).toBe(initial + successes);

    const log = await t.emu.requestLog();
    const posts = tally(log, isLaunch);
    // One POST per launch: none was retried, whatever the fault.
    expect(posts.attempts).toBe(LAUNCHES);
    expect(failures.length).toBe(posts.faulted);
    expect(failures.length).toBeGreaterThan(0);
    const names = await namesInEmulator('rel-before-');
    expect([...names.values()].every((n) => n === 1)).toBe(true);
    expect(names.size).toBe(successes);
    // Only the POSTs draw faults while the launches run, so the counts are the same on every run:
    // the README quotes them (figures.ts).
    expect({ initial, failures: failures.length }).toEqual({ initial: FAULT_FIGURES.launches.initialServers, failures: FAULT_FIGURES.launches.failures });
    const polls = tally(log, (e) => e.method === 'GET' && e.resource.startsWith('admin/Job/'));
    console.log(
      `reliability/launches(before): ${LAUNCHES} launches, ${successes} launched (distinct ids ${new Set(launched).size}), ${failures.length} typed failures ` +
        `${JSON.stringify(countBy(failures))}, ${posts.attempts} POSTs, server count ${initial} -> ${await serverCount()}, ` +
        `${polls.attempts} job polls of which ${polls.faulted} retried after faults`,
    );
  });

  it(`${LAUNCHES} launches (faults after the launch is applied): still one server per POST, no duplicates`, async () => {
    const initial = await serverCount();
    await t.emu.setFaults(twentyPercentFaults({ methods: ['POST'], phase: 'after' }));
    const { results, settled } = await launchAll('rel-after-');
    await t.emu.setFaults([]);

    const failures = typedFailures(results);
    const successes = results.length - failures.length;
    expect(settled.filter((s) => !s.ok)).toEqual([]);
    for (const error of failures) expect([ServerError, RateLimitError, NetworkError].some((cls) => error instanceof cls)).toBe(true);
    const posts = tally(await t.emu.requestLog(), isLaunch);
    expect(posts.attempts).toBe(LAUNCHES);
    expect(failures.length).toBe(posts.faulted);
    // A launch that failed after being applied still made its server (the client cannot know);
    // it was not sent again, so no name exists twice.
    const names = await namesInEmulator('rel-after-');
    expect([...names.values()].every((n) => n === 1)).toBe(true);
    expect(names.size).toBe(LAUNCHES);
    expect(await serverCount()).toBe(initial + successes + posts.faulted);
    expect(failures.length).toBe(FAULT_FIGURES.launches.failures);
    console.log(
      `reliability/launches(after): ${LAUNCHES} launches, ${successes} acknowledged, ${failures.length} typed failures ${JSON.stringify(countBy(failures))}, ` +
        `${posts.attempts} POSTs, ${names.size} servers created, 0 duplicates`,
    );
  });
});

function countBy(errors: unknown[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of errors) {
    const key = `${(e as Error).name}:${(e as DcmError).statusCode ?? (e as DcmError).code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
