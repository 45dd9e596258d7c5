/** Entry of the worker-thread variant (compiled to dist/lib/emulator/worker.js). */
import { parentPort, workerData } from 'node:worker_threads';
import { startEmulator } from './server.js';
import type { EmulatorHandle } from './types.js';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('emulator worker.js must run in a worker thread');
  let handle: EmulatorHandle;
  try {
    handle = await startEmulator(workerData?.options ?? {});
  } catch (e) {
    port.postMessage({ type: 'error', message: (e as Error).message });
    return;
  }
  const { url, origin, dashboardUrl, port: tcpPort, accessKey, secretKey, caFile } = handle;
  port.on('message', (m: { type?: string }) => {
    if (m?.type === 'close') void handle.close().then(() => port.close());
  });
  port.postMessage({ type: 'ready', info: { url, origin, dashboardUrl, port: tcpPort, accessKey, secretKey, caFile } });
}

void main();
