// Takes the lock named by argv[2] (built library), says "held", and keeps it until killed.
// With argv[3] = "count:<file>:<n>[:frequent]", instead adds 1 to the number in <file> n times, each under the lock.
// With argv[3] = "frequent", holds it as a `frequent` lock (a link to a kept holder file).
// With argv[3] = "frequent-released", takes and releases it as a `frequent` lock, says "released", and waits until killed.
import { readFileSync, writeFileSync } from 'node:fs';
import { setInterval } from 'node:timers';
import { acquireLockSync } from '../../../dist/lib/lock.js';
const [path, job] = process.argv.slice(2);
if (job?.startsWith('count:')) {
  const [, file, n, mode] = job.split(':');
  for (let i = 0; i < Number(n); i++) {
    const lock = acquireLockSync(path, { timeoutMs: 60_000, label: 'counter', frequent: mode === 'frequent' });
    const value = Number(readFileSync(file, 'utf8'));
    writeFileSync(file, String(value + 1));
    lock.release();
  }
  process.exit(0);
}
if (job === 'frequent-released') {
  acquireLockSync(path, { label: 'holder script', frequent: true }).release();
  process.stdout.write('released\n');
} else {
  acquireLockSync(path, { label: 'holder script', frequent: job === 'frequent' });
  process.stdout.write('held\n');
}
setInterval(() => {}, 1 << 30);
