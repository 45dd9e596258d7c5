import nock from 'nock';
import { clearIdentityMaps, configure, resetConfiguration, Resource, Server } from '../../../lib/index.js';
import { serverItems } from '../../support/fixtures.js';

const API = 'https://dcm.test';
const BASE = '/api/enstratus/2015-05-25';
const ITEMS = serverItems();

describe('the shipped server.json fixture through Server', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => {
    configure({ endpoint: `${API}${BASE}`, accessKey: 'ak', secretKey: 'sk', envFile: false, retry: { limit: 0 } });
    clearIdentityMaps();
  });
  afterEach(() => {
    nock.cleanAll();
    resetConfiguration();
  });

  it.each(ITEMS.map((item) => [item.serverId, item] as const))('server %i loads with every key readable and toJSON() equal to the item', async (id, item) => {
    const scope = nock(API).get(`${BASE}/infrastructure/Server/${String(id)}`).once().reply(200, { servers: [item] });
    const server = await Server.get(id as number);
    expect(scope.isDone()).toBe(true);
    expect(server.toJSON()).toEqual(item);
    for (const [key, value] of Object.entries(item)) {
      const read = server.get(key);
      const declared = (server as unknown as Record<string, unknown>)[key];
      expect(JSON.parse(JSON.stringify(read))).toEqual(value);
      if (key in Server.prototype) expect(JSON.parse(JSON.stringify(declared))).toEqual(value);
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some((k) => k.endsWith('Id')) && ['region', 'cloud', 'dataCenter'].includes(key)) {
        expect(read).toBeInstanceOf(Resource);
      }
    }
  });
});
