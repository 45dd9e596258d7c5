/**
 * `dcm undo RUN`, built and spawned against the emulator: the run's creations are removed newest
 * first (the DELETEs in the emulator's request log, in order), an object already gone is skipped,
 * a firewall (no delete in the API) is reported with the reason; `--dry-run` sends no write; a
 * second undo finds everything gone and sends no write; an unknown run exits 4; another apply
 * holding the lock keeps undo waiting, then out (exit 5) with nothing sent.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock } from '../../lib/lock.js';
import { journalFile } from '../../lib/journal/journal.js';
import { Endpoint, request } from '../../lib/index.js';
import { runBin, sandbox, type Sandbox } from '../cli/run-bin.js';

let box: Sandbox;
let env: Record<string, string | undefined>;

const YAML = `
- type: Firewall
  ref: fw
  name: undo-fw
  description: undo
  budget: 10287
  region: 19344
- type: FirewallRule
  firewall: "@fw"
  direction: INGRESS
  source: 0.0.0.0/0
  sourceType: CIDR
  permission: ALLOW
  protocol: TCP
  startPort: 22
  endPort: 22
- type: Volume
  name: undo-a
  description: undo
  sizeInGb: 5
  budget: 10287
  dataCenter: 64351
  server: "@web"
- type: Volume
  name: undo-b
  description: undo
  sizeInGb: 5
  budget: 10287
  dataCenter: 64351
- type: Server
  ref: web
  name: undo-web
  description: undo
  budget: 10287
  providerProductId: m1.small
  machineImage: 284831
  dataCenter: 64351
`;

beforeAll(async () => {
  box = await sandbox();
  env = { ...box.env, MIXCOATL_JOURNAL_DIR: join(box.home, 'journal') };
});

afterAll(async () => {
  await box?.close();
});

const dcm = (args: string[]) => runBin('dcm', args, { env });

async function writes(): Promise<string[]> {
  return (await box.emulator.requestLog()).filter((e) => ['POST', 'PUT', 'DELETE'].includes(e.method)).map((e) => `${e.method} ${e.path.replace(/^.*?\/api\/enstratus\/[^/]+\//, '').replace(/\?.*$/, '')}`);
}

describe('dcm undo', () => {
  it('removes what a run created newest first, skips what is gone, reports what cannot be undone; again: nothing to remove', async () => {
    const file = join(box.home, 'state.yaml');
    writeFileSync(file, YAML);
    const applied = await dcm(['apply', file, '--yes', '--allow-irreversible', '--interval', '0', '--json']);
    expect(applied.code).toBe(0);
    const result = JSON.parse(applied.stdout) as { run: string; done: Array<{ kind: string; label: string; id: number; path: string }> };
    const creates = result.done.filter((d) => d.kind === 'create');
    expect(creates).toHaveLength(5);
    const id = (label: string): number => creates.find((c) => c.label === label)!.id;

    // Someone deletes undo-b before the undo.
    const endpoint = new Endpoint({ url: box.emulator.url, accessKey: box.emulator.accessKey, secretKey: box.emulator.secretKey });
    await request('DELETE', `infrastructure/Volume/${id('Volume undo-b')}`, { endpoint, query: { reason: 'by hand' } });
    await box.emulator.clearLog();

    const dry = await dcm(['undo', result.run, '--dry-run']);
    expect({ code: dry.code, stderr: dry.stderr }).toEqual({ code: 0, stderr: '' });
    expect(dry.stdout).toContain(`  - remove Server undo-web (${id('Server undo-web')})  DELETE infrastructure/Server/${id('Server undo-web')}`);
    expect(dry.stdout).toContain(`  = skip Volume undo-b (${id('Volume undo-b')}): already gone`);
    expect(dry.stdout).toContain(`  ! not undone: Firewall undo-fw (${id('Firewall undo-fw')}): it cannot be deleted:`);
    expect(await writes()).toEqual([]);

    const refused = await dcm(['undo', result.run]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not undone: stdin is not a terminal.*pass --yes/);
    expect(await writes()).toEqual([]);

    const undone = await dcm(['undo', result.run, '--yes', '--interval', '0']);
    expect(undone.code).toBe(0);
    expect(undone.stdout).toMatch(/^Removed 3 objects \(undo run [0-9a-f-]{36}\)\.$/m);
    // Newest creation first: the order in which apply's journal recorded the creations, reversed.
    const journal = (await dcm(['log', '--json', '--since', '0'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { run: string; method: string; path: string; serial: number; arguments: Record<string, Array<{ name?: string; startPort?: number }>> });
    const createdOrder = journal.filter((e) => e.run === result.run && e.method === 'POST').map((e) => Object.values(e.arguments)[0][0]);
    const expected = createdOrder.reverse().flatMap((item) => {
      if (item.startPort === 22) return [`DELETE network/FirewallRule/${id('FirewallRule (record 2)')}`];
      if (item.name === 'undo-web') return [`DELETE infrastructure/Server/${id('Server undo-web')}`];
      if (item.name === 'undo-a') return [`DELETE infrastructure/Volume/${id('Volume undo-a')}`];
      return [];
    });
    expect(expected).toHaveLength(3);
    expect(await writes()).toEqual(expected);
    const live = (items: Array<Record<string, unknown>>, name: string) => items.some((i) => i.name === name && !['TERMINATED', 'DELETED'].includes(String(i.status)));
    expect(live(await box.emulator.items('infrastructure/Server'), 'undo-web')).toBe(false);
    expect(live(await box.emulator.items('infrastructure/Volume'), 'undo-a')).toBe(false);
    expect(live(await box.emulator.items('network/Firewall'), 'undo-fw')).toBe(true);

    await box.emulator.clearLog();
    const again = await dcm(['undo', result.run, '--yes', '--json']);
    expect(again.code).toBe(0);
    const second = JSON.parse(again.stdout) as { removed: unknown[]; skipped: Array<{ label: string; why: string }> };
    expect(second.removed).toEqual([]);
    expect(second.skipped.map((s) => s.label).sort()).toEqual(['FirewallRule (serial ' + String(journal.find((e) => e.run === result.run && e.path === 'network/FirewallRule')!.serial) + ')', 'Server undo-web', 'Volume undo-a', 'Volume undo-b'].sort());
    expect(await writes()).toEqual([]);
  });

  it('an unknown run exits 4; a bad one 2', async () => {
    const unknown = await dcm(['undo', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/the journal holds no write of run 00000000-0000-4000-8000-000000000000/);
    const bad = await dcm(['undo', '../etc/passwd']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/the run must be the id of an apply run/);
  });

  it('waits for the lock of apply: while another holds it, undo ends with exit 5 after --lock-timeout and sends nothing', async () => {
    const lock = await acquireLock(`${journalFile(box.emulator.url, box.emulator.accessKey, { enabled: true, dir: env.MIXCOATL_JOURNAL_DIR!, reads: false, retentionDays: 30 })}.apply.lock`, { label: 'apply run held-by-spec', timeoutMs: 0 });
    try {
      await box.emulator.clearLog();
      const r = await dcm(['undo', '00000000-0000-4000-8000-000000000000', '--lock-timeout', '0']);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/LockedError: .*held-by-spec/);
      expect(await writes()).toEqual([]);
    } finally {
      lock.release();
    }
  });
});
