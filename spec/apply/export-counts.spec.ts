/**
 * The request counts of export and of applying its output (bench P13's, on the seeded estate plus
 * 1,000 servers): the export reads one listing per type and one per firewall for its rules, never
 * one request per object; applying it unchanged sends 0 writes and reads one listing per type
 * (those of the records and of what they refer to by id; rules: one per firewall that has some).
 */
import { spawnEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { resetConfiguration } from '../../lib/index.js';
import { exportEstate } from '../bench/export-estate.js';

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await spawnEmulator({ port: 0, servers: 1_000, seed: 1 });
});

afterAll(async () => {
  resetConfiguration();
  await emu?.close();
});

it('export of the estate with 1,000 extra servers: one listing per type; applied back: 0 writes, one listing per type', async () => {
  const live = async (path: string) => (await emu.items(path)).filter((i) => !['TERMINATED', 'DELETED'].includes(String(i.status ?? ''))).length;
  const firewalls = await live('network/Firewall');
  const servers = await live('infrastructure/Server');
  expect(servers).toBeGreaterThan(1_000);
  const figures = await exportEstate(emu);
  expect(figures.exportRequests).toEqual({ 'GET network/Firewall': 1, 'GET infrastructure/Volume': 1, 'GET infrastructure/Server': 1, 'GET network/FirewallRule': firewalls });
  expect(figures.records).toBeGreaterThan(servers);
  expect(figures.noChanges).toBe(true);
  // One listing per type: those exported, and any other the records refer to by id.
  expect(figures.applyRequests).toMatchObject({ 'GET network/Firewall': 1, 'GET infrastructure/Volume': 1, 'GET infrastructure/Server': 1, 'GET network/FirewallRule': figures.firewallsWithRules });
  for (const [request, count] of Object.entries(figures.applyRequests)) {
    expect(request).toMatch(/^GET /);
    if (request !== 'GET network/FirewallRule') expect([request, count]).toEqual([request, 1]);
  }
});
