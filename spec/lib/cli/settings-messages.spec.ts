/**
 * Settings errors as the command line reports them: the access key and secret key from two
 * places, and a version contradicting an `--endpoint` URL, each naming what was actually set.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatchTool } from '../../../lib/cli/bin.js';
import { fakeIO } from './fake-io.js';

let home: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'mixcoatl-settings-'));
  mkdirSync(join(home, '.mixcoatl'));
  writeFileSync(join(home, '.mixcoatl', 'default'), 'DCM_ENDPOINT=http://127.0.0.1:9/api/enstratus/2015-05-25\nDCM_ACCESS_KEY=PROFILEKEY\nDCM_SECRET_KEY=profile-secret-x9\n');
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string>) {
  const io = fakeIO({ env: { HOME: home, ...env }, cwd: home });
  const code = await dispatchTool('dcm', argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('settings errors on the command line', () => {
  it('ES_ACCESS_KEY exported over a profile\'s pair is a ConfigError naming both places, before anything is sent', async () => {
    const r = await run(['server', 'list'], { ES_ACCESS_KEY: 'OTHERKEY' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `dcm: ConfigError: the access key and the secret key come from two places: ES_ACCESS_KEY in the environment and DCM_SECRET_KEY in the profile ${join(home, '.mixcoatl', 'default')}; set both in one place (the environment, .env, a profile or configure()), or remove the one that does not belong\n`,
    );
    expect(r.stderr).not.toContain('profile-secret-x9');
  });

  it('a version that contradicts the --endpoint URL names DCM_API_VERSION and --endpoint', async () => {
    const r = await run(['server', 'list', '--endpoint', 'http://127.0.0.1:9/api/enstratus/2015-05-25'], { DCM_API_VERSION: '2014-07-30', ES_ACCESS_KEY: 'ACCESSKEY', ES_SECRET_KEY: 'secret-for-this-test' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dcm: ConfigError: API version 2014-07-30 (DCM_API_VERSION in the environment) contradicts the endpoint URL (--endpoint), which ends in 2015-05-25; change DCM_API_VERSION or --endpoint to match the other, or remove DCM_API_VERSION\n');
  });
});
