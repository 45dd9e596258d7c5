/**
 * The dashboard's routes and the origin guard over real HTTP (the emulator in this thread, node:http
 * requests): who may call the control routes, fault rules in the --fault syntax, redacted request
 * bodies, the signature check in the log, the live feed, and state save, download and upload.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../../lib/emulator/index.js';
import { api, raw } from '../../support/emulator-http.js';

let emu: EmulatorHandle;
let control: (path: string) => string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  control = (path) => `${emu.origin}/__emulator${path}`;
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await emu.reset();
});

const json = { 'content-type': 'application/json' };

describe('dashboard: the page', () => {
  it('is served at handle.dashboardUrl with its own files only (a strict content security policy)', async () => {
    expect(emu.dashboardUrl).toBe(`${emu.origin}/__emulator/dashboard/`);
    const page = await raw(emu.dashboardUrl as string, 'GET');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.text).toContain('<script src="app.js" defer></script>');
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const [file, type] of [['app.js', /^text\/javascript/], ['style.css', /^text\/css/]] as const) {
      const res = await raw(`${emu.dashboardUrl}${file}`, 'GET');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(type);
      expect(res.text).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    }
    const bare = await raw(control('/dashboard'), 'GET');
    expect(bare.status).toBe(302);
    expect(bare.headers.location).toBe('/__emulator/dashboard/');
  });

  it('is not served with dashboard: false, and the handle has no dashboard address', async () => {
    const plain = await startEmulator({ port: 0, dashboard: false });
    try {
      expect(plain.dashboardUrl).toBeUndefined();
      expect((await raw(`${plain.origin}/__emulator/dashboard/`, 'GET')).status).toBe(404);
      expect((await raw(`${plain.origin}/__emulator/state`, 'GET')).status).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('refuses an unknown option value with a message naming it', async () => {
    await expect(startEmulator({ dashboard: 'yes' as unknown as boolean })).rejects.toThrow(/emulator option dashboard must be true or false, got "yes"/);
  });
});

describe('dashboard: the origin guard on control and dashboard routes', () => {
  const own = () => ({ origin: emu.origin, 'sec-fetch-site': 'same-origin' });

  it('refuses a state change from a foreign Origin, a cross-site form post and a rebound host name; nothing changes', async () => {
    await emu.setFaults([{ path: 'admin/**', status: 503, name: 'kept' }]);
    const port = emu.port;
    const attempts: Array<[string, string, Record<string, string>, string | undefined]> = [
      ['POST', '/reset', { origin: 'http://evil.example' }, undefined],
      ['POST', '/reset', { origin: 'null' }, undefined],
      ['POST', '/reset', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'],
      ['POST', '/reset', { 'sec-fetch-site': 'same-site', origin: `http://127.0.0.1:${port + 1}` }, undefined],
      ['PUT', '/faults', { origin: `http://localhost:${port + 1}`, ...json }, '[]'],
      ['DELETE', '/faults', { 'sec-fetch-site': 'cross-site' }, undefined],
      ['POST', '/dashboard/faults', { origin: 'http://evil.example', ...json }, '{"rule":"**:500"}'],
      ['PUT', '/dashboard/state/file', { 'sec-fetch-site': 'cross-site', ...json }, '{}'],
      ['POST', '/reset', { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'sec-fetch-site': 'same-origin' }, undefined],
      ['GET', '/log', { host: `evil.example:${port}`, 'sec-fetch-site': 'same-origin' }, undefined],
      ['GET', '/log', { origin: 'http://evil.example' }, undefined],
    ];
    for (const [method, path, headers, body] of attempts) {
      const res = await raw(control(path), method, headers, body);
      expect({ method, path, headers, status: res.status }).toEqual({ method, path, headers, status: 403 });
      expect(res.json.error.message).toMatch(/Origin|cross-site|must address this emulator/);
    }
    expect((await emu.requestLog()).length).toBe(0);
    expect(await emu.summary()).toMatchObject({ faultRules: 1 });
  });

  it('lets the dashboard\'s own origin and requests without Origin (library, scripts, curl) through', async () => {
    await emu.setFaults([{ path: 'admin/**', status: 503 }]);
    expect((await raw(control('/faults'), 'PUT', { ...own(), ...json }, '[]')).status).toBe(204);
    expect((await raw(control('/faults'), 'PUT', { origin: `http://localhost:${emu.port}`, ...json }, '[{"status":500}]')).status).toBe(204);
    expect((await raw(control('/reset'), 'POST', { 'sec-fetch-site': 'none' })).status).toBe(204);
    expect((await raw(control('/reset'), 'POST')).status).toBe(204);
    expect((await raw(control('/log'), 'GET')).status).toBe(200);
    expect((await raw(`${emu.dashboardUrl}types`, 'GET', own())).status).toBe(200);
  });

  it('takes the connection\'s scheme: over TLS the own origin is https', async () => {
    const secure = await startEmulator({ port: 0, tls: true });
    try {
      const ca = readFileSync(secure.caFile as string);
      const post = (origin: string) => new Promise<number>((resolve, reject) => {
        const req = httpsRequest(`${secure.origin}/__emulator/reset`, { method: 'POST', ca, agent: false, headers: { origin, 'sec-fetch-site': 'same-origin' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(secure.dashboardUrl).toBe(`https://127.0.0.1:${secure.port}/__emulator/dashboard/`);
      expect(await post(`https://127.0.0.1:${secure.port}`)).toBe(204);
      expect(await post(`http://127.0.0.1:${secure.port}`)).toBe(403);
    } finally {
      await secure.close();
    }
  });

  it('serves the page itself to a navigation from anywhere (a link in a terminal or another page)', async () => {
    const res = await raw(emu.dashboardUrl as string, 'GET', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' });
    expect(res.status).toBe(200);
  });
});

describe('dashboard: fault rules in the --fault syntax', () => {
  const rules = () => raw(control('/faults'), 'GET').then((r) => r.json);

  it('adds, edits and removes rules, which take effect at once', async () => {
    const add = await raw(`${emu.dashboardUrl}faults`, 'POST', json, JSON.stringify({ rule: 'admin/Job/*:503' }));
    expect(add.status).toBe(200);
    expect(add.json.faults).toEqual([{ rule: { name: 'admin/Job/*:503', path: 'admin/Job/*', status: 503 }, text: 'admin/Job/*:503' }]);
    expect((await api(emu, 'GET', 'admin/Job/2')).status).toBe(503);

    const edit = await raw(`${emu.dashboardUrl}faults/0`, 'PUT', json, JSON.stringify({ rule: 'admin/Job/*:latency=1' }));
    expect(edit.json.faults[0].text).toBe('admin/Job/*:latency=1');
    expect((await api(emu, 'GET', 'admin/Job/2')).status).toBe(200);

    const object = await raw(`${emu.dashboardUrl}faults`, 'POST', json, JSON.stringify({ rule: { path: 'admin/**', methods: ['POST'], status: 500 } }));
    expect(object.json.faults[1].text).toBe('{"path":"admin/**","methods":["POST"],"status":500}');
    expect(await rules()).toHaveLength(2);

    expect((await raw(`${emu.dashboardUrl}faults/0`, 'DELETE')).json.faults).toHaveLength(1);
    expect((await raw(`${emu.dashboardUrl}faults/0`, 'DELETE')).json.faults).toEqual([]);
    expect(await rules()).toEqual([]);
  });

  it('refuses a bad rule with the message of the --fault flag and changes nothing', async () => {
    const bad = await raw(`${emu.dashboardUrl}faults`, 'POST', json, JSON.stringify({ rule: 'infrastructure/**:200' }));
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe("fault rule 'infrastructure/**:200': status must be an HTTP error status (400-599), got 200");
    const badObject = await raw(`${emu.dashboardUrl}faults`, 'POST', json, JSON.stringify({ rule: { status: 503, colour: 'red' } }));
    expect(badObject.status).toBe(400);
    expect(badObject.json.error.message).toMatch(/^rule\.colour is not a fault-rule member/);
    expect((await raw(`${emu.dashboardUrl}faults`, 'POST', json, '{"nope":1}')).json.error.message).toMatch(/must be \{"rule"/);
    const missing = await raw(`${emu.dashboardUrl}faults/3`, 'DELETE');
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toBe('there is no fault rule #3; 0 rule(s) are active');
    expect(await rules()).toEqual([]);
  });
});

describe('dashboard: the request log and request bodies', () => {
  it('records whether the signature was valid, and which fault rule answered', async () => {
    await api(emu, 'GET', 'admin/Job/2');
    await api(emu, 'GET', 'admin/Job/2', { secretKey: 'not-the-secret' });
    await api(emu, 'GET', 'admin/Job/2', { unsigned: true });
    await emu.setFaults([{ path: 'admin/Job/*', status: 503, name: 'jobs-down' }]);
    await api(emu, 'GET', 'admin/Job/2');
    const log = await emu.requestLog();
    expect(log.map((e) => [e.status, e.signature, e.faults])).toEqual([
      [200, 'valid', undefined], [403, 'invalid', undefined], [403, 'missing', undefined], [503, undefined, ['jobs-down:status:503']],
    ]);
    // The access key id is recorded even when a fault answered before the signature check.
    expect(log[3].accessKey).toBe(emu.accessKey);
  });

  it('shows the body of a request and its answer with secrets redacted', async () => {
    const made = await api(emu, 'POST', 'admin/ApiKey', { body: { generateApiKey: [{ name: 'ci', description: 'for the dashboard spec' }] } });
    expect(made.status).toBe(201);
    const secret = JSON.stringify(made.json).match(/"secretKey":"([^"]+)"/)?.[1] as string;
    expect(secret).toBeTruthy();
    await api(emu, 'PUT', 'admin/Group/9848', { body: { describeGroup: { group: { name: 'x' } }, password: 'hunter2-hunter2', note: `uses ${emu.secretKey}` } });
    const log = await emu.requestLog();
    const created = await raw(`${emu.dashboardUrl}requests/${log[0].seq}`, 'GET');
    expect(created.status).toBe(200);
    expect(created.json.entry).toMatchObject({ method: 'POST', status: 201, signature: 'valid' });
    expect(created.json.request).toContain('"name": "ci"');
    expect(created.json.response).toContain('"secretKey": "[redacted]"');
    const put = await raw(`${emu.dashboardUrl}requests/${log[1].seq}`, 'GET');
    expect(put.json.request).toContain('"password": "[redacted]"');
    expect(put.json.request).toContain('"note": "uses [redacted]"');
    for (const text of [created.text, put.text]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(emu.secretKey);
      expect(text).not.toContain('hunter2-hunter2');
    }
    const gone = await raw(`${emu.dashboardUrl}requests/999999`, 'GET');
    expect(gone.status).toBe(404);
    expect(gone.json.error.message).toMatch(/no longer kept/);
  });

  it('keeps a body cut at 64 KB, and says so', async () => {
    await api(emu, 'PUT', 'admin/Group/9848', { body: { describeGroup: { group: { name: 'x', description: 'd'.repeat(200_000) } } } });
    const [entry] = await emu.requestLog();
    const shown = await raw(`${emu.dashboardUrl}requests/${entry.seq}`, 'GET');
    expect(shown.json.cut).toBe(true);
    expect(shown.json.request.length).toBe(64 * 1024);
    expect(shown.json.request.startsWith('{"describeGroup":{"group":{"name":"x","description":"ddd')).toBe(true);
  });

  it('keeps the secrets of stored keys out of the items it lists', async () => {
    const keys = await raw(control('/items/admin/ApiKey'), 'GET');
    expect(keys.text).not.toContain(emu.secretKey);
  });
});

/** Reads server-sent events from `url` until `done` says stop; resolves with the updates seen. */
function readEvents(url: string, done: (updates: any[]) => boolean): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const updates: any[] = [];
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let buffer = '';
      res.on('data', (c: Buffer) => {
        buffer += c.toString('utf8');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block);
          if (/^event: update$/m.test(block) && data) updates.push(JSON.parse(data[1]));
        }
        if (done(updates)) {
          req.destroy();
          resolve(updates);
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (e) => (updates.length && done(updates) ? undefined : reject(e)));
    req.end();
  });
}

describe('dashboard: the live feed', () => {
  it('sends the summary and fault rules at once, then every request served', async () => {
    await api(emu, 'GET', 'admin/Job/2');
    let sent = false;
    const updates = await readEvents(`${emu.dashboardUrl}events`, (seen) => {
      if (seen.length === 1 && !sent) {
        sent = true;
        void api(emu, 'GET', 'geography/Region');
      }
      return seen.some((u) => u.entries.some((e: any) => e.resource === 'geography/Region'));
    });
    expect(updates[0]).toMatchObject({ summary: { counts: { 'infrastructure/Server': 13 } }, faults: [], stateFile: false });
    expect(updates[0].entries.map((e: any) => e.resource)).toEqual(['admin/Job/2']);
    const region = updates.flatMap((u) => u.entries).find((e: any) => e.resource === 'geography/Region');
    expect(region).toMatchObject({ method: 'GET', status: 200, signature: 'valid', accessKey: emu.accessKey });
  });

  it('is refused to a foreign origin', async () => {
    const res = await raw(`${emu.dashboardUrl}events`, 'GET', { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
  });
});

describe('dashboard: state', () => {
  it('downloads the state with secrets redacted, and an upload of it restores that state', async () => {
    const made = await api(emu, 'POST', 'admin/Group', { body: { addGroup: { group: { name: 'Kept', description: 'in the download' } } } });
    expect(made.status).toBe(201);
    const download = await raw(`${emu.dashboardUrl}state/file`, 'GET');
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe('attachment; filename="emulator-state.json"');
    expect(download.text).not.toContain(emu.secretKey);
    expect(download.json.store.tables['admin/ApiKey'][0].secretKey).toBe('[redacted]');
    const groups = () => emu.items('admin/Group').then((g) => g.map((x) => x.name));
    expect(await groups()).toContain('Kept');

    await emu.reset();
    expect(await groups()).not.toContain('Kept');
    const upload = await raw(`${emu.dashboardUrl}state/file`, 'PUT', json, download.text);
    expect(upload.status).toBe(204);
    expect(await groups()).toContain('Kept');
    // The demo key keeps its secret: requests signed with it still pass.
    expect((await api(emu, 'GET', 'admin/Group')).status).toBe(200);
  });

  it('refuses an invalid state file with its problems, as --state files are, and changes nothing', async () => {
    const before = await emu.summary();
    const bad = await raw(`${emu.dashboardUrl}state/file`, 'PUT', json, JSON.stringify({ format: 'mixcoatl-emulator-state', version: 1, seed: -1 }));
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^the uploaded state file was refused \(nothing changed\): /);
    expect(bad.json.error.message).toMatch(/seed/);
    expect((await raw(`${emu.dashboardUrl}state/file`, 'PUT', json, '{"format":')).json.error.message).toMatch(/not valid JSON/);
    expect(await emu.summary()).toEqual(before);
  });

  it('saves to the state file when there is one, and says why not otherwise', async () => {
    const none = await raw(`${emu.dashboardUrl}state/save`, 'POST');
    expect(none.status).toBe(409);
    expect(none.json.error.message).toMatch(/without a state file; start it with --state FILE/);
    const dir = mkdtempSync(join(tmpdir(), 'emu-dash-'));
    const file = join(dir, 'state.json');
    const withFile = await startEmulator({ port: 0, statePath: file });
    try {
      rmSync(file);
      const saved = await raw(`${withFile.dashboardUrl}state/save`, 'POST');
      expect(saved.status).toBe(200);
      expect(saved.json).toEqual({ file });
      expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('mixcoatl-emulator-state');
    } finally {
      await withFile.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
