/**
 * `npm run bench`: the performance figures of the client against the emulator running in another
 * process, printed as one table with each goal and whether it was met.
 *
 *   node dist/spec/bench/run.js [--servers N]      (or BENCH_SERVERS=N; default 10,000)
 *
 * Request counts come from the emulator's request log; times are medians of a few repeats on
 * whatever machine runs it, so read them as orders of magnitude on a busy box.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  clearIdentityMaps, configure, metaOf, requestSync, request, Server, type WireResponse,
} from '../../lib/index.js';
import { spawnEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { atConcurrency, median, rawGot, signedHeaders } from './raw.js';
import { benchCliCold } from './cli-cold.js';
import { benchEmulator } from './emulator-throughput.js';

const run = promisify(execFile);
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

interface Row {
  id: string;
  what: string;
  figure: string;
  goal: string;
  met: boolean | undefined;
  note?: string;
}

function argServers(): number {
  const i = process.argv.indexOf('--servers');
  const text = i >= 0 ? process.argv[i + 1] : process.env.BENCH_SERVERS;
  const n = text === undefined ? 10_000 : Number(text);
  if (!Number.isInteger(n) || n < 100) throw new Error(`--servers / BENCH_SERVERS must be a whole number ≥ 100, got ${text}`);
  return n;
}

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function cpuMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function apiRequests(emu: EmulatorHandle): Promise<number> {
  return (await emu.requestLog()).length;
}

function useEmulator(emu: EmulatorHandle): void {
  configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, transport: undefined });
}

/** P1: Server.all() then every attribute of every item. */
async function p1(emu: EmulatorHandle): Promise<Row> {
  clearIdentityMaps();
  await emu.clearLog();
  const meta = metaOf(Server);
  const keys = [...meta.attributes.keys(), ...meta.references.keys()];
  const servers = await Server.all();
  let reads = 0;
  for (const server of servers) {
    for (const key of keys) {
      void (server as unknown as Record<string, unknown>)[key];
      reads += 1;
    }
    for (const key of Object.keys(server.toJSON())) {
      void server.get(key);
      reads += 1;
    }
  }
  const n = await apiRequests(emu);
  return { id: 'P1', what: `requests: Server.all() + ${reads.toLocaleString('en')} attribute reads over ${servers.length.toLocaleString('en')} servers`, figure: String(n), goal: '1', met: n === 1 };
}

/** P2: k attributes of one lazy object (synchronous reads). */
async function p2(emu: EmulatorHandle, id: number): Promise<Row> {
  clearIdentityMaps();
  await emu.clearLog();
  const server = new Server(id);
  const keys = ['name', 'status', 'description', 'platform', 'providerId', 'publicIpAddress', 'startDate', 'architecture', 'budget', 'providerProductId'];
  for (const key of keys) void (server as unknown as Record<string, unknown>)[key];
  const n = await apiRequests(emu);
  return { id: 'P2', what: `requests: ${keys.length} attribute reads of one lazy Server`, figure: String(n), goal: '1', met: n === 1 };
}

/**
 * P3: CPU of Server.all() over a ready body versus JSON.parse of that body. Each timing starts
 * after a full collection (the bench runs with --expose-gc), so neither side pays for the other's
 * garbage. The same figure with the identity map turned off is shown alongside: the weak
 * references that map holds are most of the difference.
 */
async function p3(body: string): Promise<Row> {
  const response: WireResponse = { statusCode: 200, headers: {}, body, durationMs: 0, attempts: 1 };
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  let count = 0;
  const measure = async (identityMap: boolean): Promise<{ parse: number; hydrate: number }> => {
    configure({ transport: { send: async () => response }, identityMap });
    const parse: number[] = [];
    const hydrate: number[] = [];
    for (let i = 0; i < 11; i++) {
      clearIdentityMaps();
      gc();
      parse.push(cpuMs(() => void JSON.parse(body)));
      gc();
      hydrate.push(await cpuMsAsync(async () => { count = (await Server.all()).length; }));
    }
    // The first rounds warm the JIT.
    return { parse: median(parse.slice(3)), hydrate: median(hydrate.slice(3)) };
  };
  const on = await measure(true);
  const off = await measure(false);
  configure({ transport: undefined, identityMap: undefined });
  clearIdentityMaps();
  const ratio = on.hydrate / on.parse;
  return {
    id: 'P3',
    what: `CPU: hydrate ${count.toLocaleString('en')} servers from one body vs JSON.parse`,
    figure: `${ratio.toFixed(2)}× (${on.hydrate.toFixed(1)} vs ${on.parse.toFixed(1)} ms); identity map off ${(off.hydrate / off.parse).toFixed(2)}×`,
    goal: '≤ 1.5×',
    met: ratio <= 1.5,
    note: (globalThis as { gc?: unknown }).gc ? undefined : 'run with --expose-gc for fair figures',
  };
}

/** P4: heap retained by hydrated servers vs the parsed JSON, in a child with --expose-gc. */
async function p4(body: string): Promise<Row> {
  const dir = mkdtempSync(join(os.tmpdir(), 'mixcoatl-bench-'));
  try {
    const file = join(dir, 'servers.json');
    writeFileSync(file, body);
    const { stdout } = await run(process.execPath, ['--expose-gc', here('./heap.js'), file], { timeout: 120_000, maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout) as { parsedBytes: number; hydratedBytes: number; items: number };
    const ratio = r.hydratedBytes / r.parsedBytes;
    const mb = (b: number) => (b / 1_048_576).toFixed(1);
    return { id: 'P4', what: `heap: ${r.items.toLocaleString('en')} hydrated servers vs the parsed JSON (after gc)`, figure: `${ratio.toFixed(2)}× (${mb(r.hydratedBytes)} vs ${mb(r.parsedBytes)} MB)`, goal: '≤ 1.3×', met: ratio <= 1.3 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


/** P5: 2,000 async loads at concurrency 16 vs raw got GETs of the same URLs; best of 5 rounds each, alternating. */
async function p5(emu: EmulatorHandle, ids: number[]): Promise<Row> {
  const some = ids.slice(0, 2_000);
  const urls = some.map((id) => `${emu.url}/infrastructure/Server/${id}`);
  const rawRuns: number[] = [];
  const libRuns: number[] = [];
  for (let round = 0; round < 5; round++) {
    let started = performance.now();
    await atConcurrency(urls, 16, async (url) => {
      const r = await rawGot(url, { headers: signedHeaders(emu, url) });
      if (r.statusCode !== 200) throw new Error(`raw GET ${url}: ${r.statusCode}`);
      JSON.parse(r.body);
    });
    rawRuns.push(some.length / ((performance.now() - started) / 1000));
    clearIdentityMaps();
    started = performance.now();
    await atConcurrency(some, 16, async (id) => void (await Server.get(id)));
    libRuns.push(some.length / ((performance.now() - started) / 1000));
  }
  const raw = Math.max(...rawRuns);
  const lib = Math.max(...libRuns);
  const ratio = lib / raw;
  return { id: 'P5', what: `throughput: ${some.length.toLocaleString('en')} Server.get() at concurrency 16 vs raw got GETs`, figure: `${ratio.toFixed(2)}× (${Math.round(lib)} vs ${Math.round(raw)} req/s)`, goal: '≥ 0.8×', met: ratio >= 0.8 };
}

/**
 * P6: one synchronous read per call vs one awaited got GET per call, in steady state. The worker
 * has its own JIT, so it gets as many untimed warm-up reads as the main thread's got has had
 * (P5 warmed that one); rounds then alternate the two sides and the medians are compared.
 */
async function p6(emu: EmulatorHandle, ids: number[]): Promise<Row> {
  const some = ids.slice(0, 300);
  const syncReads = (): void => {
    clearIdentityMaps();
    for (const id of some) void new Server(id).name;
  };
  const rawReads = async (): Promise<void> => {
    for (const id of some) {
      const url = `${emu.url}/infrastructure/Server/${id}`;
      const r = await rawGot(url, { headers: signedHeaders(emu, url) });
      JSON.parse(r.body);
    }
  };
  requestSync('GET', `infrastructure/Server/${some[0]}`);
  for (let i = 0; i < 6; i++) syncReads();
  await rawReads();
  const syncRuns: number[] = [];
  const rawRuns: number[] = [];
  for (let round = 0; round < 5; round++) {
    let started = performance.now();
    syncReads();
    syncRuns.push((performance.now() - started) / some.length);
    started = performance.now();
    await rawReads();
    rawRuns.push((performance.now() - started) / some.length);
  }
  const s = median(syncRuns);
  const r = median(rawRuns);
  const ratio = s / r;
  return { id: 'P6', what: 'latency: one synchronous lazy read vs one awaited got GET', figure: `${ratio.toFixed(2)}× (${s.toFixed(2)} vs ${r.toFixed(2)} ms/call)`, goal: '≤ 1.3×', met: ratio <= 1.3 };
}

/** P7: first synchronous read in a fresh process, worker start included. */
async function p7(emu: EmulatorHandle, id: number): Promise<Row> {
  const env = { PATH: process.env.PATH, HOME: os.tmpdir(), ES_ENDPOINT: emu.url, ES_ACCESS_KEY: emu.accessKey, ES_SECRET_KEY: emu.secretKey };
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { stdout } = await run(process.execPath, [here('./first-read.js'), String(id)], { env, timeout: 60_000 });
    runs.push((JSON.parse(stdout) as { firstReadMs: number }).firstReadMs);
  }
  const ms = median(runs);
  return { id: 'P7', what: 'first synchronous read in a fresh process (worker start included)', figure: `${ms.toFixed(0)} ms`, goal: '≤ 200 ms', met: ms <= 200 };
}

/** P8: dcm-get cold wall time vs `node -e "import('got')"`. */
async function p8(emu: EmulatorHandle): Promise<Row> {
  const r = await benchCliCold({ url: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey });
  return {
    id: 'P8',
    what: 'dcm-get cold wall time vs node -e "import(\'got\')"',
    figure: `${r.ratio.toFixed(2)}× (${r.dcmGetMs.toFixed(0)} vs ${r.importGotMs.toFixed(0)} ms)`,
    goal: '≤ 2×',
    met: r.ratio <= 2,
  };
}

/** P9: emulator throughput for simple GETs. */
async function p9(): Promise<Row> {
  const r = await benchEmulator({ durationMs: 3_000, connections: 16 });
  return { id: 'P9', what: 'emulator throughput, simple signed GETs (own child process)', figure: `${Math.round(r.requestsPerSecond).toLocaleString('en')} req/s`, goal: '≥ 2,000 req/s', met: r.requestsPerSecond >= 2_000 };
}

function print(rows: Row[], servers: number): void {
  const cpus = os.cpus();
  const lines = [
    `mixcoatl bench — ${new Date().toISOString()}`,
    `node ${process.version}, ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, emulator with ${servers.toLocaleString('en')} extra servers in a child process`,
    '',
  ];
  const head = ['', 'measure', 'figure', 'goal', 'met'];
  const body = rows.map((r) => [r.id, r.what, r.figure, r.goal, r.met === undefined ? `n/a${r.note ? ` (${r.note})` : ''}` : `${r.met ? 'met' : 'NOT MET'}${r.note ? ` (${r.note})` : ''}`]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  lines.push(line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line));
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const servers = argServers();
  const emu = await spawnEmulator({ servers, seed: 1 });
  const rows: Row[] = [];
  try {
    useEmulator(emu);
    const ids = (await Server.all({ keysOnly: true })) as number[];
    const body = (await request('GET', 'infrastructure/Server')).text;
    rows.push(await p1(emu));
    rows.push(await p2(emu, ids[ids.length - 1]));
    rows.push(await p3(body));
    rows.push(await p4(body));
    useEmulator(emu);
    rows.push(await p5(emu, ids));
    rows.push(await p6(emu, ids));
    rows.push(await p7(emu, ids[0]));
    rows.push(await p8(emu));
  } finally {
    await emu.close();
  }
  rows.push(await p9());
  print(rows, servers);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
