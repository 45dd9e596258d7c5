// Holds the journal's append lock while its event loop is blocked, then sends writes and blocks
// again while their answers arrive. Arguments: journal file, server id, count, milliseconds to
// hold the lock, milliseconds to block while each answer arrives.
// Prints "held" once it has the lock, "done" at the end. Settings come from ES_* and MIXCOATL_JOURNAL_DIR.
import { request } from '../../../dist/lib/index.js';
import { acquireLockSync } from '../../../dist/lib/lock.js';
import { journalLockFile } from '../../../dist/lib/journal/journal.js';

const [file, serverId, count, holdMs, blockMs] = process.argv.slice(2);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const block = (ms) => Atomics.wait(sleeper, 0, 0, Number(ms));

const lock = acquireLockSync(journalLockFile(file), { timeoutMs: 0 });
process.stdout.write('held\n');
block(holdMs);
lock.release();
for (let i = 0; i < Number(count); i++) {
  // Sent, then the event loop is blocked while the answer arrives.
  const pending = request('PUT', `infrastructure/Server/${serverId}`, { body: { describeServer: [{ description: `blocker ${i}` }] } });
  block(blockMs);
  await pending;
}
process.stdout.write('done\n');
