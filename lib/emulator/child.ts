/**
 * Entry of the child-process variant (compiled to dist/lib/emulator/child.js):
 * `node child.js '<options JSON>'`. Prints one JSON line on stdout when listening, then nothing
 * else; exits when stdin closes (parent gone or handle closed) or on SIGINT/SIGTERM.
 */
import { startEmulator } from './server.js';
import type { EmulatorHandle } from './types.js';

async function main(): Promise<void> {
  let handle: EmulatorHandle;
  try {
    handle = await startEmulator(JSON.parse(process.argv[2] ?? '{}'));
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ ready: false, message: (e as Error).message })}\n`);
    process.exit(1);
  }
  const { url, origin, dashboardUrl, port, accessKey, secretKey, caFile } = handle;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void handle.close().finally(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ ready: true, info: { url, origin, dashboardUrl, port, accessKey, secretKey, caFile } })}\n`);
}

void main();
