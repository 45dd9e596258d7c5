/**
 * What `dcm sim` does once its arguments are read (lib/cli/commands/sim.ts reads them): run the
 * emulator in the foreground and print the environment a client needs:
 *
 *   export ES_ENDPOINT=http://127.0.0.1:PORT/api/enstratus/2015-05-25
 *   export ES_ACCESS_KEY=DEMOACCESSKEY
 *   export ES_SECRET_KEY=demo-secret-key
 *
 * exactly these three lines on stdout (with `tls` a fourth, `export DCM_CA_BUNDLE=<the CA's PEM
 * file>`), nothing else (values are single-quoted only when they hold
 * characters a shell would interpret). Progress and, with `quiet: false`, one line per request go
 * to stderr. Stops on SIGINT/SIGTERM (or when `io.signal` aborts) and resolves with exit code 0;
 * start-up failures (port in use, bad state file) resolve with 1.
 */
import { startEmulator } from './server.js';
import type { EmulatorOptions, FaultRule } from './types.js';

/** Where `dcm sim` writes, and what stops it. */
export interface SimIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Stops the emulator when aborted (tests; the command itself listens for SIGINT/SIGTERM). */
  signal?: AbortSignal;
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

/** The options of `dcm sim`: those of {@link startEmulator}. */
export type SimOptions = EmulatorOptions;

/** Runs the emulator until a signal (or `io.signal`) stops it; resolves with the exit code. */
export async function serveSim(options: SimOptions, io: SimIo): Promise<number> {
  let handle;
  try {
    handle = await startEmulator(options, { out: io.stderr });
  } catch (e) {
    io.stderr.write(`dcm sim: could not start the emulator: ${(e as Error).message}\n`);
    return 1;
  }
  // Listen for the signals before the export lines go out: whoever reads them may stop the
  // emulator at once, and a SIGTERM before the handler would kill it without closing its state.
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
  io.stdout.write(`export ES_ENDPOINT=${shellWord(handle.url)}\nexport ES_ACCESS_KEY=${shellWord(handle.accessKey)}\nexport ES_SECRET_KEY=${shellWord(handle.secretKey)}\n`);
  if (handle.caFile !== undefined) {
    io.stdout.write(`export DCM_CA_BUNDLE=${shellWord(handle.caFile)}\n`);
    io.stderr.write(`dcm sim: TLS certificate issued by a CA made at start; its certificate is in ${handle.caFile}\n`);
  }
  if (io.env.DCM_ACCESS_KEY || io.env.DCM_SECRET_KEY || io.env.DCM_ENDPOINT) {
    io.stderr.write('dcm sim: note: DCM_* variables are set in this environment and take precedence over ES_*; unset them to use the emulator.\n');
  }
  if (options.rateLimit !== undefined) io.stderr.write(`dcm sim: rate limit of ${options.rateLimit} requests per second per access key\n`);
  if (options.faults) io.stderr.write(`dcm sim: ${options.faults.length} fault rule(s) active: ${options.faults.map(describeRule).join('; ')}\n`);
  io.stderr.write(`dcm sim: emulator listening on ${handle.origin} (Ctrl-C to stop)\n`);

  await stopped;
  await handle.close();
  io.stderr.write('dcm sim: stopped\n');
  return 0;
}
