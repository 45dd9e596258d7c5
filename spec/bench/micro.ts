/**
 * Focused micro-benchmarks of the P5/P6 paths, for profiling one side at a time:
 *
 *   node [--cpu-prof] dist/spec/bench/micro.js <mode> [rounds]
 *
 * modes: `raw-async` (got GETs at concurrency 16), `lib-async` (Server.get() at concurrency 16),
 * `raw-serial` (awaited got GET per call), `lib-sync` (new Server(id).name per call).
 * Each round prints its figure; the last line is the median.
 */
import { clearIdentityMaps, configure, requestSync, Server } from '../../lib/index.js';
import { spawnEmulator } from '../../lib/emulator/index.js';
import { atConcurrency, median, rawGot, signedHeaders } from './raw.js';


async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'lib-async';
  const rounds = Number(process.argv[3] ?? 5);
  const emu = await spawnEmulator({ servers: 2_000, seed: 1 });
  try {
    configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, transport: undefined });
    const ids = ((await Server.all({ keysOnly: true })) as number[]).slice(0, 2_000);
    const urls = ids.map((id) => `${emu.url}/infrastructure/Server/${id}`);
    const figures: number[] = [];
    if (mode === 'lib-sync') requestSync('GET', `infrastructure/Server/${ids[0]}`);
    for (let round = 0; round < rounds; round++) {
      clearIdentityMaps();
      const started = performance.now();
      let n = ids.length;
      if (mode === 'raw-async') {
        await atConcurrency(urls, 16, async (url) => void JSON.parse((await rawGot(url, { headers: signedHeaders(emu, url) })).body));
      } else if (mode === 'lib-async') {
        await atConcurrency(ids, 16, async (id) => void (await Server.get(id)));
      } else if (mode === 'raw-serial') {
        n = 300;
        for (const url of urls.slice(0, n)) JSON.parse((await rawGot(url, { headers: signedHeaders(emu, url) })).body);
      } else if (mode === 'lib-serial') {
        n = 300;
        for (const id of ids.slice(0, n)) await Server.get(id);
      } else if (mode === 'lib-sync') {
        n = 300;
        let inWorker = 0;
        for (const id of ids.slice(0, n)) {
          const server = new Server(id);
          void server.name;
          inWorker += server.lastRequest?.durationMs ?? 0;
        }
        process.stdout.write(`  send() in the worker: ${(inWorker / n).toFixed(3)} ms/call\n`);
      } else {
        throw new Error(`unknown mode ${mode}`);
      }
      const ms = performance.now() - started;
      const figure = mode.endsWith('async') ? n / (ms / 1000) : ms / n;
      figures.push(figure);
      process.stdout.write(`${mode} round ${round}: ${figure.toFixed(mode.endsWith('async') ? 0 : 3)}${mode.endsWith('async') ? ' req/s' : ' ms/call'}\n`);
    }
    process.stdout.write(`${mode} median: ${median(figures.slice(1)).toFixed(3)}\n`);
  } finally {
    await emu.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
