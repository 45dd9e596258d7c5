/**
 * One side of P5, run in a process of its own by run.ts so that neither side's code shares a JIT
 * (and got's two interfaces) with the other: untimed warm-up rounds, then one timed round of
 * 2,000 GETs at concurrency 16 against the client-bound server. The library is imported as a
 * program imports it (`mixcoatl`: the bundled entry).
 *
 *   node dist/spec/bench/throughput-side.js raw|lib <api root> <access key> <secret key>
 *     → prints `{"rps":…,"cpuUsPerRequest":…}`
 */
import { clearIdentityMaps, configure, Server } from 'mixcoatl';
import { atConcurrency, rawGot, signedHeaders } from './raw.js';

const [side, url, accessKey, secretKey] = process.argv.slice(2) as [string, string, string, string];
const ids = Array.from({ length: 2_000 }, (_, i) => i + 1);
const urls = ids.map((id) => `${url}/infrastructure/Server/${id}`);
configure({ endpoint: url, accessKey, secretKey, envFile: false, lazy: 'async' });

const raw = (): Promise<void> =>
  atConcurrency(urls, 16, async (u) => {
    const r = await rawGot(u, { headers: signedHeaders({ accessKey, secretKey }, u) });
    if (r.statusCode !== 200) throw new Error(`raw GET ${u}: ${r.statusCode}`);
    JSON.parse(r.body);
  });
const lib = (): Promise<void> => {
  clearIdentityMaps();
  return atConcurrency(ids, 16, async (id) => void (await Server.get(id)));
};
const round = side === 'raw' ? raw : lib;

for (let i = 0; i < 3; i++) await round();
const cpuStart = process.cpuUsage();
const started = performance.now();
await round();
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpuStart);
process.stdout.write(`${JSON.stringify({ rps: ids.length / seconds, cpuUsPerRequest: (used.user + used.system) / ids.length })}\n`);
