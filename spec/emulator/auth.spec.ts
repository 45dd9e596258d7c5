import { DEMO_ACCESS_KEY, DEMO_SECRET_KEY, startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { api, raw } from '../support/emulator-http.js';
import { signature } from '../support/emulator-sign.js';

describe('emulator: request authentication (signature, access key, timestamp window)', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator(); });
  afterAll(() => emu.close());

  it('uses the documented demo key pair by default', () => {
    expect(DEMO_ACCESS_KEY).toBe('DEMOACCESSKEY');
    expect(DEMO_SECRET_KEY).toBe('demo-secret-key');
    expect(emu.accessKey).toBe(DEMO_ACCESS_KEY);
    expect(emu.secretKey).toBe(DEMO_SECRET_KEY);
  });

  it('accepts a correctly signed request', async () => {
    expect((await api(emu, 'GET', 'admin/Job')).status).toBe(200);
  });

  it.each(['x-esauth-access', 'x-esauth-timestamp', 'x-esauth-signature'])('rejects a request without %s with 403 naming it', async (header) => {
    const res = await api(emu, 'GET', 'admin/Job', { omit: [header] });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/missing header/);
    expect(res.json.error.message).toContain(header);
  });

  it('rejects an unsigned request listing all missing headers', async () => {
    const res = await api(emu, 'GET', 'admin/Job', { unsigned: true });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain('x-esauth-access, x-esauth-timestamp, x-esauth-signature');
  });

  it('rejects an unknown access key', async () => {
    const res = await api(emu, 'GET', 'admin/Job', { accessKey: 'NOSUCHKEY' });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/unknown access key "NOSUCHKEY"/);
  });

  it('rejects a bad signature (wrong secret)', async () => {
    const res = await api(emu, 'GET', 'admin/Job', { secretKey: 'wrong-secret' });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/bad signature/);
  });

  it('answers an unknown access key and a bad signature alike, so key existence cannot be probed', async () => {
    const timestamp = Date.now();
    const unknown = await api(emu, 'GET', 'admin/Job', { accessKey: 'NOSUCHKEY', timestamp });
    const badSignature = await api({ ...emu, accessKey: 'NOSUCHKEY' }, 'GET', 'admin/Job', { secretKey: 'wrong-secret', timestamp });
    const known = await api(emu, 'GET', 'admin/Job', { secretKey: 'wrong-secret', timestamp });
    expect([unknown.status, badSignature.status, known.status]).toEqual([403, 403, 403]);
    expect(badSignature.json).toEqual(unknown.json);
    // The known key's answer differs only in the key it names.
    expect(known.text.replaceAll(emu.accessKey, 'NOSUCHKEY')).toBe(unknown.text);
    expect(known.json.error.message).not.toContain(emu.secretKey);
  });

  it.each([['17 digits', '12345678901234567'], ['16 digits, past the Date range', '9000000000000000'], ['400 digits', '9'.repeat(400)]])(
    'rejects a correctly signed timestamp of %s with 403 naming it, not 500',
    async (_label, timestamp) => {
      const path = new URL(`${emu.url}/admin/Job`).pathname;
      const sig = signature({ accessKey: emu.accessKey, secretKey: emu.secretKey, method: 'GET', path, timestamp, userAgent: 'mixcoatl' });
      const res = await raw(`${emu.url}/admin/Job`, 'GET', { 'user-agent': 'mixcoatl', 'x-esauth-access': emu.accessKey, 'x-esauth-timestamp': timestamp, 'x-esauth-signature': sig });
      expect(res.status).toBe(403);
      expect(res.json.error.message).toMatch(/timestamp outside the allowed window of 300000 ms/);
      expect(res.json.error.message).toContain(`request timestamp ${timestamp}, server time`);
    },
  );

  it('rejects a signature made with a different User-Agent than the one sent', async () => {
    const ts = Date.now();
    const path = new URL(`${emu.url}/admin/Job`).pathname;
    const sig = signature({ accessKey: emu.accessKey, secretKey: emu.secretKey, method: 'GET', path, timestamp: ts, userAgent: 'mixcoatl' });
    const res = await raw(`${emu.url}/admin/Job`, 'GET', { 'user-agent': 'other', 'x-esauth-access': emu.accessKey, 'x-esauth-timestamp': String(ts), 'x-esauth-signature': sig });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/bad signature/);
  });

  it('rejects a stale timestamp, naming the window, the request timestamp and the server time', async () => {
    const stale = Date.now() - 10 * 60 * 1000;
    const res = await api(emu, 'GET', 'admin/Job', { timestamp: stale });
    expect(res.status).toBe(403);
    const message: string = res.json.error.message;
    expect(message).toMatch(/timestamp outside the allowed window of 300000 ms/);
    expect(message).toContain(`request timestamp ${stale}`);
    expect(message).toMatch(/server time \d+ \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000\)/);
  });

  it('rejects a timestamp too far in the future as well', async () => {
    const res = await api(emu, 'GET', 'admin/Job', { timestamp: Date.now() + 10 * 60 * 1000 });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/timestamp outside/);
  });

  it('signs the path only: query parameters do not change the signature', async () => {
    const res = await api(emu, 'GET', 'infrastructure/Server', { query: { regionId: '19344' } });
    expect(res.status).toBe(200);
  });

  it('does not require Content-Type on a POST', async () => {
    const res = await api(emu, 'POST', 'admin/Group', { body: { addGroup: { group: { name: 'no-ct', description: 'sent without content-type' } } } });
    expect(res.status).toBe(201);
  });

  it('verifies the documented signing test vector with a configured key pair and timestamp window', async () => {
    const vector = await startEmulator({ keys: [{ accessKey: 'abcdefg', secretKey: 'gfedcba' }], timestampWindowMs: Number.MAX_SAFE_INTEGER, apiVersion: '2014-07-30' });
    try {
      const res = await raw(`${vector.url}/admin/Job`, 'GET', {
        'user-agent': 'mixcoatl', 'x-esauth-access': 'abcdefg', 'x-esauth-timestamp': '1356377753158',
        'x-esauth-signature': 'sKrgDHy0wSdbtI4UXbUGtl6DFoG8+XU2DcN45B9BLbc=',
      });
      expect(res.status).toBe(200);
      // The demo key is not accepted when other keys are configured.
      expect((await api({ ...vector, accessKey: DEMO_ACCESS_KEY, secretKey: DEMO_SECRET_KEY }, 'GET', 'admin/Job')).status).toBe(403);
    } finally {
      await vector.close();
    }
  });

  it('honours a configured timestamp window', async () => {
    const tight = await startEmulator({ timestampWindowMs: 1000 });
    try {
      expect((await api(tight, 'GET', 'admin/Job', { timestamp: Date.now() - 60_000 })).json.error.message).toMatch(/window of 1000 ms/);
    } finally {
      await tight.close();
    }
  });

  it('accepts a key created through generateApiKey and refuses it once invalidated', async () => {
    const created = await api(emu, 'POST', 'admin/ApiKey', { body: { generateApiKey: [{ name: 'ci', description: 'for CI' }] } });
    expect(created.status).toBe(201);
    const { accessKey, secretKey } = created.json.apiKeys[0];
    expect((await api({ ...emu, accessKey, secretKey }, 'GET', `admin/ApiKey/${accessKey}`)).status).toBe(200);
    expect((await api(emu, 'DELETE', `admin/ApiKey/${accessKey}`, { query: { reason: 'rotated' } })).status).toBe(204);
    const after = await api({ ...emu, accessKey, secretKey }, 'GET', 'admin/Job');
    expect(after.status).toBe(403);
    expect(after.json.error.message).toMatch(/unknown access key/);
  });
});
