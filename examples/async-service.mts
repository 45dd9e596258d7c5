// A small HTTP service in strict mode: every read is awaited, so the event loop is never blocked by the API.
//
// Compile and run (TypeScript, strict): npx tsc -p examples && node dist/examples/async-service.mjs [--serve]
// Without --serve it answers two sample requests to itself and exits.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { configure, DcmError, NotFoundError, NotLoadedError, Resource, Server, type Region } from 'mixcoatl';

// Strict mode: reading an attribute that is not loaded throws NotLoadedError instead of
// blocking the thread on a synchronous request (DCM_LAZY=async does the same).
configure({ lazy: 'async' });

interface ServerSummary {
  id: number;
  name: string;
  status: string;
  region: string;
}

async function summaries(): Promise<ServerSummary[]> {
  const servers = await Server.all(); // one request; every server arrives loaded
  // Regions are lazy references: load the distinct ones, a few at a time, without blocking.
  await Resource.loadMany(servers.map((s): Region => s.region), { concurrency: 4 });
  return servers.map((s) => ({ id: s.serverId, name: s.name, status: s.status, region: s.region.name }));
}

async function one(id: number): Promise<ServerSummary> {
  const server = await Server.get(id); // NotFoundError for an unknown id
  const region = await server.region.load();
  return { id: server.serverId, name: server.name, status: server.status, region: region.name };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body, null, 2)}\n`);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const match = /^\/servers\/(\d+)$/.exec(path);
  try {
    if (path === '/servers') send(res, 200, await summaries());
    else if (match) send(res, 200, await one(Number(match[1])));
    else send(res, 404, { error: `no route ${path}` });
  } catch (error) {
    if (error instanceof NotFoundError) send(res, 404, { error: error.message });
    else if (error instanceof NotLoadedError) send(res, 500, { error: `a read was not awaited: ${error.message}` });
    else if (error instanceof DcmError) send(res, 502, { error: error.message, code: error.code });
    else send(res, 500, { error: String(error) });
  }
}

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const http = createServer((req, res) => void handle(req, res));
await new Promise<void>((resolve) => http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
console.log(`listening on ${base}`);

if (!process.argv.includes('--serve')) {
  const all = (await (await fetch(`${base}/servers`)).json()) as ServerSummary[];
  console.log(`GET /servers: ${all.length} servers, e.g. ${JSON.stringify(all[0])}`);
  const missing = await fetch(`${base}/servers/999999999`);
  console.log(`GET /servers/999999999: ${missing.status} ${JSON.stringify(await missing.json())}`);
  delay.disable();
  console.log(`longest event-loop delay: ${(delay.max / 1e6).toFixed(1)} ms`);
  http.close();
}
