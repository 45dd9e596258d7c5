/**
 * OpenTelemetry (lib/tracing.ts), as a service that traces sees it: the built package, the SDK's
 * in-memory exporter, the emulator in a worker thread (scripts/traced.mjs, run as its own process:
 * the SDK and the package share the API's process-wide registry, which Jest's module sandbox
 * would split). And the same package where `@opentelemetry/api` cannot be resolved.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireBuild } from '../cli/run-bin.js';
import { runProcess } from '../support/run-process.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPTS = join(ROOT, 'spec', 'integration', 'scripts');

interface FinishedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, string | number | boolean>;
  status: { code: number };
}

const CLIENT = 2;

async function runScript(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ out: Record<string, unknown>; stderr: string }> {
  const r = await runProcess(process.execPath, [...args, join(SCRIPTS, script)], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, MIXCOATL_JOURNAL_DIR: process.env.MIXCOATL_JOURNAL_DIR, ...env } });
  if (r.code !== 0) throw new Error(`${script} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return { out: JSON.parse(r.stdout.trim()) as Record<string, unknown>, stderr: r.stderr };
}

describe('with a tracer provider registered', () => {
  let spans: FinishedSpan[];
  let secretKey: string;
  const named = (name: string): FinishedSpan[] => spans.filter((s) => s.name === name);
  const one = (name: string): FinishedSpan => {
    const found = named(name);
    expect(found.map((s) => s.name)).toEqual([name]);
    return found[0]!;
  };
  const childrenOf = (span: FinishedSpan): FinishedSpan[] => spans.filter((s) => s.parentSpanId === span.spanId);

  beforeAll(async () => {
    requireBuild();
    const { out } = await runScript('traced.mjs');
    spans = out.spans as FinishedSpan[];
    secretKey = out.secretKey as string;
  }, 60_000);

  it('a traced async handler has one span per operation: the listing, the lazy read, the action and the job wait with its poll', () => {
    const handler = one('handler');
    expect(childrenOf(handler).map((s) => s.name).sort()).toEqual(['Job.wait', 'Server.all', 'Server.description (lazy read)', 'Server.stop']);
    const wait = childrenOf(handler).find((s) => s.name === 'Job.wait')!;
    const polls = childrenOf(wait);
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls.every((p) => p.name === 'Job.poll')).toBe(true);
  });

  it('an apply run has a span, and each of its steps one below it, the step\'s requests below that', () => {
    const run = one('apply');
    expect(run.parentSpanId).toBeUndefined();
    const steps = childrenOf(run).filter((s) => s.name === 'apply.step');
    expect(steps.map((s) => [s.attributes['mixcoatl.apply.kind'], s.attributes['mixcoatl.resource']])).toEqual([['create', 'Volume']]);
    expect(childrenOf(steps[0]!).map((s) => s.attributes['http.request.method'])).toContain('POST');
    expect(spans.every((s) => [one('handler').traceId, one('sync handler').traceId, run.traceId].includes(s.traceId))).toBe(true);
  });

  it('each request is a child span of its operation, with the HTTP semantic-convention attributes', () => {
    const list = one('Server.all');
    const [get] = childrenOf(list);
    expect(get).toMatchObject({ name: 'GET', kind: CLIENT, status: { code: 0 } });
    expect(get!.attributes).toEqual({
      'http.request.method': 'GET',
      'url.full': expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/enstratus\/2015-05-25\/infrastructure\/Server$/),
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': expect.any(Number),
      'http.response.status_code': 200,
    });
    expect(childrenOf(one('Server.stop')).map((s) => [s.name, s.kind, s.attributes['http.response.status_code']])).toEqual([['PUT', CLIENT, 202]]);
    for (const poll of named('Job.poll')) expect(childrenOf(poll).map((s) => [s.name, s.attributes['http.request.method']])).toEqual([['GET', 'GET']]);
  });

  it('a synchronous lazy read inside an active span is its child, and its request the read\'s child', () => {
    const handler = one('sync handler');
    const [read] = childrenOf(handler);
    expect(read).toMatchObject({ name: 'Server.name (lazy read)', traceId: handler.traceId });
    expect(childrenOf(read!).map((s) => [s.name, s.kind, s.attributes['http.response.status_code'], s.traceId])).toEqual([['GET', CLIENT, 200, handler.traceId]]);
    // The lazy read in the async handler went through the worker too, inside that handler's trace.
    const asyncRead = one('Server.description (lazy read)');
    expect(childrenOf(asyncRead).map((s) => s.name)).toEqual(['GET']);
  });

  it('no span attribute holds the secret key or a signature', () => {
    const text = JSON.stringify(spans);
    expect(secretKey.length).toBeGreaterThan(8);
    expect(text).not.toContain(secretKey);
    expect(text).not.toMatch(/x-esauth|signature/i);
    // An HMAC-SHA256 signature in base64 is 44 characters ending in '='.
    for (const s of spans) for (const value of Object.values(s.attributes)) expect(String(value)).not.toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});

describe('without @opentelemetry/api installed', () => {
  beforeAll(() => requireBuild());

  /** The attempts to resolve the API, summed over the process and its worker threads. */
  function attempts(stderr: string): number {
    return [...stderr.matchAll(/\{"otelResolveAttempts":(\d+)\}/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  }

  it('the package loads and works, and never looks for the API when no provider is registered', async () => {
    const { out, stderr } = await runScript('untraced.mjs', ['--require', join(SCRIPTS, 'hide-otel.cjs')]);
    expect(out).toEqual({ servers: expect.any(Number), region: 'string', name: true });
    expect(attempts(stderr)).toBe(0);
    expect(stderr).toMatch(/otelResolveAttempts/);
  }, 60_000);

  it('with a provider registered but the API not loadable, it tries once and runs no span code', async () => {
    const { out, stderr } = await runScript('untraced.mjs', ['--require', join(SCRIPTS, 'hide-otel.cjs')], { MIXCOATL_SPEC_FAKE_PROVIDER: '1' });
    expect(out).toEqual({ servers: expect.any(Number), region: 'string', name: true });
    expect(attempts(stderr)).toBe(1);
  }, 60_000);
});
