/**
 * Stand-alone entry of `dcm sim` (compiled to dist/lib/cli/sim-main.js):
 * `node dist/lib/cli/sim-main.js [--port N] [--seed N] [--state FILE] [--job-delay MS]`.
 * Runs runSim with this process's stdio; the exit code is runSim's (0 after SIGINT/SIGTERM).
 */
import { runSim } from './commands/sim.js';

void runSim(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
  process.exitCode = code;
});
