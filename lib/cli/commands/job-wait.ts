/**
 * `dcm job wait <jobId>`: follows a job started elsewhere (another shell, a script, the console)
 * with the same progress display as `--wait`, and prints the finished job. A job that ends in ERROR
 * exits with code 7 and the job's message.
 */
import { describeFlags, parseArgs, usage, type FlagSpecs } from '../args.js';
import type { CliResource } from '../catalog.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { Job } from '../../orm/job.js';
import { construct } from '../../orm/base.js';
import { chooseFormat, FORMAT_FLAGS, renderRecord, tableOptions } from '../render.js';
import { createProgress } from '../spinner.js';
import { WAIT_FLAGS } from './action.js';
import { idValue } from './coerce.js';
import { COMMON_FLAGS, initOf, milliseconds } from './shared.js';

const FLAGS: FlagSpecs = { ...WAIT_FLAGS, ...FORMAT_FLAGS, ...COMMON_FLAGS };

export async function runJobWait(resource: CliResource, argv: readonly string[], io: CliIO, command: string): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS, { command });
  const idKey = resource.meta.idKey as string;
  if (flags.help) {
    io.stdout.write(`Usage: ${command} <${idKey}> [options]\n\nWaits until the job is COMPLETE (exit 0) or ERROR (exit 7, with the job's message), showing its progress.\n\nOptions:\n${describeFlags(FLAGS)}\n`);
    return ExitCode.OK;
  }
  if (positionals.length !== 1) throw usage(command, positionals.length ? `unexpected argument "${positionals[1]}"` : `missing the identifier (<${idKey}>)`);
  const format = chooseFormat(flags, io, command);
  const id = idValue(positionals[0], resource.meta.idType, { command, what: `<${idKey}>` });
  const intervalMs = milliseconds(command, 'interval', flags.interval);
  const timeoutMs = milliseconds(command, 'timeout', flags.timeout);
  const job = construct(Job, id, initOf(flags, io) as ConstructorParameters<typeof Job>[1]);
  const progress = createProgress(io, `Job ${id}`);
  try {
    await job.wait({
      ...(intervalMs === undefined ? {} : { intervalMs }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      onProgress: (current) => {
        const data = current.toJSON();
        progress.update(String(data.status ?? 'RUNNING'), typeof data.description === 'string' ? data.description : undefined);
      },
    });
  } catch (error) {
    progress.stop();
    throw error;
  }
  progress.done(String(job.toJSON().status ?? 'COMPLETE'));
  io.stdout.write(renderRecord(job.toJSON(), format, tableOptions(flags, io)));
  return ExitCode.OK;
}
