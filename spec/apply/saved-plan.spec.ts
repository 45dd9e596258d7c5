/**
 * Saved plans, built `dcm` spawned against the emulator: `--dry-run --out PLAN` writes the plan
 * (format, version, endpoint without secrets, the state of each step) with 0 writes; `--plan PLAN`
 * sends exactly its requests as one run; a plan gone stale after someone else changed an object it
 * read is refused with the difference and sends 0 writes; a tampered step, an unknown version
 * and a hostile document are refused before anything is sent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Endpoint, request } from '../../lib/index.js';
import { checkSavedPlan, PLAN_FORMAT } from '../../lib/apply/saved.js';
import { runBin, sandbox, type Sandbox } from '../cli/run-bin.js';

let box: Sandbox;
let endpoint: Endpoint;

const state = (description: string, extra = ''): string => `
- type: Volume
  name: saved-data
  description: ${description}
  sizeInGb: 5
  budget: 10287
  dataCenter: 64351${extra}
`;
const NEW_VOLUME = `
- type: Volume
  name: saved-new
  description: new
  sizeInGb: 5
  budget: 10287
  dataCenter: 64351`;

beforeAll(async () => {
  box = await sandbox();
  endpoint = new Endpoint({ url: box.emulator.url, accessKey: box.emulator.accessKey, secretKey: box.emulator.secretKey });
});

afterAll(async () => {
  await box?.close();
});

const dcm = (args: string[]) => runBin('dcm', args, { env: box.env });
const file = (name: string, text: string): string => {
  const path = join(box.home, name);
  writeFileSync(path, text);
  return path;
};

async function writes(): Promise<string[]> {
  return (await box.emulator.requestLog()).filter((e) => ['POST', 'PUT', 'DELETE'].includes(e.method)).map((e) => `${e.method} ${e.path.replace(/^.*?\/api\/enstratus\/[^/]+\//, '')}`);
}

async function volumeId(name: string): Promise<number> {
  return Number((await box.emulator.items('infrastructure/Volume')).find((v) => v.name === name)!.volumeId);
}

describe('saved plans (dcm apply --dry-run --out, dcm apply --plan)', () => {
  it('saves a plan with 0 writes, then sends exactly its requests as one run', async () => {
    expect((await dcm(['apply', file('v1.yaml', state('v1')), '--yes', '--interval', '0'])).code).toBe(0);
    const id = await volumeId('saved-data');
    await box.emulator.clearLog();
    const planPath = join(box.home, 'plan.json');
    const saved = await dcm(['apply', file('v2.yaml', state('v2') + NEW_VOLUME), '--dry-run', '--out', planPath]);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toMatch(/plan saved to .*plan\.json \(2 steps\); apply it with: dcm apply --plan/);
    expect(await writes()).toEqual([]);
    const text = readFileSync(planPath, 'utf8');
    expect(text).not.toContain(box.emulator.secretKey);
    expect(text).not.toContain(box.emulator.accessKey);
    const plan = JSON.parse(text);
    expect(plan).toMatchObject({ format: PLAN_FORMAT, version: 1, endpoint: box.emulator.url, reason: 'mixcoatl apply' });
    expect(plan.steps.map((s: { kind: string; label: string; from: unknown }) => [s.kind, s.label, s.from])).toEqual([
      ['update', 'Volume saved-data', { id, attributes: expect.objectContaining({ name: 'saved-data', description: 'v1', sizeInGb: 5 }) }],
      ['create', 'Volume saved-new', { absent: true }],
    ]);

    const applied = await dcm(['apply', '--plan', planPath, '--yes', '--interval', '0']);
    expect({ code: applied.code, stderr: applied.stderr }).toMatchObject({ code: 0 });
    expect(applied.stdout).toMatch(/^Applied 2 steps \(run [0-9a-f-]{36}\)\.$/m);
    expect((await writes()).sort()).toEqual([`PUT infrastructure/Volume/${id}`, 'POST infrastructure/Volume'].sort());
    // The journal: both writes belong to the run the command named.
    const journal = (await dcm(['log', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { run: string | null; method: string });
    expect(journal.slice(-2).map((e) => e.run)).toEqual([1, 2].map(() => /run ([0-9a-f-]{36})/.exec(applied.stdout)![1]));
  });

  it('refuses a plan gone stale after someone else changed an object it read: the difference, exit 5, 0 writes', async () => {
    const planPath = join(box.home, 'stale.json');
    expect((await dcm(['apply', file('v3.yaml', state('v3')), '--dry-run', '--out', planPath])).code).toBe(0);
    const id = await volumeId('saved-data');
    await request('PUT', `infrastructure/Volume/${id}`, { endpoint, body: { describeVolume: [{ description: 'changed elsewhere' }] } });
    await box.emulator.clearLog();
    const r = await dcm(['apply', '--plan', planPath, '--yes', '--interval', '0']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('the plan is stale; nothing was sent');
    expect(r.stderr).toContain('step 1 (update Volume saved-data): description was "v2" when planned, is now "changed elsewhere"');
    expect(r.stderr).toMatch(/StalePlanError/);
    expect(await writes()).toEqual([]);
  });

  it('refuses a tampered step (another path or method), an unknown version and a plan of another endpoint, with 0 writes', async () => {
    const planPath = join(box.home, 'fresh.json');
    expect((await dcm(['apply', file('v4.yaml', state('v4')), '--dry-run', '--out', planPath])).code).toBe(0);
    const plan = JSON.parse(readFileSync(planPath, 'utf8'));
    await box.emulator.clearLog();

    const tampered = structuredClone(plan);
    tampered.steps[0].method = 'DELETE';
    tampered.steps[0].path = 'admin/Account/1';
    const a = await dcm(['apply', '--plan', file('tampered.json', JSON.stringify(tampered)), '--yes']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/step 1 \(update Volume saved-data\) is not the request its records plan/);

    const body = structuredClone(plan);
    body.steps[0].body = { describeVolume: [{ description: 'something else' }] };
    const b = await dcm(['apply', '--plan', file('body.json', JSON.stringify(body)), '--yes']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/not the request its records plan/);

    const c = await dcm(['apply', '--plan', file('v9.json', JSON.stringify({ ...plan, version: 9 })), '--yes']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/plan format version 9 is not known: this mixcoatl reads version 1/);

    const d = await dcm(['apply', '--plan', file('other.json', JSON.stringify({ ...plan, endpoint: 'https://dcm.example.com/api/enstratus/2015-05-25' })), '--yes']);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/the plan was made for https:\/\/dcm\.example\.com\/api\/enstratus\/2015-05-25, not for http:\/\/127\.0\.0\.1/);

    const e = await dcm(['apply', '--plan', file('garbage.json', 'not json'), '--yes']);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/is not a plan: not JSON/);
    expect(await writes()).toEqual([]);
    // The untouched plan still applies.
    expect((await dcm(['apply', '--plan', planPath, '--yes', '--interval', '0'])).code).toBe(0);
    expect(await writes()).toEqual([`PUT infrastructure/Volume/${await volumeId('saved-data')}`]);
  });

  it('refuses to save records holding a secret, and --out without --dry-run', async () => {
    const out = join(box.home, 'secret.json');
    const r = await dcm(['apply', file('secret.yaml', `${state('v5')}\n  password: hunter2hunter2`), '--dry-run', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a plan holding secrets is not saved \(record 1\.password\)/);
    expect(r.stderr).not.toContain('hunter2');
    // A secret its type declares, whatever its name (a user's password; an account's apiKeySecret).
    const user = await dcm(['apply', file('user.yaml', '- type: User\n  email: saved@example.com\n  givenName: A\n  familyName: B\n  password: hunter3hunter3\n'), '--dry-run', '--out', out]);
    expect(user.code).toBe(2);
    expect(user.stderr).toMatch(/a plan holding secrets is not saved \(record 1\.password\)/);
    expect(user.stderr).not.toContain('hunter3');
    const u = await dcm(['apply', file('v6.yaml', state('v6')), '--out', out]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--out saves the plan of a dry run: give --dry-run with it/);
  });
});

describe('checkSavedPlan (a plan document is hostile input)', () => {
  const valid = {
    format: PLAN_FORMAT, version: 1, endpoint: 'http://127.0.0.1:1/api/enstratus/2015-05-25', created: '2026-12-06T00:00:00.000Z', reason: 'mixcoatl apply',
    records: [{ type: 'Volume', name: 'x' }], unchanged: [], irreversible: [],
    steps: [{ step: 1, record: 0, label: 'Volume x', kind: 'update', method: 'PUT', path: 'infrastructure/Volume/5', body: {}, after: [], undo: null, from: { id: 5 } }],
  };

  it('takes a well-formed plan', () => {
    expect(checkSavedPlan(structuredClone(valid)).steps).toHaveLength(1);
  });

  it.each([
    ['not an object', [], /not a plan/],
    ['another format', { ...valid, format: 'terraform' }, /not a mixcoatl plan \(format "terraform"/],
    ['an unknown version', { ...valid, version: 2 }, /plan format version 2 is not known/],
    ['an unknown member', { ...valid, run: 'x' }, /unknown member run/],
    ['a GET', { ...valid, steps: [{ ...valid.steps[0], method: 'GET' }] }, /method must be POST, PUT or DELETE, got "GET"/],
    ['a path with a query', { ...valid, steps: [{ ...valid.steps[0], path: 'infrastructure/Volume/5?x=1' }] }, /path must be a collection or object path/],
    ['a path out of the API', { ...valid, steps: [{ ...valid.steps[0], path: '../../etc' }] }, /path must be a collection or object path/],
    ['steps out of order', { ...valid, steps: [{ ...valid.steps[0], step: 2 }] }, /step must be 1/],
    ['a step without its state', { ...valid, steps: [{ ...valid.steps[0], from: undefined }] }, /from \(the state it was planned from\) is missing/],
    ['no records', { ...valid, records: [] }, /records must be a list of 1 to 250,000 records/],
  ])('refuses %s', (_what, value, message) => {
    expect(() => checkSavedPlan(value)).toThrow(message);
  });
});
