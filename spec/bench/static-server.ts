/**
 * The client-bound server of P5 and P6: a minimal node:http server, run in a process of its own,
 * that answers `GET …/infrastructure/Server/<id>` with a prebuilt body (the 3 KB server of
 * spec/fixtures/infrastructure/server.json, its id set to <id>) and checks nothing but the presence
 * of the signing headers. It does next to no work per request, so the client is the bottleneck.
 *
 *   node dist/spec/bench/static-server.js <fixture.json> [ids]   → prints `{"url":…}` when listening
 *
 * Other paths answer 404. It ends when its standard input closes (its parent went away).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const fixture = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { servers: Array<Record<string, unknown>> };
const ids = Number(process.argv[3] ?? 2_000);
const template = fixture.servers[0];
const PREFIX = '/api/enstratus/2015-05-25/infrastructure/Server/';
const bodies = new Map<string, Buffer>();
for (let id = 1; id <= ids; id++) bodies.set(String(id), Buffer.from(JSON.stringify({ servers: [{ ...template, serverId: id, name: `bench-${id}` }] })));
const notFound = Buffer.from(JSON.stringify({ error: { message: 'not found' } }));

const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const url = req.url ?? '';
  const body = url.startsWith(PREFIX) && req.headers['x-esauth-signature'] ? bodies.get(url.slice(PREFIX.length)) : undefined;
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'content-length': (body ?? notFound).length });
  res.end(body ?? notFound);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/enstratus/2015-05-25` })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
