/**
 * `dcm apply FILE --check`, built and spawned against the emulator: exit 0 and no write when the
 * state is as wanted; exit 12 (changes pending) with `attribute: current → desired` after a change
 * made behind apply's back, still without a write; `--json` gives the same differences as data;
 * after an apply, 0 again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Endpoint, request } from '../../lib/index.js';
import { runBin, sandbox, type Sandbox } from '../cli/run-bin.js';

let box: Sandbox;
let file: string;

const YAML = `
- type: Volume
  name: check-data
  description: desired
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

const dcm = (args: string[]) => runBin('dcm', args, { env: { ...box.env, MIXCOATL_JOURNAL: 'off' } });

async function writeCount(): Promise<number> {
  return (await box.emulator.requestLog()).filter((e) => ['POST', 'PUT', 'DELETE'].includes(e.method)).length;
}

describe('dcm apply --check', () => {
  it('exits 12 with the creation pending, 0 after the apply; then 12 after a change behind its back, 0 again after applying', async () => {
    await box.emulator.clearLog();
    const missing = await dcm(['apply', file, '--check']);
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({ code: 12, stderr: '' });
    expect(missing.stdout).toMatch(/^\+ create Volume check-data {2}\(POST infrastructure\/Volume\)\n {4}name: \(none\) → "check-data"$/m);
    expect(missing.stdout).toMatch(/^ {4}dataCenter: \(none\) → 64351$/m);
    expect(missing.stdout).toMatch(/^1 step pending\.$/m);
    expect(await writeCount()).toBe(0);

    expect((await dcm(['apply', file, '--yes', '--interval', '0'])).code).toBe(0);
    await box.emulator.clearLog();
    const clean = await dcm(['apply', file, '--check']);
    expect(clean).toMatchObject({ code: 0, stdout: 'No changes: every record is already as wanted.\n', stderr: '' });
    expect(await writeCount()).toBe(0);

    // Someone changes the volume behind apply's back.
    const volume = (await box.emulator.items('infrastructure/Volume')).find((v) => v.name === 'check-data');
    const endpoint = new Endpoint({ url: box.emulator.url, accessKey: box.emulator.accessKey, secretKey: box.emulator.secretKey });
    await request('PUT', `infrastructure/Volume/${volume!.volumeId}`, { endpoint, body: { describeVolume: [{ description: 'changed by hand' }] } });
    await box.emulator.clearLog();

    const drift = await dcm(['apply', file, '--check']);
    expect({ code: drift.code, stderr: drift.stderr }).toEqual({ code: 12, stderr: '' });
    expect(drift.stdout).toBe(`~ update Volume check-data  (PUT infrastructure/Volume/${volume!.volumeId})\n    description: "changed by hand" → "desired"\n1 step pending.\n`);
    const json = await dcm(['apply', file, '--check', '--json']);
    expect(json.code).toBe(12);
    expect(JSON.parse(json.stdout)).toEqual({
      changesPending: true,
      steps: [{ step: 1, kind: 'update', label: 'Volume check-data', method: 'PUT', path: `infrastructure/Volume/${volume!.volumeId}`, changes: [{ attribute: 'description', current: 'changed by hand', desired: 'desired' }] }],
    });
    expect(await writeCount()).toBe(0);

    expect((await dcm(['apply', file, '--yes', '--interval', '0'])).code).toBe(0);
    const after = await dcm(['apply', file, '--check', '--json']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual({ changesPending: false, steps: [] });
  });

  it('fails with the usual codes: a refused record exits 2, not 12', async () => {
    const bad = join(box.home, 'bad.yaml');
    writeFileSync(bad, '- type: Volume\n  name: check-bad\n  sizeInGb: -1\n');
    const r = await dcm(['apply', bad, '--check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sizeInGb must be a positive whole number/);
  });
});
