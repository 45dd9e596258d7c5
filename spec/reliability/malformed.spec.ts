/**
 * Hostile and malformed responses become typed errors with the status and a short excerpt of
 * the body — never a crash, never a silently empty result.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import nock from 'nock';
import {
  configure, request, Server, NetworkError, NotFoundError, ResponseError, ServerError,
} from '../../lib/index.js';
import { MAX_JSON_DEPTH } from '../../lib/redaction.js';
import { failure, useNockedApi } from './support.js';

const API = 'https://dcm.test';
const BASE = '/api/enstratus/2015-05-25';
const ONE = `${BASE}/infrastructure/Server/42`;
const ALL = `${BASE}/infrastructure/Server`;

const HTML_502 = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title><style>body { font: 12px sans-serif; }</style></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.18.0</center>
${'<!-- padding -->'.repeat(200)}</body></html>`;

useNockedApi(API, { accessKey: 'ak', secretKey: 'sk-malformed', retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 2 } });

describe('malformed responses', () => {
  it('an HTML error page (502) is a ServerError with the page title as excerpt, after the retries', async () => {
    nock(API).get(ONE).times(3).reply(502, HTML_502, { 'content-type': 'text/html' });
    const error = await failure(Server.get(42));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.statusCode).toBe(502);
    expect(error.message).toContain('502 Bad Gateway');
    expect(error.message).not.toContain('<html');
    expect(error.message.length).toBeLessThan(500);
  });

  it('a 200 carrying an HTML page is a ResponseError (EBADJSON) with status and excerpt', async () => {
    nock(API).get(ALL).reply(200, HTML_502.replace(/502 Bad Gateway/g, 'Sign in'), { 'content-type': 'text/html' });
    const error = await failure(Server.all());
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: 'EBADJSON', statusCode: 200 });
    expect(error.message).toMatch(/not JSON.*Sign in/);
    expect(error.message.length).toBeLessThan(400);
  });

  it('truncated JSON is a ResponseError (EBADJSON), for a single read and a listing', async () => {
    nock(API).get(ONE).reply(200, '{"servers":[{"serverId":42,"name":"web-');
    nock(API).get(ALL).reply(200, '{"servers":[{"serverId":42},');
    const one = await failure(Server.get(42));
    expect(one).toBeInstanceOf(ResponseError);
    expect(one).toMatchObject({ code: 'EBADJSON', statusCode: 200 });
    expect(one.message).toContain('{"servers":[{"serverId":42,"name":"web-');
    expect(await failure(Server.all())).toMatchObject({ name: 'ResponseError', code: 'EBADJSON' });
  });

  it('an envelope without the expected collection is a ResponseError (EENVELOPE), never an empty result', async () => {
    nock(API).get(ALL).reply(200, { jobs: [] });
    nock(API).get(ALL).reply(200, { servers: [1, 2] });
    nock(API).get(ALL).reply(200, '');
    nock(API).get(ALL).reply(200, [{ serverId: 1 }]);
    nock(API).get(ONE).reply(200, { server: { serverId: 42 } });
    const errors = [await failure(Server.all()), await failure(Server.all()), await failure(Server.all()), await failure(Server.all()), await failure(Server.get(42))];
    for (const error of errors) expect(error).toMatchObject({ name: 'ResponseError', code: 'EENVELOPE', statusCode: 200 });
    expect(errors.map((e) => /found ([a-z ]+)/.exec(e.message)?.[1])).toEqual(['members jobs', 'members servers', 'an empty body', 'a bare array', 'members server']);
  });

  it('an empty single-object envelope is NotFoundError', async () => {
    nock(API).get(ONE).reply(200, { servers: [] });
    expect(await failure(Server.get(42))).toBeInstanceOf(NotFoundError);
  });

  it('a 200 whose body is an error is a ResponseError (EERRORBODY) with the API message', async () => {
    nock(API).get(ONE).reply(200, { error: { message: 'Internal failure loading server 42' } });
    nock(API).get(`${BASE}/geography/Region`).reply(200, { error: { message: 'Session expired' } });
    const error = await failure(Server.get(42));
    expect(error).toMatchObject({ name: 'ResponseError', code: 'EERRORBODY', statusCode: 200 });
    expect(error.message).toContain('Internal failure loading server 42');
    expect(await failure(request('GET', 'geography/Region'))).toMatchObject({ code: 'EERRORBODY', message: expect.stringContaining('Session expired') });
  });

  it('an error status with JSON lacking error.message falls back to the raw text', async () => {
    nock(API).get(ONE).reply(404, { problem: 'gone' });
    const error = await failure(Server.get(42));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('{"problem":"gone"}');
  });

  it('an oversized body is refused as a ResponseError (EBODYTOOLARGE) with its status, and not retried', async () => {
    configure({ maxBodyBytes: 10_000 });
    const big = JSON.stringify({ servers: Array.from({ length: 500 }, (_, i) => ({ serverId: i, name: `server-${i}` })) });
    nock(API).get(ALL).reply(200, big);
    const error = await failure(Server.all());
    expect(error).toMatchObject({ name: 'ResponseError', code: 'EBODYTOOLARGE', statusCode: 200 });
    expect(error.message).toContain('10000 bytes');
    expect(error.message.length).toBeLessThan(300);
  });

  it(`JSON nested deeper than ${MAX_JSON_DEPTH} levels is a ResponseError (ETOODEEP), for the ORM and request()`, async () => {
    const deep = (levels: number, inner = '1') => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
    nock(API).get(ONE).reply(200, `{"servers":[{"serverId":42,"tags":${deep(3_000)}}]}`);
    nock(API).get(ALL).reply(200, `{"servers":[{"serverId":42,"tags":${deep(3_000)}}]}`);
    nock(API).get(`${BASE}/admin/Job`).reply(200, deep(3_000));
    for (const error of [await failure(Server.get(42)), await failure(Server.all()), await failure(request('GET', 'admin/Job'))]) {
      expect(error).toMatchObject({ name: 'ResponseError', code: 'ETOODEEP', statusCode: 200 });
      expect(error.message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
      expect(() => JSON.stringify(error)).not.toThrow();
    }
  });

  it(`JSON exactly ${MAX_JSON_DEPTH} levels deep is accepted, and prints`, async () => {
    // The envelope, its array and the item are three of the levels.
    const tags = `${'['.repeat(MAX_JSON_DEPTH - 3)}"leaf"${']'.repeat(MAX_JSON_DEPTH - 3)}`;
    nock(API).get(ONE).reply(200, `{"servers":[{"serverId":42,"name":"deep","tags":${tags}}]}`);
    const server = await Server.get(42);
    expect(server.name).toBe('deep');
    expect(JSON.stringify(server)).toContain('"leaf"');
    nock(API).get(`${BASE}/admin/Job`).reply(200, `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`);
    expect(await failure(request('GET', 'admin/Job'))).toMatchObject({ code: 'ETOODEEP' });
  });

  it.each([301, 302, 303, 307, 308])('a %i redirect is a ResponseError (EREDIRECT) naming the status and the Location, never a success', async (status) => {
    nock(API).get(ONE).reply(status, '<html><title>Sign in</title></html>', { location: 'https://sso.example.com/login?next=%2Fapi' });
    nock(API).get(ALL).reply(status, '');
    const one = await failure(Server.get(42));
    expect(one).toMatchObject({ name: 'ResponseError', code: 'EREDIRECT', statusCode: status });
    expect(one.message).toContain(`redirect (${status}) to https://sso.example.com/login?next=%2Fapi`);
    expect(one.message).not.toContain('envelope');
    const all = await failure(Server.all());
    expect(all).toMatchObject({ name: 'ResponseError', code: 'EREDIRECT', statusCode: status });
    expect(all.message).toContain('without a Location header');
  });

  it('a redirect is not followed, and request() with throwOnError: false reports its status', async () => {
    nock(API).get(`${BASE}/admin/Job`).reply(302, '', { location: 'https://elsewhere.example.com/' });
    const result = await request('GET', 'admin/Job', { throwOnError: false });
    expect(result.statusCode).toBe(302);
    expect(result.headers.location).toBe('https://elsewhere.example.com/');
  });

  it('an answer for another id is a ResponseError (EWRONGID), and the object stays unloaded', async () => {
    nock(API).get(`${BASE}/infrastructure/Server/7`).reply(200, { servers: [{ serverId: 5, name: 'five' }] });
    const seven = new Server(7);
    const error = await failure(seven.load());
    expect(error).toMatchObject({ name: 'ResponseError', code: 'EWRONGID', statusCode: 200 });
    expect(error.message).toBe('200 response to a read of Server 7 holds serverId 5, another object; refused');
    expect(seven.lastError).toBe(error);
    expect(seven.serverId).toBe(7);
    expect(seven.toJSON()).toEqual({ serverId: 7 });
    expect(inspect(seven)).not.toContain('five');
  });

  it('an answer with the same id in another spelling is accepted', async () => {
    nock(API).get(`${BASE}/infrastructure/Server/7`).reply(200, { servers: [{ serverId: '7', name: 'seven' }] });
    expect((await Server.get(7)).name).toBe('seven');
  });

  it('a hostile error message of a megabyte is cut to a short excerpt', async () => {
    nock(API).get(ONE).reply(400, { error: { message: 'x'.repeat(1_000_000) } });
    const error = await failure(Server.get(42));
    expect(error.name).toBe('BadRequestError');
    expect(error.message.length).toBeLessThan(1_200);
    expect(error.response?.body?.length).toBeLessThanOrEqual(2_001);
  });
});

describe('malformed streams from a loopback server', () => {
  let http: HttpServer;
  let url: string;
  let mode = 'cut';
  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    http = createServer((req, res) => {
      if (mode === 'cut') {
        // Promise 1,000 bytes, send 20, hang up.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"servers":[{"serve');
        setTimeout(() => res.destroy(), 5);
      } else if (mode === 'gzip') {
        // A small declared length that inflates to 200 KB.
        const body = gzipSync(JSON.stringify({ servers: [{ serverId: 1, name: 'z'.repeat(200_000) }] }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(body.length) });
        res.end(body);
      } else {
        // No content-length: the size is only known while streaming.
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < 50; i++) res.write(`${JSON.stringify({ filler: 'y'.repeat(1000) })},`);
        res.end();
      }
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}${BASE}`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    nock.disableNetConnect();
  });

  it('a body cut short by the server is a NetworkError after the retries', async () => {
    mode = 'cut';
    configure({ endpoint: url });
    const error = await failure(Server.all());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(/after 3 attempts/);
  });

  it('a chunked body growing past maxBodyBytes is refused while streaming', async () => {
    mode = 'chunked';
    configure({ endpoint: url, maxBodyBytes: 8_000 });
    const error = await failure(Server.all());
    expect(error).toMatchObject({ name: 'ResponseError', code: 'EBODYTOOLARGE', statusCode: 200 });
  });

  it('a compressed body whose declared length fits but which inflates past maxBodyBytes is refused', async () => {
    mode = 'gzip';
    configure({ endpoint: url, maxBodyBytes: 8_000 });
    const error = await failure(Server.all());
    expect(error).toMatchObject({ name: 'ResponseError', code: 'EBODYTOOLARGE', statusCode: 200 });
  });
});
