/**
 * One side of P6, run in a process of its own by run.ts (as P5's sides are): ten untimed warm-up
 * rounds (the JIT and both threads settle), then three timed rounds of 300 reads of one server
 * each, against the client-bound server; the median round is the process's figure.
 *
 *   node dist/spec/bench/latency-side.js lazy|limit|promise|main <api root> <access key> <secret key>
 *     → prints `{"msPerCall":…}`
 *
 * lazy: `new Server(id).name` (a synchronous lazy read), from the package as a program imports it
 * (`mixcoatl`: the bundled entry). limit: the same GET made with got through
 * the library's worker bridge, got's stream interface as send() uses it (bridge-got-worker.ts).
 * promise: the same through got's promise interface (bridge-got-promise-worker.ts). main: one
 * awaited got GET on the main thread.
 */
import { clearIdentityMaps, configure, Server } from 'mixcoatl';
import { SyncBridge } from '../../lib/http/bridge.js';
import type { WireRequest } from '../../lib/wire.js';
import { rawGot, signedHeaders } from './raw.js';

const [side, url, accessKey, secretKey] = process.argv.slice(2) as [string, string, string, string];
const ids = Array.from({ length: 300 }, (_, i) => 1_001 + i);
configure({ endpoint: url, accessKey, secretKey, envFile: false });

const wireFor = (id: number): WireRequest => {
  const path = `/infrastructure/Server/${id}`;
  return {
    method: 'GET', url: `${url}${path}`, signedPath: `${new URL(url).pathname}${path}`, headers: {}, signed: true, accessKey, secretKey, sslVerify: true,
    timeout: { connect: 10_000, response: 30_000, request: 30_000, total: 30_000 }, retry: { limit: 0, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 }, maxBodyBytes: 1 << 26,
  };
};
const through = (bridge: SyncBridge) => (): void => {
  for (const id of ids) void (JSON.parse(bridge.call(wireFor(id), 30_000).body) as { servers: Array<{ name: string }> }).servers[0]!.name;
};
const sides: Record<string, () => void | Promise<void>> = {
  lazy: () => {
    clearIdentityMaps();
    for (const id of ids) void new Server(id).name;
  },
  limit: through(new SyncBridge({ entry: new URL('./bridge-got-worker.js', import.meta.url) })),
  promise: through(new SyncBridge({ entry: new URL('./bridge-got-promise-worker.js', import.meta.url) })),
  main: async () => {
    for (const id of ids) {
      const u = `${url}/infrastructure/Server/${id}`;
      void (JSON.parse((await rawGot(u, { headers: signedHeaders({ accessKey, secretKey }, u) })).body) as { servers: Array<{ name: string }> }).servers[0]!.name;
    }
  },
};
const round = sides[side];
if (!round) throw new Error(`unknown side ${side}`);
for (let i = 0; i < 10; i++) await round();
const figures: number[] = [];
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  await round();
  figures.push((performance.now() - started) / ids.length);
}
process.stdout.write(`${JSON.stringify({ msPerCall: figures.sort((a, b) => a - b)[figures.length >> 1] })}\n`);
process.exit(0);
