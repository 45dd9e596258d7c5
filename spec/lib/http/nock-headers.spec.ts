import nock from 'nock';
import { configure, resetConfiguration, request } from '../../../lib/index.js';
import { sign } from '../../../lib/http/signing.js';

const API = 'https://dcm.test';
const BASE = '/api/enstratus/2015-05-25';

describe('headers of a signed request', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => configure({ endpoint: `${API}${BASE}`, accessKey: 'abcdefg', secretKey: 'gfedcba', envFile: false, retry: { limit: 0 } }));
  afterEach(() => {
    nock.cleanAll();
    resetConfiguration();
  });

  it('sends access key, timestamp, a valid signature, detail level, accept and user agent', async () => {
    let seen: Record<string, string> = {};
    const scope = nock(API)
      .get(`${BASE}/admin/Job`)
      .query({ status: 'RUNNING' })
      .reply(function () {
        seen = this.req.headers as Record<string, string>;
        return [200, { jobs: [] }];
      });
    await request('GET', 'admin/Job', { query: { status: 'RUNNING' }, details: 'extended' });
    expect(scope.isDone()).toBe(true);
    expect(seen['x-esauth-access']).toBe('abcdefg');
    expect(seen['x-es-details']).toBe('extended');
    expect(seen.accept).toBe('application/json');
    expect(seen['user-agent']).toBe('mixcoatl');
    const timestamp = Number(seen['x-esauth-timestamp']);
    expect(Math.abs(Date.now() - timestamp)).toBeLessThan(60_000);
    expect(seen['x-esauth-signature']).toBe(sign({ accessKey: 'abcdefg', secretKey: 'gfedcba', method: 'GET', path: `${BASE}/admin/Job`, timestamp }));
  });

  it('defaults to basic detail and signs the path without the query string', async () => {
    let seen: Record<string, string> = {};
    nock(API)
      .get(`${BASE}/geography/DataCenter`)
      .query(true)
      .reply(function () {
        seen = this.req.headers as Record<string, string>;
        return [200, { dataCenters: [] }];
      });
    await request('GET', '/geography/DataCenter/', { query: { regionId: 19344, active: true, skipped: null } });
    expect(seen['x-es-details']).toBe('basic');
    const timestamp = Number(seen['x-esauth-timestamp']);
    expect(seen['x-esauth-signature']).toBe(sign({ accessKey: 'abcdefg', secretKey: 'gfedcba', method: 'GET', path: `${BASE}/geography/DataCenter`, timestamp }));
  });
});
