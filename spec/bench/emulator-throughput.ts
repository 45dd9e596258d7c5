/**
 * Emulator throughput: the emulator runs in a child process (spawnEmulator, compiled `dist/`), and
 * this process drives signed `GET geography/Region/<id>` requests over node:http keep-alive agents
 * at a fixed concurrency for a fixed time. Only 200 answers count; any other answer fails the run,
 * so a figure is never inflated by fast errors.
 *
 *   node dist/spec/bench/emulator-throughput.js [durationMs] [connections]
 *
 * prints e.g. `emulator throughput: 5123 req/s (15369 requests in 3.00 s, 16 connections)`.
 */
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { spawnEmulator } from '../../lib/emulator/index.js';
import type { EmulatorHandle } from '../../lib/emulator/index.js';
import { authHeaders } from '../support/emulator-sign.js';

export interface BenchOptions {
  /** Measured time after warm-up (default 3000). */
  durationMs?: number;
  /** Concurrent keep-alive connections (default 16). */
  connections?: number;
  /**
   * Called once the emulator listens, before the warm-up (e.g. to open its dashboard in a
   * browser); the function it resolves with is called after the measurement.
   */
  alongside?: (emu: EmulatorHandle) => Promise<() => Promise<void>>;
}

export interface BenchResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
}

const WARM_UP_REQUESTS = 400;

/** One signed GET; resolves with the body text, rejects on a non-200 answer. */
function signedGet(emu: EmulatorHandle, agent: Agent, resourcePath: string): Promise<string> {
  const url = new URL(`${emu.url}/${resourcePath}`);
  const headers = {
    'user-agent': 'mixcoatl', accept: 'application/json', 'x-es-details': 'basic',
    ...authHeaders({ accessKey: emu.accessKey, secretKey: emu.secretKey, method: 'GET', path: url.pathname, timestamp: Date.now(), userAgent: 'mixcoatl' }),
  };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(text);
        else reject(new Error(`GET ${resourcePath} answered ${res.statusCode}: ${text}`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchEmulator(opts: BenchOptions = {}): Promise<BenchResult> {
  const durationMs = opts.durationMs ?? 3000;
  const connections = opts.connections ?? 16;
  const emu = await spawnEmulator({ quiet: true });
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let undo: (() => Promise<void>) | undefined;
  try {
    undo = await opts.alongside?.(emu);
    const regions = JSON.parse(await signedGet(emu, agent, 'geography/Region')).regions as Array<{ regionId: number }>;
    const paths = regions.map((r) => `geography/Region/${r.regionId}`);
    let next = 0;
    const pathFor = () => paths[next++ % paths.length];

    // Warm-up: open every connection and let both sides' JIT settle.
    const warm = Array.from({ length: connections }, async () => {
      for (let i = 0; i < WARM_UP_REQUESTS / connections; i++) await signedGet(emu, agent, pathFor());
    });
    await Promise.all(warm);

    let requests = 0;
    const started = performance.now();
    const deadline = started + durationMs;
    const loops = Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        await signedGet(emu, agent, pathFor());
        requests++;
      }
    });
    await Promise.all(loops);
    const seconds = (performance.now() - started) / 1000;
    return { requests, seconds, requestsPerSecond: Math.round(requests / seconds) };
  } finally {
    await undo?.();
    agent.destroy();
    await emu.close();
  }
}

async function main(): Promise<void> {
  const [duration, conns] = process.argv.slice(2).map(Number);
  const connections = conns || 16;
  const result = await benchEmulator({ durationMs: duration || 3000, connections });
  process.stdout.write(`emulator throughput: ${result.requestsPerSecond} req/s (${result.requests} requests in ${result.seconds.toFixed(2)} s, ${connections} connections)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
}
