import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, resetConfiguration, resolveEndpoint, resolveSettings } from '../../../lib/config/resolve.js';
import { ConfigError } from '../../../lib/errors.js';
import { request, requestSync, type Transport } from '../../../lib/index.js';

function tempHome(files: Record<string, string> = {}): string {
  const home = mkdtempSync(join(tmpdir(), 'mixcoatl-home-'));
  mkdirSync(join(home, '.mixcoatl'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(home, '.mixcoatl', name), text);
  return home;
}

const noFiles = { HOME: '/nonexistent-home' };
const somewhere = 'https://dcm.example.test/api/enstratus/2015-05-25';

describe('configuration resolver', () => {
  beforeEach(() => configure({ envFile: false }));
  afterEach(() => resetConfiguration());

  it('reads ES_* variables', () => {
    const e = resolveEndpoint(undefined, { ...noFiles, ES_ACCESS_KEY: 'ak', ES_SECRET_KEY: 'sk', ES_ENDPOINT: 'http://h:15000/api/enstratus/2015-01-28' });
    expect(e.accessKey).toBe('ak');
    expect(e.secretKey).toBe('sk');
    expect(e.url).toBe('http://h:15000/api/enstratus/2015-01-28');
    expect(e.apiVersion).toBe('2015-01-28');
    expect(e.basePath).toBe('/api/enstratus/2015-01-28');
  });

  it('lets DCM_* win over its ES_* alias', () => {
    const e = resolveEndpoint(undefined, { ...noFiles, ES_ACCESS_KEY: 'es', DCM_ACCESS_KEY: 'dcm', ES_SECRET_KEY: 'es-s', DCM_SECRET_KEY: 'dcm-s', ES_ENDPOINT: somewhere });
    expect(e.accessKey).toBe('dcm');
    expect(e.secretKey).toBe('dcm-s');
  });

  it('uses the documented default version when the endpoint URL names none', () => {
    const e = resolveEndpoint(undefined, { ...noFiles, ES_ACCESS_KEY: 'a', ES_SECRET_KEY: 's', ES_ENDPOINT: 'https://dcm.example.test' });
    expect(e.url).toBe('https://dcm.example.test/api/enstratus/2014-07-30');
  });

  it('has no default endpoint: keys without one are a ConfigError naming every way to set it', () => {
    let error: unknown;
    try {
      resolveEndpoint(undefined, { ...noFiles, ES_ACCESS_KEY: 'a', ES_SECRET_KEY: 's' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^missing DCM_ENDPOINT \(or ES_ENDPOINT\): set it in the environment or in \.env/);
    expect(message).toContain('~/.mixcoatl profile');
    expect(message).toContain('configure({ endpoint })');
    expect(message).not.toContain('enstratius.com');
    // An existing profile without the endpoint is named, so the user knows which file to complete.
    const home = tempHome({ default: 'DCM_ACCESS_KEY=k\nDCM_SECRET_KEY=s\n' });
    expect(() => resolveEndpoint(undefined, { HOME: home })).toThrow(`add it to the profile ${join(home, '.mixcoatl', 'default')}`);
  });

  it('takes ES_API_VERSION, else the trailing date of the URL, and refuses a contradiction', () => {
    const keys = { ...noFiles, ES_ACCESS_KEY: 'a', ES_SECRET_KEY: 's' };
    expect(resolveEndpoint(undefined, { ...keys, ES_API_VERSION: '2015-05-25', ES_ENDPOINT: 'https://x.test' }).url).toBe('https://x.test/api/enstratus/2015-05-25');
    expect(resolveEndpoint(undefined, { ...keys, ES_ENDPOINT: 'https://x.test/api/enstratus/2015-01-28/' }).apiVersion).toBe('2015-01-28');
    expect(() => resolveEndpoint(undefined, { ...keys, ES_API_VERSION: '2014-07-30', ES_ENDPOINT: 'https://x.test/api/enstratus/2015-01-28' })).toThrow(/contradicts/);
    expect(() => resolveEndpoint(undefined, { ...keys, ES_API_VERSION: 'latest', ES_ENDPOINT: 'https://x.test' })).toThrow(/YYYY-MM-DD/);
  });

  it('names the variables to set when keys are missing', () => {
    let error: unknown;
    try {
      resolveEndpoint(undefined, { ...noFiles });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/DCM_ACCESS_KEY \(or ES_ACCESS_KEY\) and DCM_SECRET_KEY \(or ES_SECRET_KEY\)/);
    expect(() => resolveEndpoint(undefined, { ...noFiles, ES_ACCESS_KEY: 'a' })).toThrow(/missing DCM_SECRET_KEY/);
  });

  it.each([
    ['0', false],
    ['false', false],
    ['FALSE', false],
    ['1', true],
    ['no', true],
    [undefined, true],
  ])('ES_SSL_VERIFY=%s verifies: %s', (value, expected) => {
    const e = resolveEndpoint(undefined, { ...noFiles, ES_ACCESS_KEY: 'a', ES_SECRET_KEY: 's', ES_ENDPOINT: somewhere, ...(value === undefined ? {} : { ES_SSL_VERIFY: value }) });
    expect(e.sslVerify).toBe(expected);
  });

  it('reads a .env file below the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixcoatl-env-'));
    writeFileSync(join(dir, '.env'), '# comment\n\nexport ES_ACCESS_KEY=from-dotenv\nES_SECRET_KEY="quoted secret"\nES_ENDPOINT=http://dotenv.test/api/enstratus/2015-05-25\n');
    configure({ envFile: join(dir, '.env') });
    const e = resolveEndpoint(undefined, { ...noFiles, ES_ENDPOINT: somewhere });
    expect(e.accessKey).toBe('from-dotenv');
    expect(e.secretKey).toBe('quoted secret');
    expect(e.url).toBe(somewhere);
    expect(resolveEndpoint(undefined, { ...noFiles }).url).toBe('http://dotenv.test/api/enstratus/2015-05-25');
    // Both keys in the environment: the pair from the environment, none from .env.
    const both = resolveEndpoint(undefined, { ...noFiles, DCM_ACCESS_KEY: 'from-env', ES_SECRET_KEY: 'env-secret', ES_ENDPOINT: somewhere });
    expect([both.accessKey, both.secretKey]).toEqual(['from-env', 'env-secret']);
  });

  it('reads .env from the working directory by default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixcoatl-cwd-'));
    writeFileSync(join(dir, '.env'), `ES_ACCESS_KEY=cwd-key\nES_SECRET_KEY=cwd-secret\nES_ENDPOINT=${somewhere}\n`);
    const before = process.cwd();
    resetConfiguration();
    process.chdir(dir);
    try {
      expect(resolveEndpoint(undefined, { ...noFiles }).accessKey).toBe('cwd-key');
    } finally {
      process.chdir(before);
    }
  });

  it('reads ~/.mixcoatl/default, below .env and the environment', () => {
    const home = tempHome({ default: 'DCM_ACCESS_KEY=profile-key\nDCM_SECRET_KEY=profile-secret\nDCM_ENDPOINT=http://profile.test/api/enstratus/2015-05-25\nDCM_SSL_VERIFY=0\n' });
    const e = resolveEndpoint(undefined, { HOME: home, ES_ENDPOINT: somewhere });
    expect(e.accessKey).toBe('profile-key');
    expect(e.secretKey).toBe('profile-secret');
    expect(e.url).toBe(somewhere);
    expect(e.sslVerify).toBe(false);
    const env = resolveEndpoint(undefined, { HOME: home, ES_ACCESS_KEY: 'env-key', ES_SECRET_KEY: 'env-secret' });
    expect([env.accessKey, env.secretKey, env.url]).toEqual(['env-key', 'env-secret', 'http://profile.test/api/enstratus/2015-05-25']);
  });

  function configError(run: () => unknown): ConfigError {
    try {
      run();
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError');
  }

  it('takes the access key and the secret key as a pair from one place: a key from the environment with a profile\'s secret is a ConfigError naming both', () => {
    const home = tempHome({ default: `DCM_ACCESS_KEY=profile-key\nDCM_SECRET_KEY=profile-secret\nDCM_ENDPOINT=${somewhere}\n` });
    const profile = join(home, '.mixcoatl', 'default');
    const error = configError(() => resolveEndpoint(undefined, { HOME: home, ES_ACCESS_KEY: 'OTHERKEY' }));
    expect(error.message).toBe(
      `the access key and the secret key come from two places: ES_ACCESS_KEY in the environment and DCM_SECRET_KEY in the profile ${profile}; set both in one place (the environment, .env, a profile or configure()), or remove the one that does not belong`,
    );
    expect(error.message).not.toContain('profile-secret');
    // The secret from the environment, the key from .env.
    const dir = mkdtempSync(join(tmpdir(), 'mixcoatl-pair-'));
    writeFileSync(join(dir, '.env'), 'ES_ACCESS_KEY=dotenv-key\n');
    configure({ envFile: join(dir, '.env') });
    expect(configError(() => resolveEndpoint(undefined, { ...noFiles, ES_ENDPOINT: somewhere, DCM_SECRET_KEY: 's' })).message).toContain(
      `ES_ACCESS_KEY in ${join(dir, '.env')} and DCM_SECRET_KEY in the environment`,
    );
    // configure() gives one key, the environment the other.
    configure({ envFile: false, accessKey: 'configured' });
    expect(configError(() => resolveEndpoint(undefined, { ...noFiles, ES_ENDPOINT: somewhere, ES_SECRET_KEY: 's' })).message).toContain(
      'configure({ accessKey }) and ES_SECRET_KEY in the environment',
    );
    // DCM_* and ES_* in one place are one source.
    configure({ accessKey: undefined });
    expect(resolveEndpoint(undefined, { ...noFiles, ES_ENDPOINT: somewhere, DCM_ACCESS_KEY: 'a', ES_SECRET_KEY: 's' }).accessKey).toBe('a');
  });

  it('a contradiction between the API version and the URL names the variables that were set', () => {
    const keys = { ...noFiles, ES_ACCESS_KEY: 'a', ES_SECRET_KEY: 's' };
    expect(configError(() => resolveEndpoint(undefined, { ...keys, DCM_API_VERSION: '2014-07-30', DCM_ENDPOINT: 'https://x.test/api/enstratus/2015-01-28' })).message).toBe(
      'API version 2014-07-30 (DCM_API_VERSION in the environment) contradicts the endpoint URL (DCM_ENDPOINT in the environment), which ends in 2015-01-28; change DCM_API_VERSION or DCM_ENDPOINT to match the other, or remove DCM_API_VERSION',
    );
    const mixed = configError(() => resolveEndpoint(undefined, { ...keys, DCM_API_VERSION: '2014-07-30', ES_ENDPOINT: 'https://x.test/api/enstratus/2015-01-28' })).message;
    expect(mixed).toContain('change DCM_API_VERSION or ES_ENDPOINT');
    expect(mixed).not.toContain('ES_API_VERSION');
    configure({ apiVersion: '2014-07-30' });
    expect(configError(() => resolveEndpoint(undefined, { ...keys, ES_ENDPOINT: 'https://x.test/api/enstratus/2015-01-28' })).message).toContain(
      'change configure({ apiVersion }) or ES_ENDPOINT',
    );
  });

  it('reads a named profile and reports a missing one', () => {
    const home = tempHome({ 'lab.config': `DCM_ACCESS_KEY=lab\nDCM_SECRET_KEY=lab-secret\nDCM_ENDPOINT=${somewhere}\n`, default: 'DCM_ACCESS_KEY=default\nDCM_SECRET_KEY=x\n' });
    expect(resolveEndpoint(undefined, { HOME: home, DCM_PROFILE: 'lab' }).accessKey).toBe('lab');
    configure({ profile: 'nope' });
    expect(() => resolveEndpoint(undefined, { HOME: home })).toThrow(/profile "nope" not found/);
    configure({ profile: '../etc' });
    expect(() => resolveEndpoint(undefined, { HOME: home })).toThrow(ConfigError);
  });

  it('lets configure() win over everything and refuses unknown options', () => {
    configure({ accessKey: 'explicit', secretKey: 'explicit-secret', endpoint: somewhere });
    expect(resolveEndpoint(undefined, { ...noFiles, DCM_ACCESS_KEY: 'env' }).accessKey).toBe('explicit');
    expect(() => configure({ acessKey: 'typo' } as never)).toThrow(/unknown configuration option acessKey/);
    expect(() => configure({ lazy: 'sometimes' } as never)).toThrow(ConfigError);
  });

  it('resolves at request time, so the environment may be set after import', () => {
    const saved = { ...process.env };
    try {
      delete process.env.DCM_ACCESS_KEY;
      delete process.env.ES_ACCESS_KEY;
      process.env.HOME = '/nonexistent-home';
      process.env.ES_SECRET_KEY = 'late-secret';
      process.env.ES_ENDPOINT = somewhere;
      expect(() => resolveEndpoint()).toThrow(ConfigError);
      process.env.ES_ACCESS_KEY = 'late';
      expect(resolveEndpoint().accessKey).toBe('late');
    } finally {
      process.env = saved;
    }
  });

  it('sends nothing without an endpoint: requests fail with the ConfigError before reaching the transport', async () => {
    const saved = { ...process.env };
    const sent: unknown[] = [];
    const transport: Transport = {
      send: async (wire) => {
        sent.push(wire);
        throw new Error('nothing may be sent');
      },
      sendSync: (wire) => {
        sent.push(wire);
        throw new Error('nothing may be sent');
      },
    };
    try {
      for (const name of ['DCM_ENDPOINT', 'ES_ENDPOINT', 'DCM_PROFILE']) delete process.env[name];
      process.env.HOME = '/nonexistent-home';
      configure({ accessKey: 'ak', secretKey: 'sk', transport });
      await expect(request('GET', 'admin/Job')).rejects.toThrow(/^missing DCM_ENDPOINT \(or ES_ENDPOINT\)/);
      expect(() => requestSync('GET', 'admin/Job')).toThrow(ConfigError);
      expect(sent).toEqual([]);
    } finally {
      process.env = saved;
    }
  });

  it('reads strict mode, detail level, timeout and retries from the environment, and checks them', () => {
    const s = resolveSettings({ ...noFiles, DCM_LAZY: 'async', DCM_DETAILS: 'extended', DCM_TIMEOUT: '5000', DCM_RETRIES: '1' });
    expect(s.lazy).toBe('async');
    expect(s.details).toBe('extended');
    expect(s.timeout.request).toBe(5000);
    expect(s.retry.limit).toBe(1);
    expect(() => resolveSettings({ ...noFiles, DCM_LAZY: 'yes' })).toThrow(/DCM_LAZY must be/);
    expect(() => resolveSettings({ ...noFiles, DCM_TIMEOUT: '-3' })).toThrow(/DCM_TIMEOUT/);
  });
});
