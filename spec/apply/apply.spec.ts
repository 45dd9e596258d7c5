/**
 * apply() against the emulator over loopback: the composite file (a firewall with two rules, two
 * volumes, a server using the firewall, the volumes attached to it) is planned, applied in the
 * order the plan prints, and applied again with zero writes; a dry run sends no write; a fault at
 * every step k leaves the emulator's state as it was, except what the plan marks as not undoable,
 * which ApplyError lists; validation reports every bad record at once with no request sent.
 */
import { startEmulator, type EmulatorHandle, type RequestLogEntry } from '../../lib/emulator/index.js';
import {
  apply, ApplyError, clearIdentityMaps, DcmError, configure, configureJobs, DataCenter, defaultTransport, formatPlan, MachineImage, parseRecords, resetConfiguration,
  ValidationError, type ApplyRecord, type Transport,
} from '../../lib/index.js';

const REGION = 19344;
const WAIT = { intervalMs: 0, timeoutMs: 20_000 };
const WRITES = new Set(['POST', 'PUT', 'DELETE']);
const TYPES = ['network/Firewall', 'network/FirewallRule', 'infrastructure/Volume', 'infrastructure/Server'];

let emulator: EmulatorHandle;
let dataCenterId: number;
let machineImageId: number;
/** Set by a spec: called before each write the client sends (the fault injector). */
let beforeWrite: ((method: string, path: string) => Promise<void>) | undefined;

const transport: Transport = {
  async send(request) {
    if (beforeWrite && WRITES.has(request.method)) await beforeWrite(request.method, new URL(request.url).pathname.replace(/^\/api\/enstratus\/[^/]+\//, ''));
    return defaultTransport.send(request);
  },
};

beforeAll(async () => {
  emulator = await startEmulator({ jobDelayMs: 0 });
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, lazy: 'async', retry: { limit: 0 }, transport });
  configureJobs(WAIT);
  clearIdentityMaps();
  const [dataCenter] = await DataCenter.all({ regionId: REGION });
  dataCenterId = dataCenter.dataCenterId;
  machineImageId = (await MachineImage.all({ regionId: REGION })).find((i) => i.status === 'ACTIVE')!.machineImageId;
});

afterAll(async () => {
  configureJobs();
  resetConfiguration();
  await emulator.close();
});

beforeEach(async () => {
  beforeWrite = undefined;
  await emulator.setFaults([]);
  await emulator.reset();
  clearIdentityMaps();
});

/** The composite desired state, as a YAML file would hold it. */
function compositeYaml(suffix: string): string {
  return `
- __type__: Firewall
  __name__: web-fw
  name: web-fw-${suffix}
  description: web tier
  budget: 10287
  region: ${REGION}
- type: FirewallRule
  firewall: "@web-fw"
  direction: INGRESS
  source: 0.0.0.0/0
  sourceType: CIDR
  permission: ALLOW
  protocol: TCP
  startPort: 443
  endPort: 443
- type: FirewallRule
  firewall: "@web-fw"
  direction: INGRESS
  source: 10.0.0.0/8
  sourceType: CIDR
  permission: ALLOW
  protocol: TCP
  startPort: 22
  endPort: 22
- type: Volume
  ref: data-1
  name: data-1-${suffix}
  description: first data volume
  sizeInGb: 10
  budget: 10287
  dataCenter: ${dataCenterId}
  server: "@web"
- type: Volume
  ref: data-2
  name: data-2-${suffix}
  description: second data volume
  sizeInGb: 20
  budget: 10287
  dataCenter: ${dataCenterId}
  server: "@web"
  deviceId: /dev/sdh
- type: Server
  ref: web
  name: web-${suffix}
  description: web server
  budget: 10287
  providerProductId: m1.small
  machineImage: ${machineImageId}
  dataCenter: ${dataCenterId}
  firewalls: ["@web-fw"]
`;
}

async function writes(): Promise<RequestLogEntry[]> {
  return (await emulator.requestLog()).filter((e) => WRITES.has(e.method));
}

/** The live objects of the four types (terminated servers and deleted volumes left out), keyed by type. */
async function liveState(): Promise<Record<string, Array<Record<string, unknown>>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  for (const type of TYPES) {
    const items = await emulator.items(type);
    out[type] = items.filter((i) => i.status !== 'TERMINATED' && i.status !== 'DELETED').sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}

describe('apply(): the composite file', () => {
  it('dry run: the plan with its order, dependencies and undo, and not one write', async () => {
    const records = parseRecords(compositeYaml('dry'), 'composite.yaml');
    await emulator.clearLog();
    const result = await apply(records, { dryRun: true, allowIrreversible: true });
    expect(await writes()).toEqual([]);
    // At most one listing per type (rules: none, their firewall is new).
    const reads = (await emulator.requestLog()).map((e) => `${e.method} ${e.resource}`);
    expect(new Set(reads).size).toBe(reads.length);
    expect(result.dryRun).toBe(true);
    const steps = result.plan.steps;
    // What can be undone first; the firewall, which cannot, as late as its dependents allow.
    expect(steps.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST infrastructure/Volume',
      'POST infrastructure/Volume',
      'POST network/Firewall',
      'POST network/FirewallRule',
      'POST network/FirewallRule',
      'POST infrastructure/Server',
      'PUT infrastructure/Volume/@data-1',
      'PUT infrastructure/Volume/@data-2',
    ]);
    expect(steps[3].body).toEqual({ addRule: [{ firewallId: expect.anything(), source: '0.0.0.0/0', sourceType: 'CIDR', direction: 'INGRESS', permission: 'ALLOW', protocol: 'TCP', startPort: 443, endPort: 443, reason: 'mixcoatl apply' }] });
    expect(JSON.parse(JSON.stringify(steps[5].body))).toMatchObject({ launch: [{ product: { productId: 'm1.small' }, firewalls: [{ firewallId: '@web-fw' }], name: 'web-dry' }] });
    expect(steps[3].after).toEqual([3]);
    expect(steps[5].after).toEqual([3]);
    expect(steps[6].after).toEqual([1, 6]);
    expect(steps[7].after).toEqual([2, 6]);
    expect(steps[2].undo).toBeNull();
    expect(steps[2].noUndo).toMatch(/no delete of a firewall/);
    expect(steps[0].undo).toMatchObject({ method: 'DELETE', path: 'infrastructure/Volume/@data-1' });
    expect(steps[5].undo).toMatchObject({ how: 'terminate the server', method: 'DELETE' });
    expect(steps[6].undo).toMatchObject({ method: 'PUT', body: { detach: [{}] } });
    const text = formatPlan(result.plan);
    expect(text).toContain('undo: NOT POSSIBLE: the API offers no delete of a firewall');
    expect(text).toContain(' 6. POST infrastructure/Server');
  });

  it('a dry run without allowIrreversible shows the whole plan, marking the steps that cannot be undone; writing it is refused, saying why', async () => {
    await emulator.clearLog();
    const { plan } = await apply(parseRecords(compositeYaml('refused')), { dryRun: true });
    expect(plan.steps).toHaveLength(8);
    expect(plan.irreversible).toEqual([expect.stringMatching(/^step 3 \(POST network\/Firewall, create Firewall web-fw-refused\) cannot be undone \(the API offers no delete of a firewall\) and 5 steps follow it \(4, 5, 6 need it\)/)]);
    const text = formatPlan(plan);
    expect(text).toContain(' 3. POST network/Firewall  (create Firewall web-fw-refused)');
    expect(text).toMatch(/^Steps that cannot be undone, with steps after them \(writing this plan needs allowIrreversible, dcm apply --allow-irreversible\):\n {2}! step 3 \(POST network\/Firewall/m);
    const error = await apply(parseRecords(compositeYaml('refused'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/step 3 \(POST network\/Firewall, create Firewall web-fw-refused\) cannot be undone \(the API offers no delete of a firewall\) and 5 steps follow it \(4, 5, 6 need it\)/);
    expect((error as Error).message).toMatch(/allowIrreversible/);
    expect(await writes()).toEqual([]);
  });

  it('applies every object with its attributes in the printed order; the second apply sends 0 writes and says "no changes"', async () => {
    const records = parseRecords(compositeYaml('real'));
    const planned = await apply(records, { dryRun: true, allowIrreversible: true });
    await emulator.clearLog();
    const result = await apply(records, { allowIrreversible: true, concurrency: 1 });
    const sent = await writes();
    // The writes of the steps, in the plan's order (job polls are reads).
    const ids = new Map<string, number>();
    for (const d of result.done) if (d.kind === 'create') ids.set(d.label, d.id as number);
    expect(sent.map((e) => `${e.method} ${e.resource}`)).toEqual(
      planned.plan.steps.map((s) => `${s.method} ${s.path.replace(/@data-(\d)/, (_m, n: string) => String(ids.get(`Volume data-${n}-real`)))}`),
    );
    const [firewall, rule1, rule2, volume1, volume2, server] = result.records as Array<Record<string, any>>;
    expect(firewall).toMatchObject({ name: 'web-fw-real', description: 'web tier', region: { regionId: REGION } });
    expect(rule1).toMatchObject({ firewall: { firewallId: firewall.firewallId }, source: '0.0.0.0/0', startPort: 443, endPort: 443, permission: 'ALLOW' });
    expect(rule2).toMatchObject({ source: '10.0.0.0/8', startPort: 22 });
    expect(server).toMatchObject({ name: 'web-real', description: 'web server', firewalls: [expect.objectContaining({ firewallId: firewall.firewallId })] });
    expect(volume1).toMatchObject({ name: 'data-1-real', sizeInGb: 10, server: expect.objectContaining({ serverId: server.serverId }) });
    expect(volume2).toMatchObject({ name: 'data-2-real', sizeInGb: 20, deviceId: '/dev/sdh', server: expect.objectContaining({ serverId: server.serverId }) });
    // The emulator holds them too.
    expect((await emulator.items('infrastructure/Volume')).filter((v) => v.server?.serverId === server.serverId)).toHaveLength(2);

    await emulator.clearLog();
    const again = await apply(records, { allowIrreversible: true });
    expect(await writes()).toEqual([]);
    expect(again.plan.noChanges).toBe(true);
    expect(again.plan.unchanged.map((u) => u.why)).toEqual(Array(6).fill('no changes'));
    expect(formatPlan(again.plan)).toMatch(/^No changes/);
    expect(again.records.map((r) => (r as Record<string, unknown>).name ?? (r as Record<string, unknown>).source)).toEqual(['web-fw-real', '0.0.0.0/0', '10.0.0.0/8', 'data-1-real', 'data-2-real', 'web-real']);
  });

  it('a set on an existing object sends only what differs, and a delete of what is absent is no error', async () => {
    const records = parseRecords(compositeYaml('sparse'));
    await apply(records, { allowIrreversible: true });
    const changed: ApplyRecord[] = [
      { type: 'Volume', name: 'data-1-sparse', description: 'renamed data' },
      { type: 'Volume', name: 'data-2-sparse', description: 'second data volume', sizeInGb: 20 },
      { type: 'Volume', action: 'delete', name: 'never-was' },
    ];
    await emulator.clearLog();
    const result = await apply(changed);
    expect(result.plan.steps.map((s) => [s.method, s.body])).toEqual([['PUT', { describeVolume: [{ description: 'renamed data' }] }]]);
    expect(result.plan.unchanged.map((u) => u.why)).toEqual(['no changes', 'already absent']);
    expect((await writes()).map((e) => e.method)).toEqual(['PUT']);
    expect(result.records[0]).toMatchObject({ description: 'renamed data' });
  });
});

describe('apply(): execution', () => {
  it('runs independent steps at once, up to the bound', async () => {
    const records: ApplyRecord[] = [1, 2, 3].map((n) => ({ type: 'Volume', name: `par-${n}`, description: 'd', sizeInGb: n, budget: 10287, dataCenter: dataCenterId }));
    const events = (concurrency: number) => {
      const seen: string[] = [];
      return { seen, options: { concurrency, onStep: (e: { status: string; step: { step: number } }) => seen.push(`${e.status} ${e.step.step}`) } };
    };
    const wide = events(4);
    await apply(records, wide.options);
    expect(wide.seen.slice(0, 3)).toEqual(['start 1', 'start 2', 'start 3']);
    await emulator.reset();
    const narrow = events(1);
    await apply(records, narrow.options);
    expect(narrow.seen).toEqual(['start 1', 'done 1', 'start 2', 'done 2', 'start 3', 'done 3']);
  });

  it('runs deletions last, and not at all when an earlier step fails', async () => {
    await apply([{ type: 'Volume', name: 'doomed', description: 'd', sizeInGb: 1, budget: 10287, dataCenter: dataCenterId }]);
    const records: ApplyRecord[] = [
      { type: 'Volume', action: 'delete', name: 'doomed' },
      { type: 'Volume', name: 'fresh', description: 'd', sizeInGb: 2, budget: 10287, dataCenter: dataCenterId },
    ];
    const { plan } = await apply(records, { dryRun: true });
    expect(plan.steps.map((s) => [s.kind, s.label, s.undo === null])).toEqual([['create', 'Volume fresh', false], ['delete', 'Volume doomed', true]]);
    expect(plan.steps[1].noUndo).toBe('a deletion cannot be undone');
    await emulator.setFaults([{ path: 'infrastructure/Volume', methods: ['POST'], status: 500, times: 1 }]);
    await expect(apply(records)).rejects.toThrow(ApplyError);
    expect((await emulator.items('infrastructure/Volume')).filter((v) => v.name === 'doomed' && v.status !== 'DELETED')).toHaveLength(1);
    await emulator.setFaults([]);
    const result = await apply(records);
    expect(result.done.map((d) => d.kind)).toEqual(['create', 'delete']);
    expect(result.records[0]).toBeNull();
    expect((await emulator.items('infrastructure/Volume')).filter((v) => v.name === 'doomed' && v.status !== 'DELETED')).toHaveLength(0);
  });

  it('refuses references by id to objects that do not exist', async () => {
    const error = await apply([{ type: 'Server', name: 'x', description: 'd', budget: 10287, providerProductId: 'm1.small', machineImage: machineImageId, dataCenter: dataCenterId, firewalls: [987654] }, { type: 'Volume', name: 'v', description: 'd', sizeInGb: 1, budget: 10287, dataCenter: dataCenterId, server: 876543 }], { dryRun: true }).catch((e: unknown) => e);
    expect((error as ValidationError).problems).toEqual(['record 1 (Server x): firewalls: no Firewall 987654', 'record 2 (Volume v): server: no Server 876543']);
  });
});

describe('apply(): all-or-nothing', () => {
  const records = (): ApplyRecord[] => parseRecords(compositeYaml('fault'));

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('a fault at step %i leaves the state as before, except the steps marked as not undoable, which ApplyError lists', async (k) => {
    const before = await liveState();
    const { plan } = await apply(records(), { dryRun: true, allowIrreversible: true });
    const irreversible = plan.steps.filter((s) => s.undo === null);
    let count = 0;
    beforeWrite = async (method, path) => {
      count++;
      if (count === k) await emulator.setFaults([{ path, methods: [method], status: 500, times: 1, name: `step${k}` }]);
    };
    const error = await apply(records(), { allowIrreversible: true, concurrency: 1 }).catch((e: unknown) => e);
    beforeWrite = undefined;
    expect(error).toBeInstanceOf(ApplyError);
    expect(error).toBeInstanceOf(DcmError);
    const failure = error as ApplyError;
    expect(failure.failed.step).toBe(k);
    expect(failure.failed.statusCode).toBe(500);
    expect({ name: failure.name, code: failure.code, statusCode: failure.statusCode, cause: (failure.cause as Error).name }).toEqual({ name: 'ApplyError', code: 'EAPPLY', statusCode: 500, cause: 'ServerError' });
    expect(failure.summary[0]).toMatch(new RegExp(`^step ${k} \\(.*\\) failed: `));
    expect(failure.message).toBe(`apply failed: ${failure.summary.join('; ')}`);
    expect(failure.done.map((d) => d.step)).toEqual(plan.steps.slice(0, k - 1).map((s) => s.step));
    // Exactly the not-undoable steps that were done stay, each with its id.
    const stay = irreversible.filter((s) => s.step < k);
    expect(failure.notCompensated.map((s) => s.step)).toEqual(stay.map((s) => s.step));
    for (const s of failure.notCompensated) expect(typeof s.id).toBe('number');
    expect(failure.compensated.map((s) => s.step).sort()).toEqual(plan.steps.slice(0, k - 1).filter((s) => s.undo !== null).map((s) => s.step).sort());
    const after = await liveState();
    const left = after['network/Firewall'].filter((f) => !before['network/Firewall'].some((b) => b.firewallId === f.firewallId));
    expect(left.map((f) => f.firewallId)).toEqual(failure.notCompensated.map((s) => s.id));
    expect({ ...after, 'network/Firewall': after['network/Firewall'].filter((f) => !left.includes(f)) }).toEqual(before);
    expect(failure.message).toContain(`step ${k}`);
  });
});

describe('apply(): validation', () => {
  it('reports every problem of several bad records in one error, the attributes new objects miss included, with 0 writes', async () => {
    await emulator.clearLog();
    const bad: ApplyRecord[] = [
      { type: 'Gizmo', name: 'x' },
      { type: 'Volume', name: 'v', sizeInGb: 'big', colour: 'red' },
      { type: 'FirewallRule', firewall: '@nowhere', direction: 'SIDEWAYS', source: '1.2.3.4/32', sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP' },
      { type: 'Firewall', action: 'delete', name: 'old' },
      { type: 'Server', ref: 'a', name: 'twin', action: 'set' },
      { type: 'Server', ref: 'a', name: 'twin' },
      { type: 'Volume', action: 'explode', name: 'v2' },
    ];
    const error = await apply(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const problems = (error as ValidationError).problems;
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^record 1: unknown type "Gizmo"; apply manages Account, ApiKey, BillingCode, ConfigurationManagementService, Deployment, Firewall, FirewallRule, Group, LaunchConfiguration, MachineImage, Network, RelationalDatabase, Role, Server, Snapshot, Tier, User, Volume$/),
      expect.stringMatching(/^record 2 \(Volume v\): sizeInGb must be a number, got "big"/),
      expect.stringMatching(/^record 2 \(Volume v\): unknown attribute "colour"/),
      expect.stringMatching(/^record 3 .*"direction" must be one of INGRESS, EGRESS, got "SIDEWAYS"/),
      expect.stringMatching(/^record 3 .*"@nowhere" names no record of this apply/),
      expect.stringMatching(/^record 4 \(Firewall old\): cannot be deleted: the API offers no delete of a firewall/),
      expect.stringMatching(/^record 6: the local name "a" is already used by record 5/),
      expect.stringMatching(/^record 6: Server name "twin" is also given by record 5/),
      expect.stringMatching(/^record 7: action must be "set" or "delete", got "explode"/),
      // Whether a record creates is known from the listing of its type (a read): what a new object
      // lacks is reported too, except the attributes already reported as wrong.
      'record 2 (Volume v): creating a Volume needs description, dataCenter, budget',
      'record 5 (Server twin): creating a Server needs providerProductId, budget, machineImage, description, dataCenter',
      'record 6 (Server twin): creating a Server needs providerProductId, budget, machineImage, description, dataCenter',
    ]));
    expect(problems).toHaveLength(12);
    expect(await writes()).toEqual([]);
  });

  it('reports missing required attributes of new objects and names that match nothing, together, with no write', async () => {
    await emulator.clearLog();
    const error = await apply([
      { type: 'Volume', name: 'lonely' },
      { type: 'Server', name: 'srv', description: 'd', providerProductId: 'm1.small', machineImage: machineImageId, dataCenter: dataCenterId, budget: 'no-such-code' },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/record 1 \(Volume lonely\): creating a Volume needs description, dataCenter, sizeInGb, budget/);
    expect((error as ValidationError).problems).toEqual([expect.stringMatching(/^record 1 \(Volume lonely\)/), expect.stringMatching(/^record 2 \(Server srv\): .*no BillingCode "no-such-code"/)]);
    expect(await writes()).toEqual([]);
  });
});
