/**
 * Jest runs the TypeScript sources, and so must the synchronous-read worker: the default bridge
 * starts ./sync-worker.mjs, which loads lib/http/worker.ts through a TypeScript loader.
 */
import { syncBridge } from '../../lib/http/bridge.js';

syncBridge.useEntry(new URL('./sync-worker.mjs', import.meta.url));
