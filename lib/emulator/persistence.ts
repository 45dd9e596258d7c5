/**
 * State file: the store and the job clock as one JSON document, loaded at start when the file
 * exists and rewritten after every change. Writes are atomic — a temporary file in the same
 * directory, then rename(2) over the target — so a reader or a crash never sees half a file.
 * (No fsync: this protects against process crashes, not power loss, which is enough for tests.)
 *
 * Loading never loses data silently: the file must be a regular file, valid UTF-8 and JSON, and
 * pass the whole schema (./state-schema.ts) before anything of it is used. Otherwise start-up fails
 * with a StateFileError naming the file, the JSON path inside it and the problem, and the file is
 * left as it was — it is only ever rewritten after it was read completely.
 */
import { chmodSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { LockedError } from '../errors.js';
import { acquireLockSync, type FileLock } from '../lock.js';
import type { ClockData } from './clock.js';
import { STATE_FORMAT, STATE_VERSION, validateState, type StateProblem, type ValidationContext } from './state-schema.js';
import type { StoreData } from './store.js';

export { STATE_FORMAT, STATE_VERSION } from './state-schema.js';

export interface StateFile {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  savedAt: string;
  seed: number;
  store: StoreData;
  clock: ClockData;
}

/** Problems listed in the message; the rest are counted (all of them are on `problems`). */
const LISTED = 5;

/** A state file the emulator refuses to start from. */
export class StateFileError extends Error {
  readonly code = 'EEMULATORSTATE';
  /** `file` is the state file refused; `problems` every problem found, each at its JSON path. */
  constructor(readonly file: string, readonly problems: StateProblem[]) {
    const listed = problems.slice(0, LISTED).map((p) => (p.at ? `${p.at}: ${p.problem}` : p.problem));
    const more = problems.length > LISTED ? `; and ${problems.length - LISTED} more problem(s)` : '';
    super(`emulator: refusing state file ${file} (left unchanged): ${listed.join('; ')}${more}`);
    this.name = 'StateFileError';
  }
}

function whole(file: string, problem: string): StateFileError {
  return new StateFileError(file, [{ at: '', problem }]);
}

/**
 * Makes this emulator the one owner of the state file at `path` (a lock file `<path>.lock`, held
 * until the emulator is closed or its process ends): a second emulator on the same file would hand
 * out the same ids, and the last writer would silently win. A lock left by a dead emulator is taken
 * over. The lock, like the state file, is readable by its owner only.
 */
export function holdStateFile(path: string): FileLock {
  try {
    return acquireLockSync(`${path}.lock`, { timeoutMs: 0, label: 'dcm sim' });
  } catch (error) {
    if (!(error instanceof LockedError)) throw whole(path, `cannot be locked: ${(error as Error).message}`);
    const { pid, since } = error.holder;
    throw whole(path, `is in use by another emulator (process ${pid}${since ? `, since ${since}` : ''}); stop it or give another --state file`);
  }
}

/** The validated state, or undefined when there is no file at `path` yet. */
export function loadState(path: string, context: ValidationContext): StateFile | undefined {
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw whole(path, `cannot be read: ${(e as Error).message}`);
  }
  if (stat.isDirectory()) throw whole(path, 'is a directory, not a state file');
  if (!stat.isFile()) throw whole(path, 'is not a regular file');
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw whole(path, `cannot be read: ${(e as Error).message}`);
  }
  if (bytes.length === 0) throw whole(path, 'is empty (0 bytes); a state file is a JSON document');
  let text: string;
  try {
    // fatal: a damaged byte must not be replaced by U+FFFD and saved back.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw whole(path, 'is not valid UTF-8 text');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw whole(path, `is not valid JSON (truncated or damaged?): ${(e as Error).message}`);
  }
  const result = validateState(parsed, context);
  if (!result.ok) throw new StateFileError(path, result.problems);
  return result.doc as StateFile;
}

let counter = 0;

export function saveState(path: string, state: StateFile): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}-${threadId}-${++counter}.tmp`);
  try {
    // The file holds API secret keys: its owner's only, whatever the umask.
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
}
