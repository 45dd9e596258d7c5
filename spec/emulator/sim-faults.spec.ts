/**
 * `dcm sim --fault RULE` (repeatable) and `--faults FILE`: rules from the command line, checked
 * before the emulator starts, each refusal naming the rule and the problem.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSim } from '../../lib/cli/commands/sim.js';
import { parseFaultRule } from '../../lib/emulator/faults.js';
import { api, raw } from '../support/emulator-http.js';
import { sink, type Sink } from '../support/sink.js';

/** Resolves once the sim has printed its export lines (a condition, polled on stream data). */
function exported(stdout: Sink): Promise<{ url: string; accessKey: string; secretKey: string; origin: string }> {
  return new Promise((resolve) => {
    const check = () => {
      const text = stdout.text();
      if (!text.includes('ES_SECRET_KEY')) return;
      stdout.off('data', check);
      const env: Record<string, string> = {};
      for (const m of text.matchAll(/^export (ES_[A-Z_]+)=(.*)$/gm)) env[m[1]] = m[2];
      resolve({ url: env.ES_ENDPOINT, accessKey: env.ES_ACCESS_KEY, secretKey: env.ES_SECRET_KEY, origin: new URL(env.ES_ENDPOINT).origin });
    };
    stdout.on('data', check);
    check();
  });
}

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'emu-sim-faults-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dcm sim --fault: the rule syntax', () => {
  it.each([
    ['infrastructure/**:503:0.2', { name: 'infrastructure/**:503:0.2', path: 'infrastructure/**', status: 503, rate: 0.2 }],
    ['admin/Job/*:429', { name: 'admin/Job/*:429', path: 'admin/Job/*', status: 429 }],
    ['**:reset:0.01', { name: '**:reset:0.01', path: '**', reset: true, rate: 0.01 }],
    ['geography/Region:latency=250', { name: 'geography/Region:latency=250', path: 'geography/Region', latencyMs: 250 }],
  ])('%s', (text, rule) => {
    expect(parseFaultRule(text)).toEqual(rule);
  });

  it.each([
    ['infrastructure/**', /expected PATH:STATUS\|reset\|latency=MS\[:RATE\]/],
    ['a:b:c:d', /expected PATH:STATUS/],
    [':503', /the path glob is empty/],
    ['**:200', /status must be an HTTP error status \(400-599\), got 200/],
    ['**:999:0.5', /status must be an HTTP error status \(400-599\), got 999/],
    ['**:boom', /"boom" is not a status \(400-599\), "reset" or "latency=MS"/],
    ['**:503:1.5', /rate must be a number from 0 to 1, got "1.5"/],
    ['**:503:often', /rate must be a number from 0 to 1, got "often"/],
    ['**:503:', /rate must be a number from 0 to 1, got ""/],
    ['**:latency=fast', /latency must be whole milliseconds, got "fast"/],
    ['**:latency=10:0.5', /a rate applies to a status or reset/],
  ])('refuses %s naming the rule and the problem', (text, problem) => {
    expect(() => parseFaultRule(text)).toThrow(`fault rule '${text}': `);
    expect(() => parseFaultRule(text)).toThrow(problem);
  });
});

describe('dcm sim --fault / --faults', () => {
  it('serves with the rules of --faults FILE then each --fault, in that order', async () => {
    const file = join(dir, 'faults.json');
    writeFileSync(file, JSON.stringify([{ name: 'jobs-down', path: 'admin/Job/*', status: 500 }]));
    const stdout = sink();
    const stderr = sink();
    const abort = new AbortController();
    const done = runSim(['--faults', file, '--fault', 'admin/**:503', '--fault', 'geography/Region:reset'], { stdout, stderr, env: {}, signal: abort.signal });
    try {
      const target = await exported(stdout);
      expect((await api(target, 'GET', 'admin/Job/2')).status).toBe(500);
      expect((await api(target, 'GET', 'admin/Group')).status).toBe(503);
      await expect(api(target, 'GET', 'geography/Region')).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect((await api(target, 'GET', 'geography/Cloud')).status).toBe(200);
      const rules = (await raw(`${target.origin}/__emulator/faults`, 'GET')).json;
      expect(rules.map((r: { name: string }) => r.name)).toEqual(['jobs-down', 'admin/**:503', 'geography/Region:reset']);
      expect(stderr.text()).toContain('dcm sim: 3 fault rule(s) active: admin/Job/* → status 500; admin/** → status 503; geography/Region → reset');
    } finally {
      abort.abort();
    }
    expect(await done).toBe(0);
  });

  it('applies a rate: some requests fail, some pass', async () => {
    const stdout = sink();
    const abort = new AbortController();
    const done = runSim(['--fault', 'admin/Job:503:0.5', '--seed', '4'], { stdout, stderr: sink(), env: {}, signal: abort.signal });
    try {
      const target = await exported(stdout);
      const statuses = [];
      for (let i = 0; i < 40; i++) statuses.push((await api(target, 'GET', 'admin/Job')).status);
      expect(new Set(statuses)).toEqual(new Set([200, 503]));
    } finally {
      abort.abort();
    }
    expect(await done).toBe(0);
  });

  it.each([
    [['--fault', '**:600'], /^dcm sim: fault rule '\*\*:600': status must be an HTTP error status \(400-599\), got 600\n/],
    [['--fault', '**:503', '--fault', 'x:reset:2'], /^dcm sim: fault rule 'x:reset:2': rate must be a number from 0 to 1, got "2"\n/],
    [['--faults', '/no/such/faults.json'], /^dcm sim: --faults \/no\/such\/faults\.json: cannot be read: ENOENT/],
    [['--faults', 'BAD_JSON'], /^dcm sim: --faults .*bad\.json: is not valid JSON: /],
    [['--faults', 'BAD_RULE'], /^dcm sim: --faults .*rule\.json: faults\[1\]\.rate must be a number in \[0, 1\]\n/],
    [['--faults', 'NOT_ARRAY'], /^dcm sim: --faults .*object\.json: faults must be a JSON array of rules\n/],
  ])('refuses %j with exit code 2 before starting, naming the rule and the problem', async (argv, message) => {
    const files: Record<string, [string, string]> = {
      BAD_JSON: ['bad.json', '[{"status": 503'],
      BAD_RULE: ['rule.json', '[{"status": 503}, {"status": 500, "rate": 7}]'],
      NOT_ARRAY: ['object.json', '{"status": 503}'],
    };
    const args = argv.map((a) => {
      if (!files[a]) return a;
      const path = join(dir, files[a][0]);
      writeFileSync(path, files[a][1]);
      return path;
    });
    const io = { stdout: sink(), stderr: sink(), env: {} };
    expect(await runSim(args, io)).toBe(2);
    expect(io.stderr.text()).toMatch(message);
    expect(io.stdout.text()).toBe('');
  });
});
