/**
 * Helpers of the CLI specs: run a BUILT executable (`node dist/bin/<name>.js`) against an
 * emulator in a child process, with HOME set to a temporary directory so no real profile is read.
 * Build first: `npx tsc -p tsconfig.build.json`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { runProcess, type RunResult } from '../support/run-process.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function binPath(name: string): string {
  return join(ROOT, 'dist', 'bin', `${name}.js`);
}

export function requireBuild(): void {
  if (!existsSync(binPath('dcm-get')) || !existsSync(binPath('dcm'))) {
    throw new Error('dist/bin is missing: build first with npx tsc -p tsconfig.build.json');
  }
}

export type { RunResult };

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Text written to stdin, then stdin is closed (default: closed at once). */
  input?: string;
  cwd?: string;
}

export function runBin(name: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runProcess(process.execPath, [binPath(name), ...args], { cwd: options.cwd ?? options.env?.HOME ?? tmpdir(), env: options.env, input: options.input ?? '' });
}

/** A running emulator plus a temporary HOME, and the environment a child needs to reach it. */
export interface Sandbox {
  emulator: EmulatorHandle;
  home: string;
  env: Record<string, string | undefined>;
  close(): Promise<void>;
}

export async function sandbox(): Promise<Sandbox> {
  requireBuild();
  const emulator = await spawnEmulator({ port: 0 });
  const home = mkdtempSync(join(tmpdir(), 'mixcoatl-cli-'));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    ES_ENDPOINT: emulator.url,
    ES_ACCESS_KEY: emulator.accessKey,
    ES_SECRET_KEY: emulator.secretKey,
  };
  return {
    emulator,
    home,
    env,
    async close() {
      await emulator.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Non-empty lines of a text. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
