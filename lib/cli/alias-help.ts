/**
 * `--help` of an original tool's name (`dcm-list-servers --help`): its own usage line, each of its
 * original flags with what it becomes, then the options of the `dcm` command it runs, which it
 * accepts too.
 */
import type { AliasSpec, FlagRule } from './aliases.js';
import type { CliIO } from './io.js';

/** Whether `argv` asks an alias for help: `--help`, or `-h` where the original gave `-h` no meaning. */
export function asksForHelp(spec: AliasSpec, argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--help' || (arg === '-h' && !spec.flags?.['-h']));
}

/** What an original flag becomes, in a few words. */
function meaning(rule: FlagRule, spec: AliasSpec): string {
  const value = rule.boolean ? '' : 'VALUE';
  const [to, ...rest] = rule.to.split(':');
  switch (to) {
    case 'id':
      return rule.verb ? `the identifier (id or name): runs dcm ${spec.argv[0]} ${rule.verb} VALUE` : 'the identifier (id or name)';
    case 'arg':
      return 'the next argument';
    case 'ignore':
      return 'accepted and ignored';
    case 'unsupported':
      return `not supported: ${rule.note ?? 'no equivalent'}`;
    case 'filter':
    case 'where':
    case 'find':
      return `--${to} ${rest.join(':')}=${value || 'true'}`;
    case 'of':
      return `--of ${rest.join(':')}=${value}`;
    default:
      return `${rule.to}${value ? ` ${value}` : ''}`;
  }
}

/** The original flags, a short and a long spelling of one rule on one line. */
function flagLines(spec: AliasSpec): string[] {
  const groups = new Map<FlagRule, string[]>();
  for (const [name, rule] of Object.entries(spec.flags ?? {})) groups.set(rule, [...(groups.get(rule) ?? []), name]);
  const rows = [...groups].map(([rule, names]) => {
    const sorted = names.sort((a, b) => a.length - b.length);
    const left = `${sorted.join(', ')}${rule.boolean ? '' : ' VALUE'}`;
    return [`  ${sorted[0].startsWith('--') ? '    ' : ''}${left}`, meaning(rule, spec)] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `${left.padEnd(width)}${right}`);
}

/**
 * Prints the alias's help on stdout. `dcmHelp` is the help of the `dcm` command it runs; its first
 * line (that command's usage) is replaced by the alias's own.
 */
export function printAliasHelp(tool: string, spec: AliasSpec, dcmHelp: string, io: CliIO): void {
  const positionals = (spec.positionals ?? []).map((p) => (p === 'id' ? 'ID' : 'ARG'));
  const runs = ['dcm', ...spec.argv].join(' ');
  // An alias of dcm itself takes dcm's commands.
  const usageLine = spec.argv.length === 0 ? `Usage: ${tool} <command> [arguments] [options]` : `Usage: ${[tool, ...positionals].join(' ')} [options]`;
  const lines = [usageLine, '', `The original client's ${tool}; it runs ${runs}.`];
  const flags = flagLines(spec);
  if (flags.length) lines.push('', 'Original flags:', ...flags);
  const body = dcmHelp.replace(/^Usage:[^\n]*\n+/, '').trimEnd();
  if (body) {
    const mine = new Set(Object.keys(spec.flags ?? {}).filter((name) => /^-\w$/.test(name)));
    const shadowed = [...body.matchAll(/^ +(-\w), --/gm)].map((m) => m[1]).filter((short) => mine.has(short));
    const note = shadowed.length ? ` (${shadowed.join(', ')} there ${shadowed.length > 1 ? 'are' : 'is'} the original flag${shadowed.length > 1 ? 's' : ''} above)` : '';
    lines.push('', `Also every option of ${runs}${note}:`, '', body);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
}
