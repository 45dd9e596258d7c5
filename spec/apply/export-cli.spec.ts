/**
 * Export, built `dcm` spawned against the emulator, requests counted in its log: `dcm export` of
 * every managed type reads one listing per type (rules per firewall, networks per region), never
 * one per object; applying the export unchanged says "No changes" with 0 writes and one listing
 * per type; changing one attribute in it sends exactly one write. `toRecords()` leaves secrets, write-only attributes
 * and gone objects out, and refers to objects exported together as "@name".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FirewallRule, managedTypes, parseRecords, Region, Server, toRecords, User, Volume, Firewall } from '../../lib/index.js';
import { runBin, sandbox, type Sandbox } from '../cli/run-bin.js';

let box: Sandbox;

/** The round trip covers every type apply manages (all of those have live objects in the seed). */
const TYPES = (): string[] => managedTypes().map((t) => t.name);

beforeAll(async () => {
  box = await sandbox();
});

afterAll(async () => {
  await box?.close();
});

const dcm = (args: string[]) => runBin('dcm', args, { env: { ...box.env, MIXCOATL_JOURNAL: 'off' } });

async function requests(): Promise<string[]> {
  return (await box.emulator.requestLog()).map((e) => `${e.method} ${e.path.replace(/^.*?\/api\/enstratus\/[^/]+\//, '').replace(/\?.*$/, '')}`);
}

const LIVE = (item: Record<string, unknown>): boolean => !['TERMINATED', 'DELETED'].includes(String(item.status ?? ''));

describe('dcm export', () => {
  it('reads one listing per type (rules: one per firewall); applied unchanged: "No changes", 0 writes; one attribute changed: exactly one write', async () => {
    const firewalls = (await box.emulator.items('network/Firewall')).filter(LIVE);
    await box.emulator.clearLog();
    const exported = await dcm(['export', ...TYPES(), '--format', 'json']);
    expect(exported.code).toBe(0);
    const records = JSON.parse(exported.stdout) as Array<Record<string, unknown>>;
    expect(exported.stderr).toBe(`dcm export: ${records.length} records\n`);
    const reads = await requests();
    expect(reads.filter((r) => !r.startsWith('GET '))).toEqual([]);
    const regions = (await box.emulator.items('geography/Region')).length;
    const listings = managedTypes().filter((t) => !['FirewallRule', 'Network'].includes(t.name)).map((t) => `GET ${t.meta.path}`);
    // Plus each type referred to outside the export, once (for names): regions, configuration management systems.
    expect(reads.sort()).toEqual([...listings, 'GET geography/Region', 'GET automation/ConfigurationManagementSystem', ...Array.from({ length: regions }, () => 'GET network/Network'), ...firewalls.map(() => 'GET network/FirewallRule')].sort());
    // Every type has live objects to export.
    expect(new Set(records.map((r) => r.type))).toEqual(new Set(TYPES()));
    // Every live object once, and references between them as local names.
    const live = async (path: string) => (await box.emulator.items(path)).filter(LIVE).length;
    expect(records.filter((r) => r.type === 'Server')).toHaveLength(await live('infrastructure/Server'));
    expect(records.filter((r) => r.type === 'Volume')).toHaveLength(await live('infrastructure/Volume'));
    const rules = records.filter((r) => r.type === 'FirewallRule');
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule.firewall).toMatch(/^@firewall-\d+$/);
    const referencedFirewalls = new Set(rules.map((r) => r.firewall));
    for (const name of referencedFirewalls) expect(records.filter((r) => `@${String(r.ref)}` === name)).toHaveLength(1);

    const file = join(box.home, 'estate.json');
    writeFileSync(file, exported.stdout);
    await box.emulator.clearLog();
    const same = await dcm(['apply', file, '--yes']);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^No changes: every record is already as wanted\.$/m);
    const applyReads = await requests();
    expect(applyReads.filter((r) => !r.startsWith('GET '))).toEqual([]);
    // One listing per type; rules once per firewall they belong to, networks once per region.
    const networkRegions = new Set(records.filter((r) => r.type === 'Network').map((r) => JSON.stringify(r.region)));
    for (const type of managedTypes()) expect([type.name, applyReads.filter((r) => r === `GET ${type.meta.path}`).length]).toEqual([type.name, type.name === 'FirewallRule' ? referencedFirewalls.size : type.name === 'Network' ? networkRegions.size : 1]);
    // And the names given for references outside the export resolved with one listing per type.
    expect(applyReads.filter((r) => ['GET geography/Region', 'GET automation/ConfigurationManagementSystem'].includes(r))).toHaveLength(2);
    expect(applyReads).toHaveLength(managedTypes().length - 2 + referencedFirewalls.size + networkRegions.size + 2);

    const volume = records.find((r) => r.type === 'Volume' && typeof r.description === 'string')!;
    volume.description = 'changed in the export';
    writeFileSync(file, JSON.stringify(records));
    await box.emulator.clearLog();
    const one = await dcm(['apply', file, '--yes', '--interval', '0']);
    expect(one.code).toBe(0);
    expect((await requests()).filter((r) => !r.startsWith('GET '))).toEqual([`PUT infrastructure/Volume/${String(volume.volumeId)}`]);
    expect((await box.emulator.items('infrastructure/Volume')).find((v) => v.volumeId === volume.volumeId)!.description).toBe('changed in the export');
  });

  it('writes YAML by default, which parseRecords reads back as the same records; --find keeps the matching objects', async () => {
    const yaml = await dcm(['export', 'volume', '--find', 'sizeInGb=8']);
    expect(yaml.code).toBe(0);
    const json = await dcm(['export', 'Volume', '--find', 'sizeInGb=8', '--format', 'json']);
    expect(parseRecords(yaml.stdout)).toEqual(JSON.parse(json.stdout));
    const sizes = (JSON.parse(json.stdout) as Array<{ sizeInGb: number }>).map((r) => r.sizeInGb);
    expect(sizes.length).toBeGreaterThan(0);
    expect(new Set(sizes)).toEqual(new Set([8]));
  });

  it('--of limits rules to one firewall (one listing); an unknown type or format is a usage error naming the choices', async () => {
    const firewall = (await box.emulator.items('network/Firewall')).find((f) => LIVE(f) && f.name === 'keithweb')!;
    await box.emulator.clearLog();
    const r = await dcm(['export', 'firewall-rule', '--of', 'keithweb', '--format', 'json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules.map((x) => x.firewall))).toEqual(new Set([firewall.firewallId]));
    expect((await requests()).filter((q) => q === 'GET network/FirewallRule')).toHaveLength(1);
    const unknown = await dcm(['export', 'Region']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/"Region" is not a type apply manages; those are .*Firewall.*Server/);
    const format = await dcm(['export', 'Server', '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format must be yaml or json, got "xml"/);
  });
});

describe('toRecords', () => {
  it('leaves secrets, write-only attributes and gone objects out; refers to objects exported together by local name, to others by id', () => {
    const user = User.fromItem({ userId: 7, email: 'a@example.com', givenName: 'A', familyName: 'B', password: 'hunter2hunter2', account: { accountId: 16000 } });
    const gone = Server.fromItem({ serverId: 9, name: 'old', status: 'TERMINATED' });
    const firewall = Firewall.fromItem({ firewallId: 5, name: 'web', description: 'web', budget: 10287, region: { regionId: 19344 } });
    const rule = FirewallRule.fromItem({ firewallRuleId: 11, firewallId: 5, direction: 'INGRESS', source: '0.0.0.0/0', sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP', startPort: 80, endPort: 80 });
    const volume = Volume.fromItem({ volumeId: 3, name: 'data', description: '', sizeInGb: 5, budget: 10287, dataCenter: { dataCenterId: 64351 }, owningGroups: [], server: null });
    const records = toRecords([user, gone, firewall, rule, volume]);
    expect(JSON.stringify(records)).not.toContain('hunter2');
    expect(records.map((r) => r.type)).toEqual(['User', 'Firewall', 'FirewallRule', 'Volume']);
    expect(records[0]).not.toHaveProperty('password');
    expect(records[1]).toMatchObject({ type: 'Firewall', ref: 'firewall-5', firewallId: 5, region: 19344, name: 'web' });
    expect(records[2]).toMatchObject({ type: 'FirewallRule', firewallRuleId: 11, firewall: '@firewall-5', startPort: 80 });
    expect(records[3]).toEqual({ type: 'Volume', volumeId: 3, name: 'data', description: '', sizeInGb: 5, budget: 10287, dataCenter: 64351 });
  });

  it('refuses an object of a type apply does not manage, and one that is not loaded', () => {
    expect(() => toRecords([Region.fromItem({ regionId: 1, name: 'r' })])).toThrow(/Region is not managed by apply \(its class declares no lifecycle\); apply manages .*Server/);
    expect(() => toRecords([new Server(5)])).toThrow(/Server 5 is not loaded: export objects as listed or loaded/);
    expect(() => toRecords([{}])).toThrow(/item 1 is not a mixcoatl resource object/);
  });
});
