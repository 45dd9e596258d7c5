/**
 * P4 probe, run by run.ts as `node --expose-gc dist/spec/bench/heap.js <body.json>`: heap
 * retained by the parsed JSON of one list body versus by the Server objects hydrated from it,
 * each measured after a full collection, four times in alternating order; the figures are the
 * medians. Prints `{"parsedBytes":…,"hydratedBytes":…,"items":…}`.
 */
import { readFileSync } from 'node:fs';
import { clearIdentityMaps, configure, Server, type WireResponse } from '../../lib/index.js';
import { median } from './raw.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** Heap in use after full collections, with turns of the event loop for pending finalizers. */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

async function measureParsed(): Promise<{ bytes: number; items: number }> {
  const base = await settledHeap();
  let parsed: { servers: unknown[] } | undefined = JSON.parse(body) as { servers: unknown[] };
  const bytes = (await settledHeap()) - base;
  const items = parsed.servers.length;
  parsed = undefined;
  return { bytes, items: items + (parsed === undefined ? 0 : 1) };
}

async function measureHydrated(): Promise<{ bytes: number; items: number }> {
  clearIdentityMaps();
  const base = await settledHeap();
  let servers: Server[] | undefined = await Server.all();
  const bytes = (await settledHeap()) - base;
  const items = servers.length;
  servers = undefined;
  clearIdentityMaps();
  return { bytes, items: items + (servers === undefined ? 0 : 1) };
}

const body = readFileSync(process.argv[2], 'utf8');
const response: WireResponse = { statusCode: 200, headers: {}, body, durationMs: 0, attempts: 1 };
configure({ endpoint: 'http://127.0.0.1:9/api/enstratus/2015-05-25', accessKey: 'a', secretKey: 'b', envFile: false, transport: { send: async () => response } });
// Warm the code paths (and the resolver cache) so only the data is measured.
await Server.all();
clearIdentityMaps();

// Both orders, twice each: the figure must not depend on which structure was measured first, and
// one reading disturbed by the machine (a collection's work left over, a finaliser run late) must
// not decide it, so each side's figure is its median.
const parsedRuns: number[] = [];
const hydratedRuns: number[] = [];
let items = 0;
for (let round = 0; round < 4; round++) {
  const parsedFirst = round % 2 === 0;
  const a = parsedFirst ? await measureParsed() : await measureHydrated();
  const b = parsedFirst ? await measureHydrated() : await measureParsed();
  const [p, h] = parsedFirst ? [a, b] : [b, a];
  if (p.items !== h.items) throw new Error('item count differs');
  items = p.items;
  parsedRuns.push(p.bytes);
  hydratedRuns.push(h.bytes);
}
process.stdout.write(`${JSON.stringify({ parsedBytes: median(parsedRuns), hydratedBytes: median(hydratedRuns), items, parsedRuns, hydratedRuns })}
`);
