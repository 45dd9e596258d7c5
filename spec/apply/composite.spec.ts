/**
 * The composite launch: one `Server.launch()` with new volumes and a new firewall with rules,
 * built on the apply engine against the emulator; a failure undoes everything but the firewall
 * (which the API cannot delete), and says so.
 */
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { ApplyError, clearIdentityMaps, configure, configureJobs, resetConfiguration, Server, ValidationError } from '../../lib/index.js';

const REGION = 19344;
const DATA_CENTER = 64351;
const IMAGE = 284831;

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({ jobDelayMs: 0 });
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, lazy: 'async', retry: { limit: 0 } });
  configureJobs({ intervalMs: 0, timeoutMs: 20_000 });
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
});

const attributes = (name: string) => ({
  name, description: 'composite', budget: 10287, providerProductId: 'm1.small', machineImage: IMAGE, dataCenter: DATA_CENTER,
  volumes: [{ name: `${name}-data`, sizeInGb: 20 }, { name: `${name}-logs`, sizeInGb: 5, deviceId: '/dev/sdg' }],
  firewalls: ['@web-fw'],
});
const define = { 'web-fw': { name: 'composite-fw', description: 'web tier', region: REGION, rules: [{ direction: 'INGRESS', source: '0.0.0.0/0', sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP', startPort: 443, endPort: 443 }] } };

describe('Server.launch() composite', () => {
  it('launches the server with new volumes attached and a new firewall with its rule, in one call', async () => {
    const server = await Server.launch(attributes('comp'), { wait: true, allowIrreversible: true, define });
    expect(server.name).toBe('comp');
    const [firewall] = (await emulator.items('network/Firewall')).filter((f) => f.name === 'composite-fw');
    expect(server.firewalls.map((f) => f.id)).toEqual([firewall.firewallId]);
    const rules = (await emulator.items('network/FirewallRule')).filter((r) => r.firewall?.firewallId === firewall.firewallId);
    expect(rules).toEqual([expect.objectContaining({ source: '0.0.0.0/0', startPort: 443 })]);
    const volumes = (await emulator.items('infrastructure/Volume')).filter((v) => v.server?.serverId === server.id);
    expect(volumes.map((v) => [v.name, v.sizeInGb, v.budget]).sort()).toEqual([['comp-data', 20, 10287], ['comp-logs', 5, 10287]]);
    expect(volumes.find((v) => v.name === 'comp-logs')?.deviceId).toBe('/dev/sdg');
  });

  it('refuses without allowIrreversible, before any write, saying the firewall cannot be undone', async () => {
    await emulator.clearLog();
    await expect(Server.launch(attributes('refused'), { wait: true, define })).rejects.toThrow(ValidationError);
    await expect(Server.launch(attributes('refused'), { wait: true, define })).rejects.toThrow(/no delete of a firewall.*allowIrreversible/);
    expect((await emulator.requestLog()).filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('a failed attach undoes the launch and the volumes; the firewall stays and is reported', async () => {
    await emulator.setFaults([{ path: 'infrastructure/Volume/*', methods: ['PUT'], status: 500, times: 1, name: 'attach' }]);
    const error = await Server.launch(attributes('broken'), { wait: true, allowIrreversible: true, define }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplyError);
    const failure = error as ApplyError;
    expect(failure.failed).toMatchObject({ kind: 'attach', statusCode: 500 });
    expect(failure.notCompensated).toEqual([expect.objectContaining({ label: 'Firewall composite-fw', why: 'the API offers no delete of a firewall' })]);
    expect((await emulator.items('infrastructure/Server')).filter((s) => s.name === 'broken').map((s) => s.status)).toEqual(['TERMINATED']);
    expect((await emulator.items('infrastructure/Volume')).filter((v) => String(v.name).startsWith('broken-') && v.status !== 'DELETED')).toEqual([]);
    expect((await emulator.items('network/FirewallRule')).filter((r) => r.firewall?.firewallId === failure.notCompensated[0].id)).toEqual([]);
  });
});
