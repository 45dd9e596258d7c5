/** Listings that need one filter of several (Network) are refused before any request, with the names. */
import { dispatchTool } from '../../../lib/cli/bin.js';
import { loadResources } from '../../../lib/cli/load-resources.js';
import { ValidationError } from '../../../lib/errors.js';
import { fakeIO } from './fake-io.js';

let Network: { all(options?: object): Promise<unknown[]> };

beforeAll(async () => {
  const all = await loadResources({ stderr: { write: () => true } });
  Network = all.Network as typeof Network;
});

const env = { ES_ENDPOINT: 'http://127.0.0.1:9/api/enstratus/2015-05-25', ES_ACCESS_KEY: 'K', ES_SECRET_KEY: 'S', HOME: '/nonexistent' };

describe('one-of filters', () => {
  it('dcm network list without any of them is a usage error naming them', async () => {
    const io = fakeIO({ env });
    expect(await dispatchTool('dcm', ['network', 'list'], io)).toBe(2);
    expect(io.stderr.text).toBe('dcm: UsageError: network list: needs one of --filter regionId=<value>, --filter dataCenterId=<value>, --filter accountId=<value>\n');
  });

  it('Network.all() without any of them rejects before a request', async () => {
    await expect(Network.all()).rejects.toThrow(ValidationError);
    await expect(Network.all()).rejects.toThrow('Network.all() requires one of the filters regionId, dataCenterId, accountId');
  });
});
