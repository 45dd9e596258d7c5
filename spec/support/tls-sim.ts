/**
 * `dcm sim --tls` (the built executable, in a child process) and a counting CONNECT proxy
 * (spec/integration/scripts/connect-proxy.mjs, in another child process): servers the synchronous
 * path can reach, since neither runs on the thread a synchronous read blocks.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { binPath, requireBuild } from '../cli/run-bin.js';

/** A child process that prints what it needs to be used, then runs until stopped. */
interface Running {
  child: ChildProcessWithoutNullStreams;
  stop(): Promise<void>;
}

function stopper(child: ChildProcessWithoutNullStreams): Running['stop'] {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
}

/** Resolves once `ready` finds what it needs in the child's stdout; rejects when it exits first. */
function waitFor<T>(child: ChildProcessWithoutNullStreams, ready: (out: string) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const found = ready(out);
      if (found !== undefined) resolve(found);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited with ${code}: ${err}`)));
  });
}

/** The export lines `dcm sim --tls` printed (ES_ENDPOINT, ES_ACCESS_KEY, ES_SECRET_KEY, DCM_CA_BUNDLE). */
export type SimExports = Record<'ES_ENDPOINT' | 'ES_ACCESS_KEY' | 'ES_SECRET_KEY' | 'DCM_CA_BUNDLE', string>;

/** Starts `dcm sim --tls --port 0`; resolves with its export lines once it listens. */
export async function startTlsSim(home: string): Promise<Running & { vars: SimExports; stderr: () => string }> {
  requireBuild();
  const child = spawn(process.execPath, [binPath('dcm'), 'sim', '--tls', '--port', '0'], { env: { PATH: process.env.PATH, HOME: home }, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const stop = stopper(child);
  try {
    const vars = await waitFor(child, (out) => {
      const found = Object.fromEntries([...out.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]!.replace(/^'|'$/g, '')]));
      return found.ES_ENDPOINT && found.ES_ACCESS_KEY && found.ES_SECRET_KEY && found.DCM_CA_BUNDLE ? (found as SimExports) : undefined;
    });
    return { child, stop, vars, stderr: () => stderr };
  } catch (error) {
    await stop();
    throw error;
  }
}

const PROXY = fileURLToPath(new URL('../integration/scripts/connect-proxy.mjs', import.meta.url));

/** The counting CONNECT proxy. */
export interface ConnectProxy extends Running {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The tunnels opened since the last `clear()`: their count and targets (`127.0.0.1:PORT`). */
  tunnels(): Promise<{ count: number; targets: string[] }>;
  /** Forgets the tunnels counted so far. */
  clear(): Promise<void>;
}

/** Starts the proxy; with `credentials` (`user:password`) it refuses tunnels without them (407). */
export async function startConnectProxy(credentials?: string): Promise<ConnectProxy> {
  const child = spawn(process.execPath, [PROXY, ...(credentials === undefined ? [] : [credentials])], { stdio: 'pipe' });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    await exited;
  };
  const { port } = await waitFor(child, (out) => (out.includes('\n') ? (JSON.parse(out.slice(0, out.indexOf('\n'))) as { port: number }) : undefined));
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    stop,
    url,
    tunnels: async () => (await (await fetch(`${url}/tunnels`)).json()) as { count: number; targets: string[] },
    clear: async () => {
      await fetch(`${url}/tunnels`, { method: 'DELETE' });
    },
  };
}
