/**
 * The whole estate under apply(), driven by the lifecycle declarations: for every registered class
 * that declares writes (`@action`), against the emulator over loopback,
 * - its create sends exactly the create operation (one write in the emulator's request log), and
 *   applying the same record again sends nothing; a type the API cannot create is refused by name;
 * - each declared update, given alone as a sparse change, sends exactly its own operation;
 *   a type without updates refuses a change, naming the attribute;
 * - its delete sends exactly one DELETE; a type the API cannot delete is refused by name;
 * - secrets given never appear in the plan.
 * A class that declares writes without a lifecycle, or a managed type without a fixture here,
 * fails this spec: a new class cannot be forgotten.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import {
  allResources, apply, ApplyError, clearIdentityMaps, configure, configureJobs, DataCenter, defaultTransport, formatPlan, isRefusal, MachineImage, managedType, managedTypes, resetConfiguration,
  undeclaredWriters, ValidationError, type ApplyRecord, type ApplyResult, type Id, type Lifecycle, type Transport,
} from '../../lib/index.js';

const REGION = 19344;
const WAIT = { intervalMs: 0, timeoutMs: 20_000 };
const WRITES = new Set(['POST', 'PUT', 'DELETE']);

/** What one type needs here: attributes of a new object, and one sparse change per update. */
interface Fixture {
  /** Attributes of a new object (what its create sends); `n` makes names unique. */
  create?: (n: string) => Record<string, unknown>;
  /** The id of an existing object, for a type the API cannot create. */
  existing?: () => Promise<Id>;
  /** Per update action (its method name): a change of only its attributes, differing from `create`'s. */
  set?: Record<string, Record<string, unknown>>;
  /** For a type without updates: a change no operation can make. */
  unchangeable?: Record<string, unknown>;
}

let emulator: EmulatorHandle;
let fixtures: Record<string, Fixture>;
/** The writes the client sent: method, resource path and the body's root member (the operation). */
let sent: Array<{ method: string; path: string; operation?: string }> = [];

const transport: Transport = {
  async send(request) {
    if (WRITES.has(request.method)) {
      const body = request.body === undefined ? undefined : (JSON.parse(request.body) as Record<string, unknown>);
      sent.push({ method: request.method, path: new URL(request.url).pathname.replace(/^\/api\/enstratus\/[^/]+\//, ''), operation: body ? Object.keys(body)[0] : undefined });
    }
    return defaultTransport.send(request);
  },
};

/** The classes that declare writes, by name. */
const writers = allResources().filter((m) => m.actions.length > 0).map((m) => m.name).sort();

beforeAll(async () => {
  emulator = await startEmulator({ jobDelayMs: 0 });
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, lazy: 'async', retry: { limit: 0 }, transport });
  configureJobs(WAIT);
  clearIdentityMaps();
  const [dataCenter] = await DataCenter.all({ regionId: REGION });
  const image = (await MachineImage.all({ regionId: REGION })).find((i) => i.status === 'ACTIVE')!.machineImageId;
  const running = (await emulator.items('infrastructure/Server')).find((s) => s.status === 'RUNNING')!;
  const volume = (await emulator.items('infrastructure/Volume'))[0];
  const firewall = (await emulator.items('network/Firewall'))[0];
  const [budget, otherBudget] = (await emulator.items('admin/BillingCode')).map((b) => b.billingCodeId as number);
  const [group, otherGroup] = (await emulator.items('admin/Group')).map((g) => g.groupId as number);
  const role = (await emulator.items('admin/Role'))[0].roleId as number;
  const account = (await emulator.items('admin/Account'))[0].accountId as number;
  const deployment = (await emulator.items('automation/Deployment'))[0].deploymentId as number;
  const tier = (await emulator.items('automation/Tier'))[0].tierId as number;
  const described = (n: string) => ({ name: `estate-${n}`, description: `estate ${n}` });
  fixtures = {
    Account: { create: (n) => ({ name: `estate-${n}`, accountNumber: '424242', cloud: 1, apiKeyId: 'AKID-ESTATE', apiKeySecret: `very-secret-${n}` }), unchangeable: { name: 'estate-renamed' } },
    ApiKey: { create: described, unchangeable: { description: 'changed' } },
    BillingCode: { create: (n) => ({ ...described(n), financeCode: `F${n}`, softQuota: 100, hardQuota: 200 }), unchangeable: { hardQuota: 300 } },
    ConfigurationManagementService: { create: (n) => ({ ...described(n), budget, serviceEndpoint: 'https://chef.example.test', cmSystem: 1 }), unchangeable: { serviceEndpoint: 'https://other.example.test' } },
    Deployment: { create: (n) => ({ ...described(n), budget, regions: [REGION] }), unchangeable: { description: 'changed' } },
    Firewall: { create: (n) => ({ ...described(n), budget, region: REGION }), unchangeable: { description: 'changed' } },
    FirewallRule: {
      create: (n) => ({ firewall: firewall.firewallId, direction: 'INGRESS', source: `10.${Number(n.replace(/\D/g, '') || 0) % 250}.0.0/16`, sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP', startPort: 8443, endPort: 8443 }),
      unchangeable: { permission: 'DENY' },
    },
    Group: { create: described, set: { describe: { description: 'changed' }, addRoleAssignments: { roleAssignments: [{ accountId: account, roleId: role }] } } },
    LaunchConfiguration: { create: () => ({ tier, primaryMachineImage: image, primaryProduct: { productId: 'm1.small' }, region: REGION }), unchangeable: { primaryProduct: { productId: 'm1.large' } } },
    MachineImage: { create: (n) => ({ ...described(n), budget, server: running.serverId, owningGroups: [group] }), set: { describe: { description: 'changed' }, assignBudget: { budget: otherBudget }, assignGroups: { owningGroups: [otherGroup] } } },
    Network: { create: (n) => ({ ...described(n), budget, networkAddress: '10.77.0.0/16', region: REGION }), unchangeable: { description: 'changed' } },
    RelationalDatabase: { existing: async () => (await emulator.items('platform/RelationalDatabase'))[0].relationalDatabaseId as number },
    Role: { create: described, set: { grant: { acl: [{ action: 'Attach', qualifier: 'MINE', resourceType: 'VOLUME' }] } } },
    Server: {
      create: (n) => ({ ...described(n), budget, providerProductId: 'm1.small', machineImage: image, dataCenter: dataCenter.dataCenterId }),
      set: { describe: { description: 'changed' }, assignBudget: { budget: otherBudget }, assignGroups: { owningGroups: [otherGroup] } },
    },
    Snapshot: { create: (n) => ({ ...described(n), budget, volume: volume.volumeId }), set: { describe: { description: 'changed' } } },
    Tier: { create: (n) => ({ ...described(n), budget, deployment, minimumServers: 1, maximumServers: 2 }), unchangeable: { maximumServers: 3 } },
    User: { create: (n) => ({ givenName: 'Estate', familyName: `Tester${n}`, email: `estate-${n}@example.test`, groups: [group], account, billingCodes: [budget], password: `pw-secret-${n}` }), set: { grant: { groups: [group, otherGroup] } } },
    Volume: {
      create: (n) => ({ ...described(n), budget, sizeInGb: 2, dataCenter: running.dataCenter.dataCenterId }),
      set: { describe: { description: 'changed' }, assignBudget: { budget: otherBudget }, assignGroups: { owningGroups: [otherGroup] }, attach: { server: running.serverId } },
    },
  };
});

afterAll(async () => {
  configureJobs();
  resetConfiguration();
  await emulator.close();
});

beforeEach(async () => {
  await emulator.setFaults([]);
  await emulator.reset();
  clearIdentityMaps();
  sent = [];
});

/** Runs `run`; the writes the emulator logged meanwhile (`METHOD resource`), and those the client sent. */
async function counted<T>(run: () => Promise<T>): Promise<{ value?: T; error?: unknown; logged: string[]; operations: Array<string | undefined> }> {
  const mark = (await emulator.requestLog()).length;
  const before = sent.length;
  let value: T | undefined;
  let error: unknown;
  try {
    value = await run();
  } catch (e) {
    error = e;
  }
  const logged = (await emulator.requestLog()).slice(mark).filter((e) => WRITES.has(e.method)).map((e) => `${e.method} ${e.resource}`);
  return { value, error, logged, operations: sent.slice(before).map((s) => s.operation) };
}

/** The attributes that find an object of `type` besides its id (a rule's firewall, a network's region). */
function scopeOf(type: Lifecycle, attrs: Record<string, unknown>): Record<string, unknown> {
  const identity = type.identity;
  const key = identity.by === 'parent' ? identity.parent : identity.by === 'name' ? identity.within : undefined;
  return key === undefined ? {} : { [key]: attrs[key] };
}

/** Every file of the journal directory the specs write to (spec/support/setup.ts), as one text. */
function journalText(): string {
  const dir = process.env.MIXCOATL_JOURNAL_DIR as string;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
}

function applied(records: ApplyRecord[]): Promise<ApplyResult> {
  return apply(records, { allowIrreversible: true, ...WAIT });
}

describe('apply() over the whole estate, driven by the declarations', () => {
  it('every class that declares writes declares its lifecycle, and apply manages exactly those', () => {
    expect(undeclaredWriters().map((m) => m.name)).toEqual([]);
    expect(managedTypes().map((t) => t.name).sort()).toEqual(writers);
    expect(writers).toHaveLength(18);
  });

  it('every managed type has a fixture here: a create (or an existing object), a change per update, or a change none can make', () => {
    for (const type of managedTypes()) {
      const fx = fixtures[type.name];
      expect({ type: type.name, fixture: fx !== undefined }).toEqual({ type: type.name, fixture: true });
      expect({ type: type.name, creates: !isRefusal(type.create) }).toEqual({ type: type.name, creates: fx.create !== undefined });
      if (isRefusal(type.create)) expect(fx.existing).toBeDefined();
      for (const update of type.updates) expect({ type: type.name, update: update.action, change: fx.set?.[update.action] !== undefined }).toEqual({ type: type.name, update: update.action, change: true });
      if (!type.updates.length && fx.create) expect({ type: type.name, unchangeable: fx.unchangeable !== undefined }).toEqual({ type: type.name, unchangeable: true });
    }
  });

  it('sets what a create does not send through its update right after it, undone with the creation', async () => {
    const volume = fixtures.Volume.create!('follow');
    const { server } = fixtures.Volume.set!.attach;
    const { owningGroups } = fixtures.Volume.set!.assignGroups;
    const made = await counted(() => applied([{ type: 'Volume', ...volume, owningGroups, server }]));
    expect(made.error).toBeUndefined();
    const plan = made.value!.plan;
    expect(plan.steps.map((s) => [s.kind, s.after])).toEqual([['create', []], ['update', [1]], ['attach', [1]]]);
    expect(plan.steps[1].noUndo).toBe('undone by undoing the creation of the Volume');
    expect(plan.steps[2].undo?.how).toBe('detach the volume');
    expect(plan.irreversible).toEqual([]);
    expect(made.logged).toEqual(['POST infrastructure/Volume', `PUT infrastructure/Volume/${String(made.value!.records[0]!.volumeId)}`, `PUT infrastructure/Volume/${String(made.value!.records[0]!.volumeId)}`]);
    expect(made.operations).toEqual(['addVolume', 'assignGroups', 'attach']);
    expect(made.value!.records[0]).toMatchObject({ owningGroups: (owningGroups as number[]).map((groupId) => ({ groupId })), server: { serverId: server } });
  });

  it('a grant only adds: a missing member is granted, one the object holds but the record leaves out is refused by name', async () => {
    const user = fixtures.User.create!('grant');
    const made = await applied([{ type: 'User', ...user }]);
    const id = (made.records[0] as Record<string, unknown>).userId as number;
    const [group, otherGroup] = fixtures.User.set!.grant.groups as number[];
    const granted = await counted(() => applied([{ type: 'User', id, groups: [group, otherGroup] }]));
    expect(granted.operations).toEqual(['grant']);
    const fewer = await counted(() => applied([{ type: 'User', id, groups: [otherGroup] }]));
    expect(fewer.error).toBeInstanceOf(ValidationError);
    expect((fewer.error as ValidationError).problems).toEqual([`record 1 (User ${String(id)}): groups holds ${group}, which the API cannot remove (User ${id}; it only adds)`]);
    expect(fewer.logged).toEqual([]);
  });

  it.each(writers)('%s: create, each update alone, delete, wherever the API allows them; otherwise refused by name', async (name) => {
    const type = managedType(name);
    const fx = fixtures[name];
    if (!type || !fx) throw new Error(`${name} declares writes: it needs a @lifecycle and a fixture in this spec`);
    const idKey = type.meta.idKey as string;
    let id: Id;
    let scope: Record<string, unknown> = {};

    if (isRefusal(type.create)) {
      const refused = await counted(() => applied([{ type: name, name: `estate-new-${name}` }]));
      expect(refused.error).toBeInstanceOf(ValidationError);
      expect((refused.error as ValidationError).problems).toContain(`record 1 (${name} estate-new-${name}): cannot be created: ${type.create.refused}`);
      expect(refused.logged).toEqual([]);
      id = await fx.existing!();
    } else {
      const attrs = fx.create!('1');
      const made = await counted(() => applied([{ type: name, ...attrs }]));
      expect(made.error).toBeUndefined();
      expect(made.logged).toEqual([`POST ${type.meta.path}`]);
      expect(made.operations).toEqual([type.create.decl.operation]);
      const record = made.value!.records[0] as Record<string, unknown>;
      id = record[idKey] as Id;
      expect(id).toBeDefined();
      for (const key of type.secrets) {
        if (attrs[key] === undefined) continue;
        expect(JSON.stringify(made.value!.plan)).not.toContain(String(attrs[key]));
        expect(formatPlan(made.value!.plan)).not.toContain(String(attrs[key]));
        expect(JSON.stringify(made.value!.records)).not.toContain(String(attrs[key]));
        const journal = journalText();
        expect(journal).toContain(type.create.decl.operation); // the create is journaled…
        expect(journal).not.toContain(String(attrs[key])); // …without the secret
      }
      scope = scopeOf(type, attrs);
      if (type.identity.by !== 'id') {
        // The same record again: found, and nothing to send.
        const again = await counted(() => applied([{ type: name, ...attrs }]));
        expect(again.error).toBeUndefined();
        expect(again.value!.plan.noChanges).toBe(true);
        expect(again.logged).toEqual([]);
      }
    }

    const current = async (): Promise<Record<string, unknown> | undefined> => (await emulator.items(type.meta.path)).find((item) => String(item[idKey]) === String(id));
    /** Updates whose change stayed after the failure (no inverse): applying them again sends nothing. */
    const stayed = new Set<string>();
    for (const update of type.updates) {
      // The change with a later step failing: undone (restored, or its inverse), or marked as not undoable.
      const before = await current();
      await emulator.setFaults([{ path: 'admin/Role', methods: ['POST'], status: 500, times: 1, name: 'later' }]);
      const failed = await counted(() => applied([{ type: name, id, ...scope, ...fx.set![update.action] }, { type: 'Role', name: `estate-undo-${name}-${update.action}`, description: 'fails' }]));
      await emulator.setFaults([]);
      expect(failed.error).toBeInstanceOf(ApplyError);
      const error = failed.error as ApplyError;
      expect({ update: update.action, failed: error.failed.step, done: error.done.map((d) => d.step) }).toEqual({ update: update.action, failed: 2, done: [1] });
      if (error.plan.steps[0].undo === null) {
        expect({ update: update.action, notCompensated: error.notCompensated.map((d) => [d.step, d.why]) }).toEqual({ update: update.action, notCompensated: [[1, error.plan.steps[0].noUndo]] });
        stayed.add(update.action);
      } else {
        expect({ update: update.action, compensated: error.compensated.map((d) => [d.step, d.method]) }).toEqual({ update: update.action, compensated: [[1, 'PUT']] });
        const after = await current();
        for (const key of update.attributes) expect({ update: update.action, key, value: after?.[key] ?? null }).toEqual({ update: update.action, key, value: before?.[key] ?? null });
      }
    }
    for (const update of type.updates) {
      const change = await counted(() => applied([{ type: name, id, ...scope, ...fx.set![update.action] }]));
      expect({ update: update.action, error: change.error }).toEqual({ update: update.action, error: undefined });
      if (stayed.has(update.action)) {
        expect({ update: update.action, logged: change.logged, noChanges: change.value?.plan.noChanges }).toEqual({ update: update.action, logged: [], noChanges: true });
        continue;
      }
      expect({ update: update.action, logged: change.logged }).toEqual({ update: update.action, logged: [`PUT ${type.meta.path}/${String(id)}`] });
      expect({ update: update.action, operations: change.operations }).toEqual({ update: update.action, operations: [update.decl.operation] });
    }
    if (!type.updates.length && fx.unchangeable) {
      const [key] = Object.keys(fx.unchangeable);
      const refused = await counted(() => applied([{ type: name, id, ...scope, ...fx.unchangeable }]));
      expect(refused.error).toBeInstanceOf(ValidationError);
      expect((refused.error as ValidationError).problems).toEqual([expect.stringMatching(new RegExp(`: ${key} cannot be changed on an existing ${name} \\(${String(id)}\\): `))]);
      expect(refused.logged).toEqual([]);
    }

    if (isRefusal(type.delete)) {
      const refused = await counted(() => applied([{ type: name, action: 'delete', id, ...scope }]));
      expect(refused.error).toBeInstanceOf(ValidationError);
      expect((refused.error as ValidationError).problems).toEqual([expect.stringMatching(new RegExp(`^record 1 \\(${name} [^)]*\\): cannot be deleted: ${type.delete.refused.replace(/[()]/g, '\\$&')}$`))]);
      expect(refused.logged).toEqual([]);
    } else {
      // A fresh object (an updated one may be attached, or hold what blocks its delete).
      let doomed = id;
      let doomedScope = scope;
      if (!isRefusal(type.create)) {
        const attrs = fx.create!('2');
        doomed = ((await applied([{ type: name, ...attrs }])).records[0] as Record<string, unknown>)[idKey] as Id;
        doomedScope = scopeOf(type, attrs);
      }
      const removed = await counted(() => applied([{ type: name, action: 'delete', id: doomed, ...doomedScope }]));
      expect(removed.error).toBeUndefined();
      expect(removed.logged).toEqual([`DELETE ${type.meta.path}/${encodeURIComponent(String(doomed))}`]);
      expect(removed.value!.plan.steps.map((s) => s.kind)).toEqual(['delete']);
    }

    if (!isRefusal(type.create) && !isRefusal(type.delete) && !type.create.noUndo) {
      // A later step fails: the creation is undone through the declared delete.
      await emulator.setFaults([{ path: 'admin/Role', methods: ['POST'], status: 500, times: 1, name: 'later' }]);
      const failed = await counted(() => apply([{ type: name, ...fx.create!('3') }, { type: 'Role', name: `estate-after-${name}`, description: 'fails' }], { concurrency: 1, ...WAIT }));
      expect(failed.error).toBeInstanceOf(ApplyError);
      const error = failed.error as ApplyError;
      expect(error.failed.step).toBe(2);
      const created = error.done[0].id as Id;
      expect(error.compensated).toEqual([expect.objectContaining({ step: 1, method: 'DELETE', path: `${type.meta.path}/${encodeURIComponent(String(created))}` })]);
      expect(error.notCompensated).toEqual([]);
      const left = (await emulator.items(type.meta.path)).filter((item) => String(item[idKey]) === String(created) && !type.gone(item));
      expect(left).toEqual([]);
    }
  });
});
