/**
 * Jest runs the TypeScript sources, and so must the synchronous-read worker: the default bridge
 * starts ./sync-worker.mjs, which loads lib/http/worker.ts through a TypeScript loader. Compiling
 * on load is slower than importing built code, so on a busy machine the worker may take longer
 * than the published default to say it is ready.
 */
import { syncBridge } from '../../lib/http/bridge.js';

syncBridge.useEntry(new URL('./sync-worker.mjs', import.meta.url), { startTimeoutMs: 30_000 });
