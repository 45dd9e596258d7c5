/**
 * Imported first by the package entry (lib/index.ts): on the main thread, unless DCM_LAZY=async
 * says the program never reads synchronously, it starts the synchronous-read worker at once, so
 * that the worker's start and its own imports (got above all) run while the main thread is still
 * evaluating the library, instead of after it, at the first lazy read. This is the one thing read
 * at import, and only as a hint: the settings themselves are still resolved at the first request.
 * The worker is unref'd and never keeps a process alive; a program that only uses the async API
 * avoids it with DCM_LAZY=async (which is also the strict mode such a program wants). This
 * package's own executables (bin/) are left to start it when they need it.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { syncBridge } from './bridge.js';

const OWN_BIN = fileURLToPath(new URL('../../bin/', import.meta.url));

/** Whether the running script is one of this package's executables. */
function runningOwnBin(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script).startsWith(OWN_BIN);
  } catch {
    return false;
  }
}

if (isMainThread && process.env.DCM_LAZY !== 'async' && !runningOwnBin()) syncBridge.prestart();
