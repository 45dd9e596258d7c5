/** `dcm resources`: the resource commands, one a line. */
import { describeFlags, parseArgs, usage } from '../args.js';
import { cliResources } from '../catalog.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import type { CommandContext } from '../registry.js';

/** Prints the name of every resource command, one a line. */
export async function run(argv: readonly string[], io: CliIO, { flags: specs }: CommandContext): Promise<number> {
  const command = 'dcm resources';
  const { flags, positionals } = parseArgs(argv, specs, { command });
  if (flags.help) {
    io.stdout.write(`Usage: ${command}\n\nLists the resource names, one a line (dcm <resource> --help for its verbs).\n\nOptions:\n${describeFlags(specs)}\n`);
    return ExitCode.OK;
  }
  if (positionals.length) throw usage(command, `unexpected argument "${positionals[0]}"`);
  io.stdout.write(cliResources().map((r) => `${r.command}\n`).join(''));
  return ExitCode.OK;
}
