/**
 * A tiny loopback server in a worker thread that serves the shipped fixtures as the DCM API
 * would (envelope, single-item envelope, 404 body) and counts requests. It runs in another
 * thread because the synchronous client blocks the main thread while it waits.
 *
 * Control: `GET /__count` → number of API requests so far; `DELETE /__count` resets it;
 * `GET /__last` → the last request's method, url and headers.
 */
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';

const SERVER_CODE = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const collections = workerData.collections; // { 'infrastructure/Server': { collection: 'servers', id: 'serverId', items: [...] } }
let count = 0;
let last = null;
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/__count') {
    if (req.method === 'DELETE') count = 0;
    res.end(String(count));
    return;
  }
  if (url.pathname === '/__last') { res.end(JSON.stringify(last)); return; }
  count++;
  last = { method: req.method, url: req.url, headers: req.headers };
  const m = /^\\/api\\/enstratus\\/\\d{4}-\\d{2}-\\d{2}\\/(\\w+\\/\\w+)(?:\\/([^/]+))?$/.exec(url.pathname);
  const entry = m && collections[m[1]];
  res.setHeader('content-type', 'application/json');
  if (!entry) { res.statusCode = 404; res.end(JSON.stringify({ error: { message: 'no such path ' + url.pathname } })); return; }
  if (m[2] !== undefined) {
    const item = entry.items.find((i) => String(i[entry.id]) === decodeURIComponent(m[2]));
    if (!item) { res.statusCode = 404; res.end(JSON.stringify({ error: { message: 'no ' + m[1] + ' with id ' + m[2] } })); return; }
    res.end(JSON.stringify({ [entry.collection]: [item] }));
    return;
  }
  let items = entry.items;
  for (const [k, v] of url.searchParams) items = items.filter((i) => i[k] === undefined || String(i[k]) === v || (i[k] && typeof i[k] === 'object' && String(i[k][k]) === v) || Object.values(i).some((o) => o && typeof o === 'object' && String(o[k]) === v));
  res.end(JSON.stringify({ [entry.collection]: items }));
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => { if (m === 'close') server.close(() => process.exit(0)); });
`;

export interface FixtureServer {
  url: string;
  count(): Promise<number>;
  resetCount(): Promise<void>;
  last(): Promise<{ method: string; url: string; headers: Record<string, string> } | null>;
  close(): Promise<void>;
}

function fixture(path: string): Record<string, unknown[]> {
  return JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, unknown[]>;
}

export function fixtureCollections(): Record<string, { collection: string; id: string; items: unknown[] }> {
  return {
    'infrastructure/Server': { collection: 'servers', id: 'serverId', items: fixture('infrastructure/server.json').servers },
    'admin/Job': { collection: 'jobs', id: 'jobId', items: fixture('admin/job.json').jobs },
  };
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const worker = new Worker(SERVER_CODE, { eval: true, workerData: { collections: fixtureCollections() } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/api/enstratus/2015-05-25`,
    count: async () => Number(await (await fetch(`${origin}/__count`)).text()),
    resetCount: async () => {
      await fetch(`${origin}/__count`, { method: 'DELETE' });
    },
    last: async () => (await (await fetch(`${origin}/__last`)).json()) as never,
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
