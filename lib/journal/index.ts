/**
 * `log()`: the journal of the configured endpoint and access key (see ./journal.ts).
 */
import './listen.js';
import { resolveRequest } from '../config/resolve.js';
import type { Endpoint } from '../endpoint.js';
import { journalFile, journalSecrets, readJournal, redactValue, type JournalEntry } from './journal.js';

export {
  configureJournal, resetJournal, journalSettings, flushJournal, journalFile, readJournalEntries, JournalError,
  type JournalEntry, type JournalOutcome, type JournalSettings,
} from './journal.js';

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

/** The journal file of `endpoint` (default: the configured one); apply's lock lives beside it. */
export function journalFileFor(endpoint?: Endpoint): string {
  return journalPath({ endpoint });
}

/**
 * The latest 10 journal entries (`log()`), or every entry after `serial` (`log(serial)`), of the
 * configured endpoint and access key; entries older than the retention period are left out. An
 * entry sent by a process that died before its answer was recorded has `outcome: 'unknown'`.
 * The endpoint's secret key is replaced wherever it appears (also in entries of earlier versions).
 */
export async function log(serial?: number, options: LogOptions = {}): Promise<JournalEntry[]> {
  const entries = await readJournal(journalPath(options), serial);
  const { endpoint } = options.file === undefined ? resolveRequest(options.endpoint) : { endpoint: undefined };
  const secrets = endpoint && !(endpoint instanceof Error) ? journalSecrets(endpoint.secretKey) : [];
  return secrets.length ? entries.map((entry) => redactValue(entry, secrets) as JournalEntry) : entries;
}
