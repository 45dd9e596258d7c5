/**
 * apply()'s validation and planning against the emulator over loopback: one ValidationError with
 * every problem of every record (unknown type, missing attributes, a name that matches nothing,
 * ports, sizes and ids out of range, an empty name, a member name of Object.prototype) and not one
 * write in the emulator's log; numbers JSON cannot hold; empty inputs and YAML alias bombs
 * refused; a large input (20,000 records: creates, attachments, updates, references between
 * records) planned in the order the rules give, which a plain reference implementation of those
 * rules reproduces exactly on a smaller input.
 */
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import {
  apply, clearIdentityMaps, configure, configureJobs, MAX_RECORDS, parseRecords, resetConfiguration, ValidationError, type ApplyRecord, type PlanStep,
} from '../../lib/index.js';

const REGION = 19344;
const BUDGET = 10287;
const WRITES = new Set(['POST', 'PUT', 'DELETE']);

let emulator: EmulatorHandle;
let dataCenterId: number;
let machineImageId: number;
let serverNames: string[];

beforeAll(async () => {
  emulator = await startEmulator({ jobDelayMs: 0, servers: 6_000 });
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, lazy: 'async', retry: { limit: 0 } });
  configureJobs({ intervalMs: 0, timeoutMs: 20_000 });
  clearIdentityMaps();
  dataCenterId = (await emulator.items('geography/DataCenter')).find((d) => d.region?.regionId === REGION)!.dataCenterId;
  machineImageId = (await emulator.items('infrastructure/MachineImage')).find((i) => i.status === 'ACTIVE')!.machineImageId;
  const servers = (await emulator.items('infrastructure/Server')).filter((s) => s.status !== 'TERMINATED');
  const counts = new Map<string, number>();
  for (const s of servers) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  serverNames = [...counts].filter(([, n]) => n === 1).map(([name]) => name);
});

afterAll(async () => {
  configureJobs();
  resetConfiguration();
  await emulator.close();
});

beforeEach(async () => {
  await emulator.clearLog();
});

async function writes(): Promise<number> {
  return (await emulator.requestLog()).filter((e) => WRITES.has(e.method)).length;
}

async function refusal(records: unknown, options = {}): Promise<ValidationError> {
  const error = await apply(records as ApplyRecord[], options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('apply(): every problem at once', () => {
  it('one ValidationError names each problem of every record, with 0 writes at the emulator', async () => {
    const volume = { type: 'Volume', description: 'd', budget: BUDGET, dataCenter: dataCenterId };
    const rule = { type: 'FirewallRule', firewall: 116387, direction: 'INGRESS', source: '0.0.0.0/0', sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP' };
    const error = await refusal([
      { type: 'Gizmo', name: 'x' },
      { type: 'Volume', name: 'v-needs' },
      { type: 'Server', name: 's', description: 'd', budget: 'no-such-code', providerProductId: 'm1.small', machineImage: machineImageId, dataCenter: dataCenterId },
      { ...rule, startPort: 70000, endPort: -1 },
      { ...volume, name: 'v-negative', sizeInGb: -5 },
      { ...volume, name: 'v-fraction', sizeInGb: 1.5 },
      { ...volume, name: '', sizeInGb: 1 },
      { ...volume, name: 'v-proto', sizeInGb: 1, toString: 'x' },
      { type: 'Server', name: 's-image', description: 'd', budget: BUDGET, providerProductId: 'm1.small', machineImage: -1, dataCenter: dataCenterId },
    ]);
    expect(error.problems).toEqual([
      expect.stringMatching(/^record 1: unknown type "Gizmo"/),
      'record 2 (Volume v-needs): creating a Volume needs description, dataCenter, sizeInGb, budget',
      expect.stringMatching(/^record 3 \(Server s\): .*no BillingCode "no-such-code"/),
      'record 4 (FirewallRule (record 4)): startPort must be a whole number from 0 to 65535, got 70000',
      'record 4 (FirewallRule (record 4)): endPort must be a whole number from 0 to 65535, got -1',
      'record 5 (Volume v-negative): sizeInGb must be a positive whole number, got -5',
      'record 6 (Volume v-fraction): sizeInGb must be a positive whole number, got 1.5',
      'record 7 (Volume (record 7)): name must not be empty',
      expect.stringMatching(/^record 8 \(Volume v-proto\): unknown attribute "toString"; Volume takes /),
      'record 9 (Server s-image): machineImage: a MachineImage id must be a positive whole number, got -1',
    ]);
    expect(await writes()).toBe(0);
  });

  it.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])('"%s" is refused like any unknown attribute', async (key) => {
    const [record] = parseRecords(`[{"type": "Volume", "name": "proto", "description": "d", "sizeInGb": 1, "budget": ${BUDGET}, "dataCenter": ${dataCenterId}, ${JSON.stringify(key)}: "x"}]`);
    const error = await refusal([record], { dryRun: true });
    expect(error.problems).toEqual([expect.stringMatching(new RegExp(`^record 1 \\(Volume proto\\): unknown attribute "${key}"; Volume takes budget,`))]);
    expect(await writes()).toBe(0);
  });

  it('a number JSON cannot hold (1e400) is said to be not finite, not "null"', async () => {
    const records = parseRecords(`[{"type": "Volume", "name": "huge", "description": "d", "sizeInGb": 1e400, "budget": ${BUDGET}, "dataCenter": ${dataCenterId}}]`);
    const error = await refusal(records, { dryRun: true });
    expect(error.problems).toEqual([expect.stringMatching(/^record 1 \(Volume huge\): sizeInGb is not a finite number .*got Infinity \(not a finite number\)$/)]);
    expect(error.message).not.toMatch(/null/);
  });

  it('an empty input is refused: no records', async () => {
    for (const text of ['', '  \n', 'null', '[]', '{"records": []}', '---\n', '--- null\n']) {
      expect(() => parseRecords(text, 'in.yaml')).toThrow(ValidationError);
      expect(() => parseRecords(text, 'in.yaml')).toThrow(/^in\.yaml: no records/);
    }
    expect((await refusal([])).message).toMatch(/no records/);
  });

  it(`more than ${MAX_RECORDS.toLocaleString('en')} records are refused before planning, from a file and from a program`, async () => {
    expect(MAX_RECORDS).toBe(250_000);
    const text = `[${Array(MAX_RECORDS + 1).fill('{}').join(',')}]`;
    expect(() => parseRecords(text, 'many.json')).toThrow(/^many\.json: 250,001 records; at most 250,000 are taken at once/);
    expect(parseRecords(text.replace('{},', ''), 'many.json')).toHaveLength(MAX_RECORDS);
    expect((await refusal(Array.from({ length: MAX_RECORDS + 1 }, () => ({}))))).toMatchObject({ message: expect.stringMatching(/^apply: 250,001 records; at most 250,000/) });
    expect(await emulator.requestLog()).toEqual([]);
  });

  it('a YAML alias bomb is a ValidationError', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]'].join('\n');
    expect(() => parseRecords(bomb, 'bomb.yaml')).toThrow(ValidationError);
    expect(() => parseRecords(bomb, 'bomb.yaml')).toThrow(/^bomb\.yaml: too many YAML aliases/);
  });

  it('an aborted signal stops planning before any request', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await apply([{ type: 'Volume', name: 'x' }], { dryRun: true, signal: controller.signal }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(await emulator.requestLog()).toEqual([]);
  });
});

/**
 * `n` records: firewalls (not undoable), rules of those firewalls, new servers using them, new
 * volumes attached to new servers, and updates of existing servers found by name.
 */
function large(n: number): ApplyRecord[] {
  const firewalls = Math.max(1, Math.floor(n / 200));
  const rules = Math.floor(n / 10);
  const servers = Math.floor(n / 5);
  const updates = Math.min(Math.floor(n * 0.3), serverNames.length);
  const volumes = n - firewalls - rules - servers - updates;
  const records: ApplyRecord[] = [];
  // Interleaved, so that the order is not that of the records.
  for (let i = 0; i < volumes; i++) records.push({ type: 'Volume', name: `big-vol-${n}-${i}`, description: 'big', sizeInGb: 1 + (i % 50), budget: BUDGET, dataCenter: dataCenterId, server: `@srv-${i % servers}` });
  for (let i = 0; i < servers; i++) records.push({ type: 'Server', ref: `srv-${i}`, name: `big-srv-${n}-${i}`, description: 'big', budget: BUDGET, providerProductId: 'm1.small', machineImage: machineImageId, dataCenter: dataCenterId, firewalls: [`@fw-${i % firewalls}`] });
  for (let i = 0; i < updates; i++) records.push({ type: 'Server', name: serverNames[i], description: `changed ${n}` });
  for (let i = 0; i < rules; i++) records.push({ type: 'FirewallRule', firewall: `@fw-${i % firewalls}`, direction: 'INGRESS', source: `10.0.${(i >> 8) & 255}.${i & 255}/32`, sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP', startPort: 1 + (i % 1000), endPort: 1 + (i % 1000) });
  for (let i = 0; i < firewalls; i++) records.push({ type: 'Firewall', ref: `fw-${i}`, name: `big-fw-${n}-${i}`, description: 'big', budget: BUDGET, region: REGION });
  return records;
}

/**
 * The ordering rules, written plainly (quadratic): repeatedly take, of the steps whose `after`
 * are all placed, the first by (undoable before not undoable, record, its place in the record),
 * deletions only when nothing else is left. Returns the steps' (record, kind) in that order.
 */
function referenceOrder(steps: readonly PlanStep[]): string[] {
  const rank = (s: PlanStep): number => (s.kind === 'delete' ? 2 : s.undo === null ? 1 : 0);
  const within = (s: PlanStep): number => (s.kind === 'attach' ? 1 : 0);
  const remaining = [...steps].sort((a, b) => a.record - b.record || within(a) - within(b));
  const placed = new Set<number>();
  const out: string[] = [];
  while (remaining.length) {
    const others = remaining.some((s) => s.kind !== 'delete');
    let best = -1;
    for (let i = 0; i < remaining.length; i++) {
      const s = remaining[i];
      if ((others && s.kind === 'delete') || !s.after.every((a) => placed.has(a))) continue;
      if (best < 0 || rank(s) < rank(remaining[best])) best = i;
    }
    const [next] = remaining.splice(best, 1);
    placed.add(next.step);
    out.push(`${next.record} ${next.kind}`);
  }
  return out;
}

describe('apply(): a large input', () => {
  it('plans 20,000 records: every step, each after what it needs, in the order the rules give', async () => {
    const records = large(20_000);
    const { plan } = await apply(records, { dryRun: true });
    const kinds = (kind: string) => plan.steps.filter((s) => s.kind === kind).length;
    const attaches = records.filter((r) => r.type === 'Volume').length;
    const updates = records.filter((r) => r.type === 'Server' && r.ref === undefined).length;
    expect({ create: kinds('create'), attach: kinds('attach'), update: kinds('update') }).toEqual({ create: records.length - updates, attach: attaches, update: updates });
    expect(plan.steps.map((s) => s.step)).toEqual(plan.steps.map((_s, i) => i + 1));
    const byStep = new Map(plan.steps.map((s) => [s.step, s]));
    const createOf = new Map(plan.steps.filter((s) => s.kind === 'create').map((s) => [s.record, s.step]));
    const byRef = new Map(records.map((r, i) => [r.ref, i]));
    const wrong: string[] = [];
    for (const s of plan.steps) {
      const record = records[s.record];
      const need = s.kind === 'attach' ? [createOf.get(s.record), createOf.get(byRef.get(String(record.server).slice(1)) as number)]
        : s.kind === 'create' && record.type === 'Server' ? [createOf.get(byRef.get(String((record.firewalls as string[])[0]).slice(1)) as number)]
          : s.kind === 'create' && record.type === 'FirewallRule' ? [createOf.get(byRef.get(String(record.firewall).slice(1)) as number)] : [];
      if (JSON.stringify(s.after) !== JSON.stringify((need as number[]).sort((x, y) => x - y))) wrong.push(`step ${s.step} (${s.label}) after ${s.after.join(',')}, wanted ${need.join(',')}`);
      if (s.after.some((a) => a >= s.step || !byStep.has(a))) wrong.push(`step ${s.step} waits for a later step`);
      if (s.kind === 'update' && JSON.stringify(s.body) !== JSON.stringify({ describeServer: [{ description: 'changed 20000' }] })) wrong.push(`step ${s.step}: ${JSON.stringify(s.body)}`);
    }
    expect(wrong).toEqual([]);
    // Undoable steps that need nothing come first; the firewalls as late as their dependents allow.
    expect(plan.steps[0]).toMatchObject({ kind: 'create', label: 'Volume big-vol-20000-0' });
    expect(plan.irreversible).toHaveLength(records.filter((r) => r.type === 'Firewall').length);
    expect(await writes()).toBe(0);
  });

  it('orders a smaller input exactly as the plain reference implementation of the rules does', async () => {
    const { plan } = await apply(large(1_500), { dryRun: true });
    expect(plan.steps.map((s) => `${s.record} ${s.kind}`)).toEqual(referenceOrder(plan.steps));
  });
});
