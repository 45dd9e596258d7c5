/**
 * Hosting in the current thread: a node:http server on 127.0.0.1 around the emulator core, or a
 * node:https one with `tls` (its certificate made at start: tls.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { API_PREFIX } from './constants.js';
import { DASHBOARD_PATH } from './dashboard/routes.js';
import { Emulator } from './emulator.js';
import { validateFaults } from './faults.js';
import { resolveOptions } from './options.js';
import { makeTlsMaterial, type TlsMaterial } from './tls.js';
import type { EmulatorHandle, EmulatorOptions, FaultRule } from './types.js';

/**
 * The origins served from this thread, under a global key so that any copy of the client sees
 * them: its synchronous reads block this thread, so it refuses them at once (lib/http/bridge.ts).
 */
function servedHere(): Set<string> {
  const global = globalThis as Record<symbol, Set<string> | undefined>;
  return (global[Symbol.for('mixcoatl.servedOnThisThread')] ??= new Set<string>());
}

/** Where to write per-request lines when `quiet` is false (the `sim` command passes its stderr). */
export interface HostingExtras {
  /** A writable of text lines (`process.stderr`, or a test's collector). */
  out?: {
    /** Writes one chunk of text. */
    write(chunk: string): unknown;
  };
}

export async function startEmulator(options: EmulatorOptions = {}, extras: HostingExtras = {}): Promise<EmulatorHandle> {
  const resolved = resolveOptions(options);
  const emulator = new Emulator(resolved, extras.out);
  // Without the hint: a Connection header set here stops Node from adding `Keep-Alive: timeout=N`.
  const handle =
    resolved.keepAliveHint ? emulator.handle
    : (req: IncomingMessage, res: ServerResponse): void => {
        if (!/close/i.test(req.headers.connection ?? '')) res.setHeader('connection', 'keep-alive');
        emulator.handle(req, res);
      };
  let tls: TlsMaterial | undefined;
  try {
    tls = resolved.tls ? await makeTlsMaterial() : undefined;
  } catch (error) {
    emulator.dispose();
    throw error;
  }
  const server = tls ? createTlsServer({ keepAliveTimeout: resolved.keepAliveTimeoutMs, cert: tls.cert, key: tls.key }, handle) : createServer({ keepAliveTimeout: resolved.keepAliveTimeoutMs }, handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    emulator.dispose();
    tls?.dispose();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const origin = `${tls ? 'https' : 'http'}://${host}:${port}`;
  servedHere().add(origin);
  let closing: Promise<void> | undefined;
  return {
    url: `${origin}${API_PREFIX}/${resolved.apiVersion}`,
    origin,
    ...(resolved.dashboard ? { dashboardUrl: `${origin}${DASHBOARD_PATH}` } : {}),
    port,
    accessKey: resolved.keys[0].accessKey,
    secretKey: resolved.keys[0].secretKey,
    ...(tls ? { caFile: tls.caFile } : {}),
    kind: 'thread',
    close() {
      servedHere().delete(origin);
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          emulator.dispose();
          tls?.dispose();
          resolve();
        });
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      });
      return closing;
    },
    requestLog: async () => emulator.log.list(),
    clearLog: async () => emulator.log.clear(),
    setFaults: async (rules: FaultRule[]) => emulator.faults.set(validateFaults(rules)),
    reset: async () => emulator.reset(),
    summary: async () => emulator.summary(),
    items: async (path: string) => emulator.items(path),
  };
}
