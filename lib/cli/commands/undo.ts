/**
 * `dcm undo RUN [--dry-run] [--yes] [--json]`: removes what the apply run RUN created, newest
 * first (lib/apply/undo.ts). What it will do is printed first (objects to remove, objects already
 * gone, what cannot be undone and why); removing needs a "yes" typed at the terminal, or `--yes`
 * (required without a terminal on stdin). `--dry-run` prints and sends no write. One apply or
 * undo at a time: it waits for apply's lock up to `--lock-timeout`.
 */
import { createInterface } from 'node:readline';
import { describeFlags, parseArgs, usage } from '../args.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { cliEndpoint } from '../connection.js';
import { undo, type UndoOptions, type UndoResult } from '../../apply/undo.js';
import { flushJournal } from '../../journal/journal.js';
import { describeHolder } from '../../lock.js';
import { milliseconds } from './shared.js';
import type { CommandContext } from '../registry.js';

/** What undo does (or would do), one line each. */
function describe(result: UndoResult, done: boolean): string {
  const lines = [`Undo of apply run ${result.run}:`];
  for (const r of result.removed) lines.push(`  - ${done ? 'removed' : 'remove'} ${r.label} (${String(r.id)})  ${r.method} ${r.path}`);
  for (const s of result.skipped) lines.push(`  = skip ${s.label} (${String(s.id)}): ${s.why}`);
  for (const n of result.notUndone) lines.push(`  ! not undone: ${n.label}${n.id !== undefined ? ` (${String(n.id)})` : ''}: ${n.why}`);
  if (!result.removed.length) lines.push('  nothing to remove');
  return lines.join('\n');
}

async function confirm(io: CliIO): Promise<boolean> {
  const rl = createInterface({ input: io.stdin as NodeJS.ReadableStream, terminal: false });
  io.stderr.write('Remove these objects? Type "yes" to go on: ');
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

/** Runs `dcm undo`. */
export async function run(argv: readonly string[], io: CliIO, { flags: specs }: CommandContext): Promise<number> {
  const command = 'dcm undo';
  const { flags, positionals } = parseArgs(argv, specs, { command });
  if (flags.help) {
    io.stdout.write(`Usage: ${command} RUN [options]\n\nRemoves what the apply run RUN created (its id, as dcm apply and dcm log show it), newest first:\nobjects already gone are skipped, and what cannot be undone is listed with the reason.\n\nOptions:\n${describeFlags(specs)}\n`);
    return ExitCode.OK;
  }
  if (positionals.length !== 1) throw usage(command, positionals.length ? `unexpected argument "${positionals[1]}"` : 'missing RUN (the id of an apply run, as dcm apply and dcm log show it)');
  const endpoint = cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io);
  const intervalMs = milliseconds(command, 'interval', flags.interval);
  const timeoutMs = milliseconds(command, 'timeout', flags.timeout);
  const lockTimeoutMs = milliseconds(command, 'lock-timeout', flags['lock-timeout']);
  const base: UndoOptions = {
    endpoint,
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
    onLockWait: (holder) => io.stderr.write(`${command}: waiting for another apply or undo of this endpoint and key to end: ${describeHolder(holder)}\n`),
  };
  const run = positionals[0];
  try {
    const planned = await undo(run, { ...base, dryRun: true });
    if (flags['dry-run'] || !planned.removed.length) {
      io.stdout.write(flags.json ? `${JSON.stringify(planned, null, 2)}\n` : `${describe(planned, false)}\n`);
      return ExitCode.OK;
    }
    io.stderr.write(`${describe(planned, false)}\n`);
    if (!flags.yes) {
      if (!(io.stdin as { isTTY?: boolean } | undefined)?.isTTY) {
        io.stderr.write(`${command}: not undone: stdin is not a terminal, so nobody can confirm; pass --yes to remove without asking\n`);
        return ExitCode.USAGE;
      }
      if (!(await confirm(io))) {
        io.stderr.write('Not undone.\n');
        return ExitCode.FAILURE;
      }
    }
    const result = await undo(run, { ...base, onRemove: (r) => io.stderr.write(`✓ removed ${r.label} (${String(r.id)})\n`) });
    io.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${describe(result, true)}\nRemoved ${result.removed.length} object${result.removed.length === 1 ? '' : 's'} (undo run ${result.undoRun}).\n`);
    return ExitCode.OK;
  } finally {
    await flushJournal().catch(() => undefined);
  }
}
