/**
 * Request bodies and the control routes' view of secrets: an oversized body gets its 413 (not a
 * connection reset), and stored API keys are listed without their secret.
 */
import { request as httpRequest } from 'node:http';
import { startEmulator, startEmulatorInWorker, type EmulatorHandle } from '../../lib/emulator/index.js';
import { configure, request, resetConfiguration } from '../../lib/index.js';
import { api, raw } from '../support/emulator-http.js';

const LIMIT = 5 * 1024 * 1024;

/** Sends `size` bytes as a chunked body (no Content-Length), in 64 KiB writes. */
function chunked(url: string, size: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'PUT', agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    const block = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        sent += block.length;
        if (!req.write(block)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('emulator: oversized request bodies', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator(); });
  afterAll(() => emu.close());

  it('answers a signed POST over 5 MiB with 413 naming the limit, and serves the next request', async () => {
    const body = JSON.stringify({ addGroup: { group: { name: 'big', description: 'x'.repeat(LIMIT) } } });
    const res = await api(emu, 'POST', 'admin/Group', { body });
    expect(res.status).toBe(413);
    expect(res.json.error.message).toBe(`request body of ${Buffer.byteLength(body)} bytes exceeds the limit of ${LIMIT} bytes`);
    expect((await api(emu, 'GET', 'admin/Group')).status).toBe(200);
    expect((await emu.requestLog()).map((e) => e.status)).toEqual([413, 200]);
  });

  it('answers 413 to a chunked body without a length, on API and control routes alike', async () => {
    const apiRes = await chunked(`${emu.url}/admin/Group/9848`, LIMIT + 256 * 1024);
    expect(apiRes.status).toBe(413);
    expect(JSON.parse(apiRes.text).error.message).toMatch(/exceeds the limit of 5242880 bytes/);
    const control = await chunked(`${emu.origin}/__emulator/faults`, LIMIT + 256 * 1024);
    expect(control.status).toBe(413);
  });

  it('the client sees the 413 as an error naming it, not as a network error', async () => {
    configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, retry: { limit: 0 } });
    try {
      const error = await request('POST', 'admin/Group', { body: { addGroup: { group: { name: 'big', description: 'x'.repeat(LIMIT) } } } }).then(
        () => undefined,
        (e: unknown) => e as Error & { statusCode?: number },
      );
      expect(error?.statusCode).toBe(413);
      expect(error?.message).toMatch(/exceeds the limit of 5242880 bytes/);
    } finally {
      resetConfiguration();
    }
  });

  it('a body just under the limit is still read', async () => {
    const body = JSON.stringify({ addGroup: { group: { name: 'almost', description: 'y'.repeat(LIMIT - 100) } } });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(LIMIT);
    expect((await api(emu, 'POST', 'admin/Group', { body })).status).toBe(201);
  });
});

describe('emulator: control routes never show a secret key', () => {
  it.each([['in this thread', startEmulator], ['in a worker thread', startEmulatorInWorker]] as const)('lists admin/ApiKey items with the secret redacted (%s)', async (_where, start) => {
    const emu = await start({ keys: [{ accessKey: 'AK1', secretKey: 'first-secret' }, { accessKey: 'AK2', secretKey: 'second-secret' }] });
    try {
      const created = await api(emu, 'POST', 'admin/ApiKey', { body: { generateApiKey: [{ name: 'ci', description: 'for CI' }] } });
      expect(created.status).toBe(201);
      const generated: string = created.json.apiKeys[0].secretKey;
      const viaRoute = await raw(`${emu.origin}/__emulator/items/admin/ApiKey`, 'GET');
      const viaHandle = await emu.items('admin/ApiKey');
      for (const [text, items] of [[viaRoute.text, viaRoute.json], [JSON.stringify(viaHandle), viaHandle]] as const) {
        for (const secret of ['first-secret', 'second-secret', generated]) expect(text).not.toContain(secret);
        expect(items.map((k: { accessKey: string }) => k.accessKey)).toEqual(expect.arrayContaining(['AK1', 'AK2', created.json.apiKeys[0].accessKey]));
        expect(items.every((k: { secretKey?: string }) => k.secretKey === '[redacted]')).toBe(true);
      }
      // The stored keys are unchanged: they still authenticate.
      expect((await api(emu, 'GET', 'admin/Job')).status).toBe(200);
      expect((await api({ ...emu, accessKey: 'AK2', secretKey: 'second-secret' }, 'GET', 'admin/Job')).status).toBe(200);
    } finally {
      await emu.close();
    }
  });
});
