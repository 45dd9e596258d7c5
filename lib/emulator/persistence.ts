/**
 * State file: the store and the job clock as one JSON document, loaded at start when the file
 * exists and rewritten after every change. Writes are atomic — a temporary file in the same
 * directory, then rename(2) over the target — so a reader or a crash never sees half a file.
 * (No fsync: this protects against process crashes, not power loss, which is enough for tests.)
 */
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { ClockData } from './clock.js';
import type { StoreData } from './store.js';

export const STATE_FORMAT = 'mixcoatl-emulator-state';

export interface StateFile {
  format: typeof STATE_FORMAT;
  version: 1;
  savedAt: string;
  seed: number;
  store: StoreData;
  clock: ClockData;
}

export function loadState(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: any;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`emulator: state file ${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (parsed?.format !== STATE_FORMAT || parsed.version !== 1 || typeof parsed.store !== 'object') {
    throw new Error(`emulator: ${path} is not an emulator state file (expected format "${STATE_FORMAT}", version 1)`);
  }
  return parsed as StateFile;
}

let counter = 0;

export function saveState(path: string, state: StateFile): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}-${++counter}.tmp`);
  try {
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
}
