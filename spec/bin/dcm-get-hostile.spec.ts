/**
 * The built dcm-get against answers that make no sense, from a loopback server: a redirect, an
 * empty 200, JSON nested thousands of levels deep. Each is a one-line ResponseError and exit 11
 * (never exit 0 with nothing printed, never a stack overflow), whatever the output format.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, lines, requireBuild } from '../cli/run-bin.js';
import { runProcess, type RunResult } from '../support/run-process.js';

const DEEP = `{"servers":[{"serverId":1,"tags":${'['.repeat(3_000)}${']'.repeat(3_000)}}]}`;

const ANSWERS: Record<string, { status: number; headers?: Record<string, string>; body: string }> = {
  '/redirect': { status: 302, headers: { location: 'https://sso.example.com/login' }, body: '<html><title>Sign in</title></html>' },
  '/empty': { status: 200, headers: { 'content-type': 'application/json' }, body: '' },
  '/blank': { status: 200, headers: { 'content-type': 'application/json' }, body: ' \n' },
  '/deep': { status: 200, headers: { 'content-type': 'application/json' }, body: DEEP },
  '/none': { status: 204, body: '' },
};

let http: HttpServer;
let endpoint: string;
let home: string;

beforeAll(async () => {
  requireBuild();
  http = createServer((req, res) => {
    const answer = ANSWERS[(req.url ?? '').replace(/^\/api\/enstratus\/[^/]+\/x/, '').replace(/\?.*$/, '')] ?? { status: 404, body: '{"error":{"message":"no such answer"}}' };
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/enstratus/2015-05-25`;
  home = mkdtempSync(join(tmpdir(), 'mixcoatl-hostile-'));
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  rmSync(home, { recursive: true, force: true });
});

function dcmGet(args: string[]): Promise<RunResult> {
  const env = { PATH: process.env.PATH, HOME: home, ES_ENDPOINT: endpoint, ES_ACCESS_KEY: 'AK', ES_SECRET_KEY: 'hostile-secret-key' };
  return runProcess(process.execPath, [binPath('dcm-get'), ...args], { cwd: home, env });
}

describe('dcm-get against answers that make no sense', () => {
  it('a redirect exits 11 and names the status and the Location', async () => {
    const r = await dcmGet(['x/redirect']);
    expect(r.code).toBe(11);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^dcm-get: ResponseError: the API answered with a redirect \(302\) to https:\/\/sso\.example\.com\/login;/);
  });

  it('--statuscodeonly still prints the redirect status and exits 0', async () => {
    const r = await dcmGet(['x/redirect', '--statuscodeonly']);
    expect(r).toMatchObject({ code: 0, stdout: '302\n' });
  });

  it('an empty 200 body to GET exits 11', async () => {
    const r = await dcmGet(['x/empty']);
    expect(r.code).toBe(11);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('dcm-get: ResponseError: the 200 response to GET x/empty has an empty body (200)\n');
  });

  it('a 200 body of blanks to GET exits 11 too (it is not JSON)', async () => {
    const r = await dcmGet(['x/blank']);
    expect(r.code).toBe(11);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^dcm-get: ResponseError: response is not JSON \(200, /);
  });

  it('a 204 (no content) is not an empty-body failure', async () => {
    const r = await dcmGet(['x/none']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it.each([[[]], [['--csv']]])('JSON nested 3,000 levels deep exits 11 without a stack overflow (%j)', async (flags) => {
    const r = await dcmGet(['x/deep', ...flags]);
    expect(r.code).toBe(11);
    expect(r.stderr).toMatch(/^dcm-get: ResponseError: 200 response nests JSON deeper than 64 levels; refused/);
    expect(r.stderr).not.toContain('RangeError');
  });

  it('with --xml the too-deep JSON is printed as received, not converted', async () => {
    const r = await dcmGet(['x/deep', '--xml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${DEEP}\n`);
    expect(r.stderr).toBe('');
  });
});
