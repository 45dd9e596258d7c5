/**
 * `dcm log [--since SERIAL] [--follow] [--json]`: the journal of the configured endpoint and key.
 * Without `--since`, the latest 10 entries; with it, every entry after SERIAL. `--follow` keeps
 * printing new entries as they are appended, until interrupted.
 */
import { unwatchFile, watch, watchFile } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeFlags, parseArgs, usage } from '../args.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { cliEndpoint } from '../connection.js';
import { JournalError, journalFile, journalSecrets, readJournal, redactValue, type JournalEntry } from '../../journal/journal.js';
import type { CommandContext } from '../registry.js';

/** What is known of the answer: its status, or why there is none. */
function answer(entry: JournalEntry): string {
  if (entry.outcome === 'unknown') return 'sent, outcome unknown';
  if (entry.outcome === 'pending') return 'sent, awaiting the answer';
  return String(entry.status ?? 'no response');
}

/** One entry as printed, the secret key replaced wherever it stands (entries of earlier versions may hold it). */
function line(raw: JournalEntry, json: boolean, secrets: readonly string[]): string {
  const entry = secrets.length ? (redactValue(raw, secrets) as JournalEntry) : raw;
  if (json) return `${JSON.stringify(entry)}\n`;
  const query = entry.query ? `?${new URLSearchParams(Object.entries(entry.query).map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
  return `${String(entry.serial).padStart(6)}  ${entry.timestamp}  ${entry.method.padEnd(6)} ${entry.path}${query}  ${answer(entry)}${entry.exception ? `  ${entry.exception}` : ''}${entry.run ? `  run ${entry.run}` : ''}\n`;
}

/** `dcm log`: prints the journal of this endpoint and key, and with `--follow` what is added, until `signal` aborts. */
export async function run(argv: readonly string[], io: CliIO, { flags: specs, signal }: CommandContext): Promise<number> {
  const command = 'dcm log';
  const { flags, positionals } = parseArgs(argv, specs, { command });
  if (flags.help) {
    io.stdout.write(`Usage: ${command} [--since SERIAL] [--follow] [--json]\n\nThe journal of requests sent to the endpoint with its access key.\n\nOptions:\n${describeFlags(specs)}\n`);
    return ExitCode.OK;
  }
  if (positionals.length) throw usage(command, `unexpected argument "${positionals[0]}"`);
  let since: number | undefined;
  if (flags.since !== undefined) {
    since = Number(flags.since);
    if (!Number.isSafeInteger(since) || since < 0) throw usage(command, `--since must be a serial (a whole number ≥ 0), got "${String(flags.since)}"`);
  }
  const endpoint = cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io);
  const file = journalFile(endpoint.url, endpoint.accessKey);
  const json = flags.json === true;
  const secrets = journalSecrets(endpoint.secretKey);
  let last = since;
  const follow = flags.follow === true;
  const print = async (): Promise<void> => {
    const entries = await readJournal(file, last);
    for (const entry of entries) {
      // Following, an entry is printed once its answer is known (or lost with its writer).
      if (follow && entry.outcome === 'pending') {
        last ??= entry.serial - 1;
        break;
      }
      io.stdout.write(line(entry, json, secrets));
      last = entry.serial;
    }
    last ??= 0;
  };
  try {
    await print();
  } catch (error) {
    // A journal that cannot be read names its file: a failure (1), not a usage error.
    if (!(error instanceof JournalError)) throw error;
    io.stderr.write(`${command}: ${error.message}\n`);
    return ExitCode.FAILURE;
  }
  if (!follow) return ExitCode.OK;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await new Promise<void>((resolve) => {
    let busy = Promise.resolve();
    const changed = (): void => {
      busy = busy.then(print).catch(() => undefined);
    };
    // Watching the directory needs an inotify instance; when none is left (EMFILE), or the
    // watcher fails later, the file is polled instead.
    const poll = (): (() => void) => {
      watchFile(file, { interval: 250 }, changed);
      return () => unwatchFile(file, changed);
    };
    let unwatch: () => void;
    try {
      const watcher = watch(dirname(file), changed);
      watcher.on('error', () => {
        watcher.close();
        unwatch = poll();
      });
      unwatch = () => watcher.close();
    } catch {
      unwatch = poll();
    }
    // Entries appended between the first print and the start of the watch.
    changed();
    const stop = (): void => {
      unwatch();
      process.off('SIGINT', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', stop);
  });
  return ExitCode.OK;
}
