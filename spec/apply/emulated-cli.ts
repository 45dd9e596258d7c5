/**
 * Helpers of the specs that run the built `dcm apply` against an emulator whose jobs take time: a
 * sandbox (emulator in a child process with a job delay, a temporary HOME, the environment), a
 * desired state with several kinds of steps, waiting until the emulator has nothing scheduled,
 * and the live objects it holds per name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { Endpoint, request } from '../../lib/index.js';
import { binPath, requireBuild, runBin, type RunResult } from '../cli/run-bin.js';

export interface ApplySandbox {
  emulator: EmulatorHandle;
  home: string;
  env: Record<string, string | undefined>;
  /** Runs `dcm <args>` to its end. */
  dcm(args: readonly string[]): Promise<RunResult>;
  /** Starts `dcm <args>` and returns the child (to kill it). */
  start(args: readonly string[]): ChildProcess;
  /** Writes a file in HOME; returns its path. */
  file(name: string, text: string): string;
  /** The journal directory of the CLI runs. */
  journalDir: string;
  close(): Promise<void>;
}

export async function applySandbox(jobDelayMs: number): Promise<ApplySandbox> {
  requireBuild();
  const emulator = await spawnEmulator({ port: 0, jobDelayMs });
  const home = mkdtempSync(join(tmpdir(), 'mixcoatl-apply-'));
  const journalDir = join(home, 'journal');
  const env = { PATH: process.env.PATH, HOME: home, ES_ENDPOINT: emulator.url, ES_ACCESS_KEY: emulator.accessKey, ES_SECRET_KEY: emulator.secretKey, MIXCOATL_JOURNAL_DIR: journalDir };
  const started = new Set<ChildProcess>();
  return {
    emulator,
    home,
    env,
    journalDir,
    dcm: (args) => runBin('dcm', args, { env }),
    start(args) {
      const child = spawn(process.execPath, [binPath('dcm'), ...args], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.resume();
      child.stderr!.resume();
      started.add(child);
      child.once('exit', () => started.delete(child));
      return child;
    },
    file(name, text) {
      const path = join(home, name);
      writeFileSync(path, text);
      return path;
    },
    async close() {
      for (const child of started) child.kill('SIGKILL');
      await emulator.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The journal file of the sandbox's endpoint and key (the one `.jsonl` file of its directory). */
export function journalFileOf(box: ApplySandbox): string {
  const files = readdirSync(box.journalDir).filter((f) => f.endsWith('.jsonl'));
  if (files.length !== 1) throw new Error(`expected one journal file in ${box.journalDir}, found ${files.join(', ') || 'none'}`);
  return join(box.journalDir, files[0]);
}

/**
 * A desired state named by `prefix`: a firewall with two rules, three volumes (the first attached
 * to the server), a server using the firewall (unless `serverFirewall` is false). Creating it is 8
 * writes, most with jobs: in 3 waves of jobs with the firewall on the server, in 2 without.
 */
export function desiredState(prefix: string, volumes: readonly string[] = ['v1', 'v2', 'v3'], serverFirewall = true): string {
  const rule = (port: number): string => `
- type: FirewallRule
  firewall: "@fw"
  direction: INGRESS
  source: 0.0.0.0/0
  sourceType: CIDR
  permission: ALLOW
  protocol: TCP
  startPort: ${port}
  endPort: ${port}`;
  const volume = (name: string, i: number): string => `
- type: Volume
  name: ${prefix}-${name}
  description: desired
  sizeInGb: 5
  budget: 10287
  dataCenter: 64351${i === 0 ? '\n  server: "@web"' : ''}`;
  return `
- type: Firewall
  ref: fw
  name: ${prefix}-fw
  description: desired
  budget: 10287
  region: 19344${rule(80)}${rule(443)}${volumes.map(volume).join('')}
- type: Server
  ref: web
  name: ${prefix}-web
  description: desired
  budget: 10287
  providerProductId: m1.small
  machineImage: 284831
  dataCenter: 64351${serverFirewall ? '\n  firewalls: ["@fw"]' : ''}
`;
}

/** Waits until every job and state change the emulator has scheduled has happened (each poll is a signed request, which advances its clock). */
export async function settled(emulator: EmulatorHandle): Promise<void> {
  const endpoint = new Endpoint({ url: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey });
  for (;;) {
    await request('GET', 'admin/Job', { endpoint });
    if ((await emulator.summary()).pendingEvents === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const LIVE = (item: Record<string, unknown>): boolean => !['TERMINATED', 'DELETED'].includes(String(item.status ?? ''));

/** How many live objects of each name starting with `prefix` the emulator holds, for firewalls, volumes and servers. */
export async function liveByName(emulator: EmulatorHandle, prefix: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const path of ['network/Firewall', 'infrastructure/Volume', 'infrastructure/Server']) {
    for (const item of await emulator.items(path)) {
      if (!LIVE(item) || typeof item.name !== 'string' || !item.name.startsWith(`${prefix}-`)) continue;
      counts[item.name] = (counts[item.name] ?? 0) + 1;
    }
  }
  return counts;
}

/** The rules of the firewall named `name` (ports), and whether `volume` is attached to `server`. */
export async function details(emulator: EmulatorHandle, prefix: string): Promise<{ rules: number[]; attached: boolean }> {
  const firewall = (await emulator.items('network/Firewall')).find((f) => f.name === `${prefix}-fw` && LIVE(f));
  const rules = firewall ? (await emulator.items('network/FirewallRule')).filter((r) => r.firewallId === firewall.firewallId || r.firewall?.firewallId === firewall.firewallId).map((r) => Number(r.startPort)).sort((a, b) => a - b) : [];
  const server = (await emulator.items('infrastructure/Server')).find((s) => s.name === `${prefix}-web` && LIVE(s));
  const volume = (await emulator.items('infrastructure/Volume')).find((v) => v.name === `${prefix}-v1` && LIVE(v));
  return { rules, attached: Boolean(server && volume && volume.server?.serverId === server.serverId) };
}
