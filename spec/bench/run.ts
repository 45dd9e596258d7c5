/**
 * `npm run bench`: the performance figures of the client, printed as one table with each goal and
 * whether it was met.
 *
 *   node --expose-gc dist/spec/bench/run.js [--servers N] [--rounds R]   (or BENCH_SERVERS, BENCH_ROUNDS;
 *   BENCH_ONLY=P5,P6 runs only those)
 *
 * Baselines are chosen so that the library is what is measured:
 * - P1, P2, P10 count requests at the emulator (a child process).
 * - P3 and P4 hydrate two bodies: the emulator's listing (0.5 KB items) and real-size items (the
 *   3 KB servers of spec/fixtures/infrastructure/server.json, repeated with fresh ids).
 * - P5 and P6 run against a client-bound server (static-server.ts, another process serving
 *   prebuilt bodies), so the emulator's own CPU does not hide the client's. P6 also reports the
 *   achievable limit: the same got GET made through the library's worker bridge.
 * - P7 runs fresh processes, timed from process start to the value printed, against a plain
 *   script that imports got and makes the same GET.
 * - P11 times a bulk stop over a query against the same PUTs sent by plain got at the same
 *   concurrency (bulk.ts), and counts its requests at the emulator. A run lasts about 100 ms, which
 *   a scheduler's hiccup moves by 10 %: P11 takes at least 21 rounds, after five not counted.
 * - P12 plans 100,000 records (plan-large.ts) against listings served from memory, so the
 *   planner is what is timed.
 * - P13 exports the seeded estate (every managed type) plus 1,000 servers from the emulator
 *   (export-estate.ts) and applies the export back, counting requests at the emulator: listings
 *   only, 0 writes.
 * Each side is measured in alternating rounds (the order flips every round) and medians are
 * compared. The load average is printed before and after: on a machine busier than its cores the
 * figures are not reliable, and the table says so.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  apply, clearIdentityMaps, configure, metaOf, offline, request, Server, type WireResponse,
} from '../../lib/index.js';
import { largeRecords, listingTransport } from './plan-large.js';
import { exportEstate, estateTypes } from './export-estate.js';
import { spawnEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { median } from './raw.js';
import { benchCliCold } from './cli-cold.js';
import { benchEmulator } from './emulator-throughput.js';
import { benchWithPage, soakDashboard } from './dashboard-open.js';
import { benchBulk, benchRateLimit } from './bulk.js';

const run = promisify(execFile);
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../../spec/fixtures/infrastructure/server.json', import.meta.url));

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


function argRounds(): number {
  const i = process.argv.indexOf('--rounds');
  const text = i >= 0 ? process.argv[i + 1] : process.env.BENCH_ROUNDS;
  const n = text === undefined ? 7 : Number(text);
  if (!Number.isInteger(n) || n < 3) throw new Error(`--rounds / BENCH_ROUNDS must be a whole number ≥ 3, got ${text}`);
  return n;
}

/**
 * Measures each side `rounds` times, the order flipping every round (A B, B A, …) so that drift
 * on a busy machine falls on both sides alike; `warm` untimed rounds come first. Returns the
 * figures per side.
 */
async function alternate(rounds: number, sides: Array<() => Promise<number> | number>, warm = 1): Promise<number[][]> {
  const figures = sides.map(() => [] as number[]);
  for (let round = 0; round < warm + rounds; round++) {
    const order = round % 2 ? [...sides.keys()].reverse() : [...sides.keys()];
    for (const i of order) {
      const figure = await sides[i]();
      if (round >= warm) figures[i].push(figure);
    }
  }
  return figures;
}

interface Load {
  before: number[];
  after?: number[];
  cores: number;
}

function loadText(values: number[]): string {
  return values.map((v) => v.toFixed(2)).join(' / ');
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

const gc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc ?? (() => undefined);
/**
 * Two young-generation collections: what the next allocations after a large parse run, moving the
 * surviving objects once within the young generation and once out of it.
 */
const settleYoung = (): void => {
  gc({ type: 'minor' });
  gc({ type: 'minor' });
};

/** A listing body of `n` real-size servers: the fixture's 3 KB items repeated with fresh ids. */
function realSizeBody(n: number): string {
  const items = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { servers: Array<Record<string, unknown>> }).servers;
  const servers = Array.from({ length: n }, (_, i) => ({ ...items[i % items.length], serverId: 1_000_000 + i }));
  return JSON.stringify({ servers });
}

/**
 * P3: CPU of Server.all() over a ready body versus JSON.parse of that body. Every timing starts
 * after a full collection (--expose-gc), so neither side pays for the other's garbage; the sides
 * alternate in order; medians. Both sides keep what they made until their timing ends, and end
 * with the two young-generation collections that move it out of the young generation: a parse
 * fills the young generation with the body's objects, and whoever keeps them (every real caller)
 * pays to move them at the next allocations. Without that, a parse whose result is dropped would
 * leave the moving to the other side, or to nobody.
 */
async function p3(body: string, label: string, goal: number, rounds: number): Promise<Row> {
  const response: WireResponse = { statusCode: 200, headers: {}, body, durationMs: 0, attempts: 1 };
  configure({ transport: { send: async () => response } });
  let count = 0;
  // Holds each side's result alive until its timing has ended.
  let _kept: unknown;
  const [parse, hydrate] = await alternate(rounds + 2, [
    () => {
      _kept = undefined;
      gc();
      return cpuMs(() => {
        _kept = JSON.parse(body);
        settleYoung();
      });
    },
    async () => {
      _kept = undefined;
      clearIdentityMaps();
      gc();
      return cpuMsAsync(async () => {
        const servers = await Server.all();
        settleYoung();
        count = servers.length;
        _kept = servers;
      });
    },
  ], 3);
  _kept = undefined;
  configure({ transport: undefined });
  clearIdentityMaps();
  const h = median(hydrate);
  const p = median(parse);
  const ratio = h / p;
  return {
    id: 'P3',
    what: `CPU: hydrate ${count.toLocaleString('en')} ${label} servers from one body vs JSON.parse`,
    figure: `${ratio.toFixed(2)}× (${h.toFixed(1)} vs ${p.toFixed(1)} ms)`,
    goal: `≤ ${goal}×`,
    met: ratio <= goal,
    note: (globalThis as { gc?: unknown }).gc ? undefined : 'run with --expose-gc for fair figures',
  };
}

/** P4: heap retained by hydrated servers vs the parsed JSON, in a child with --expose-gc. */
async function p4(body: string, label: string): Promise<Row> {
  const dir = mkdtempSync(join(os.tmpdir(), 'mixcoatl-bench-'));
  try {
    const file = join(dir, 'servers.json');
    writeFileSync(file, body);
    const { stdout } = await run(process.execPath, ['--expose-gc', here('./heap.js'), file], { timeout: 300_000, maxBuffer: 1 << 20 });
    const r = JSON.parse(stdout) as { parsedBytes: number; hydratedBytes: number; items: number };
    const ratio = r.hydratedBytes / r.parsedBytes;
    const mb = (b: number) => (b / 1_048_576).toFixed(1);
    return { id: 'P4', what: `heap: ${r.items.toLocaleString('en')} hydrated ${label} servers vs the parsed JSON (after gc)`, figure: `${ratio.toFixed(2)}× (${mb(r.hydratedBytes)} vs ${mb(r.parsedBytes)} MB)`, goal: '≤ 1.3×', met: ratio <= 1.3 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface StaticServer {
  url: string;
  accessKey: string;
  secretKey: string;
  child: ChildProcess;
}

/** Starts the client-bound server (static-server.ts) in a child process. */
async function startStatic(ids: number): Promise<StaticServer> {
  const child = spawn(process.execPath, [here('./static-server.js'), FIXTURE, String(ids)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (text) => {
      lines.close();
      resolve(text);
    });
    child.once('exit', (code) => reject(new Error(`static server exited (${code}) before listening`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, accessKey: 'bench-access', secretKey: 'bench-secret-key-0123456789', child };
}

/**
 * P5: 2,000 async loads at concurrency 16 vs raw got GETs of the same URLs, against the
 * client-bound server. Each round of each side runs in a fresh process (throughput-side.ts: warm-up
 * rounds, then one timed round), alternating, so that a side never runs on code the other has
 * shaped: in one process, raw got's promise interface running first made the library's stream
 * requests slower by tens of microseconds each, and the other way round.
 */
async function p5(s: StaticServer, rounds: number): Promise<Row> {
  const ids = { length: 2_000 };
  const cpu: number[][] = [[], []];
  const side = async (name: 'raw' | 'lib', index: number): Promise<number> => {
    // DCM_LAZY=async: neither side starts the synchronous-read worker it has no use for.
    const { stdout } = await run(process.execPath, [here('./throughput-side.js'), name, s.url, s.accessKey, s.secretKey], { timeout: 300_000, env: { ...process.env, DCM_LAZY: 'async' } });
    const r = JSON.parse(stdout) as { rps: number; cpuUsPerRequest: number };
    cpu[index].push(r.cpuUsPerRequest);
    return r.rps;
  };
  const [raw, lib] = await alternate(rounds, [() => side('raw', 0), () => side('lib', 1)], 0);
  const r = median(raw);
  const l = median(lib);
  const ratio = l / r;
  return {
    id: 'P5',
    what: `throughput: ${ids.length.toLocaleString('en')} Server.get() at concurrency 16 vs raw got GETs (client-bound server)`,
    figure: `${ratio.toFixed(2)}× (${Math.round(l)} vs ${Math.round(r)} req/s; best ${(Math.max(...lib) / Math.max(...raw)).toFixed(2)}×; CPU ${median(cpu[1]).toFixed(0)} vs ${median(cpu[0]).toFixed(0)} µs/req)`,
    goal: '≥ 0.9×',
    met: ratio >= 0.9,
  };
}

/**
 * P6: one synchronous lazy read per call against (a) the same got GET made through the library's
 * worker bridge (bridge-got-worker.ts: the achievable limit of a synchronous read, through got's
 * stream interface as send() makes it), (a') the same with the GET written as a plain got script
 * does (bridge-got-promise-worker.ts, reported), and (b) one awaited got GET on the main thread.
 * Client-bound server; each round of each side in a fresh process (latency-side.ts), alternating;
 * medians. Twice the rounds of the other goals: a process's figure depends on where the scheduler
 * puts its two threads, and moves by ±10 % from one process to the next.
 */
async function p6(s: StaticServer, rounds: number): Promise<Row[]> {
  const side = async (name: 'lazy' | 'limit' | 'promise' | 'main'): Promise<number> => {
    // Only the lazy side reads through the library: the others keep its worker from starting.
    const env = name === 'lazy' ? process.env : { ...process.env, DCM_LAZY: 'async' };
    const { stdout } = await run(process.execPath, [here('./latency-side.js'), name, s.url, s.accessKey, s.secretKey], { env, timeout: 300_000 });
    return (JSON.parse(stdout) as { msPerCall: number }).msPerCall;
  };
  {
    const [l, b, p, m] = (await alternate(rounds * 2, [() => side('lazy'), () => side('limit'), () => side('promise'), () => side('main')], 0)).map(median);
    const vsBridge = l / b;
    return [
      { id: 'P6', what: 'latency: one synchronous lazy read vs the same got GET through the same worker bridge', figure: `${vsBridge.toFixed(2)}× (${l.toFixed(3)} vs ${b.toFixed(3)} ms/call)`, goal: '≤ 1.15×', met: vsBridge <= 1.15 },
      { id: 'P6', what: "latency: the same, the worker's GET written as a plain got script does (promise interface)", figure: `${(l / p).toFixed(2)}× (${l.toFixed(3)} vs ${p.toFixed(3)} ms/call)`, goal: 'reported', met: undefined },
      { id: 'P6', what: 'latency: one synchronous lazy read vs one awaited got GET on the main thread', figure: `${(l / m).toFixed(2)}× (${l.toFixed(3)} vs ${m.toFixed(3)} ms/call)`, goal: 'reported', met: undefined },
    ];
  }
}

/**
 * P7: a fresh process's first synchronous read, from process start to the value printed, vs a
 * plain script that imports got and makes the same GET. Both are also timed from spawn to exit.
 */
async function p7(emu: EmulatorHandle, id: number, rounds: number): Promise<Row> {
  const env = { PATH: process.env.PATH, HOME: os.tmpdir(), ES_ENDPOINT: emu.url, ES_ACCESS_KEY: emu.accessKey, ES_SECRET_KEY: emu.secretKey };
  const wall: number[][] = [[], []];
  const once = async (script: string, side: number): Promise<number> => {
    const started = performance.now();
    const { stdout } = await run(process.execPath, [here(script), String(id)], { env, timeout: 60_000 });
    wall[side].push(performance.now() - started);
    return (JSON.parse(stdout) as { ms: number }).ms;
  };
  const [lib, got] = (await alternate(rounds, [() => once('./first-read.js', 0), () => once('./first-got.js', 1)])).map(median);
  const ratio = lib / got;
  return {
    id: 'P7',
    what: 'process start → first synchronous value vs a plain got script doing the same GET',
    figure: `${ratio.toFixed(2)}× (${lib.toFixed(0)} vs ${got.toFixed(0)} ms; spawn to exit ${median(wall[0]).toFixed(0)} vs ${median(wall[1]).toFixed(0)} ms)`,
    goal: '≤ 1.3×',
    met: ratio <= 1.3,
  };
}

/**
 * P10: list 1,000 servers and read each one's name and region name (synchronous lazy reads), then
 * the same with include: ['region']; requests counted at the emulator, wall time reported.
 */
async function p10(): Promise<Row[]> {
  const emu = await spawnEmulator({ servers: 987, seed: 1 });
  try {
    useEmulator(emu);
    const measure = async (include: boolean): Promise<{ requests: number; ms: number; regions: number; servers: number }> => {
      clearIdentityMaps();
      await emu.clearLog();
      const started = performance.now();
      const servers = include ? await Server.all({ include: ['region'] }) : await Server.all();
      const read = () => servers.map((s) => `${s.name} ${s.region.name}`);
      const lines = include ? offline(read) : read();
      const ms = performance.now() - started;
      return { requests: await apiRequests(emu), ms, regions: new Set(servers.map((s) => s.region.regionId)).size, servers: lines.length };
    };
    await measure(false);
    await measure(true);
    const plain = await measure(false);
    const included = await measure(true);
    return [
      { id: 'P10', what: `requests: Server.all() of ${plain.servers.toLocaleString('en')} servers + each name and region name (${plain.regions} regions)`, figure: `${plain.requests} in ${plain.ms.toFixed(0)} ms`, goal: `1 + ${plain.regions}`, met: plain.requests === 1 + plain.regions },
      { id: 'P10', what: "the same with include: ['region']", figure: `${included.requests} in ${included.ms.toFixed(0)} ms`, goal: '1', met: included.requests === 1 },
    ];
  } finally {
    await emu.close();
  }
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

/** P9 with the dashboard open in headless Chromium, against without, in alternating rounds; then a minute of it under 1,000 requests. */
async function p9Dashboard(rounds: number): Promise<Row[]> {
  const r = await benchWithPage(rounds);
  const s = await soakDashboard();
  return [
    {
      id: 'P9d', what: 'P9 with the dashboard open (live Requests panel), against without',
      figure: `${(r.ratio * 100).toFixed(1)} % (${r.withPage.toLocaleString('en')} vs ${r.withoutPage.toLocaleString('en')} req/s)`, goal: '≥ 90 %', met: r.ratio >= 0.9,
    },
    {
      id: 'P9s', what: `dashboard open ${s.seconds.toFixed(0)} s during ${s.requests.toLocaleString('en')} requests: longest page stall, rows kept, filter`,
      figure: `${s.maxStallMs} ms, ${s.rows} rows, ${s.filterMs} ms`, goal: 'rows ≤ 300, stall ≤ 250 ms', met: s.rows <= 300 && s.maxStallMs <= 250,
    },
  ];
}

/** P11: a bulk stop of about 200 servers vs the same PUTs by plain got, and its request count. */
async function p11(rounds: number): Promise<Row[]> {
  const r = await benchBulk(Math.max(rounds, 21));
  const ratio = r.libraryMs / r.gotMs;
  const { listings, puts, other } = r.requests;
  return [
    { id: 'P11', what: `bulk stop of ${r.servers} servers (where().stop(), concurrency 8) vs the same PUTs by plain got`, figure: `${ratio.toFixed(2)}× (${r.libraryMs.toFixed(0)} vs ${r.gotMs.toFixed(0)} ms)`, goal: '≤ 1.2×', met: ratio <= 1.2 },
    { id: 'P11', what: 'requests of that bulk stop', figure: `${listings} listing + ${puts} PUTs${other ? ` + ${other} other` : ''}`, goal: `1 + ${r.servers}`, met: listings === 1 && puts === r.servers && other === 0 },
  ];
}

/** P11: 300 concurrent reads against `dcm sim --rate-limit 20`: no error, throughput within 10 % of the limit. */
async function p11RateLimit(): Promise<Row> {
  const r = await benchRateLimit(20, 300);
  const off = Math.abs(r.throughput - r.limit) / r.limit;
  return {
    id: 'P11',
    what: `${r.reads} concurrent Server.get() against an emulator limited to ${r.limit} req/s (${r.refused} answers 429, ${r.errors} errors)`,
    figure: `${r.throughput.toFixed(1)} req/s`,
    goal: `0 errors, ${r.limit} req/s ± 10 %`,
    met: r.errors === 0 && off <= 0.1,
  };
}

/** P12: planning 100,000 records (creates, attachments, updates, references between records): a dry run. */
async function p12(): Promise<Row> {
  const n = 100_000;
  const input = largeRecords(n);
  const transport = listingTransport(input.existing);
  configure({ endpoint: 'http://127.0.0.1:9/api/enstratus/2015-05-25', accessKey: 'BENCH', secretKey: 'BENCH', envFile: false, lazy: 'async', retry: { limit: 0 }, transport });
  globalThis.gc?.();
  const started = performance.now();
  const { plan } = await apply(input.records, { dryRun: true });
  const ms = performance.now() - started;
  const steps = plan.steps.length;
  const wanted = n + input.counts.volumes;
  return {
    id: 'P12',
    what: `plan ${n.toLocaleString('en')} records (${steps.toLocaleString('en')} steps; ${transport.requests.length} listings served from memory)`,
    figure: `${(ms / 1000).toFixed(1)} s`,
    goal: '≤ 10 s',
    met: ms <= 10_000 && steps === wanted,
    note: steps === wanted ? undefined : `expected ${wanted} steps`,
  };
}

/** P13: export of the seeded estate plus 1,000 servers, then an apply of that export. */
async function p13(): Promise<Row[]> {
  const emu = await spawnEmulator({ servers: 1_000, seed: 1 });
  try {
    const f = await exportEstate(emu);
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    const writes = (counts: Record<string, number>) => Object.entries(counts).filter(([k]) => !k.startsWith('GET ')).reduce((a, [, n]) => a + n, 0);
    const listings = (counts: Record<string, number>) => Object.entries(counts).map(([k, n]) => `${k.replace(/^GET \w+\//, '')} ${n}`).join(', ');
    const perParent = new Set(['GET network/FirewallRule', 'GET network/Network']);
    const exportOk = Object.entries(f.exportRequests).every(([k, n]) => n === 1 || perParent.has(k));
    return [
      {
        id: 'P13', what: `export of the seeded estate + 1,000 servers (${estateTypes().length} types, ${f.records.toLocaleString('en')} records)`,
        figure: `${total(f.exportRequests)} requests (${listings(f.exportRequests)}), ${Math.round(f.exportMs)} ms`, goal: 'requests = listings (one per type; rules per firewall, networks per region)', met: exportOk && writes(f.exportRequests) === 0,
      },
      {
        id: 'P13', what: 'apply of that export',
        figure: `${writes(f.applyRequests)} writes, ${total(f.applyRequests)} reads (${listings(f.applyRequests)}), ${Math.round(f.applyMs)} ms`, goal: '0 writes; one listing per type', met: f.noChanges && writes(f.applyRequests) === 0 && Object.entries(f.applyRequests).every(([k, n]) => n === (k === 'GET network/FirewallRule' ? f.firewallsWithRules : k === 'GET network/Network' ? f.regionsWithNetworks : 1)),
      },
    ];
  } finally {
    await emu.close();
  }
}

function print(rows: Row[], servers: number, load: Load): void {
  const cpus = os.cpus();
  // The 1-minute averages span the run; the 5- and 15-minute ones mostly what ran before it.
  const busy = Math.max(load.before[0] ?? 0, load.after?.[0] ?? 0) > load.cores;
  const lines = [
    `mixcoatl bench — ${new Date().toISOString()}`,
    `node ${process.version}, ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${load.cores} cores, emulator with ${servers.toLocaleString('en')} extra servers in a child process`,
    `load average (1 / 5 / 15 min): before ${loadText(load.before)}, after ${loadText(load.after ?? [])}`,
    busy ? `WARNING: the 1-minute load average exceeded the ${load.cores} cores: other work competed for the CPU, so the timings below are unreliable (request counts are not affected)` : 'the 1-minute load average stayed below the core count',
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
  const rounds = argRounds();
  const only = process.env.BENCH_ONLY?.split(',');
  const want = (id: string) => !only || only.includes(id);
  const load: Load = { before: os.loadavg(), cores: os.availableParallelism?.() ?? os.cpus().length };
  const rows: Row[] = [];
  const emu = await spawnEmulator({ servers, seed: 1 });
  let statics: StaticServer | undefined;
  try {
    useEmulator(emu);
    const ids = (await Server.all({ keysOnly: true })) as number[];
    const body = (await request('GET', 'infrastructure/Server')).text;
    const real = realSizeBody(10_000);
    if (want('P1')) rows.push(await p1(emu));
    if (want('P2')) rows.push(await p2(emu, ids[ids.length - 1]));
    if (want('P3')) rows.push(await p3(body, 'emulator (0.5 KB)', 1.5, rounds), await p3(real, 'real-size (3 KB)', 1.3, rounds));
    if (want('P4')) rows.push(await p4(body, 'emulator'), await p4(real, 'real-size'));
    if (want('P5') || want('P6')) statics = await startStatic(2_000);
    if (want('P5')) rows.push(await p5(statics as StaticServer, rounds));
    if (want('P6')) rows.push(...(await p6(statics as StaticServer, rounds)));
    useEmulator(emu);
    if (want('P7')) rows.push(await p7(emu, ids[0], rounds));
    if (want('P8')) rows.push(await p8(emu));
  } finally {
    statics?.child.stdin?.end();
    await emu.close();
  }
  if (want('P9')) rows.push(await p9());
  if (want('P9d')) rows.push(...(await p9Dashboard(rounds)));
  if (want('P10')) rows.push(...(await p10()));
  if (want('P11')) rows.push(...(await p11(rounds)), await p11RateLimit());
  if (want('P12')) rows.push(await p12());
  if (want('P13')) rows.push(...(await p13()));
  load.after = os.loadavg();
  print(rows, servers, load);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
