// Takes the lock named by argv[2] (built library), says "held", and keeps it until killed.
// With argv[3] = "count:<file>:<n>", instead adds 1 to the number in <file> n times, each under the lock.
import { readFileSync, writeFileSync } from 'node:fs';
import { setInterval } from 'node:timers';
import { acquireLockSync } from '../../../dist/lib/lock.js';
const [path, job] = process.argv.slice(2);
if (job?.startsWith('count:')) {
  const [, file, n] = job.split(':');
  for (let i = 0; i < Number(n); i++) {
    const lock = acquireLockSync(path, { timeoutMs: 60_000, label: 'counter' });
    const value = Number(readFileSync(file, 'utf8'));
    writeFileSync(file, String(value + 1));
    lock.release();
  }
  process.exit(0);
}
acquireLockSync(path, { label: 'holder script' });
process.stdout.write('held\n');
setInterval(() => {}, 1 << 30);
