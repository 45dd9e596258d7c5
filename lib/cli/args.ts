/**
 * The command-line argument parser of every tool. node:util `parseArgs` cannot take the flags the
 * `dcm` command derives at run time from resource metadata (`--name`, `--providerProductId`, …),
 * so this small parser does: `--key value`, `--key=value`, `-k value`, boolean switches, repeated
 * flags, and `--` ending the options. An unknown flag is a usage error naming the closest valid
 * one. Values are only ever kept as text: nothing here evaluates anything.
 */
import { UsageError } from '../errors.js';
import { closest, nearest } from '../suggest.js';

export interface FlagSpec {
  /** `boolean` switches take no value; `string` flags take the next argument (or `=value`). */
  type: 'boolean' | 'string';
  /** One-letter alias, without the dash. */
  short?: string;
  /** The flag may be given several times; its values are collected in order. */
  multiple?: boolean;
  /** Shown by `--help`. */
  description?: string;
  /** Placeholder shown by `--help` for string flags, e.g. `URL`. */
  valueName?: string;
  /** The value must name one of these boolean flags, and sets it (`--format json` is `--json`). */
  selects?: readonly string[];
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgs {
  /** Flag values by long name: `true` for switches, text for string flags, arrays for multiple ones. */
  flags: Record<string, string | boolean | string[]>;
  positionals: string[];
  /** Flags not in the specs, kept only when the caller accepts any (see `dynamic`). */
  extra: Array<[string, string | true]>;
}

export interface ParseOptions {
  /** Name of the command for messages, e.g. `dcm server list`. */
  command: string;
  /**
   * Accept other `--name [value]` flags and return them in `extra` (the attribute and option flags
   * of actions). Such a flag takes the next argument as its value unless that argument starts with
   * `--` or there is none, in which case it is `true`. `known` lists the accepted names, so a
   * misspelt one is still refused with a suggestion.
   */
  dynamic?: { known: readonly string[] };
}

/** Splits `argv` according to `specs`; throws UsageError (exit code 2) on anything it cannot place. */
export function parseArgs(argv: readonly string[], specs: FlagSpecs, options: ParseOptions): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  const extra: ParsedArgs['extra'] = [];
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.short) byShort.set(spec.short, name);
  const dynamicKnown = options.dynamic ? new Set(options.dynamic.known) : undefined;

  const store = (name: string, value: string | true): void => {
    const spec = specs[name];
    if (spec.type === 'boolean') {
      if (value !== true) throw usage(options.command, `--${name} takes no value`);
      flags[name] = true;
    } else if (value === true) {
      throw usage(options.command, `--${name} needs a value${spec.valueName ? ` (${spec.valueName})` : ''}`);
    } else if (spec.selects) {
      if (!spec.selects.includes(value)) throw usage(options.command, `--${name} takes ${spec.selects.join(', ')}, got ${JSON.stringify(value)}${hint(value, spec.selects)}`);
      if (flags[name] !== undefined) throw usage(options.command, `--${name} is given more than once`);
      flags[name] = value;
      flags[value] = true;
    } else if (spec.multiple) {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value);
      flags[name] = list;
    } else {
      if (flags[name] !== undefined) throw usage(options.command, `--${name} is given more than once`);
      flags[name] = value;
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq === -1 ? undefined : arg.slice(eq + 1);
      if (Object.hasOwn(specs, name)) {
        const spec = specs[name];
        if (inline !== undefined) store(name, inline);
        else if (spec.type === 'boolean') store(name, true);
        else if (i + 1 < argv.length) store(name, argv[++i]);
        else store(name, true);
        continue;
      }
      if (dynamicKnown && dynamicKnown.has(name)) {
        if (inline !== undefined) extra.push([name, inline]);
        else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) extra.push([name, argv[++i]]);
        else extra.push([name, true]);
        continue;
      }
      const candidates = [...Object.keys(specs), ...(dynamicKnown ?? [])];
      throw usage(options.command, `unknown option --${name}${hint(name, candidates, '--') || nearestHint(name, candidates)}`);
    }
    if (arg.startsWith('-') && arg.length > 1 && arg !== '-' && !/^-\d/.test(arg)) {
      const letter = arg[1];
      const name = byShort.get(letter);
      if (name === undefined) {
        const long = Object.keys(specs).filter((key) => key.startsWith(letter.toLowerCase()));
        throw usage(options.command, `unknown option ${arg.slice(0, 2)}${long.length ? ` (did you mean --${long.join(' or --')}?)` : ' (--help lists every option)'}`);
      }
      const spec = specs[name];
      if (spec.type === 'boolean') {
        if (arg.length > 2) throw usage(options.command, `-${letter} takes no value`);
        store(name, true);
      } else if (arg.length > 2) {
        store(name, arg.slice(2).replace(/^=/, ''));
      } else if (i + 1 < argv.length) {
        store(name, argv[++i]);
      } else {
        store(name, true);
      }
      continue;
    }
    positionals.push(arg);
  }
  return { flags, positionals, extra };
}

/**
 * A usage error (exit code 2). The top-level handler already names the tool, so only a
 * sub-command is kept as a prefix: `dcm server list` gives `server list: …`, `dcm-get` nothing.
 */
export function usage(command: string, message: string): UsageError {
  const space = command.indexOf(' ');
  return new UsageError({ message: space === -1 ? message : `${command.slice(space + 1)}: ${message}`, code: 'EUSAGE' });
}

/** ` (did you mean --foo?)`, or nothing when no candidate is close. */
export function hint(wrong: string, candidates: Iterable<string>, prefix = ''): string {
  const best = closest(wrong, candidates);
  return best === undefined ? '' : ` (did you mean ${prefix}${best}?)`;
}

/** Other tools' names for some options. */
const SYNONYMS: Readonly<Record<string, string>> = { output: 'format', out: 'format', fmt: 'format' };

/** For a name no option is close to: the nearest one all the same, and where to see them all. */
function nearestHint(wrong: string, candidates: readonly string[]): string {
  const synonym = SYNONYMS[wrong.toLowerCase()];
  if (synonym !== undefined && candidates.includes(synonym)) return ` (did you mean --${synonym}?)`;
  const best = nearest(wrong, candidates);
  return best === undefined ? ' (--help lists every option)' : ` (the nearest is --${best}; --help lists every option)`;
}

/** The options part of a `--help` text, one flag per line. */
export function describeFlags(specs: FlagSpecs): string {
  const lines = Object.entries(specs).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const value = spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : '';
    return [`  ${short}--${name}${value}`, spec.description ?? ''];
  });
  const width = Math.max(...lines.map(([left]) => left.length)) + 2;
  return lines.map(([left, right]) => `${left.padEnd(width)}${right}`.trimEnd()).join('\n');
}
