/** `dcm <resource> describe <id> [--field NAME]`. */
import { describeFlags, hint, parseArgs, usage, type FlagSpecs } from '../args.js';
import type { CliResource } from '../catalog.js';
import { ExitCode } from '../errors.js';
import type { CliIO } from '../io.js';
import type { Row } from '../output/columns.js';
import { chooseFormat, FORMAT_FLAGS, renderRecord, tableOptions } from '../render.js';
import { classOf, COMMON_FLAGS, initOf, RECEIVER_FLAGS, receiverChoice, receiverId } from './shared.js';

export const DESCRIBE_FLAGS: FlagSpecs = {
  field: { type: 'string', valueName: 'NAME', description: 'print only this attribute' },
  ...RECEIVER_FLAGS,
  ...FORMAT_FLAGS,
  ...COMMON_FLAGS,
};

export async function runDescribe(resource: CliResource, argv: readonly string[], io: CliIO, command: string): Promise<number> {
  const { flags, positionals } = parseArgs(argv, DESCRIBE_FLAGS, { command });
  const { meta } = resource;
  if (flags.help) {
    io.stdout.write(`Usage: ${command}${meta.flat ? '' : ` <${meta.idKey}|name>`} [options]\n\nOptions:\n${describeFlags(DESCRIBE_FLAGS)}\n`);
    return ExitCode.OK;
  }
  const format = chooseFormat(flags, io, command);
  if (!meta.flat && positionals.length !== 1) throw usage(command, positionals.length ? 'give one identifier' : `missing the identifier (${meta.idKey})`);
  if (meta.flat && positionals.length) throw usage(command, `${meta.name} has no identifier: give no argument`);
  const cls = classOf(resource);
  const options = initOf(flags, io);
  let record: Row;
  if (meta.listOnly) {
    const wanted = positionals[0];
    const all = await cls.all({ endpoint: options.endpoint, details: options.details });
    const found = all.find((o) => String(o.toJSON()[meta.idKey as string]) === wanted);
    if (!found) {
      const { NotFoundError } = await import('../../errors.js');
      throw new NotFoundError({ message: `no ${meta.name} with ${meta.idKey} ${wanted}`, statusCode: 404 });
    }
    record = found.toJSON();
  } else {
    const id = meta.flat ? undefined : await receiverId(resource, positionals[0], options, command, { by: receiverChoice(flags, command), write: false, io });
    record = (await cls.get(id, options)).toJSON();
  }
  if (typeof flags.field === 'string') {
    const field = flags.field;
    if (!Object.hasOwn(record, field)) {
      throw usage(command, `${meta.name} has no attribute "${field}" in this response${hint(field, Object.keys(record))}`);
    }
    const value = record[field];
    const structuredValue = value !== null && typeof value === 'object';
    io.stdout.write(flags.json === true || structuredValue ? `${JSON.stringify(value, null, 2)}\n` : `${String(value)}\n`);
    return ExitCode.OK;
  }
  io.stdout.write(renderRecord(record, format, tableOptions(flags, io)));
  return ExitCode.OK;
}
