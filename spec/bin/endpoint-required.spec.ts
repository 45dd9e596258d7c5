/**
 * No request leaves for a host nobody configured: with keys and no endpoint, the built tools stop
 * with the ConfigError that names the settings (exit 2), instead of signing a request to a default
 * host.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lines, requireBuild, runBin } from '../cli/run-bin.js';

let home: string;

beforeAll(() => {
  requireBuild();
  home = mkdtempSync(join(tmpdir(), 'mixcoatl-no-endpoint-'));
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

it.each([
  ['dcm-get', ['geography/Region']],
  ['dcm-list-servers', []],
])('%s with keys but no endpoint exits 2 naming DCM_ENDPOINT / ES_ENDPOINT', async (tool, args) => {
  const r = await runBin(tool, args, { env: { PATH: process.env.PATH, HOME: home, ES_ACCESS_KEY: 'ak', ES_SECRET_KEY: 'sk' } });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(new RegExp(`^${tool}: ConfigError: missing DCM_ENDPOINT \\(or ES_ENDPOINT\\)`));
  expect(lines(r.stderr)).toHaveLength(1);
});
