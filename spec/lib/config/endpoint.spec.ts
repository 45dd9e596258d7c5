import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Endpoint } from '../../../lib/endpoint.js';
import { ConfigError } from '../../../lib/errors.js';

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mixcoatl-ep-')), 'endpoints.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('Endpoint', () => {
  it('reads a single-endpoint file with the original snake_case members', () => {
    const e = Endpoint.fromFile(file({ nickname: 'saas', url: 'https://dcm.example.com/api/enstratus/2015-05-25', api_version: '2015-05-25', access_key: 'abcdefg', secret_key: 'gfedcba', ssl_verify: true }));
    expect(e).toMatchObject({ nickname: 'saas', apiVersion: '2015-05-25', accessKey: 'abcdefg', sslVerify: true, basePath: '/api/enstratus/2015-05-25' });
    expect(e.secretKey).toBe('gfedcba');
  });

  it('reads several endpoints keyed by nickname and rejects duplicates or missing nicknames', () => {
    const map = Endpoint.multipleFromFile(
      file([
        { nickname: 'a', url: 'https://a.test/api/enstratus/2015-05-25', access_key: 1, secret_key: 2 },
        { nickname: 'b', url: 'http://b.test:15000', api_version: '2015-01-28', access_key: 'k', secret_key: 's', ssl_verify: '0' },
      ]),
    );
    expect([...map.keys()]).toEqual(['a', 'b']);
    expect(map.get('a')!.accessKey).toBe('1');
    expect(map.get('b')!.url).toBe('http://b.test:15000/api/enstratus/2015-01-28');
    expect(map.get('b')!.sslVerify).toBe(false);
    expect(() => Endpoint.multipleFromFile(file([{ url: 'https://a.test', access_key: 'k', secret_key: 's' }]))).toThrow(/nickname is required/);
    expect(() => Endpoint.multipleFromFile(file([{ nickname: 'x', url: 'https://a.test', access_key: 'k', secret_key: 's' }, { nickname: 'x', url: 'https://b.test', access_key: 'k', secret_key: 's' }]))).toThrow(/used twice/);
  });

  it('names what is wrong with a file', () => {
    expect(() => Endpoint.fromFile(file('{not json'))).toThrow(/not valid JSON/);
    expect(() => Endpoint.fromFile(file({ url: 'https://a.test' }))).toThrow(/missing access_key, secret_key/);
    expect(() => Endpoint.fromFile('/nonexistent/endpoint.json')).toThrow(ConfigError);
    expect(() => new Endpoint({ url: 'ftp://x', accessKey: 'a', secretKey: 'b' })).toThrow(/http or https/);
  });

  it('never shows the secret key in inspect, JSON or enumeration', () => {
    const e = new Endpoint({ url: 'https://a.test', accessKey: 'AK', secretKey: 'TOP-SECRET-VALUE' });
    expect(inspect(e)).not.toContain('TOP-SECRET-VALUE');
    expect(JSON.stringify(e)).not.toContain('TOP-SECRET-VALUE');
    expect(Object.values(e)).not.toContain('TOP-SECRET-VALUE');
    expect(inspect(e, { showHidden: true, getters: true })).not.toContain('TOP-SECRET-VALUE');
  });
});
