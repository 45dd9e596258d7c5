/**
 * `kill -9` of `dcm apply --yes` (the built executable) at a random moment, then a re-run at once,
 * 20 times, against an emulator whose jobs take 300 ms. The desired state is a firewall with two
 * rules, three volumes (one attached to the server) and a server: 8 writes in 4 waves. The kill
 * comes after the n-th request the emulator served in the trial, n drawn from a seeded PRNG in
 * [1, requests of a whole run]; the seed is printed, and `MIXCOATL_CRASH_SEED=<seed>` draws the
 * same moments again.
 *
 * Each trial: the re-run exits 0; once every job has ended, the emulator holds exactly one live
 * object per record, the two rules, and the volume attached; and every write in the emulator's own
 * request log has its entry in the journal.
 */
import { Prng } from '../../lib/emulator/prng.js';
import { readJournalEntries } from '../../lib/journal/journal.js';
import { applySandbox, desiredState, details, journalFileOf, liveByName, settled, type ApplySandbox } from './emulated-cli.js';

const TRIALS = 20;
const APPLY = ['--yes', '--allow-irreversible', '--interval', '50'];
const SEED = Number(process.env.MIXCOATL_CRASH_SEED) || Math.floor(Math.random() * 2 ** 31);

let box: ApplySandbox;

beforeAll(async () => {
  box = await applySandbox(300);
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
  // A whole run, to know how many requests one takes.
  await box.emulator.clearLog();
  const whole = await box.dcm(['apply', box.file('whole.yaml', desiredState('whole')), ...APPLY]);
  expect({ code: whole.code, stderr: whole.code === 0 ? '' : whole.stderr }).toEqual({ code: 0, stderr: '' });
  const perRun = (await box.emulator.requestLog()).length;
  expect(perRun).toBeGreaterThan(8);

  for (let trial = 1; trial <= TRIALS; trial++) {
    const prefix = `k${trial}`;
    const file = box.file(`${prefix}.yaml`, desiredState(prefix));
    await settled(box.emulator);
    await box.emulator.clearLog();
    const before = await lastSerial();
    const n = prng.int(1, perRun);

    const child = box.start(['apply', file, ...APPLY]);
    let exited = false;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    void gone.then(() => (exited = true));
    while (!exited && (await box.emulator.requestLog()).length < n) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    await gone;

    const rerun = await box.dcm(['apply', file, ...APPLY]);
    await settled(box.emulator);
    const report = {
      seed: SEED, trial, n,
      rerun: rerun.code === 0 ? 0 : `${rerun.code}: ${rerun.stderr}`,
      objects: await liveByName(box.emulator, prefix),
      ...(await details(box.emulator, prefix)),
      unjournaled: await unjournaled(before),
    };
    expect(report).toEqual({
      seed: SEED, trial, n, rerun: 0,
      objects: { [`${prefix}-fw`]: 1, [`${prefix}-v1`]: 1, [`${prefix}-v2`]: 1, [`${prefix}-v3`]: 1, [`${prefix}-web`]: 1 },
      rules: [80, 443], attached: true, unjournaled: [],
    });
  }
}, 900_000);
