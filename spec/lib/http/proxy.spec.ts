/**
 * Which proxy a request goes through (lib/http/proxy.ts), and how a proxy is shown: the rules of
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY and of the proxy setting, without a network.
 */
import { bypassesProxy, proxyFor } from '../../../lib/http/proxy.js';
import { scrubProxy, shownProxy } from '../../../lib/redaction.js';
import { Endpoint } from '../../../lib/endpoint.js';

const PROXY = 'http://proxy.example.com:3128';

describe('proxyFor', () => {
  it('takes HTTPS_PROXY for https URLs and HTTP_PROXY for http ones; the proxy setting wins over both', () => {
    const env = { httpsProxy: 'http://tls-proxy:1', httpProxy: 'http://plain-proxy:2' };
    expect(proxyFor('https://dcm.example.com/api', env)).toBe('http://tls-proxy:1');
    expect(proxyFor('http://dcm.example.com/api', env)).toBe('http://plain-proxy:2');
    expect(proxyFor('http://dcm.example.com/api', { ...env, proxy: PROXY })).toBe(PROXY);
    expect(proxyFor('https://dcm.example.com/api', {})).toBeUndefined();
  });

  it.each([
    ['*', 'https://dcm.example.com/api', true],
    ['example.com', 'https://dcm.example.com/api', true],
    ['example.com', 'https://example.com/api', true],
    ['.example.com', 'https://dcm.example.com/api', true],
    ['*.example.com', 'https://dcm.example.com/api', true],
    ['ample.com', 'https://dcm.example.com/api', false],
    ['other.org, 127.0.0.1', 'https://127.0.0.1:15443/api', true],
    ['127.0.0.1:15443', 'https://127.0.0.1:15443/api', true],
    ['127.0.0.1:9', 'https://127.0.0.1:15443/api', false],
    ['dcm.example.com:443', 'https://dcm.example.com/api', true],
    ['::1', 'https://[::1]:15443/api', true],
    ['[::1]:15443', 'https://[::1]:15443/api', true],
    ['', 'https://dcm.example.com/api', false],
  ])('NO_PROXY=%j for %s: bypassed %s', (noProxy, url, bypassed) => {
    expect(bypassesProxy(new URL(url), noProxy)).toBe(bypassed);
    expect(proxyFor(url, { proxy: PROXY, noProxy })).toBe(bypassed ? undefined : PROXY);
  });
});

describe('a proxy as it is shown', () => {
  it('never holds its user name or password', () => {
    const proxy = 'http://ops%40corp:s3cr3t-pass@proxy.example.com:3128';
    expect(shownProxy(proxy)).toBe('http://[credentials]@proxy.example.com:3128');
    expect(shownProxy(PROXY)).toBe(PROXY);
    expect(scrubProxy(`connect to ${proxy} failed for ops@corp (s3cr3t-pass)`, proxy)).toBe('connect to http://[credentials]@proxy.example.com:3128 failed for [redacted] ([redacted])');
    const endpoint = new Endpoint({ url: 'https://dcm.example.com', accessKey: 'A', secretKey: 'S', proxy, caFile: '/etc/ssl/ca.pem' });
    expect(JSON.stringify(endpoint)).not.toMatch(/s3cr3t|ops/);
    expect(endpoint.toJSON()).toMatchObject({ proxy: 'http://[credentials]@proxy.example.com:3128', caFile: '/etc/ssl/ca.pem' });
  });

  it('an endpoint file takes ca_file and proxy; a proxy that is not an http(s) URL is refused without showing it', () => {
    const endpoint = Endpoint.fromRecord({ url: 'https://dcm.example.com', access_key: 'A', secret_key: 'S', ca_file: '/etc/ssl/ca.pem', proxy: PROXY });
    expect([endpoint.caFile, endpoint.proxy]).toEqual(['/etc/ssl/ca.pem', PROXY]);
    expect(() => Endpoint.fromRecord({ url: 'https://dcm.example.com', access_key: 'A', secret_key: 'S', proxy: 'socks5://u:hidden-pw@h:1' }, 'lab.json')).toThrow(/^lab\.json: Endpoint proxy must be an http:\/\/ or https:\/\/ URL, got socks5:\/\/\[credentials\]@h:1$/);
  });
});
