/**
 * `dcm`, built and spawned against the emulator: list and describe in every format, actions with
 * and without --wait, usage errors with suggestions, --version and the completion script.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lines, ROOT, runBin, sandbox, type Sandbox } from './run-bin.js';

let box: Sandbox;

beforeAll(async () => {
  box = await sandbox();
});

afterAll(async () => {
  await box?.close();
});

const dcm = (args: string[], extra: Record<string, string> = {}) => runBin('dcm', args, { env: { ...box.env, ...extra } });

describe('dcm <resource> list', () => {
  it('prints JSON when piped: every item of one GET, attributes as received', async () => {
    await box.emulator.clearLog();
    const r = await dcm(['server', 'list']);
    expect(r.code).toBe(0);
    const items = JSON.parse(r.stdout);
    const raw = JSON.parse((await runBin('dcm-get', ['infrastructure/Server'], { env: box.env })).stdout).servers;
    expect(items.map((s: { serverId: number }) => s.serverId)).toEqual(raw.map((s: { serverId: number }) => s.serverId));
    const log = await box.emulator.requestLog();
    expect(log.filter((e) => e.resource === 'infrastructure/Server')).toHaveLength(2);
  });

  it('--table prints the resource columns, one row per item', async () => {
    const r = await dcm(['server', 'list', '--table']);
    expect(r.code).toBe(0);
    const [header, ...rows] = lines(r.stdout);
    expect(header.split(/\s{2,}/)).toEqual(['serverId', 'name', 'region', 'providerId', 'publicIpAddress', 'platform', 'budget', 'providerProductId', 'status', 'startDate']);
    expect(rows.some((row) => /^331810\s/.test(row))).toBe(true);
  });

  it('sends --filter to the API and checks required filters before any request', async () => {
    const r = await dcm(['data-center', 'list', '--filter', 'regionId=19344', '--csv', '--columns', 'dataCenterId,region']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\r\n').filter(Boolean);
    expect(rows[0]).toBe('dataCenterId,region');
    expect(rows.slice(1).every((row) => row.endsWith(',19344'))).toBe(true);

    const missing = await dcm(['data-center', 'list']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('dcm: UsageError: data-center list: needs --filter regionId=<value>\n');
  });

  it('--xml prints one item element per record', async () => {
    const r = await dcm(['region', 'list', '--xml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<root>\n {2}<item>/);
    expect(r.stdout).toContain('<regionId>19344</regionId>');
  });

  it('--where filters the listing client-side', async () => {
    const r = await dcm(['server', 'list', '--where', 'status=PAUSED']);
    const items = JSON.parse(r.stdout) as Array<{ status: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((s) => s.status === 'PAUSED')).toBe(true);
  });
});

describe('dcm <resource> describe', () => {
  it('prints one object as JSON, or a Field/Value table', async () => {
    const json = await dcm(['server', 'describe', '331810']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ serverId: 331810, region: { regionId: 19344 } });
    const table = await dcm(['server', 'describe', '331810', '--table']);
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(/^Field\s+Value$/);
    expect(rows).toContainEqual(expect.stringMatching(/^region\s+19344$/));
  });

  it('--field prints one attribute; a missing object exits 4 with one line', async () => {
    const r = await dcm(['server', 'describe', '331810', '--field', 'providerId']);
    expect(r).toMatchObject({ code: 0, stdout: 'i-0c67a03e\n' });
    const missing = await dcm(['server', 'describe', '999999']);
    expect(missing.code).toBe(4);
    expect(lines(missing.stderr)).toHaveLength(1);
    expect(missing.stderr).toMatch(/^dcm: NotFoundError: /);
  });
});

describe('dcm <resource> <action>', () => {
  it('--wait shows plain progress lines on stderr when not a TTY, then prints the object', async () => {
    const r = await dcm(['server', 'pause', '325841', '--wait', '--interval', '0']);
    expect(r.code).toBe(0);
    const progress = lines(r.stderr);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(r.stderr).not.toContain('\r');
    expect(progress[progress.length - 1]).toMatch(/^Server 325841 pause: COMPLETE \(\d+s\)$/);
    expect(JSON.parse(r.stdout)).toMatchObject({ serverId: 325841, status: 'PAUSED' });
  });

  it('without --wait prints the job and leaves it running', async () => {
    const r = await dcm(['server', 'start', '325841']);
    expect(r.code).toBe(0);
    const job = JSON.parse(r.stdout);
    expect(job.jobId).toEqual(expect.any(Number));
    expect(r.stderr).toMatch(new RegExp(`^Server 325841: start started job ${job.jobId} `));
  });

  it('passes positional arguments by the method signature (rename <serverId> <name>)', async () => {
    const r = await dcm(['server', 'rename', '331810', 'renamed-by-dcm']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Server 331810: rename done\n');
    expect((await dcm(['server', 'describe', '331810', '--field', 'name'])).stdout).toBe('renamed-by-dcm\n');
  });

  it('creates from attribute flags (launch … --wait) and prints the new object', async () => {
    const r = await dcm([
      'server', 'launch', '--name', 'cli-launched', '--description', 'from the spec', '--budget', '10287',
      '--providerProductId', 'm1.small', '--machineImage', '286443', '--dataCenter', '64351', '--wait', '--interval', '0',
    ]);
    expect(r.stderr).toMatch(/^Server launch: COMPLETE \(\d+s\)$/m);
    expect(r.code).toBe(0);
    const server = JSON.parse(r.stdout);
    expect(server).toMatchObject({ name: 'cli-launched', serverId: expect.any(Number) });
  });

  it('api-versions lists what the endpoint serves, newest first; --latest the current one; --active the configured one', async () => {
    const all = await dcm(['api-versions']);
    expect(all.code).toBe(0);
    expect(all.stdout).toBe('2015-05-25\n2015-01-28\n2014-07-30\n');
    expect((await dcm(['api-versions', '--latest'])).stdout).toBe('2015-05-25\n');
    expect((await dcm(['api-versions', '--active'])).stdout).toBe(`${/(\d{4}-\d{2}-\d{2})$/.exec(box.env.ES_ENDPOINT as string)?.[1]}\n`);
    expect(JSON.parse((await dcm(['api-versions', '--json'])).stdout)).toEqual([{ versionId: '2015-05-25' }, { versionId: '2015-01-28' }, { versionId: '2014-07-30' }]);
  });

  it('an action that makes another object from this one (volume snapshot <volumeId> --name) passes its flags and prints what it made', async () => {
    const volumeId = JSON.parse((await dcm(['volume', 'list'])).stdout)[0].volumeId as number;
    const before = JSON.parse((await dcm(['volume', 'describe', String(volumeId)])).stdout).name as string;
    const r = await dcm(['volume', 'snapshot', String(volumeId), '--name', 'nightly-from-cli', '--label', 'green', '--wait', '--interval', '0']);
    expect(r.stderr).toMatch(/COMPLETE/);
    expect(r.code).toBe(0);
    const snapshot = JSON.parse(r.stdout);
    expect(snapshot).toMatchObject({ snapshotId: expect.any(Number), name: 'nightly-from-cli' });
    expect(snapshot.volume).toMatchObject({ volumeId });
    expect(JSON.parse((await dcm(['volume', 'describe', String(volumeId)])).stdout).name).toBe(before);
  });

  it('a create without its required attributes is a usage error listing them, and nothing is sent', async () => {
    await box.emulator.clearLog();
    const r = await dcm(['group', 'create', '--name', 'only-a-name']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dcm: ValidationError: .*description/);
    expect(await box.emulator.requestLog()).toEqual([]);
  });

  it('a job that ends in ERROR exits 7', async () => {
    const r = await dcm(['server', 'stop', '331810', '--reason', '[fail] on purpose', '--wait', '--interval', '0']);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^dcm: JobFailedError: /m);
  });
});

describe('usage errors name the problem and the closest valid name (exit 2)', () => {
  it.each([
    [['servr', 'list'], 'unknown command or resource "servr" (did you mean server?)'],
    [['server', 'stpo', '1'], 'unknown action "stpo" (did you mean stop?)'],
    [['server', 'list', '--fitler', 'a=1'], 'unknown option --fitler (did you mean --filter?)'],
    [['server', 'stop', '331810', '--reasn', 'x'], 'unknown option --reasn (did you mean --reason?)'],
    [['server', 'rename', '331810'], 'server rename: missing <name>'],
  ])('dcm %j', async (args, message) => {
    const r = await dcm(args as string[]);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});

describe('dcm --version, --help and completion', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(await dcm(['--version'])).toMatchObject({ code: 0, stdout: `mixcoatl ${pkg.version}\n` });
  });

  it('--help lists every resource command', async () => {
    const r = await dcm(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['server', 'machine-image', 'firewall-rule', 'configuration-management-account', 'license']) expect(r.stdout).toContain(name);
  });

  it('completion prints a bash script covering resources, verbs, flags and the aliases', async () => {
    const r = await dcm(['completion']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('complete -F _dcm dcm');
    expect(r.stdout).toMatch(/ {4}server\) words="list describe launch stop start pause terminate/);
    expect(r.stdout).toMatch(/"server launch"\) words="--wait --interval --timeout [^"]*--providerProductId/);
    expect(r.stdout).toMatch(/complete -F _dcm_tool .*dcm-list-servers/);
    expect(r.stdout).not.toMatch(/[`$](\(|\{)(?!COMP_|compgen|cur)/);
  });
});
