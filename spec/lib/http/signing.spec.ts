import { authHeaders, sign, stringToSign } from '../../../lib/http/signing.js';

describe('request signing (x-esauth-* headers, HMAC-SHA256 of key, method, path, timestamp, user agent)', () => {
  it('builds the string to sign from five colon-separated fields', () => {
    expect(stringToSign({ accessKey: 'abcdefg', method: 'get', path: '/api/enstratus/2014-07-30/admin/Job', timestamp: 1356377753158 })).toBe(
      'abcdefg:GET:/api/enstratus/2014-07-30/admin/Job:1356377753158:mixcoatl',
    );
  });

  it.each([
    ['GET', '/api/enstratus/2014-07-30/admin/Job', 1356377753158, 'sKrgDHy0wSdbtI4UXbUGtl6DFoG8+XU2DcN45B9BLbc='],
    ['POST', '/api/enstratus/2015-05-25/infrastructure/Server', 1433000000000, 't5ULuOTS0BI9+QP9vxpQTtah8milzgz/dV31u2MePgM='],
  ])('matches the reference test vector for %s %s', (method, path, timestamp, expected) => {
    expect(sign({ accessKey: 'abcdefg', secretKey: 'gfedcba', method, path, timestamp })).toBe(expected);
  });

  it('makes the three authentication headers with one timestamp', () => {
    const headers = authHeaders({ accessKey: 'abcdefg', secretKey: 'gfedcba', method: 'GET', path: '/api/enstratus/2014-07-30/admin/Job', timestamp: 1356377753158 });
    expect(headers).toEqual({
      'x-esauth-access': 'abcdefg',
      'x-esauth-timestamp': '1356377753158',
      'x-esauth-signature': 'sKrgDHy0wSdbtI4UXbUGtl6DFoG8+XU2DcN45B9BLbc=',
    });
  });
});
