/**
 * The versions listing: `GET <origin>/api/enstratus`, whatever the endpoint's
 * base path, with no signature, through the client's pipeline (typed errors, retries).
 */
import nock from 'nock';
import { apiVersions, configure, Endpoint, NotFoundError, resetConfiguration, ResponseError } from '../../../lib/index.js';

const ORIGIN = 'https://dcm.test';
const LISTING = {
  current: { versionId: '2015-05-25', description: 'current' },
  supported: [{ versionId: '2013-12-07' }, { versionId: '2015-05-25' }, { versionId: '2014-07-30' }, { other: 1 }],
};

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => configure({ endpoint: `${ORIGIN}/dcm/api/enstratus/2015-05-25`, accessKey: 'ak', secretKey: 'sk', envFile: false, retry: { limit: 0 } }));
afterEach(() => {
  nock.cleanAll();
  resetConfiguration();
});

describe('apiVersions()', () => {
  it('asks the origin, not the base path, sends no signature, and lists the versions newest first', async () => {
    let headers: Record<string, unknown> = {};
    const scope = nock(ORIGIN)
      .get('/api/enstratus')
      .reply(function reply() {
        headers = this.req.headers;
        return [200, LISTING];
      });
    expect(await apiVersions()).toEqual({ current: '2015-05-25', supported: ['2015-05-25', '2014-07-30', '2013-12-07'] });
    expect(scope.isDone()).toBe(true);
    expect(Object.keys(headers).filter((h) => h.startsWith('x-esauth'))).toEqual([]);
  });

  it('uses the endpoint given per call', async () => {
    const other = new Endpoint({ url: 'https://other.test/api/enstratus/2014-07-30', accessKey: 'a2', secretKey: 's2' });
    const scope = nock('https://other.test').get('/api/enstratus').reply(200, { current: { versionId: '2014-07-30' }, supported: [] });
    expect(await apiVersions({ endpoint: other })).toEqual({ current: '2014-07-30', supported: [] });
    expect(scope.isDone()).toBe(true);
  });

  it('raises the typed error of a failed status, and a ResponseError for a body that is not a listing', async () => {
    nock(ORIGIN).get('/api/enstratus').reply(404, { error: { message: 'no listing here' } });
    await expect(apiVersions()).rejects.toBeInstanceOf(NotFoundError);
    nock(ORIGIN).get('/api/enstratus').reply(200, '["2015-05-25"]', { 'content-type': 'application/json' });
    await expect(apiVersions()).rejects.toBeInstanceOf(ResponseError);
  });

  it('retries like any read', async () => {
    configure({ retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const scope = nock(ORIGIN).get('/api/enstratus').reply(503, { error: { message: 'busy' } }).get('/api/enstratus').reply(200, LISTING);
    expect((await apiVersions()).current).toBe('2015-05-25');
    expect(scope.isDone()).toBe(true);
  });
});
