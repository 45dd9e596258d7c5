/**
 * `dcm apply` and `dcm log`, built and spawned against the emulator: the plan on --dry-run with 0
 * writes; a refusal without --yes when stdin is not a terminal; --yes applies with progress, the
 * second run says "No changes" with 0 writes; validation problems exit 2, all named; `dcm log`
 * prints the journal (in the sandbox's temporary HOME).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lines, runBin, sandbox, type Sandbox } from '../cli/run-bin.js';

let box: Sandbox;
let file: string;

const YAML = `
- type: Firewall
  ref: cli-fw
  name: cli-fw
  description: from the CLI
  budget: 10287
  region: 19344
- type: FirewallRule
  firewall: "@cli-fw"
  direction: INGRESS
  source: 0.0.0.0/0
  sourceType: CIDR
  permission: ALLOW
  protocol: TCP
  startPort: 80
  endPort: 80
- type: Volume
  name: cli-data
  description: from the CLI
  sizeInGb: 5
  budget: 10287
  dataCenter: 64351
`;

beforeAll(async () => {
  box = await sandbox();
  file = join(box.home, 'state.yaml');
  writeFileSync(file, YAML);
});

afterAll(async () => {
  await box?.close();
});

const dcm = (args: string[], input?: string) => runBin('dcm', args, { env: box.env, input });

async function writeCount(): Promise<number> {
  return (await box.emulator.requestLog()).filter((e) => ['POST', 'PUT', 'DELETE'].includes(e.method)).length;
}

describe('dcm apply', () => {
  it('--dry-run prints the plan and sends no write', async () => {
    await box.emulator.clearLog();
    const r = await dcm(['apply', file, '--dry-run', '--allow-irreversible']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^ 1\. POST infrastructure\/Volume {2}\(create Volume cli-data\)$/m);
    expect(r.stdout).toMatch(/^ 2\. POST network\/Firewall {2}\(create Firewall cli-fw\)\n {6}body: .*\n {6}undo: NOT POSSIBLE: the API offers no delete of a firewall$/m);
    expect(r.stdout).toMatch(/^ 3\. POST network\/FirewallRule .*\n.*\n {6}after: step 2$/m);
    expect(await writeCount()).toBe(0);
  });

  it('refuses to write without --yes when stdin is not a terminal, and a plan with an irreversible step first without --allow-irreversible', async () => {
    await box.emulator.clearLog();
    const r = await dcm(['apply', file, '--allow-irreversible']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not applied: stdin is not a terminal.*pass --yes/);
    const risky = await dcm(['apply', file, '--yes']);
    expect(risky.code).toBe(2);
    expect(risky.stderr).toMatch(/cannot be undone.*--allow-irreversible/);
    expect(await writeCount()).toBe(0);
  });

  it('--yes applies with progress; the second run sends no write and says "No changes"', async () => {
    const r = await dcm(['apply', file, '--yes', '--allow-irreversible', '--interval', '0', '--json']);
    expect(r.code).toBe(0);
    // Steps 1 and 2 are independent and run concurrently, so they finish in either order; step 3
    // needs step 2's firewall and is reported after it.
    const done = lines(r.stderr).filter((l) => l.startsWith('✓'));
    expect([...done].sort()).toEqual([
      expect.stringMatching(/^✓ step 1\/3 create Volume cli-data \(\d+\)$/),
      expect.stringMatching(/^✓ step 2\/3 create Firewall cli-fw \(\d+\)$/),
      expect.stringMatching(/^✓ step 3\/3 create FirewallRule \(record 2\) \(\d+\)$/),
    ]);
    expect(done.findIndex((l) => l.startsWith('✓ step 3/3'))).toBeGreaterThan(done.findIndex((l) => l.startsWith('✓ step 2/3')));
    const out = JSON.parse(r.stdout) as { records: Array<Record<string, unknown>> };
    expect(out.records.map((x) => x.name ?? x.source)).toEqual(['cli-fw', '0.0.0.0/0', 'cli-data']);
    await box.emulator.clearLog();
    const again = await dcm(['apply', file, '--yes', '--allow-irreversible']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^No changes: every record is already as wanted\./);
    expect(await writeCount()).toBe(0);

    const log = await dcm(['log', '--json']);
    expect(log.code).toBe(0);
    const entries = lines(log.stdout).map((l) => JSON.parse(l) as { serial: number; method: string; path: string; run: string | null });
    expect(entries.map((e) => `${e.method} ${e.path}`)).toEqual(['POST infrastructure/Volume', 'POST network/Firewall', 'POST network/FirewallRule']);
    expect(entries.map((e) => e.serial)).toEqual([1, 2, 3]);
    expect(new Set(entries.map((e) => e.run)).size).toBe(1);
    const since = await dcm(['log', '--since', '2']);
    expect(lines(since.stdout)).toEqual([expect.stringMatching(/^ +3 {2}\S+ {2}POST {3}network\/FirewallRule {2}201 {2}run /)]);
  });

  it('exits 2 naming every problem of a bad file, with no write', async () => {
    const bad = join(box.home, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ type: 'Volume', name: 'x', sizeInGb: 'huge' }, { type: 'Nothing' }]));
    await box.emulator.clearLog();
    const r = await dcm(['apply', bad, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/record 1 \(Volume x\): sizeInGb must be a number, got "huge".*record 2: unknown type "Nothing"/);
    expect(await writeCount()).toBe(0);
  });
});
