/**
 * The flag groups several commands share, as plain data: the registry (./registry.ts) lists every
 * command's flags without loading the command's module, so these must not import anything heavier
 * than the parser's types.
 */
import type { FlagSpecs } from './args.js';

/** `--endpoint` and `--profile`: where a command sends its requests, with which keys. */
export const CONNECTION_FLAGS: FlagSpecs = {
  endpoint: {
    type: 'string',
    valueName: 'URL|FILE[#NICK]',
    description: 'API root URL, or an endpoint JSON file (#nickname picks one of a list)',
  },
  profile: { type: 'string', valueName: 'NAME', description: 'read ~/.mixcoatl/NAME.config' },
};

/** The output formats of a command that prints records. */
export const FORMAT_FLAGS: FlagSpecs = {
  table: { type: 'boolean', short: 't', description: 'print a table (the default on a terminal)' },
  json: { type: 'boolean', short: 'j', description: 'print JSON (the default when piped)' },
  xml: { type: 'boolean', short: 'x', description: 'print XML' },
  csv: { type: 'boolean', short: 'c', description: 'print CSV' },
  format: { type: 'string', short: 'o', valueName: 'FORMAT', selects: ['table', 'json', 'xml', 'csv'], description: 'table, json, xml or csv: the same as --table, --json, --xml, --csv' },
  wide: { type: 'boolean', short: 'W', description: 'tables: show every cell in full instead of fitting the terminal' },
};

/** `--help`, which every command takes. */
export const HELP_FLAG: FlagSpecs = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** The flags of every command that reads resources: detail level, connection and help. */
export const COMMON_FLAGS: FlagSpecs = {
  extended: { type: 'boolean', short: 'e', description: 'ask for extended detail (embedded references)' },
  ...CONNECTION_FLAGS,
  ...HELP_FLAG,
};

/** How a command that waits for jobs polls them. */
export const JOB_WAIT_FLAGS: FlagSpecs = {
  interval: { type: 'string', valueName: 'MS', description: 'job poll interval in milliseconds' },
  timeout: { type: 'string', valueName: 'MS', description: 'give up waiting for a job after this long' },
};
