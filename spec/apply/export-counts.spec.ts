/**
 * The request counts of export and of applying its output (bench P13's: every managed type of
 * the seeded estate plus 1,000 servers). The export reads one listing per type — rules once per
 * firewall, networks once per region (with the listing of the regions) — never one request per
 * object, plus one listing per type its references point at outside it (for their names); applying
 * it unchanged sends 0 writes and reads one listing per type (rules: per firewall that has some;
 * networks: per region that has some), and one per type named in references.
 */
import { spawnEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { managedTypes, resetConfiguration } from '../../lib/index.js';
import { exportEstate } from '../bench/export-estate.js';

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await spawnEmulator({ port: 0, servers: 1_000, seed: 1 });
});

afterAll(async () => {
  resetConfiguration();
  await emu?.close();
});

const LIVE = (i: Record<string, unknown>): boolean => !['TERMINATED', 'DELETED'].includes(String(i.status ?? ''));

it('export of the estate with 1,000 extra servers: one listing per type; applied back: 0 writes, one listing per type', async () => {
  const firewalls = (await emu.items('network/Firewall')).filter(LIVE).length;
  const regions = (await emu.items('geography/Region')).length;
  const servers = (await emu.items('infrastructure/Server')).filter(LIVE).length;
  expect(servers).toBeGreaterThan(1_000);
  const figures = await exportEstate(emu);
  const listings: Record<string, number> = {};
  for (const type of managedTypes()) listings[`GET ${type.meta.path}`] = 1;
  // The referenced types outside the export, each listed once for names: the regions (already
  // listed for the networks) and the configuration management systems.
  expect(figures.exportRequests).toEqual({ ...listings, 'GET geography/Region': 1, 'GET automation/ConfigurationManagementSystem': 1, 'GET network/Network': regions, 'GET network/FirewallRule': firewalls });
  expect(figures.records).toBeGreaterThan(servers);
  expect(figures.noChanges).toBe(true);
  // Applied: the names given for references resolved with one listing per referenced type.
  expect(figures.applyRequests).toEqual({ ...listings, 'GET geography/Region': 1, 'GET automation/ConfigurationManagementSystem': 1, 'GET network/Network': figures.regionsWithNetworks, 'GET network/FirewallRule': figures.firewallsWithRules });
});
