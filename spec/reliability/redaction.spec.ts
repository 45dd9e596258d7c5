/**
 * The secret key and the request signatures never appear in any output channel: lastRequest,
 * error messages, stacks, util.inspect and JSON of errors, DCM_DEBUG lines, pprint, the sync
 * path in a fresh process and the built CLI — even when a hostile server echoes them back.
 *
 * A recording proxy sits between the client and the emulator and keeps every
 * x-esauth-signature it sees; some queries make it answer by itself with the caller's own
 * signature and the secret in the body, a header or an HTML page.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { inspect, promisify } from 'node:util';
import { clearIdentityMaps, configure, resetConfiguration, request, Server, Job } from '../../lib/index.js';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { twentyPercentFaults } from './support.js';
import { printing } from '../support/printing.js';

const run = promisify(execFile);
const ACCESS = 'REDACTIONKEY';
const SECRET = 'redaction-secret-Zq7uX4p9Lm2w';
const WRONG_SECRET = 'wrong-secret-Hk3vB8n1Yt6e';

let emu: EmulatorHandle;
let proxy: HttpServer;
let proxyUrl: string;
const signatures = new Set<string>();
const out: string[] = [];
const covered = new Set<string>();

function hostile(echo: string, signature: string): { status: number; headers: Record<string, string>; body: string } {
  const both = `signature ${signature} secret ${SECRET}`;
  if (echo === 'error') return { status: 400, headers: { 'content-type': 'application/json', 'x-echo': both }, body: JSON.stringify({ error: { message: `refused: ${both}` } }) };
  if (echo === 'data') return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ servers: [{ serverId: 7, name: signature, description: both }] }) };
  if (echo === 'html') return { status: 500, headers: { 'content-type': 'text/html' }, body: `<html><head><title>${signature}</title></head><body>${both}</body></html>` };
  return { status: 200, headers: {}, body: `not json ${both}` };
}

beforeAll(async () => {
  emu = await startEmulator({ keys: [{ accessKey: ACCESS, secretKey: SECRET }] });
  proxy = createServer((req, res) => {
    const signature = req.headers['x-esauth-signature'];
    if (typeof signature === 'string') signatures.add(signature);
    const echo = new URL(req.url ?? '/', 'http://x').searchParams.get('echo');
    if (echo) {
      const reply = hostile(echo, String(signature));
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
      return;
    }
    const upstream = httpRequest(`${emu.origin}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${new URL(emu.url).pathname}`;
});
afterAll(async () => {
  resetConfiguration();
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await emu.close();
});
beforeEach(() => {
  clearIdentityMaps();
  resetConfiguration();
  configure({ endpoint: proxyUrl, accessKey: ACCESS, secretKey: SECRET, envFile: false, retry: { limit: 3, baseDelayMs: 1, maxDelayMs: 2 }, debug: (line) => { out.push(line); covered.add('debug'); } });
});

function collectError(error: unknown): void {
  const e = error as Error;
  out.push(String(e), e.message, e.stack ?? '', inspect(e), inspect(e, { showHidden: true, depth: 8 }), JSON.stringify(e));
  covered.add('errors');
}

async function attempt(fn: () => Promise<unknown>): Promise<void> {
  try {
    const value = await fn();
    out.push(inspect(value, { depth: 6 }));
  } catch (error) {
    collectError(error);
  }
}

function objectChannels(obj: Server | Job): void {
  out.push(JSON.stringify(obj.lastRequest), inspect(obj.lastRequest), inspect(obj), JSON.stringify(obj));
  if (obj.lastError) collectError(obj.lastError);
  covered.add('lastRequest');
}

describe('secrets and signatures in every output channel', () => {
  it('async reads, failures, faults and hostile echoes', async () => {
    const servers = await Server.all();
    for (const s of servers.slice(0, 3)) objectChannels(s);
    const one = await Server.get(servers[0].id as number);
    out.push(...printing(() => one.pprint()));
    covered.add('pprint');
    objectChannels(one);

    const missing = new Job(987654321);
    await attempt(() => missing.load());
    objectChannels(missing);
    for (const echo of ['error', 'data', 'html', 'text']) await attempt(() => request('GET', 'infrastructure/Server', { query: { echo } }));
    await attempt(async () => {
      const [hostileServer] = await Server.all({ rawQuery: { echo: 'data' } });
      objectChannels(hostileServer);
      return printing(() => hostileServer.pprint());
    });
    await attempt(() => request('POST', 'infrastructure/Server', { body: { launch: [{ name: 'x' }] } }));

    await emu.setFaults(twentyPercentFaults());
    try {
      for (let i = 0; i < 30; i++) await attempt(() => Server.get(servers[i % servers.length].id as number, {}));
      configure({ retry: { limit: 0 } });
      for (let i = 0; i < 30; i++) await attempt(() => Server.get(servers[i % servers.length].id as number));
    } finally {
      await emu.setFaults([]);
    }

    configure({ secretKey: WRONG_SECRET });
    await attempt(() => Server.get(servers[0].id as number));
    configure({ secretKey: SECRET, endpoint: `http://127.0.0.1:1${new URL(emu.url).pathname}` });
    await attempt(() => request('GET', 'admin/Job'));
    configure({ endpoint: proxyUrl, timeout: { response: 1 } });
    await attempt(() => request('GET', 'admin/Job', { query: { slow: 1 } }));
  });

  it('DCM_DEBUG lines on stderr', async () => {
    configure({ debug: undefined });
    const lines: string[] = [];
    const write = process.stderr.write;
    process.env.DCM_DEBUG = '1';
    process.stderr.write = ((chunk: string) => { lines.push(String(chunk)); return true; }) as typeof process.stderr.write;
    try {
      await Server.all();
      await attempt(() => request('GET', 'infrastructure/Server', { query: { echo: 'error' } }));
      await attempt(() => new Job(987654321).load());
    } finally {
      process.stderr.write = write;
      delete process.env.DCM_DEBUG;
    }
    expect(lines.some((l) => l.startsWith('[mixcoatl] GET'))).toBe(true);
    out.push(...lines);
    covered.add('DCM_DEBUG stderr');
  });

  it('the synchronous path and pprint in a fresh process', async () => {
    const script = fileURLToPath(new URL('./scripts/sync-channels.mjs', import.meta.url));
    const id = (await Server.all({ keysOnly: true }))[0];
    const env = { PATH: process.env.PATH, HOME: '/nonexistent', ES_ENDPOINT: proxyUrl, ES_ACCESS_KEY: ACCESS, ES_SECRET_KEY: SECRET, DCM_DEBUG: '1' };
    const { stdout, stderr } = await run(process.execPath, [script, String(id)], { env, timeout: 30_000 });
    expect(stdout).toContain('NotFoundError');
    expect(stderr).toContain('[mixcoatl] sync GET');
    out.push(stdout, stderr);
    covered.add('sync child stdout/stderr');
  });

  it('the built dcm-get (npm test builds before jest)', async () => {
    const bin = fileURLToPath(new URL('../../dist/bin/dcm-get.js', import.meta.url));
    expect(existsSync(bin)).toBe(true);
    const env = { PATH: process.env.PATH, HOME: '/nonexistent', ES_ENDPOINT: proxyUrl, ES_ACCESS_KEY: ACCESS, ES_SECRET_KEY: SECRET, DCM_DEBUG: '1' };
    const statuses: number[] = [];
    for (const args of [['infrastructure/Server'], ['infrastructure/Server/1'], ['admin/Job', '--json']]) {
      const result = await run(process.execPath, [bin, ...args], { env, timeout: 30_000 }).then(
        (ok) => ({ ...ok, code: 0 }),
        (error: { stdout: string; stderr: string; code: number }) => error,
      );
      statuses.push(result.code);
      out.push(result.stdout, result.stderr);
    }
    expect(statuses).toEqual([0, 4, 0]);
    covered.add('dcm-get stdout/stderr');
  });

  it('no output channel holds the secret or any signature sent', () => {
    const text = out.join('\n');
    expect(signatures.size).toBeGreaterThan(50);
    expect(text).toContain(ACCESS);
    expect(text).toContain('[redacted]');
    const leaks: string[] = [];
    for (const secret of [SECRET, WRONG_SECRET]) if (text.includes(secret)) leaks.push(`secret ${secret}`);
    for (const signature of signatures) if (text.includes(signature)) leaks.push(`signature ${signature}`);
    expect(leaks).toEqual([]);
    console.log(`reliability/redaction: ${signatures.size} signatures sent, ${out.length} outputs (${text.length} chars) scanned over ${[...covered].join(', ')}: ${leaks.length} occurrences`);
  });
});
