/**
 * `kill -9` of `dcm apply --yes` (the built executable) at a random moment, then a re-run at once,
 * 20 times, against an emulator whose jobs take 1 s: longer than a re-run takes to start and
 * read, so a re-run that ignored the jobs still running would plan their creates again. The
 * desired state is a firewall with two rules, three volumes (one attached to the server) and a
 * server: 8 writes, with jobs in two waves. The kill comes once the emulator has served the n-th
 * write of the trial and m requests more, n in [1, 8] and m in [0, 3] drawn from a seeded PRNG; the
 * seed is printed, and `MIXCOATL_CRASH_SEED=<seed>` draws the same moments again.
 *
 * Each trial: the re-run exits 0; once every job has ended, the emulator holds exactly one live
 * object per record, the two rules, and the volume attached; and every write in the emulator's own
 * request log has its entry in the journal.
 */
import { Prng } from '../../lib/emulator/prng.js';
import { readJournalEntries } from '../../lib/journal/journal.js';
import { applySandbox, desiredState, details, journalFileOf, liveByName, settled, type ApplySandbox } from './emulated-cli.js';

const TRIALS = 20;
const APPLY = ['--yes', '--allow-irreversible', '--interval', '50', '--concurrency', '8'];
const WRITES = new Set(['POST', 'PUT', 'DELETE']);
const SEED = Number(process.env.MIXCOATL_CRASH_SEED) || Math.floor(Math.random() * 2 ** 31);

let box: ApplySandbox;

beforeAll(async () => {
  box = await applySandbox(1000);
});

afterAll(async () => {
  await box?.close();
});

/** Writes in the emulator's log that have no journal entry of the same method and path (among entries after `after`). */
async function unjournaled(after: number): Promise<string[]> {
  const journaled = new Map<string, number>();
  for (const entry of await readJournalEntries(journalFileOf(box))) {
    if (entry.serial <= after) continue;
    const key = `${entry.method} ${entry.path}`;
    journaled.set(key, (journaled.get(key) ?? 0) + 1);
  }
  const missing: string[] = [];
  for (const logged of await box.emulator.requestLog()) {
    if (logged.method === 'GET' || logged.method === 'HEAD') continue;
    const key = `${logged.method} ${logged.resource}`;
    const left = journaled.get(key) ?? 0;
    if (left > 0) journaled.set(key, left - 1);
    else missing.push(`#${logged.seq} ${key} (${logged.status})`);
  }
  return missing;
}

async function lastSerial(): Promise<number> {
  try {
    return (await readJournalEntries(journalFileOf(box))).at(-1)?.serial ?? 0;
  } catch {
    return 0; // no journal file yet
  }
}

it(`kill -9 at a random moment of an apply, then a re-run at once (${TRIALS} trials): no duplicate, the desired state, every write journaled`, async () => {
  console.log(`apply crash spec: seed ${SEED} (MIXCOATL_CRASH_SEED=${SEED} draws the same kill moments)`);
  const prng = new Prng(SEED);
  for (let trial = 1; trial <= TRIALS; trial++) {
    const prefix = `k${trial}`;
    const file = box.file(`${prefix}.yaml`, desiredState(prefix, ['v1', 'v2', 'v3'], false));
    await settled(box.emulator);
    await box.emulator.clearLog();
    const before = await lastSerial();
    const n = prng.int(1, 8);
    const m = prng.int(0, 3);

    const child = box.start(['apply', file, ...APPLY]);
    let exited = false;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    void gone.then(() => (exited = true));
    const moment = async (): Promise<boolean> => {
      const log = await box.emulator.requestLog();
      const nth = log.filter((e) => WRITES.has(e.method))[n - 1];
      return nth !== undefined && log.filter((e) => e.seq > nth.seq).length >= m;
    };
    while (!exited && !(await moment())) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    await gone;

    const rerun = await box.dcm(['apply', file, ...APPLY]);
    await settled(box.emulator);
    const report = {
      seed: SEED, trial, n, m,
      rerun: rerun.code === 0 ? 0 : `${rerun.code}: ${rerun.stderr}`,
      objects: await liveByName(box.emulator, prefix),
      ...(await details(box.emulator, prefix)),
      unjournaled: await unjournaled(before),
    };
    expect(report).toEqual({
      seed: SEED, trial, n, m, rerun: 0,
      objects: { [`${prefix}-fw`]: 1, [`${prefix}-v1`]: 1, [`${prefix}-v2`]: 1, [`${prefix}-v3`]: 1, [`${prefix}-web`]: 1 },
      rules: [80, 443], attached: true, unjournaled: [],
    });
  }
}, 900_000);
