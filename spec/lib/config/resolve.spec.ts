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
    const e = resolveEndpoint(undefined, { ...noFiles, DCM_ACCESS_KEY: 'from-env' });
    expect(e.accessKey).toBe('from-env');
    expect(e.secretKey).toBe('quoted secret');
    expect(e.url).toBe('http://dotenv.test/api/enstratus/2015-05-25');
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
    const e = resolveEndpoint(undefined, { HOME: home, ES_SECRET_KEY: 'env-secret' });
    expect(e.accessKey).toBe('profile-key');
    expect(e.secretKey).toBe('env-secret');
    expect(e.url).toBe('http://profile.test/api/enstratus/2015-05-25');
    expect(e.sslVerify).toBe(false);
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
