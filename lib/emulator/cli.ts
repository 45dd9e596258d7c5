/**
 * `dcm sim` — run the emulator in the foreground and print the environment a client needs:
 *
 *   export ES_ENDPOINT=http://127.0.0.1:PORT/api/enstratus/2015-05-25
 *   export ES_ACCESS_KEY=DEMOACCESSKEY
 *   export ES_SECRET_KEY=demo-secret-key
 *
 * exactly these three lines on stdout, then `# dashboard: http://127.0.0.1:PORT/__emulator/dashboard/`
 * (a shell comment, so pasting all four lines is harmless), nothing else (values are single-quoted
 * only when they hold characters a shell would interpret). Progress and, with --verbose, one line per request go to
 * stderr. Stops on SIGINT/SIGTERM (or when `io.signal` aborts) and resolves with exit code 0; usage
 * errors resolve with 2, start-up failures (port in use, bad state file) with 1. The CLI wires
 * this into `bin/dcm`; `node dist/lib/emulator/sim-main.js` runs it stand-alone.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseFaultRule, validateFaults } from './faults.js';
import { startEmulator } from './server.js';
import type { FaultRule } from './types.js';

export interface SimIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Stops the emulator when aborted (tests; the command itself listens for SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

export const SIM_USAGE = `Usage: dcm sim [options]

Run a local Dell Cloud Manager API emulator in the foreground (Ctrl-C to stop).

Options:
  --port N          TCP port on 127.0.0.1 (default 0 = any free port)
  --seed N          seed of the generated data (default 1)
  --state FILE      load state from FILE if it exists; save every change to it
  --job-delay MS    milliseconds per job step (default 0 = one step per request)
  --servers N       extra generated servers (default 0)
  --fault RULE      inject faults: PATH:STATUS|reset|latency=MS[:RATE] (repeatable), where
                    PATH is a glob on the resource path (* within a segment, ** across),
                    STATUS an HTTP error status, reset drops the connection, latency=MS
                    delays every matching request, RATE the chance in [0, 1] (default 1)
  --faults FILE     fault rules from a JSON file: an array of rules as PUT /__emulator/faults
                    takes them (applied before the --fault rules)
  --verbose         print one line per request on stderr
  -h, --help        show this help

Examples:
  dcm sim --port 15000 --state ./sim-state.json
  # in another shell, paste the printed export lines, then:
  dcm-get infrastructure/Server

  # 20% of infrastructure requests answer 503, job reads take 200 ms more, 1% of all drop
  dcm sim --fault 'infrastructure/**:503:0.2' --fault 'admin/Job/*:latency=200' --fault '**:reset:0.01'
`;

function nonNegativeInt(name: string, raw: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new Error(`--${name} must be an integer between 0 and ${max}, got "${raw}"`);
  return Number(raw);
}

/** Rules of `--faults FILE` then of each `--fault RULE`; undefined when there are none. */
function faultRules(file: string | undefined, specs: string[]): FaultRule[] | undefined {
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

function describeRule(rule: FaultRule): string {
  const what = [rule.status !== undefined ? `status ${rule.status}` : '', rule.reset ? 'reset' : '', rule.latencyMs ? `latency ${rule.latencyMs} ms` : ''].filter(Boolean).join(', ');
  const where = rule.pathRegex !== undefined ? `/${rule.pathRegex}/` : rule.path ?? '**';
  return `${where}${rule.methods ? ` (${rule.methods.join(', ')})` : ''} → ${what || 'nothing'}${rule.rate !== undefined && rule.rate < 1 ? ` at rate ${rule.rate}` : ''}`;
}

/** `value` as one POSIX shell word: unchanged when safe, else single-quoted. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export async function runSim(argv: string[], io: SimIo): Promise<number> {
  let values: Record<string, string | string[] | boolean | undefined>;
  let options: Parameters<typeof startEmulator>[0];
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        state: { type: 'string' },
        'job-delay': { type: 'string' },
        servers: { type: 'string' },
        fault: { type: 'string', multiple: true },
        faults: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
    if (values.help) {
      io.stdout.write(SIM_USAGE);
      return 0;
    }
    options = {
      port: nonNegativeInt('port', values.port as string | undefined, 65535),
      seed: nonNegativeInt('seed', values.seed as string | undefined, 0xffffffff),
      jobDelayMs: nonNegativeInt('job-delay', values['job-delay'] as string | undefined),
      servers: nonNegativeInt('servers', values.servers as string | undefined, 1_000_000),
      statePath: values.state as string | undefined,
      faults: faultRules(values.faults as string | undefined, (values.fault as string[] | undefined) ?? []),
      quiet: !values.verbose,
    };
    for (const k of Object.keys(options) as Array<keyof typeof options>) if (options[k] === undefined) delete options[k];
  } catch (e) {
    io.stderr.write(`dcm sim: ${(e as Error).message}\nRun "dcm sim --help" for usage.\n`);
    return 2;
  }

  let handle;
  try {
    handle = await startEmulator(options, { out: io.stderr });
  } catch (e) {
    io.stderr.write(`dcm sim: could not start the emulator: ${(e as Error).message}\n`);
    return 1;
  }
  // Stopping is handled before anything is printed: whoever waits for the lines below may signal
  // at once (a SIGTERM that came between the two ended the process without closing it).
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  io.stdout.write(`export ES_ENDPOINT=${shellWord(handle.url)}\nexport ES_ACCESS_KEY=${shellWord(handle.accessKey)}\nexport ES_SECRET_KEY=${shellWord(handle.secretKey)}\n${handle.dashboardUrl ? `# dashboard: ${handle.dashboardUrl}\n` : ''}`);
  if (io.env.DCM_ACCESS_KEY || io.env.DCM_SECRET_KEY || io.env.DCM_ENDPOINT) {
    io.stderr.write('dcm sim: note: DCM_* variables are set in this environment and take precedence over ES_*; unset them to use the emulator.\n');
  }
  if (options.faults) io.stderr.write(`dcm sim: ${options.faults.length} fault rule(s) active: ${options.faults.map(describeRule).join('; ')}\n`);
  io.stderr.write(`dcm sim: emulator listening on ${handle.origin} (Ctrl-C to stop)\n`);

  await stopped;
  await handle.close();
  io.stderr.write('dcm sim: stopped\n');
  return 0;
}
