/**
 * Export's references by name, and apply's reads after planning, against the emulator over
 * loopback (its request log counted):
 * - a reference to an object not exported together is written as the target's name when that
 *   name resolves back to exactly that object (as apply resolves names), else as its id: a name
 *   two objects share, a target without a name, a type listed only within a scope;
 * - export lists each referenced type once, and never reads an object by id;
 * - apply() of the export sends 0 writes and, with nothing to change, only the planning listings,
 *   one per type (no GET by id); with one attribute changed, one write and one read back: that
 *   object's.
 */
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { apply, clearIdentityMaps, configure, configureJobs, exportRecords, resetConfiguration } from '../../lib/index.js';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({ jobDelayMs: 0 });
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, lazy: 'async', retry: { limit: 0 } });
  configureJobs({ intervalMs: 0, timeoutMs: 20_000 });
  clearIdentityMaps();
});

afterAll(async () => {
  configureJobs();
  resetConfiguration();
  await emulator.close();
});

/** The emulator's log since it was last cleared: `GET infrastructure/Volume/123`, without the query. */
async function requests(): Promise<string[]> {
  return (await emulator.requestLog()).map((e) => `${e.method} ${e.path.replace(/^.*?\/api\/enstratus\/[^/]+\//, '').replace(/\?.*$/, '')}`);
}

/** A request for one object by its id (`GET infrastructure/Volume/123`). */
const BY_ID = /^GET [A-Za-z]+\/[A-Za-z]+\/[^/]+$/;

it('writes a reference as the target name where it is unique, else as the id; applied back: 0 writes and no read after planning', async () => {
  // The stored records are live: names set here are what the API answers.
  const [admin, twin1, twin2] = await emulator.items('admin/Group');
  twin1.name = 'twins';
  twin2.name = 'twins';
  const [defaultCode, unnamedCode] = await emulator.items('admin/BillingCode');
  delete unnamedCode.name;
  const [named, other] = await emulator.items('infrastructure/Volume');
  named.owningGroups = [{ groupId: admin.groupId }, { groupId: twin1.groupId }];
  named.budget = defaultCode.billingCodeId;
  other.budget = unnamedCode.billingCodeId;
  expect((await emulator.items('admin/Group')).filter((g) => g.name === admin.name)).toHaveLength(1);
  expect((await emulator.items('admin/BillingCode')).filter((b) => b.name === defaultCode.name)).toHaveLength(1);

  await emulator.clearLog();
  const records = await exportRecords(['Volume']);
  const exportReads = await requests();
  expect(exportReads.filter((r) => !r.startsWith('GET '))).toEqual([]);
  expect(exportReads.filter((r) => BY_ID.test(r))).toEqual([]);
  // One listing per type: the volumes and each type their references point at.
  expect(exportReads).toEqual([...new Set(exportReads)]);
  expect(exportReads).toEqual(expect.arrayContaining(['GET infrastructure/Volume', 'GET admin/Group', 'GET admin/BillingCode']));

  const record = records.find((r) => r.volumeId === named.volumeId)!;
  expect(record.owningGroups).toEqual([admin.name, twin1.groupId]);
  expect(record.budget).toBe(defaultCode.name);
  // A data center is listed only within its region: its id.
  expect(record.dataCenter).toBe((named.dataCenter as { dataCenterId: number }).dataCenterId);
  expect(records.find((r) => r.volumeId === other.volumeId)!.budget).toBe(unnamedCode.billingCodeId);

  // The planning reads, as a dry run makes them.
  await emulator.clearLog();
  expect((await apply(records, { dryRun: true })).plan.noChanges).toBe(true);
  const planning = (await requests()).sort();
  expect(planning.filter((r) => BY_ID.test(r))).toEqual([]);
  // Each type listed once: a listing the names were resolved with serves the matching too.
  expect(planning).toEqual([...new Set(planning)]);
  expect(planning).toEqual(expect.arrayContaining(['GET infrastructure/Volume', 'GET admin/Group', 'GET admin/BillingCode']));

  await emulator.clearLog();
  const result = await apply(records);
  expect(result.plan.noChanges).toBe(true);
  expect(result.done).toEqual([]);
  expect((await requests()).sort()).toEqual(planning);
  // The result's objects: as read while planning.
  expect(result.records.map((r) => r?.volumeId)).toEqual(records.map((r) => r.volumeId));
  expect(result.records.find((r) => r?.volumeId === named.volumeId)).toMatchObject({ name: named.name, budget: defaultCode.billingCodeId });

  // One attribute changed: one write, and only that object read back.
  record.description = 'changed in the export';
  await emulator.clearLog();
  const one = await apply(records);
  const log = await requests();
  expect(log.filter((r) => !r.startsWith('GET '))).toEqual([`PUT infrastructure/Volume/${String(named.volumeId)}`]);
  expect(log.filter((r) => BY_ID.test(r))).toEqual([`GET infrastructure/Volume/${String(named.volumeId)}`]);
  expect(one.records.find((r) => r?.volumeId === named.volumeId)).toMatchObject({ description: 'changed in the export' });
});
