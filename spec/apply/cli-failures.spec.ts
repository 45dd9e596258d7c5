/**
 * `dcm apply` failures, built and spawned against the emulator: a failed job exits 7 and a refusal
 * by the API 8, each with the whole summary one point a line and never "internal error"; bad
 * inputs (empty, a directory, too large) exit 2 naming the file, with no write; a dry run without
 * --allow-irreversible shows the plan with the steps that cannot be undone marked; SIGINT during
 * the writes lets the running step end, undoes it and exits 130; `dcm log` on a journal that
 * cannot be read exits 1 naming it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { binPath, lines, runBin, sandbox, type Sandbox } from '../cli/run-bin.js';

const BUDGET = 10287;
const DATA_CENTER = 64351;
const WRITES = new Set(['POST', 'PUT', 'DELETE']);

let box: Sandbox;

beforeAll(async () => {
  box = await sandbox();
});

afterAll(async () => {
  await box?.close();
});

beforeEach(async () => {
  await box.emulator.setFaults([]);
  await box.emulator.reset();
});

const dcm = (args: string[], env: Record<string, string | undefined> = {}) => runBin('dcm', args, { env: { ...box.env, ...env } });

function file(name: string, records: unknown): string {
  const path = join(box.home, name);
  writeFileSync(path, typeof records === 'string' ? records : JSON.stringify(records));
  return path;
}

const volume = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'Volume', name, description: 'from the CLI', sizeInGb: 1, budget: BUDGET, dataCenter: DATA_CENTER, ...extra });

async function writes(emulator: EmulatorHandle = box.emulator): Promise<string[]> {
  return (await emulator.requestLog()).filter((e) => WRITES.has(e.method)).map((e) => `${e.method} ${e.resource.replace(/\d+$/, 'N')}`);
}

describe('dcm apply: a failure exits with the code of its cause', () => {
  it('a job that ends in ERROR: exit 7, the summary whole, one point a line, what was done undone', async () => {
    const path = file('job.json', [volume('cli-ok'), volume('fail-cli')]);
    const r = await dcm(['apply', path, '--yes', '--interval', '0', '--concurrency', '1']);
    expect(r.code).toBe(7);
    expect(r.stderr).not.toMatch(/internal error/);
    const summary = lines(r.stderr).slice(lines(r.stderr).findIndex((l) => l.startsWith('dcm: ApplyError: apply failed')));
    expect(summary).toEqual([
      'dcm: ApplyError: apply failed',
      expect.stringMatching(/^ {2}- step 2 \(POST infrastructure\/Volume, create Volume fail-cli\) failed: .*Simulated failure/),
      '  - 1 step done before',
      '  - 1 compensated',
      '  - nothing left uncompensated',
    ]);
    expect(await writes()).toEqual(['POST infrastructure/Volume', 'POST infrastructure/Volume', 'DELETE infrastructure/Volume/N']);
  });

  it('a refusal by the API (400): exit 8, a long message printed whole', async () => {
    const long = `refused: ${'the volume cannot be made here; '.repeat(30)}end`;
    await box.emulator.setFaults([{ path: 'infrastructure/Volume', methods: ['POST'], status: 400, message: long, times: 1 }]);
    const r = await dcm(['apply', file('refused.json', [volume('cli-refused')]), '--yes', '--interval', '0']);
    expect(r.code).toBe(8);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr).toContain(`failed: ${long}`);
    expect(lines(r.stderr).find((l) => l.includes(long))!.length).toBeGreaterThan(900);
  });

  it('--json prints the ApplyError with every step', async () => {
    const r = await dcm(['apply', file('job-json.json', [volume('fail-json')]), '--yes', '--interval', '0', '--json']);
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'ApplyError', code: 'EAPPLY', failed: { step: 1, label: 'Volume fail-json', mayHaveApplied: false }, done: [], compensated: [] });
  });
});

describe('dcm apply: inputs refused before anything is sent', () => {
  it('an empty file, a file holding null or [], and closed stdin: "no records", exit 2', async () => {
    await box.emulator.clearLog();
    for (const [name, text] of [['empty.yaml', ''], ['null.json', 'null'], ['list.json', '[]']]) {
      const r = await dcm(['apply', file(name, text), '--dry-run']);
      expect({ name, code: r.code, stdout: r.stdout }).toEqual({ name, code: 2, stdout: '' });
      expect(r.stderr).toContain(`dcm: ValidationError: ${join(box.home, name)}: no records`);
    }
    const stdin = await runBin('dcm', ['apply', '-', '--dry-run'], { env: box.env, input: '' });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toMatch(/stdin: no records/);
    expect(await box.emulator.requestLog()).toEqual([]);
  });

  it('a directory given as FILE is named', async () => {
    const dir = join(box.home, 'records.d');
    mkdirSync(dir, { recursive: true });
    const r = await dcm(['apply', dir, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`dcm: ValidationError: ${dir} is a directory, not a file of records\n`);
  });

  it('a file larger than 64 MiB is refused from its size, before it is read', async () => {
    const path = join(box.home, 'huge.json');
    writeFileSync(path, '');
    truncateSync(path, 64 * 1024 * 1024 + 1);
    const r = await dcm(['apply', path, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/huge\.json: 67,108,865 bytes is more than an apply input may hold \(67,108,864 bytes = 64 MiB\)/);
  });

  it('a YAML alias bomb: a ValidationError, not an internal error', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    const r = await dcm(['apply', file('bomb.yaml', bomb), '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dcm: ValidationError: .*bomb\.yaml: too many YAML aliases/);
  });
});

describe('dcm apply --dry-run', () => {
  it('without --allow-irreversible shows the whole plan, marking the step that cannot be undone; writing it is refused', async () => {
    const path = file('fw.yaml', `
- type: Firewall
  ref: dry-fw
  name: dry-fw
  description: dry
  budget: ${BUDGET}
  region: 19344
- type: FirewallRule
  firewall: "@dry-fw"
  direction: INGRESS
  source: 0.0.0.0/0
  sourceType: CIDR
  permission: ALLOW
  protocol: TCP
`);
    await box.emulator.clearLog();
    const r = await dcm(['apply', path, '--dry-run']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^ 1\. POST network\/Firewall {2}\(create Firewall dry-fw\)\n.*\n {6}undo: NOT POSSIBLE: the API offers no delete of a firewall$/m);
    expect(r.stdout).toMatch(/^ 2\. POST network\/FirewallRule /m);
    expect(r.stdout).toMatch(/needs allowIrreversible, dcm apply --allow-irreversible\):\n {2}! step 1 \(POST network\/Firewall, create Firewall dry-fw\) cannot be undone .* and 1 step follows it \(2 needs it\)/);
    const json = await dcm(['apply', path, '--dry-run', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ steps: [{ step: 1, undo: null }, { step: 2 }], irreversible: [expect.stringMatching(/^step 1 /)] });
    const write = await dcm(['apply', path, '--yes']);
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(/^ 1\. POST network\/Firewall/m);
    expect(write.stderr).toMatch(/dcm: ValidationError: apply: the plan has steps that cannot be undone/);
    expect(await writes()).toEqual([]);
  });
});

describe('dcm apply: SIGINT during the writes', () => {
  let slow: EmulatorHandle;
  beforeAll(async () => {
    slow = await spawnEmulator({ port: 0, jobDelayMs: 1_000 });
  });
  afterAll(async () => {
    await slow?.close();
  });

  it('lets the running step end, starts no other, undoes what was done and exits 130', async () => {
    const path = file('slow.json', [volume('sig-1'), volume('sig-2'), volume('sig-3')]);
    const env = { ...box.env, ES_ENDPOINT: slow.url, ES_ACCESS_KEY: slow.accessKey, ES_SECRET_KEY: slow.secretKey };
    const child = spawn(process.execPath, [binPath('dcm'), 'apply', path, '--yes', '--interval', '50', '--concurrency', '1'], { cwd: box.home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    // Interrupt once the first create was sent (its job then takes a while).
    while (!(await writes(slow)).length) await new Promise((resolve) => setImmediate(resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/dcm apply: SIGINT: stopping/);
    expect(stderr).toMatch(/^ {2}- interrupted \(interrupted by SIGINT\): step 2 \(POST infrastructure\/Volume, create Volume sig-2\) and 1 other step not started$/m);
    expect(stderr).toMatch(/^ {2}- 1 compensated$/m);
    expect(stderr).not.toMatch(/internal error/);
    expect(await writes(slow)).toEqual(['POST infrastructure/Volume', 'DELETE infrastructure/Volume/N']);
  });
});

describe('dcm log', () => {
  it('on a journal that cannot be read exits 1, naming the file', async () => {
    const notDir = file('not-a-directory', 'x');
    const r = await dcm(['log'], { MIXCOATL_JOURNAL_DIR: notDir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^dcm log: cannot read the journal ${notDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+\\.jsonl: ENOTDIR`));
  });
});
