/**
 * `dcm sim`: reads its arguments, then runs the emulator in the foreground (serveSim in
 * lib/emulator/sim.ts). Usage errors resolve with 2, start-up failures with 1, a stop by
 * SIGINT/SIGTERM with 0.
 */
import { readFileSync } from 'node:fs';
import { describeFlags, parseArgs, usage, type FlagSpecs } from '../args.js';
import type { CliIO } from '../io.js';
import { findCommand, type CommandContext } from '../registry.js';
import { parseFaultRule, validateFaults } from '../../emulator/faults.js';
import { serveSim, type SimIo, type SimOptions } from '../../emulator/sim.js';
import type { FaultRule } from '../../emulator/types.js';

/** `dcm sim --help`. */
function helpText(specs: FlagSpecs): string {
  return `Usage: dcm sim [options]

Run a local Dell Cloud Manager API emulator in the foreground (Ctrl-C to stop).

Options:
${describeFlags(specs)}

A fault RULE is PATH:STATUS|reset|latency=MS[:RATE], where PATH is a glob on the resource path
(* within a segment, ** across), STATUS an HTTP error status, reset drops the connection,
latency=MS delays every matching request, RATE the chance in [0, 1] (default 1). A --faults FILE
holds an array of rules as PUT /__emulator/faults takes them.

Examples:
  dcm sim --port 15000 --state ./sim-state.json
  # in another shell, paste the printed export lines, then:
  dcm-get infrastructure/Server

  # 20% of infrastructure requests answer 503, job reads take 200 ms more, 1% of all drop
  dcm sim --fault 'infrastructure/**:503:0.2' --fault 'admin/Job/*:latency=200' --fault '**:reset:0.01'
`;
}

function nonNegativeInt(name: string, raw: unknown, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) > max) throw new Error(`--${name} must be an integer between 0 and ${max}, got "${String(raw)}"`);
  return Number(raw);
}

/** `--rate-limit N`: a whole number of requests per second, at least 1. */
function positiveRate(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1_000_000) throw new Error(`--rate-limit must be a whole number of requests per second between 1 and 1000000, got "${String(raw)}"`);
  return Number(raw);
}

/** Rules of `--faults FILE` then of each `--fault RULE`; undefined when there are none. */
function faultRules(file: string | undefined, specs: readonly string[]): FaultRule[] | undefined {
  const rules: FaultRule[] = [];
  if (file !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`--faults ${file}: ${(e as NodeJS.ErrnoException).code ? 'cannot be read' : 'is not valid JSON'}: ${(e as Error).message}`);
    }
    try {
      rules.push(...validateFaults(parsed));
    } catch (e) {
      throw new Error(`--faults ${file}: ${(e as Error).message}`);
    }
  }
  for (const spec of specs) rules.push(parseFaultRule(spec));
  return rules.length > 0 ? rules : undefined;
}

/** The emulator's options from the parsed flags. Throws on a bad value. */
function simOptions(flags: Record<string, string | boolean | string[]>): SimOptions {
  const options: SimOptions = {
    port: nonNegativeInt('port', flags.port, 65535),
    seed: nonNegativeInt('seed', flags.seed, 0xffffffff),
    jobDelayMs: nonNegativeInt('job-delay', flags['job-delay']),
    servers: nonNegativeInt('servers', flags.servers, 1_000_000),
    statePath: flags.state as string | undefined,
    faults: faultRules(flags.faults as string | undefined, (flags.fault as string[] | undefined) ?? []),
    quiet: !flags.verbose,
    rateLimit: positiveRate(flags['rate-limit']),
    tls: flags.tls === true ? true : undefined,
  };
  for (const k of Object.keys(options) as Array<keyof typeof options>) if (options[k] === undefined) delete options[k];
  return options;
}

/**
 * `dcm sim ARGV` with the given streams: prints the export lines, serves until SIGINT/SIGTERM or
 * `io.signal`, and resolves with the exit code (2 for a usage error, printed on stderr).
 */
export async function runSim(argv: readonly string[], io: SimIo, specs: FlagSpecs = findCommand('sim')!.flags): Promise<number> {
  let options: SimOptions;
  try {
    const { flags, positionals } = parseArgs(argv, specs, { command: 'sim' });
    if (flags.help) {
      io.stdout.write(helpText(specs));
      return 0;
    }
    if (positionals.length) throw usage('sim', `unexpected argument "${positionals[0]}"`);
    options = simOptions(flags);
  } catch (e) {
    io.stderr.write(`dcm sim: ${(e as Error).message}\nRun "dcm sim --help" for usage.\n`);
    return 2;
  }
  return serveSim(options, io);
}

/** The registry's entry point: {@link runSim} on the command's streams. */
export function run(argv: readonly string[], io: CliIO, { flags, signal }: CommandContext): Promise<number> {
  const out = { stdout: io.stdout as NodeJS.WritableStream, stderr: io.stderr as NodeJS.WritableStream, env: io.env as NodeJS.ProcessEnv };
  return runSim(argv, signal ? { ...out, signal } : out, flags);
}
