/**
 * `dcm <resource> <action> --find … --of …`: an action over a set on the command line, built and
 * spawned against an emulator with 40 extra servers; every write counted in the emulator's log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { lines, requireBuild, runBin } from './run-bin.js';

let emu: EmulatorHandle;
let home: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  requireBuild();
  emu = await spawnEmulator({ port: 0, servers: 40 });
  home = mkdtempSync(join(tmpdir(), 'mixcoatl-bulk-'));
  env = { PATH: process.env.PATH, HOME: home, ES_ENDPOINT: emu.url, ES_ACCESS_KEY: emu.accessKey, ES_SECRET_KEY: emu.secretKey };
});
afterAll(async () => {
  await emu?.close();
  rmSync(home, { recursive: true, force: true });
});
beforeEach(async () => {
  await emu.reset();
});

const dcm = (args: string[], input?: string) => runBin('dcm', args, { env, input });

/** The running servers of region 19344 (what `--find status=RUNNING --of region=19344` selects). */
async function runningIn(regionId: number): Promise<number[]> {
  return (await emu.items('infrastructure/Server')).filter((s) => s.status === 'RUNNING' && s.region?.regionId === regionId).map((s) => s.serverId as number);
}

async function writes(): Promise<string[]> {
  return (await emu.requestLog()).filter((e) => e.method !== 'GET' && e.method !== 'HEAD').map((e) => `${e.method} ${e.resource}`);
}

describe('dcm server stop --find … --of …', () => {
  it('--dry-run lists the objects and the exact requests and sends no write', async () => {
    const ids = await runningIn(19344);
    expect(ids.length).toBeGreaterThan(3);
    await emu.clearLog();
    const r = await dcm(['server', 'stop', '--find', 'status=RUNNING', '--of', 'region=19344', '--reason', 'maintenance', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as Array<{ serverId: number; outcome: string; request: string }>;
    expect(shown.map((row) => row.serverId).sort()).toEqual([...ids].sort());
    for (const row of shown) {
      expect(row.outcome).toBe('planned');
      expect(row.request).toBe(`PUT infrastructure/Server/${row.serverId} {"stop":[{"reason":"maintenance"}]}`);
    }
    expect(lines(r.stderr).at(-1)).toBe(`dcm server stop: dry run: ${ids.length} Server objects would get ${ids.length} requests; nothing was sent`);
    expect(await writes()).toEqual([]);
  });

  it('asks before writing: without a terminal and without --yes nothing is sent (exit 2)', async () => {
    await emu.clearLog();
    const r = await dcm(['server', 'stop', '--find', 'status=RUNNING', '--of', 'region=19344']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing sent: stdin is not a terminal, so nobody can confirm; pass --yes to act without asking');
    expect(await writes()).toEqual([]);
  });

  it('--yes --wait stops exactly the matching servers, with progress and a summary', async () => {
    const ids = await runningIn(19344);
    await emu.clearLog();
    const r = await dcm(['server', 'stop', '--find', 'status=RUNNING', '--of', 'region.providerId=us-west-2', '--yes', '--wait', '--interval', '0', '--concurrency', '4', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Array<{ serverId: number; outcome: string; jobId: number }>;
    expect(summary.map((row) => row.serverId).sort()).toEqual([...ids].sort());
    expect(summary.every((row) => row.outcome === 'done' && row.jobId > 0)).toBe(true);
    expect(r.stderr).toMatch(new RegExp(`Server stop: ${ids.length} done, 0 failed \\(run [0-9a-f-]{36}\\)`));
    expect((await writes()).sort()).toEqual(ids.map((id) => `PUT infrastructure/Server/${id}`).sort());
    const after = await emu.items('infrastructure/Server');
    for (const server of after) if (ids.includes(server.serverId)) expect(server.status).toBe('STOPPED');
  });

  it('exits 1 with a summary naming the servers that failed', async () => {
    const ids = await runningIn(19344);
    const faulty = ids.filter((_, i) => i % 3 === 1);
    await emu.setFaults(faulty.map((id) => ({ path: `infrastructure/Server/${id}`, methods: ['PUT'], status: 500, message: `refused ${id}` })));
    await emu.clearLog();
    const r = await dcm(['server', 'stop', '--find', 'status=RUNNING', '--of', 'region=19344', '--yes', '--table']);
    expect(r.code).toBe(1);
    const failedLine = lines(r.stderr).at(-1) as string;
    expect(failedLine).toMatch(new RegExp(`^dcm server stop: ${faulty.length} of ${ids.length} failed: `));
    for (const id of faulty) expect(failedLine).toContain(String(id));
    for (const id of ids.filter((i) => !faulty.includes(i))) expect(failedLine).not.toContain(String(id));
    expect(r.stdout).toMatch(/serverId\s+name\s+outcome\s+jobId\s+error/);
    expect((await writes()).length).toBe(ids.length);
  });

  it('refuses the set flags without --find/--of, and --find on an action that creates', async () => {
    const r = await dcm(['server', 'stop', '331810', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes applies only with --find or --of (acting on a set)');
    const c = await dcm(['server', 'stop', '--find', 'status=RUNNING', '--concurrency', '0', '--yes']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--concurrency must be a positive whole number, got "0"');
  });
});
