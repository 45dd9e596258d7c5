/**
 * `dcm check` and `dcm-api-tests --get` against `dcm sim` (the built executables, the emulator in
 * a child process): a healthy emulator passes, every resource that really fails is named on a
 * line of its own.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, requireBuild, runBin } from './run-bin.js';

let sim: ChildProcessWithoutNullStreams;
let home: string;
let env: Record<string, string | undefined>;
let origin: string;

/** Starts `dcm sim --port 0` and resolves with its export lines once it listens. */
function startSim(): Promise<Record<string, string>> {
  sim = spawn(process.execPath, [binPath('dcm'), 'sim', '--port', '0'], { env: { PATH: process.env.PATH, HOME: home }, stdio: 'pipe' });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    sim.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const vars = Object.fromEntries([...out.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2].replace(/^'|'$/g, '')]));
      if (vars.ES_ENDPOINT && vars.ES_ACCESS_KEY && vars.ES_SECRET_KEY) resolve(vars);
    });
    sim.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    sim.on('exit', (code) => reject(new Error(`dcm sim exited with ${code}: ${err}`)));
  });
}

async function setFaults(rules: object[]): Promise<void> {
  const response = await fetch(`${origin}/__emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rules) });
  expect(response.status).toBe(204);
}

beforeAll(async () => {
  requireBuild();
  home = mkdtempSync(join(tmpdir(), 'mixcoatl-check-'));
  const vars = await startSim();
  origin = new URL(vars.ES_ENDPOINT).origin;
  env = { PATH: process.env.PATH, HOME: home, ...vars };
});

afterEach(async () => {
  await setFaults([]);
});

afterAll(async () => {
  if (sim && sim.exitCode === null) {
    const exited = new Promise((resolve) => sim.once('exit', resolve));
    sim.kill('SIGTERM');
    await exited;
  }
  rmSync(home, { recursive: true, force: true });
});

describe('dcm check', () => {
  it('passes against the emulator, filling required filters from other listings', async () => {
    const r = await runBin('dcm', ['check', '--json'], { env });
    expect(r.stderr).not.toContain('FAIL');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ resource: string; result: string; filter: string | null; count: number | null }>;
    const byName = new Map(rows.map((row) => [row.resource, row]));
    for (const name of ['network', 'server-analytics', 'tier-analytics', 'data-center', 'firewall-rule', 'environment']) {
      expect({ name, result: byName.get(name)?.result }).toEqual({ name, result: 'OK' });
      expect(byName.get(name)?.filter).toBeTruthy();
    }
    expect(byName.get('server-analytics')?.filter).toMatch(/^serverId=\d+$/);
    expect(byName.get('network')?.count).toBeGreaterThan(0);
    expect(rows.filter((row) => row.result === 'FAIL')).toEqual([]);
    expect(r.stderr).toMatch(/\d+ OK, 0 failed, \d+ skipped/);
  });

  it('dcm-api-tests --get passes too', async () => {
    const r = await runBin('dcm-api-tests', ['--get', '--csv'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^resource,path,result,count,ms,filter,error\r\n/);
    expect(r.stdout).not.toMatch(/,FAIL,/);
  });

  it('fails with one clear line for each resource that really fails', async () => {
    await setFaults([
      { path: 'infrastructure/Volume', status: 403, message: 'volumes are switched off' },
      { path: 'network/Network', status: 404, message: 'no networks here' },
    ]);
    const r = await runBin('dcm', ['check', '--json'], { env });
    expect(r.code).toBe(1);
    const failures = r.stderr.split('\n').filter((line) => line.includes('FAIL'));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/^dcm check: FAIL network \(network\/Network\?regionId=\d+\): .*no networks here/);
    expect(failures[1]).toMatch(/^dcm check: FAIL volume \(infrastructure\/Volume\): .*volumes are switched off/);
    expect(r.stderr).toMatch(/, 2 failed, /);
    const rows = JSON.parse(r.stdout) as Array<{ resource: string; result: string }>;
    expect(rows.filter((row) => row.result === 'FAIL').map((row) => row.resource)).toEqual(['network', 'volume']);
    const api = await runBin('dcm-api-tests', ['--get', '--json'], { env });
    expect(api.code).toBe(1);
    expect(api.stderr).toMatch(/^dcm-api-tests: FAIL volume/m);
  });
});
