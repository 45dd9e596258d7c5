/**
 * Names on the command line, the built executables spawned against the emulator: an object named
 * where its id goes, references by name in actions, the original tools' name and e-mail flags,
 * `--find`, filters checked like the library's, and `--ignore-missing`.
 */
import { runBin, sandbox, type Sandbox } from './run-bin.js';

let box: Sandbox;

beforeAll(async () => {
  box = await sandbox();
});

afterAll(async () => {
  await box?.close();
});

beforeEach(async () => {
  await box.emulator.reset();
});

const run = (tool: string, args: string[]) => runBin(tool, args, { env: box.env });

async function resources(): Promise<string[]> {
  return (await box.emulator.requestLog()).map((e) => `${e.method} ${e.resource}`);
}

function ids(stdout: string, key: string): number[] {
  return (JSON.parse(stdout) as Array<Record<string, number>>).map((item) => item[key]);
}

describe('an object named where its id goes', () => {
  it('dcm server describe <name> looks it up with one listing', async () => {
    const r = await run('dcm', ['server', 'describe', 'jdsAD2', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).serverId).toBe(329613);
    expect(await resources()).toEqual(['GET infrastructure/Server', 'GET infrastructure/Server/329613']);
  });

  it('a name that matches nothing, or several, fails without writing', async () => {
    const none = await run('dcm', ['server', 'stop', 'web-404']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no Server "web-404"/);
    const several = await run('dcm', ['firewall', 'describe', 'default']);
    expect(several.code).not.toBe(0);
    expect(several.stderr).toMatch(/\d+ objects match Firewall "default": .*use an id/);
    expect((await resources()).filter((r) => !r.startsWith('GET '))).toEqual([]);
  });

  it('dcm volume attach data-1 <server name>: both looked up, then one write', async () => {
    const r = await run('dcm', ['volume', 'attach', 'data-1', 'dpando-CentosLB', '--deviceId', '/dev/xvdh', '--wait', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).server).toEqual({ serverId: 339452 });
    const log = await resources();
    expect(log.slice(0, 3)).toEqual(['GET infrastructure/Volume', 'GET infrastructure/Server', 'PUT infrastructure/Volume/219001']);
  });
});

describe("the original tools' name and e-mail flags", () => {
  it('dcm-list-servers -G groupname, -B budgetname and -m email', async () => {
    const byGroup = await run('dcm-list-servers', ['-G', 'Admin', '--json']);
    expect(byGroup.code).toBe(0);
    expect(ids(byGroup.stdout, 'serverId')).toHaveLength(9);
    const byBudget = await run('dcm-list-servers', ['-B', 'Research', '--json']);
    expect(JSON.parse(byBudget.stdout)).toEqual([]);
    const byOwner = await run('dcm-list-servers', ['-m', 'sean.kang@enstratus.com', '--json']);
    expect(ids(byOwner.stdout, 'serverId')).toHaveLength(12);
  });

  it('dcm-list-datacenters -R and dcm-list-server-products -p take the provider region id', async () => {
    const centers = await run('dcm-list-datacenters', ['-R', 'us-east-1', '--json']);
    expect(centers.code).toBe(0);
    expect((JSON.parse(centers.stdout) as Array<{ providerId: string }>).map((d) => d.providerId)).toEqual(['us-east-1b', 'us-east-1c', 'us-east-1d']);
    const products = await run('dcm-list-server-products', ['-p', 'us-west-2', '--json']);
    expect(products.code).toBe(0);
    expect(JSON.parse(products.stdout).length).toBeGreaterThan(0);
    const log = await box.emulator.requestLog();
    expect(log.filter((e) => e.resource === 'infrastructure/ServerProduct').map((e) => e.query)).toEqual([{ regionId: '19344' }]);
  });

  it("dcm-list-groups -m email and -u vmlogin: the user's groups", async () => {
    const byEmail = await run('dcm-list-groups', ['-m', 'sean.kang@enstratus.com', '--json']);
    expect(byEmail.code).toBe(0);
    expect(ids(byEmail.stdout, 'groupId')).toEqual([9465]);
    expect(await resources()).toEqual(['GET admin/User', 'GET admin/Group']);
    const none = await run('dcm-list-groups', ['-m', 'nobody@example.com']);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/--of user\.email=nobody@example\.com: no User matches/);
  });

  it('list --of: what one object refers to (a server\'s firewalls, by the server\'s name)', async () => {
    const missing = await run('dcm', ['firewall', 'list', '--of', 'server=jdsAD3']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/--of server: no Server "jdsAD3" \(did you mean "jdsAD2"\?\)/);
    await box.emulator.clearLog();
    const r = await run('dcm', ['firewall', 'list', '--of', 'server=jdsAD2', '--json']);
    expect(r.code).toBe(0);
    const server = JSON.parse((await run('dcm', ['server', 'describe', '329613', '--json'])).stdout) as { firewalls?: Array<{ firewallId: number }> };
    expect(ids(r.stdout, 'firewallId')).toEqual((server.firewalls ?? []).map((f) => f.firewallId));
  });

  it('dcm-list-machine-images -R: one list of regions, one of images', async () => {
    const images = await run('dcm-list-machine-images', ['-R', 'us-west-2', '--json']);
    expect(images.code).toBe(0);
    expect(JSON.parse(images.stdout).length).toBeGreaterThan(0);
    expect(await resources()).toEqual(['GET geography/Region', 'GET infrastructure/MachineImage']);
  });
});

describe('list --find and --filter', () => {
  it('--find matches exactly, a reference by name or by an attribute of the referenced object', async () => {
    const r = await run('dcm', ['server', 'list', '--find', 'region=us-west-2', '--find', 'status=RUNNING', '--json']);
    expect(r.code).toBe(0);
    const servers = JSON.parse(r.stdout) as Array<{ status: string; region: { regionId: number } }>;
    expect(servers.length).toBeGreaterThan(0);
    expect(servers.every((s) => s.status === 'RUNNING' && s.region.regionId === 19344)).toBe(true);
  });

  it('an unknown filter is refused before any request, naming the valid ones and the nearest', async () => {
    const r = await run('dcm', ['server', 'list', '--filter', 'regionID=19344']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown filter "regionID" \(did you mean regionId\?\); the valid filters are regionId/);
    const bogus = await run('dcm', ['server', 'list', '--filter', 'bogus=1']);
    expect(bogus.code).not.toBe(0);
    expect(bogus.stderr).toMatch(/unknown filter "bogus"/);
    expect(await resources()).toEqual([]);
  });
});

describe('--ignore-missing', () => {
  it('deleting what is not there fails without it and succeeds with it', async () => {
    const plain = await run('dcm', ['volume', 'delete', '999999']);
    expect(plain.code).not.toBe(0);
    const ignored = await run('dcm', ['volume', 'delete', '999999', '--ignore-missing']);
    expect(ignored.code).toBe(0);
    expect(ignored.stderr).toBe('Volume 999999: already absent\n');
  });
});

/** Launches a server named `name` in the emulator (with the command line) and returns its id. */
async function launch(name: string): Promise<number> {
  const r = await run('dcm', ['server', 'launch', '--name', name, '--description', 'd', '--budget', '10287', '--providerProductId', 'm1.small', '--machineImage', '283735', '--dataCenter', '64716', '--wait', '--json']);
  if (r.code !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { serverId: number }).serverId;
}

async function status(id: number): Promise<string> {
  const r = await run('dcm', ['server', 'describe', String(id), '--id', '--field', 'status']);
  return r.stdout.trim();
}

describe('names that match nothing', () => {
  it('dcm-list-servers -G, -B and -m exit 4, naming what was looked for and the nearest names', async () => {
    const group = await run('dcm-list-servers', ['-G', 'NoSuchGroup']);
    expect(group.code).toBe(4);
    expect(group.stdout).toBe('');
    expect(group.stderr).toMatch(/NotFoundError: .*owningGroups: no Group "NoSuchGroup" \(known: "Admin", /);
    const typo = await run('dcm-list-servers', ['-G', 'Admn']);
    expect(typo.code).toBe(4);
    expect(typo.stderr).toMatch(/no Group "Admn" \(did you mean "Admin"\?\)/);
    const budget = await run('dcm-list-servers', ['-B', 'NoSuchBudget']);
    expect(budget.code).toBe(4);
    expect(budget.stderr).toMatch(/no BillingCode "NoSuchBudget"/);
    const owner = await run('dcm-list-servers', ['-m', 'nobody@x.com']);
    expect(owner.code).toBe(4);
    expect(owner.stderr).toMatch(/no User \{ email: "nobody@x\.com" \}/);
  });
});

describe('names of terminated objects', () => {
  it('dcm server terminate <name> finds the live server when a terminated one has the same name', async () => {
    const first = await launch('web-1');
    expect((await run('dcm', ['server', 'terminate', 'web-1', '--wait'])).code).toBe(0);
    const second = await launch('web-1');
    const again = await run('dcm', ['server', 'terminate', 'web-1', '--wait']);
    expect(again.stderr).not.toMatch(/match/);
    expect(again.code).toBe(0);
    expect([await status(first), await status(second)]).toEqual(['TERMINATED', 'TERMINATED']);
    // A name only terminated servers have matches nothing.
    const none = await run('dcm', ['server', 'describe', 'web-1']);
    expect(none.code).toBe(4);
  });
});

describe('an argument that is both an id and a name', () => {
  it('digits are tried as an id, then as a name: a server named 12345 is found', async () => {
    const id = await launch('12345');
    const r = await run('dcm', ['server', 'describe', '12345', '--field', 'serverId']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${id}\n`);
    expect(r.stderr).toBe('');
  });

  it("a server named like another's id: describe warns and shows the id's, terminate is refused until --id or --name", async () => {
    const named = await launch('331810');
    const read = await run('dcm', ['server', 'describe', '331810', '--field', 'serverId']);
    expect(read.code).toBe(0);
    expect(read.stdout).toBe('331810\n');
    expect(read.stderr).toMatch(new RegExp(`^warning: "331810" is the id of Server 331810 \\(.*\\) and the name of Server ${named} \\(331810\\)`));
    await box.emulator.clearLog();
    const refused = await run('dcm', ['server', 'terminate', '331810']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/"331810" is the id of Server 331810 .* and the name of Server \d+ \(331810\); say which with --id or --name/);
    expect((await resources()).filter((r) => !r.startsWith('GET '))).toEqual([]);
    expect((await run('dcm', ['server', 'terminate', '331810', '--name', '--wait'])).code).toBe(0);
    expect([await status(named), await status(331810)]).toEqual(['TERMINATED', 'RUNNING']);
    // Once the named server is gone, the digits are the id again, without a question.
    expect((await run('dcm', ['server', 'describe', '331810', '--field', 'name'])).stderr).toBe('');
    expect((await run('dcm', ['server', 'terminate', '331810', '--id', '--name'])).code).toBe(2);
  });
});
