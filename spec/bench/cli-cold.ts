/**
 * Cold start of the CLI: wall time of a fresh `node dist/bin/dcm-get.js geography/Region` (median
 * of `runs`) against a fresh `node -e "import('got')"`, the floor any got-based tool pays. The goal
 * is a ratio of at most 2: dcm-get imports the client lazily and never loads the resource classes
 * or the synchronous worker. Needs the build (`npx tsc -p tsconfig.build.json`) and an API to
 * call, e.g. the emulator in a child process (`spawnEmulator()`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CliColdOptions {
  url: string;
  accessKey: string;
  secretKey: string;
  /** Timed runs of each command (default 7); one untimed run of each comes first. */
  runs?: number;
}

export interface CliColdResult {
  dcmGetMs: number;
  importGotMs: number;
  ratio: number;
}

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'mixcoatl') return dir;
    dir = dirname(dir);
  }
  throw new Error('benchCliCold: cannot find the mixcoatl package root');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timed(args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`benchCliCold: node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

export async function benchCliCold(opts: CliColdOptions): Promise<CliColdResult> {
  const root = projectRoot();
  const bin = join(root, 'dist', 'bin', 'dcm-get.js');
  if (!existsSync(bin)) throw new Error(`benchCliCold: ${bin} is missing; build first (npx tsc -p tsconfig.build.json)`);
  const runs = Math.max(1, opts.runs ?? 7);
  const home = mkdtempSync(join(tmpdir(), 'mixcoatl-bench-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, ES_ENDPOINT: opts.url, ES_ACCESS_KEY: opts.accessKey, ES_SECRET_KEY: opts.secretKey };
  try {
    const dcmGet = [bin, 'geography/Region'];
    const importGot = ['-e', "import('got')"];
    timed(dcmGet, home, env);
    timed(importGot, root, env);
    const getTimes: number[] = [];
    const gotTimes: number[] = [];
    // Interleaved, so drift on a noisy machine affects both sides alike.
    for (let i = 0; i < runs; i++) {
      getTimes.push(timed(dcmGet, home, env));
      gotTimes.push(timed(importGot, root, env));
    }
    const dcmGetMs = median(getTimes);
    const importGotMs = median(gotTimes);
    return { dcmGetMs, importGotMs, ratio: dcmGetMs / importGotMs };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
