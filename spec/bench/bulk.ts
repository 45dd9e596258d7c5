/**
 * P11: a bulk stop over a query — `Server.where({ status: 'RUNNING' }).stop({}, { concurrency: 8 })`
 * — timed against the same PUTs (same servers, same bodies, signed the same way) sent by plain
 * got at the same concurrency. The library's side includes its one listing; the emulator is reset
 * before every run, so each run stops the same servers. Requests are counted at the emulator.
 */
import { clearIdentityMaps, configure, resetConfiguration, Server } from '../../lib/index.js';
import { authHeaders, USER_AGENT } from '../../lib/http/signing.js';
import { spawnEmulator } from '../../lib/emulator/index.js';
import { atConcurrency, median, rawGot } from './raw.js';

/** What P11 measured. */
export interface BulkFigures {
  /** Servers stopped per run. */
  servers: number;
  /** Median of the library's runs, ms. */
  libraryMs: number;
  /** Median of got's runs, ms. */
  gotMs: number;
  /** Requests of one library run, by kind. */
  requests: { listings: number; puts: number; other: number };
}

const CONCURRENCY = 8;
/**
 * Rounds run first and not counted: both sides take about five runs to reach their steady time
 * (the first runs are up to twice as slow while the JIT compiles the paths they take).
 */
const WARM_UP_ROUNDS = 5;

/** Runs P11 with `rounds` alternating rounds (after the warm-up rounds). */
export async function benchBulk(rounds: number): Promise<BulkFigures> {
  // 250 generated servers, of which about 200 are RUNNING.
  const emu = await spawnEmulator({ servers: 250, seed: 1 });
  try {
    configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, transport: undefined, retry: { limit: 0 } });
    const ids = (await emu.items('infrastructure/Server')).filter((s) => s.status === 'RUNNING').map((s) => s.serverId as number);
    const body = JSON.stringify({ stop: [{}] });
    const library = async (): Promise<number> => {
      await emu.reset();
      clearIdentityMaps();
      const started = performance.now();
      const result = await Server.where({ status: 'RUNNING' }).stop({}, { concurrency: CONCURRENCY });
      const ms = performance.now() - started;
      if (result.totals.done !== ids.length) throw new Error(`P11: ${result.totals.done} of ${ids.length} stops done`);
      return ms;
    };
    const plain = async (): Promise<number> => {
      await emu.reset();
      let failed = 0;
      const started = performance.now();
      await atConcurrency(ids, CONCURRENCY, async (id) => {
        const url = `${emu.url}/infrastructure/Server/${id}`;
        const headers = {
          accept: 'application/json', 'content-type': 'application/json', 'user-agent': USER_AGENT, 'x-es-details': 'basic',
          ...authHeaders({ accessKey: emu.accessKey, secretKey: emu.secretKey, method: 'PUT', path: new URL(url).pathname, userAgent: USER_AGENT }),
        };
        const response = await rawGot.put(url, { headers, body });
        if (response.statusCode !== 202) failed += 1;
      });
      const ms = performance.now() - started;
      if (failed) throw new Error(`P11: ${failed} of the got PUTs failed`);
      return ms;
    };
    const lib: number[] = [];
    const got: number[] = [];
    for (let round = 0; round < rounds + WARM_UP_ROUNDS; round++) {
      const order = round % 2 ? [plain, library] : [library, plain];
      for (const side of order) {
        const ms = await side();
        if (round >= WARM_UP_ROUNDS) (side === library ? lib : got).push(ms);
      }
    }
    await emu.reset();
    clearIdentityMaps();
    await Server.where({ status: 'RUNNING' }).stop({}, { concurrency: CONCURRENCY });
    const log = await emu.requestLog();
    const listings = log.filter((e) => e.method === 'GET' && e.resource === 'infrastructure/Server').length;
    const puts = log.filter((e) => e.method === 'PUT').length;
    return { servers: ids.length, libraryMs: median(lib), gotMs: median(got), requests: { listings, puts, other: log.length - listings - puts } };
  } finally {
    await emu.close();
  }
}

/** What the rate-limit run measured. */
export interface RateLimitFigures {
  /** The emulator's limit, requests per second per access key. */
  limit: number;
  /** Reads sent at once. */
  reads: number;
  /** Reads that failed. */
  errors: number;
  /** Answers 429 the emulator gave. */
  refused: number;
  /** Successful reads per second over the whole run. */
  throughput: number;
}

/**
 * 300 concurrent `Server.get()` against an emulator limited to `limit` requests per second (in a
 * child process): the errors, the emulator's 429s, and the throughput of the run.
 */
export async function benchRateLimit(limit = 20, reads = 300): Promise<RateLimitFigures> {
  const emu = await spawnEmulator({ servers: reads, seed: 1, rateLimit: limit });
  try {
    resetConfiguration();
    configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, transport: undefined });
    clearIdentityMaps();
    const ids = (await emu.items('infrastructure/Server')).map((s) => s.serverId as number).slice(0, reads);
    // A full bucket to start from (the reset forgets the rate limit's buckets).
    await emu.reset();
    const started = performance.now();
    const results = await Promise.allSettled(ids.map((id) => Server.get(id)));
    const seconds = (performance.now() - started) / 1000;
    const log = await emu.requestLog();
    return { limit, reads, errors: results.filter((r) => r.status === 'rejected').length, refused: log.filter((e) => e.status === 429).length, throughput: (reads - results.filter((r) => r.status === 'rejected').length) / seconds };
  } finally {
    await emu.close();
  }
}
