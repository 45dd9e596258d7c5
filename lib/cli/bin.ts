/**
 * What every executable in bin/ calls: `await runTool('<its name>')`. The tool's module is imported
 * on demand, so a raw `dcm-get` never loads the resource classes, the console or the emulator.
 */
import { processIO, type CliIO } from './io.js';
import { isRawTool } from './registry.js';

/** Runs the named tool with `argv` and resolves with its exit code. Never throws. */
export async function dispatchTool(tool: string, argv: readonly string[], io: CliIO): Promise<number> {
  if (isRawTool(tool)) {
    const { runRaw } = await import('./raw.js');
    return runRaw(tool, argv, io);
  }
  if (tool === 'dcm') {
    const { runDcm } = await import('./dcm.js');
    return runDcm(argv, io);
  }
  const { runAlias } = await import('./aliases.js');
  return runAlias(tool, argv, io);
}

/** The body of a bin/ file: runs the tool on the process's arguments and sets the exit code. */
export async function runTool(tool: string): Promise<void> {
  const io = processIO();
  // `dcm-get … | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await dispatchTool(tool, process.argv.slice(2), io);
}
