/** `dcm api-versions` (and `dcm-list-api-versions`): the versions the endpoint supports. */
import { describeFlags, parseArgs } from '../args.js';
import { cliEndpoint } from '../connection.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import type { CommandContext } from '../registry.js';
import { chooseFormat, renderList } from '../render.js';

/** Reads the unsigned versions listing, or prints the configured version with `--active`. */
export async function run(argv: readonly string[], io: CliIO, { tool, flags: specs }: CommandContext): Promise<number> {
  const command = tool === 'dcm' ? 'dcm api-versions' : tool;
  const { flags } = parseArgs(argv, specs, { command });
  if (flags.help) {
    io.stdout.write(`Usage: ${command} [--latest|--supported|--active] [options]\n\nOptions:\n${describeFlags(specs)}\n`);
    return ExitCode.OK;
  }
  const endpoint = cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io);
  if (flags.active) {
    io.stdout.write(`${endpoint.apiVersion}\n`);
    return ExitCode.OK;
  }
  const { apiVersions } = await import('../../api.js');
  const { current, supported } = await apiVersions({ endpoint });
  const list = flags.latest ? (current === undefined ? [] : [current]) : supported;
  const format = flags.json || flags.xml || flags.csv ? chooseFormat(flags, io, command) : 'table';
  io.stdout.write(format === 'table' ? list.map((v) => `${v}\n`).join('') : renderList(list.map((versionId) => ({ versionId })), format, ['versionId'], true));
  return ExitCode.OK;
}
