import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { api, raw } from '../support/emulator-http.js';

describe('emulator: versions listing and URL shape (/api/enstratus/<version>/<path>)', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => { emu = await startEmulator(); });
  afterAll(() => emu.close());

  it('answers the unversioned listing without authentication', async () => {
    const res = await raw(`${emu.origin}/api/enstratus`, 'GET', { accept: 'application/json', 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      current: { versionId: '2015-05-25' },
      supported: [{ versionId: '2015-05-25' }, { versionId: '2015-01-28' }, { versionId: '2014-07-30' }],
    });
  });

  it('reports the API root including the version in handle.url', () => {
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}/api/enstratus/2015-05-25`);
    expect(emu.origin).toBe(`http://127.0.0.1:${emu.port}`);
  });

  it.each(['2015-05-25', '2015-01-28', '2014-07-30'])('serves version %s (signature covers the versioned path)', async (version) => {
    const target = { ...emu, url: `${emu.origin}/api/enstratus/${version}` };
    const res = await api(target, 'GET', 'admin/Job/2');
    expect(res.status).toBe(200);
    expect(res.json.jobs[0].message).toBe('339452');
  });

  it('answers 404 with an error body for an unsupported version', async () => {
    const res = await api({ ...emu, url: `${emu.origin}/api/enstratus/2013-01-01` }, 'GET', 'admin/Job');
    expect(res.status).toBe(404);
    expect(res.json.error.message).toMatch(/Unsupported API version "2013-01-01"/);
  });

  it('answers 404 for an unknown resource type and for paths outside the API', async () => {
    const unknown = await api(emu, 'GET', 'infrastructure/Spaceship');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toMatch(/Unknown resource type infrastructure\/Spaceship/);
    const outside = await raw(`${emu.origin}/nothing/here`, 'GET');
    expect(outside.status).toBe(404);
    expect(outside.json.error.message).toMatch(/\/api\/enstratus/);
  });

  it('uses the configured apiVersion for handle.url', async () => {
    const old = await startEmulator({ apiVersion: '2014-07-30' });
    try {
      expect(old.url.endsWith('/api/enstratus/2014-07-30')).toBe(true);
      expect((await api(old, 'GET', 'admin/BillingCode')).status).toBe(200);
    } finally {
      await old.close();
    }
  });
});
