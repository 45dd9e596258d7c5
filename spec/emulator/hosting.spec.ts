/**
 * Ways to run the emulator: in a worker thread and in a child process (both from the compiled
 * dist/, so `npm run build` must have run), `dcm sim` through runSim with a fake io, and the
 * stand-alone `node dist/lib/cli/sim-main.js` stopped by SIGINT / SIGTERM.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnEmulator, startEmulator, startEmulatorInWorker, type EmulatorHandle } from '../../lib/emulator/index.js';
import { runSim } from '../../lib/cli/commands/sim.js';
import { api, getOne } from '../support/emulator-http.js';
import { runProcess } from '../support/run-process.js';
import { sink } from '../support/sink.js';

const SIM_MAIN = fileURLToPath(new URL('../../dist/lib/cli/sim-main.js', import.meta.url));

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `export NAME=value` lines → { NAME: value }. */
function exports(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^export (ES_[A-Z_]+)=(.*)$/gm)) out[m[1]] = m[2];
  return out;
}

function refused(origin: string): Promise<boolean> {
  return api({ url: `${origin}/api/enstratus/2015-05-25`, accessKey: 'a', secretKey: 'b' }, 'GET', 'admin/Job').then(() => false, (e) => e.code === 'ECONNREFUSED');
}

/** The basic checks every hosting variant must pass. */
async function exercise(emu: EmulatorHandle): Promise<void> {
  expect(emu.url).toBe(`http://127.0.0.1:${emu.port}/api/enstratus/2015-05-25`);
  expect((await getOne(emu, 'admin/Job/2')).message).toBe('339452');
  await emu.setFaults([{ path: 'admin/Job', status: 503 }]);
  expect((await api(emu, 'GET', 'admin/Job')).status).toBe(503);
  await emu.setFaults([]);
  const log = await emu.requestLog();
  expect(log.map((e) => e.status)).toEqual([200, 503]);
  expect((await emu.summary()).counts['admin/Job']).toBe(5);
  expect(await emu.items('admin/BillingCode')).toHaveLength(3);
  await emu.reset();
  expect(await emu.requestLog()).toEqual([]);
}

describe('emulator hosting: worker thread and child process (dist/)', () => {
  it('startEmulatorInWorker serves, answers control calls and closes', async () => {
    const emu = await startEmulatorInWorker({ seed: 1 });
    expect(emu.kind).toBe('worker');
    await exercise(emu);
    await emu.close();
    await emu.close(); // idempotent
    expect(await refused(emu.origin)).toBe(true);
  });

  it('spawnEmulator runs in a child process that exits on close', async () => {
    const emu = await spawnEmulator({ seed: 1 });
    expect(emu.kind).toBe('child');
    expect(emu.pid).toEqual(expect.any(Number));
    expect(emu.pid).not.toBe(process.pid);
    expect(emu.dashboardUrl).toBe(`${emu.origin}/__emulator/dashboard/`);
    expect(await (await fetch(emu.dashboardUrl as string)).text()).toContain('<title>DCM emulator</title>');
    await exercise(emu);
    await emu.close();
    expect(() => process.kill(emu.pid as number, 0)).toThrow(/ESRCH/);
  });

  it('reports a start-up failure of either variant with the cause', async () => {
    const missingDir = join(tmpdir(), 'emu-no-such-dir', 'nested', 'state.json');
    await expect(spawnEmulator({ statePath: missingDir })).rejects.toThrow(/emulator child failed to start: .*ENOENT/);
    await expect(startEmulatorInWorker({ statePath: missingDir })).rejects.toThrow(/emulator worker failed to start: .*ENOENT/);
    await expect(spawnEmulator({ seed: -1 })).rejects.toThrow(/emulator option seed must be an integer/);
  });

  it('serves 10,000 extra servers (servers option) and lists them in basic detail', async () => {
    const emu = await spawnEmulator({ servers: 10_000 });
    try {
      const res = await api(emu, 'GET', 'infrastructure/Server');
      expect(res.status).toBe(200);
      expect(res.json.servers).toHaveLength(10_013);
      expect(res.json.servers[10_012].region).toEqual({ regionId: expect.any(Number) });
      expect((await api(emu, 'HEAD', 'infrastructure/Server')).headers['x-es-count']).toBe('10013');
      expect((await emu.summary()).counts['infrastructure/Server']).toBe(10_013);
    } finally {
      await emu.close();
    }
  });
});

describe('emulator hosting: dcm sim (runSim)', () => {
  it('prints shell-exportable ES_* lines and the dashboard address, serves them, and stops when signalled', async () => {
    const stdout = sink();
    const stderr = sink();
    const abort = new AbortController();
    const done = runSim(['--port', '0', '--seed', '3', '--job-delay', '0'], { stdout, stderr, env: {}, signal: abort.signal });
    await until(() => stdout.text().includes('# dashboard: '), 'the export lines and the dashboard address');
    const lines = stdout.text().trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^# dashboard: http:\/\/127\.0\.0\.1:\d+\/__emulator\/dashboard\/$/);
    expect((await fetch(lines[3].slice('# dashboard: '.length))).status).toBe(200);
    const env = exports(stdout.text());
    expect(env.ES_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/enstratus\/2015-05-25$/);
    expect(env).toMatchObject({ ES_ACCESS_KEY: 'DEMOACCESSKEY', ES_SECRET_KEY: 'demo-secret-key' });
    const target = { url: env.ES_ENDPOINT, accessKey: env.ES_ACCESS_KEY, secretKey: env.ES_SECRET_KEY };
    expect((await api(target, 'GET', 'admin/Job/2')).status).toBe(200);
    expect(stderr.text()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    abort.abort();
    expect(await done).toBe(0);
    expect(stderr.text()).toMatch(/dcm sim: stopped/);
    expect(await refused(new URL(env.ES_ENDPOINT).origin)).toBe(true);
  });

  it('keeps state in --state FILE across two runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-sim-'));
    const file = join(dir, 'sim.json');
    try {
      const run = async (work: (target: { url: string; accessKey: string; secretKey: string }) => Promise<void>) => {
        const stdout = sink();
        const abort = new AbortController();
        const done = runSim(['--state', file], { stdout, stderr: sink(), env: {}, signal: abort.signal });
        await until(() => stdout.text().includes('ES_SECRET_KEY'), 'the export lines');
        const env = exports(stdout.text());
        await work({ url: env.ES_ENDPOINT, accessKey: env.ES_ACCESS_KEY, secretKey: env.ES_SECRET_KEY });
        abort.abort();
        expect(await done).toBe(0);
      };
      await run(async (t) => { expect((await api(t, 'PUT', 'admin/Group/9848', { body: { describeGroup: { group: { name: 'Devs', description: 'kept' } } } })).status).toBe(204); });
      expect(existsSync(file)).toBe(true);
      await run(async (t) => { expect((await getOne(t, 'admin/Group/9848')).name).toBe('Devs'); });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints one line per request on stderr with --verbose', async () => {
    const stdout = sink();
    const stderr = sink();
    const abort = new AbortController();
    const done = runSim(['--verbose'], { stdout, stderr, env: {}, signal: abort.signal });
    await until(() => stdout.text().includes('ES_SECRET_KEY'), 'the export lines');
    const env = exports(stdout.text());
    await api({ url: env.ES_ENDPOINT, accessKey: env.ES_ACCESS_KEY, secretKey: env.ES_SECRET_KEY }, 'GET', 'admin/Job/404');
    await until(() => stderr.text().includes('admin/Job/404'), 'the request line');
    expect(stderr.text()).toMatch(/GET \/api\/enstratus\/2015-05-25\/admin\/Job\/404 → 404/);
    abort.abort();
    expect(await done).toBe(0);
  });

  it('answers usage errors with 2, --help with 0, a busy port with 1', async () => {
    const cases: Array<[string[], number, RegExp, 'stdout' | 'stderr']> = [
      [['--port', 'eighty'], 2, /--port must be an integer between 0 and 65535, got "eighty"/, 'stderr'],
      [['--colour'], 2, /unknown option --colour/, 'stderr'],
      [['extra'], 2, /dcm sim/, 'stderr'],
      [['--help'], 0, /Usage: dcm sim \[options\]/, 'stdout'],
    ];
    for (const [argv, code, message, stream] of cases) {
      const io = { stdout: sink(), stderr: sink(), env: {} };
      expect(await runSim(argv, io)).toBe(code);
      expect(io[stream].text()).toMatch(message);
      if (code !== 0) expect(io.stdout.text()).toBe('');
    }
    const busy = await startEmulator();
    try {
      const io = { stdout: sink(), stderr: sink(), env: {} };
      expect(await runSim(['--port', String(busy.port)], io)).toBe(1);
      expect(io.stderr.text()).toMatch(/could not start the emulator: .*EADDRINUSE/);
    } finally {
      await busy.close();
    }
  });

  it('notes when DCM_* variables would override the printed ES_* ones', async () => {
    const io = { stdout: sink(), stderr: sink(), env: { DCM_ENDPOINT: 'https://elsewhere' }, signal: AbortSignal.abort() };
    expect(await runSim([], io)).toBe(0);
    expect(io.stderr.text()).toMatch(/DCM_\* variables are set in this environment/);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('the built sim-main entry stops cleanly on %s', async (signal) => {
    const child = spawn(process.execPath, [SIM_MAIN, '--seed', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => out.includes('ES_SECRET_KEY') || child.exitCode !== null, 'sim-main to print its exports');
    const env = exports(out);
    expect((await api({ url: env.ES_ENDPOINT, accessKey: env.ES_ACCESS_KEY, secretKey: env.ES_SECRET_KEY }, 'GET', 'admin/Job/2')).status).toBe(200);
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(err).toMatch(/dcm sim: stopped/);
  });

  it('a second built sim-main on a --state file in use refuses to start naming the holder; after a kill -9 of the holder the file is taken over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-sim-held-'));
    const file = join(dir, 'held.json');
    const first = spawn(process.execPath, [SIM_MAIN, '--state', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => first.once('exit', () => resolve()));
    try {
      let out = '';
      first.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
      await until(() => out.includes('ES_SECRET_KEY') || first.exitCode !== null, 'the first sim-main to print its exports');
      const second = await runProcess(process.execPath, [SIM_MAIN, '--state', file]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`is in use by another emulator (process ${first.pid}`);
      first.kill('SIGKILL');
      await exited;
      const third = spawn(process.execPath, [SIM_MAIN, '--state', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      const thirdExited = new Promise<number | null>((resolve) => third.once('exit', (code) => resolve(code)));
      let thirdOut = '';
      third.stdout.on('data', (c: Buffer) => { thirdOut += c.toString('utf8'); });
      await until(() => thirdOut.includes('ES_SECRET_KEY') || third.exitCode !== null, 'the third sim-main to print its exports');
      third.kill('SIGTERM');
      expect(await thirdExited).toBe(0);
      expect(thirdOut).toContain('ES_SECRET_KEY');
    } finally {
      first.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
