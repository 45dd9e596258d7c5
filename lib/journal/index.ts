/**
 * `log()`: the journal of the configured endpoint and access key (see ./journal.ts).
 */
import { resolveRequest } from '../config/resolve.js';
import type { Endpoint } from '../endpoint.js';
import { journalFile, readJournal, type JournalEntry } from './journal.js';

export { configureJournal, resetJournal, journalSettings, flushJournal, journalFile, type JournalEntry, type JournalSettings } from './journal.js';

export interface LogOptions {
  /** Whose journal (default: the configured endpoint and key). */
  endpoint?: Endpoint;
  /** A journal file named directly (overrides `endpoint`). */
  file?: string;
}

/** The journal file of `endpoint` (default: the configured one). */
export function journalPath(options: LogOptions = {}): string {
  if (options.file !== undefined) return options.file;
  const { endpoint } = resolveRequest(options.endpoint);
  if (endpoint instanceof Error) throw endpoint;
  return journalFile(endpoint.url, endpoint.accessKey);
}

/**
 * The latest 10 journal entries (`log()`), or every entry after `serial` (`log(serial)`), of the
 * configured endpoint and access key; entries older than the retention period are left out.
 */
export async function log(serial?: number, options: LogOptions = {}): Promise<JournalEntry[]> {
  return readJournal(journalPath(options), serial);
}
