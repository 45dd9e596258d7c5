/**
 * Hosting in a worker thread or a child process. Both run compiled JavaScript: when this module is
 * itself TypeScript (Jest runs the sources), the entry is taken from `dist/lib/emulator/` under the
 * project root, so `npm run build` must have run first — the error says so.
 *
 * The worker variant serves while the caller's main thread is blocked in `Atomics.wait` (the
 * client's synchronous reads). The child exits when its stdin closes, i.e. when the parent dies.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { resolveOptions } from './options.js';
import { remoteHandle, type ReadyInfo } from './remote.js';
import type { EmulatorHandle, EmulatorOptions } from './types.js';

const CLOSE_GRACE_MS = 5_000;

/** Absolute path of the compiled `worker.js` / `child.js`. */
export function entryPath(name: 'worker' | 'child'): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL(`../../dist/lib/emulator/${name}.js`, here) : new URL(`./${name}.js`, here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(`emulator ${name} entry not found at ${path}; build the project first (npm run build / npx tsc -p tsconfig.build.json)`);
  }
  return path;
}

export async function startEmulatorInWorker(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  resolveOptions(options); // fail fast, in the caller's thread
  const worker = new Worker(entryPath('worker'), { workerData: { options } });
  const info = await new Promise<ReadyInfo>((resolve, reject) => {
    worker.once('message', (m: { type: string; info?: ReadyInfo; message?: string }) => {
      if (m.type === 'ready') resolve(m.info as ReadyInfo);
      else reject(new Error(`emulator worker failed to start: ${m.message}`));
    });
    worker.once('error', (e) => reject(new Error(`emulator worker failed to start: ${e.message}`)));
    worker.once('exit', (code) => reject(new Error(`emulator worker exited (code ${code}) before it was ready`)));
  });
  worker.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return remoteHandle(info, 'worker', async () => {
    worker.postMessage({ type: 'close' });
    const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(timer);
  });
}

export async function spawnEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  resolveOptions(options);
  const child = spawn(process.execPath, [entryPath('child'), JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderrTail = '';
  child.stderr.on('data', (c: Buffer) => {
    stderrTail = (stderrTail + c.toString('utf8')).slice(-4000);
    process.stderr.write(c);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const info = await new Promise<ReadyInfo>((resolve, reject) => {
    let buffer = '';
    const onData = (c: Buffer) => {
      buffer += c.toString('utf8');
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      child.stdout.off('data', onData);
      child.stdout.resume(); // keep draining; the child prints nothing else
      try {
        const msg = JSON.parse(buffer.slice(0, nl));
        if (msg.ready) resolve(msg.info as ReadyInfo);
        else reject(new Error(`emulator child failed to start: ${msg.message}`));
      } catch {
        reject(new Error(`emulator child printed an unexpected line: ${buffer.slice(0, nl)}`));
      }
    };
    child.stdout.on('data', onData);
    child.once('error', (e) => reject(new Error(`could not spawn the emulator child: ${e.message}`)));
    void exited.then(() => reject(new Error(`emulator child exited (code ${child.exitCode}) before it was ready: ${stderrTail.trim()}`)));
  });
  return remoteHandle(info, 'child', async () => {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }, child.pid);
}
