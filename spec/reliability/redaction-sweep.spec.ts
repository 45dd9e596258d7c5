/**
 * The sweep: a hostile API echoes the secret key and each request's signature back in every form
 * an encoder may use — JSON-escaped (`\/`, `\uXXXX`), plainly in text, in headers, in member names,
 * in a redirect's Location — with a long secret and with a short one, and nothing the library or
 * the CLI prints holds either: error messages, stacks, toJSON, inspect, pprint, lastError,
 * request() results, and the built executables' stdout and stderr and synchronous reads in a
 * fresh process (with the secret read from a profile file, not the environment).
 *
 * Library channels run against nock; the CLI's run in child processes against a loopback server.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import nock from 'nock';
import { clearIdentityMaps, configure, request, resetConfiguration, Server } from '../../lib/index.js';
import { binPath, requireBuild, ROOT } from '../cli/run-bin.js';
import { runProcess, type RunResult } from '../support/run-process.js';
import { printing } from '../support/printing.js';

const API = 'https://sweep.test';
const BASE = '/api/enstratus/2015-05-25';
const ACCESS = 'SWEEPACCESS';
const SECRETS: Array<[string, string]> = [
  ['long', 'sweep-secret/Kq8+Zr3=Wm5'],
  ['short', 'k/Q9z'],
];

/** `text` as the content of a JSON string, written by an encoder that escapes generously. */
function escaped(text: string): string {
  return [...text].map((c, i) => (c === '/' ? '\\/' : i % 2 === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('');
}

/** The hostile answers, by name; `sig` is the signature of the request being answered. */
function hostile(kind: string, secret: string, sig: string): { status: number; headers: Record<string, string>; body: string } {
  const both = `secret ${escaped(secret)} signature ${escaped(sig)}`;
  const plain = `secret ${secret} signature ${sig}`;
  const json = { 'content-type': 'application/json' };
  switch (kind) {
    case 'error':
      return { status: 400, headers: { ...json, 'x-echo': plain }, body: `{"error":{"message":"refused: ${both}"}}` };
    case 'error-body':
      return { status: 200, headers: json, body: `{"error":{"message":"session: ${both}"}}` };
    case 'data':
      return {
        status: 200,
        headers: { ...json, 'x-echo': plain },
        body: `{"servers":[{"serverId":7,"name":"${escaped(sig)}","description":"${both}","${escaped(secret)}":"${escaped(sig)}","tags":["${escaped(secret)}"]}]}`,
      };
    case 'wrong-id':
      return { status: 200, headers: json, body: `{"servers":[{"serverId":5,"name":"${both}"}]}` };
    case 'envelope':
      return { status: 200, headers: json, body: `{"${escaped(secret)}":[],"${escaped(sig)}":1}` };
    case 'html':
      return { status: 500, headers: { 'content-type': 'text/html' }, body: `<html><head><title>${plain}</title></head><body>${plain}</body></html>` };
    case 'text':
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: `not json: ${plain}` };
    case 'xml':
      return { status: 200, headers: { 'content-type': 'application/xml' }, body: `<servers><server><name>${plain}</name></server></servers>` };
    case 'redirect':
      return { status: 302, headers: { location: `https://login.test/sign-in?next=${secret}&sig=${sig}` }, body: '' };
    case 'empty':
      return { status: 200, headers: json, body: '' };
    default:
      throw new Error(`no hostile answer ${kind}`);
  }
}

function findLeaks(text: string, secret: string, signatures: Set<string>): string[] {
  const leaks: string[] = [];
  if (text.includes(secret)) leaks.push(`secret ${secret}`);
  for (const signature of signatures) if (text.includes(signature)) leaks.push(`signature ${signature}`);
  return leaks;
}

function errorChannels(error: unknown): string[] {
  const e = error as Error & { toJSON?: () => unknown };
  return [String(e), e.message, e.stack ?? '', inspect(e), inspect(e, { showHidden: true, depth: 8 }), JSON.stringify(e), JSON.stringify(e.toJSON?.())];
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

it('the escaped echoes decode to the secret and the signature (the sweep tests what it claims)', () => {
  for (const [, secret] of SECRETS) expect(JSON.parse(`"${escaped(secret)}"`)).toBe(secret);
  expect(JSON.parse(`"${escaped('ab/c+d=')}"`)).toBe('ab/c+d=');
});

it('a secret beginning with a backslash, echoed as a JSON encoder writes it, leaves the body readable', async () => {
  // Its JSON spelling (\\b…) holds its plain one (\b…): replacing the plain one first would leave
  // a lone backslash before the mark, an escape JSON does not have.
  const secret = '\\bsweep-secret-Kq8+Zr3';
  nock.disableNetConnect();
  configure({ endpoint: `${API}${BASE}`, accessKey: ACCESS, secretKey: secret, envFile: false, retry: { limit: 0 } });
  clearIdentityMaps();
  nock(API).get(`${BASE}/infrastructure/Server/7`).reply(200, JSON.stringify({ servers: [{ serverId: 7, name: secret, description: `key ${secret} echoed` }] }), { 'content-type': 'application/json' });
  try {
    const server = await Server.get(7);
    expect(server.name).toBe('[redacted]');
    expect(server.description).toBe('key [redacted] echoed');
  } finally {
    nock.cleanAll();
    resetConfiguration();
    nock.enableNetConnect();
  }
});

describe.each(SECRETS)('library channels, %s secret', (_label, secret) => {
  const signatures = new Set<string>();
  const out: string[] = [];

  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => {
    clearIdentityMaps();
    configure({ endpoint: `${API}${BASE}`, accessKey: ACCESS, secretKey: secret, envFile: false, retry: { limit: 0 } });
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    resetConfiguration();
    expect(pending).toEqual([]);
  });

  function answer(path: string, kind: string): void {
    nock(API)
      .get(`${BASE}/${path}`)
      .query(true)
      .reply(function () {
        const sig = String(this.req.headers['x-esauth-signature']);
        signatures.add(sig);
        const reply = hostile(kind, secret, sig);
        return [reply.status, reply.body, reply.headers];
      });
  }

  it('errors: messages, stacks, toJSON, inspect and lastError', async () => {
    for (const kind of ['error', 'html', 'text', 'redirect', 'wrong-id', 'envelope', 'error-body']) {
      answer('infrastructure/Server/7', kind);
      const server = new Server(7);
      const error = await rejection(server.load());
      expect(error.name).not.toBe('Error');
      out.push(...errorChannels(error), inspect(server), JSON.stringify(server), JSON.stringify(server.lastRequest));
      expect(server.lastError).toBe(error);
      out.push(...errorChannels(server.lastError));
    }
    answer('admin/Job/5', 'error');
    out.push(...errorChannels(await rejection(request('GET', 'admin/Job/5'))));
    answer('admin/Job/5', 'redirect');
    const redirect = await rejection(request('GET', 'admin/Job/5'));
    expect(redirect).toMatchObject({ name: 'ResponseError', code: 'EREDIRECT', statusCode: 302 });
    expect(redirect.message).toContain('https://login.test/sign-in?next=[redacted]');
    out.push(...errorChannels(redirect));
  });

  it('data: pprint, inspect, toJSON and request() results', async () => {
    answer('infrastructure/Server/7', 'data');
    const server = await Server.get(7);
    out.push(...printing(() => server.pprint()), inspect(server, { depth: 8 }), JSON.stringify(server), JSON.stringify(server.toJSON()));
    expect(JSON.stringify(server.toJSON())).toContain('[redacted]');
    for (const [kind, accept] of [['data', 'json'], ['xml', 'xml'], ['error', 'json']] as const) {
      answer('infrastructure/Server', kind);
      const result = await request('GET', 'infrastructure/Server', { accept, throwOnError: false });
      out.push(inspect(result, { depth: 8 }), JSON.stringify(result));
    }
  });

  it('no channel holds the secret or a signature', () => {
    const text = out.join('\n');
    expect(signatures.size).toBeGreaterThanOrEqual(12);
    expect(text).toContain('[redacted]');
    expect(findLeaks(text, secret, signatures)).toEqual([]);
  });
});

describe('CLI channels (built executables, secret from a profile file)', () => {
  const signatures = new Set<string>();
  const out: string[] = [];
  let secret = '';
  let http: HttpServer;
  let home: string;
  let endpoint: string;

  function kindOf(req: IncomingMessage): string {
    const url = new URL(req.url ?? '/', 'http://x');
    return url.searchParams.get('echo') ?? (url.pathname.endsWith('/Server/7') ? 'data' : 'error');
  }

  beforeAll(async () => {
    requireBuild();
    nock.enableNetConnect('127.0.0.1');
    http = createServer((req, res) => {
      const sig = String(req.headers['x-esauth-signature']);
      signatures.add(sig);
      const reply = hostile(kindOf(req), secret, sig);
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}${BASE}`;
    home = mkdtempSync(join(tmpdir(), 'mixcoatl-sweep-'));
    mkdirSync(join(home, '.mixcoatl'));
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    rmSync(home, { recursive: true, force: true });
    // nock's interception outlives this file in the worker: leave it letting everything through.
    nock.enableNetConnect();
  });

  /** A script of synchronous reads through the built library, printing every channel. */
  const SYNC_SCRIPT = [
    `import { inspect } from 'node:util';`,
    `import { Server, requestSync } from ${JSON.stringify(join(ROOT, 'dist', 'lib', 'index.js'))};`,
    'const show = (e) => console.log(String(e), e.stack, inspect(e, { showHidden: true, depth: 8 }), JSON.stringify(e));',
    'const seven = new Server(7);',
    'console.log(seven.name, seven.description, JSON.stringify(seven), inspect(seven, { depth: 8 }));',
    'seven.pprint();',
    'const eight = new Server(8);',
    'try { console.log(eight.name); } catch (e) { show(e); show(eight.lastError); }',
    "for (const echo of ['error', 'text', 'redirect', 'data', 'xml']) {",
    "  try { console.log(inspect(requestSync('GET', 'infrastructure/Server', { query: { echo }, accept: echo === 'xml' ? 'xml' : 'json' }), { depth: 8 })); } catch (e) { show(e); }",
    '}',
  ].join('\n');

  function cli(name: string, args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const command = name === 'sync-script' ? ['--input-type=module', '-e', SYNC_SCRIPT] : [binPath(name), ...args];
    return runProcess(process.execPath, command, { cwd: home, env: { PATH: process.env.PATH, HOME: home, ...extraEnv } });
  }

  it.each(SECRETS)('%s secret: stdout and stderr of dcm-get, dcm and a script of synchronous reads hold neither secret nor signature', async (_label, value) => {
    secret = value;
    writeFileSync(join(home, '.mixcoatl', 'default'), `ES_ACCESS_KEY=${ACCESS}\nES_SECRET_KEY=${secret}\nES_ENDPOINT=${endpoint}\n`);
    const runs: Array<[string, string[], Record<string, string>?]> = [
      ['dcm-get', ['admin/Job/5', 'echo=error']],
      ['dcm-get', ['admin/Job/5', 'echo=error'], { DCM_DEBUG: '1' }],
      ['dcm-get', ['infrastructure/Server', 'echo=data']],
      ['dcm-get', ['infrastructure/Server', 'echo=data', '--csv']],
      ['dcm-get', ['infrastructure/Server', 'echo=xml', '--xml']],
      ['dcm-get', ['infrastructure/Server', 'echo=text']],
      ['dcm-get', ['infrastructure/Server', 'echo=html'], { DCM_DEBUG: '1' }],
      ['dcm-get', ['infrastructure/Server', 'echo=redirect']],
      ['dcm-get', ['infrastructure/Server/7', 'echo=wrong-id']],
      ['dcm', ['server', 'describe', '7']],
      ['dcm', ['server', 'describe', '8']],
      ['sync-script', [], { DCM_DEBUG: '1' }],
    ];
    const codes: Array<number | null> = [];
    for (const [name, args, env] of runs) {
      const result = await cli(name, args, env);
      codes.push(result.code);
      out.push(result.stdout, result.stderr);
    }
    const text = out.join('\n');
    expect(findLeaks(text, secret, signatures)).toEqual([]);
    expect(text).toContain('[redacted]');
    expect(codes).toEqual([8, 8, 0, 0, 0, 11, 10, 11, 0, 0, 8, 0]);
    expect(out.at(-2)).toContain('[redacted]');
  });
});
