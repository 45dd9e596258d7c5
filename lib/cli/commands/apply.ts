/**
 * `dcm apply FILE [--dry-run] [--check] [--yes] [--allow-irreversible] [--concurrency N] [--lock-timeout MS] [--json]`: applies
 * a desired state from a JSON or YAML file (`-` reads stdin). The plan is printed first; writing
 * needs a "yes" typed at the terminal, or `--yes` (without a terminal on stdin, `--yes` is
 * required). Progress of each step goes to stderr; to stdout, a line with the steps done and the
 * run (`--json`: the run, the steps and the records as they are at the end). The input is bounded
 * (lib/apply/file.ts: 64 MiB, 250,000 records). SIGINT or SIGTERM stops planning at once; during
 * the writes no new step starts, the running ones end, what was done is undone, and the exit code
 * is 130. While another apply of the same endpoint and key runs, it waits (saying so
 * on stderr) up to `--lock-timeout`, then fails with LockedError (exit 5). `--check` sends no
 * write and prints the differences (`attribute: current → desired`; `--json`: as data), exiting 0
 * when there are none and 12 (changes pending) when there are. `--dry-run --out PLAN` saves the
 * plan; `--plan PLAN` applies exactly that plan (lib/apply/saved.ts), refused when stale (exit 5,
 * with every difference on stderr).
 */
import { createInterface } from 'node:readline';
import { describeFlags, parseArgs, usage } from '../args.js';
import { ExitCode } from '../errors.js';
import { filePath, type CliIO } from '../io.js';
import { cliEndpoint } from '../connection.js';
import { apply, formatPlan, ApplyError, type ApplyOptions, type ApplyResult } from '../../apply/apply.js';
import { applyPlan, readPlan, savePlan, StalePlanError } from '../../apply/saved.js';
import { writeFile } from 'node:fs/promises';
import { formatChanges } from '../../apply/changes.js';
import type { ApplyRecord } from '../../apply/plan.js';
import { parseRecords, readRecordsStream, readRecordsText } from '../../apply/file.js';
import { irreversibleRefusal } from '../../apply/plan.js';
import { flushJournal } from '../../journal/journal.js';
import type { LockHolder } from '../../errors.js';
import { describeHolder } from '../../lock.js';
import type { RecoveryWait } from '../../apply/recover.js';
import { milliseconds } from './shared.js';
import type { CommandContext } from '../registry.js';

async function readInput(io: CliIO, file: string): Promise<string> {
  if (file !== '-') return readRecordsText(filePath(io, file), file);
  if (!io.stdin) throw usage('dcm apply', 'no stdin to read the records from');
  return readRecordsStream(io.stdin as AsyncIterable<unknown>, 'stdin');
}

/** An AbortSignal that SIGINT and SIGTERM abort while `run` lasts (the first one also says what happens). */
async function interruptible<T>(io: CliIO, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      io.stderr.write(`dcm apply: ${signal}: still ending the running steps and undoing what was done (SIGKILL stops at once, leaving it done)\n`);
      return;
    }
    io.stderr.write(`dcm apply: ${signal}: stopping; steps already running end, and what was done is undone\n`);
    controller.abort(new DOMException(`interrupted by ${signal}`, 'AbortError'));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function confirm(io: CliIO, signal: AbortSignal | undefined): Promise<boolean> {
  const rl = createInterface({ input: io.stdin as NodeJS.ReadableStream, terminal: false });
  io.stderr.write('Apply these changes? Type "yes" to go on: ');
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
      signal?.addEventListener('abort', () => resolve(''), { once: true });
    });
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

/** `dcm apply FILE`: plans, asks, then writes the records of FILE. */
export async function run(argv: readonly string[], io: CliIO, { flags: specs }: CommandContext): Promise<number> {
  const command = 'dcm apply';
  const { flags, positionals } = parseArgs(argv, specs, { command });
  if (flags.help) {
    io.stdout.write(`Usage: ${command} FILE [options]\n       ${command} FILE --dry-run --out PLAN\n       ${command} --plan PLAN [options]\n\nApplies the records of FILE (JSON or YAML; - for stdin): shows the plan, asks, then writes,\nundoing what was done if a step fails. --out saves the plan of a dry run; --plan applies a saved\nplan exactly, refusing it (nothing sent) when the state it was planned from has changed.\n\nOptions:\n${describeFlags(specs)}\n`);
    return ExitCode.OK;
  }
  const planFile = flags.plan as string | undefined;
  if (planFile !== undefined) {
    if (positionals.length) throw usage(command, `--plan applies a saved plan: no FILE is given with it, got "${positionals[0]}"`);
    if (flags.out !== undefined || flags.check) throw usage(command, `--plan does not go with --${flags.check ? 'check' : 'out'}`);
  } else if (positionals.length !== 1) throw usage(command, positionals.length ? `unexpected argument "${positionals[1]}"` : 'missing FILE (JSON or YAML, - for stdin), or --plan PLAN');
  if (flags.out !== undefined && !flags['dry-run']) throw usage(command, '--out saves the plan of a dry run: give --dry-run with it');
  if (flags.out !== undefined && flags.check) throw usage(command, '--out does not go with --check');
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  if (concurrency !== undefined && !(Number.isSafeInteger(concurrency) && concurrency > 0)) throw usage(command, `--concurrency must be a positive whole number, got "${String(flags.concurrency)}"`);
  const intervalMs = milliseconds(command, 'interval', flags.interval);
  const timeoutMs = milliseconds(command, 'timeout', flags.timeout);
  const lockTimeoutMs = milliseconds(command, 'lock-timeout', flags['lock-timeout']);
  const endpoint = cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io);
  const saved = planFile === undefined ? undefined : await readPlan(filePath(io, planFile));
  const records = saved ? saved.records : parseRecords(await readInput(io, positionals[0]), positionals[0] === '-' ? 'stdin' : positionals[0]);
  const allowIrreversible = flags['allow-irreversible'] === true;
  const waits: Pick<ApplyOptions, 'onLockWait' | 'onRecoveryWait'> = {
    onLockWait: (holder: LockHolder) => io.stderr.write(`${command}: waiting for another apply of this endpoint and key to end: ${describeHolder(holder)}\n`),
    onRecoveryWait: (found: RecoveryWait[]) => {
      for (const wait of found) {
        const writes = wait.writes.map((w) => `serial ${w.serial}${w.outcome === 'done' ? '' : `, outcome ${w.outcome}`}${w.run ? `, apply run ${w.run}` : ''}`).join('; ');
        io.stderr.write(`${command}: waiting for job ${wait.jobId} (${wait.description}) of an earlier write (${writes}) before planning\n`);
      }
    },
  };
  return interruptible(io, (signal) =>
    applyRecords(io, saved ? (options) => applyPlan(saved, options) : (options) => apply(records, options), flags, {
      endpoint, signal, allowIrreversible, ...waits, ...(concurrency ? { concurrency } : {}), ...(intervalMs === undefined ? {} : { intervalMs }), ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
    }, records),
  );
}

async function applyRecords(io: CliIO, run: (options: ApplyOptions) => Promise<ApplyResult>, flags: Record<string, unknown>, base: ApplyOptions, records: ApplyRecord[]): Promise<number> {
  const command = 'dcm apply';
  try {
    if (flags.out !== undefined) {
      const plan = await savePlan(records, base);
      await writeFile(filePath(io, flags.out as string), `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
      io.stdout.write(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : `${formatPlan({ steps: plan.steps, unchanged: plan.unchanged, irreversible: plan.irreversible, noChanges: plan.steps.length === 0 })}\n`);
      io.stderr.write(`${command}: plan saved to ${String(flags.out)} (${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}); apply it with: dcm apply --plan ${String(flags.out)}\n`);
      return ExitCode.OK;
    }
    const planned = await run({ ...base, dryRun: true });
    if (flags.check) {
      const steps = planned.plan.steps.map(({ step, kind, label, method, path, changes }) => ({ step, kind, label, method, path, changes: changes ?? [] }));
      io.stdout.write(flags.json ? `${JSON.stringify({ changesPending: steps.length > 0, steps }, null, 2)}\n` : `${formatChanges(steps)}\n`);
      return steps.length ? ExitCode.CHANGES_PENDING : ExitCode.OK;
    }
    if (flags['dry-run'] || planned.plan.noChanges) {
      io.stdout.write(flags.json ? `${JSON.stringify(planned.plan, null, 2)}\n` : `${formatPlan(planned.plan)}\n`);
      return ExitCode.OK;
    }
    io.stderr.write(`${formatPlan(planned.plan)}\n`);
    if (planned.plan.irreversible.length && !base.allowIrreversible) throw irreversibleRefusal(planned.plan);
    if (!flags.yes) {
      const stdinTTY = Boolean((io.stdin as { isTTY?: boolean } | undefined)?.isTTY);
      if (!stdinTTY) {
        io.stderr.write(`${command}: not applied: stdin is not a terminal, so nobody can confirm; pass --yes to apply without asking\n`);
        return ExitCode.USAGE;
      }
      if (!(await confirm(io, base.signal))) {
        io.stderr.write('Not applied.\n');
        return base.signal?.aborted ? ExitCode.INTERRUPTED : ExitCode.FAILURE;
      }
    }
    const result = await run({
      ...base,
      onStep: (event) => {
        const s = event.step;
        if (event.status === 'start') return;
        const verb = event.phase === 'compensate' ? 'undo ' : '';
        io.stderr.write(`${event.status === 'done' ? '✓' : '✗'} ${verb}step ${s.step}/${planned.plan.steps.length} ${s.kind} ${s.label}${event.id !== undefined ? ` (${String(event.id)})` : ''}${event.error ? `: ${event.error.message}` : ''}\n`);
      },
    });
    io.stdout.write(flags.json ? `${JSON.stringify({ run: result.run, done: result.done, records: result.records }, null, 2)}\n` : `Applied ${result.done.length} step${result.done.length === 1 ? '' : 's'} (run ${result.run}).\n`);
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof ApplyError && flags.json) io.stdout.write(`${JSON.stringify(error, null, 2)}\n`);
    if (error instanceof StalePlanError) {
      io.stderr.write(`${command}: the plan is stale; nothing was sent. What changed since it was made:\n${error.differences.map((d) => `  ${d}\n`).join('')}`);
    }
    throw error;
  } finally {
    await flushJournal().catch(() => undefined);
  }
}
