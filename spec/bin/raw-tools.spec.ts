/**
 * The raw tools, built and spawned against the emulator (child process): dcm-get, dcm-post,
 * dcm-put, dcm-delete, dcm-head — output formats, status flags, bodies, parameters and failures.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lines, runBin, sandbox, type Sandbox } from '../cli/run-bin.js';

let box: Sandbox;

beforeAll(async () => {
  box = await sandbox();
});

afterAll(async () => {
  await box?.close();
});

describe('dcm-get', () => {
  it('prints the envelope as sorted 2-space JSON and exits 0', async () => {
    const r = await runBin('dcm-get', ['geography/Region'], { env: box.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const data = JSON.parse(r.stdout);
    expect(Array.isArray(data.regions)).toBe(true);
    expect(data.regions.length).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/^\{\n {2}"regions": \[/);
  });

  it('reads parameters from a Python dict literal, JSON or the path, never evaluating them', async () => {
    const dict = await runBin('dcm-get', ['geography/DataCenter', "{'regionId': 19344}"], { env: box.env });
    const json = await runBin('dcm-get', ['geography/DataCenter', '{"regionId": 19344}'], { env: box.env });
    const inline = await runBin('dcm-get', ['geography/DataCenter?regionId=19344'], { env: box.env });
    expect(dict.code).toBe(0);
    expect(JSON.parse(dict.stdout).dataCenters.length).toBeGreaterThan(0);
    expect(json.stdout).toBe(dict.stdout);
    expect(inline.stdout).toBe(dict.stdout);
    const log = await box.emulator.requestLog();
    expect(log.filter((e) => e.resource === 'geography/DataCenter').every((e) => e.query.regionId === '19344')).toBe(true);
  });

  it('refuses a bad parameter string with exit 2 and a caret under the problem, sending nothing', async () => {
    await box.emulator.clearLog();
    const r = await runBin('dcm-get', ['geography/DataCenter', "{'regionId': __import__('os')}"], { env: box.env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const [first, excerpt, caret] = r.stderr.split('\n');
    expect(first).toMatch(/^dcm-get: ParamsError: .* at column 14$/);
    expect(excerpt).toBe("  {'regionId': __import__('os')}");
    expect(caret).toBe(`  ${' '.repeat(13)}^`);
    expect(await box.emulator.requestLog()).toEqual([]);
  });

  it('exits 4 with one line on stderr for a missing object', async () => {
    const r = await runBin('dcm-get', ['infrastructure/Server/999999'], { env: box.env });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^dcm-get: NotFoundError: .*999999.*404/);
  });

  it('--xml prints XML (converted locally when the API answers JSON anyway)', async () => {
    const r = await runBin('dcm-get', ['geography/Region', '--xml'], { env: box.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml version="1.0"/);
    expect(r.stdout).toContain('<regionId>19344</regionId>');
    const log = await box.emulator.requestLog();
    expect(log[log.length - 1].resource).toBe('geography/Region');
  });

  it('--csv prints the collection with a header row', async () => {
    const r = await runBin('dcm-get', ['geography/Region', '--csv'], { env: box.env });
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\r\n').filter(Boolean);
    expect(rows[0].split(',')).toEqual(expect.arrayContaining(['regionId', 'name', 'status']));
    const json = JSON.parse((await runBin('dcm-get', ['geography/Region'], { env: box.env })).stdout);
    expect(rows).toHaveLength(json.regions.length + 1);
  });

  it('--statuscode prints the status first; --statuscodeonly prints only it and exits 0 even on 404', async () => {
    const ok = await runBin('dcm-get', ['geography/Region', '--statuscode'], { env: box.env });
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toBe('200');
    expect(JSON.parse(ok.stdout.slice(4)).regions).toBeDefined();

    const only = await runBin('dcm-get', ['geography/Region', '--statuscodeonly'], { env: box.env });
    expect(only).toMatchObject({ code: 0, stdout: '200\n' });
    const missing = await runBin('dcm-get', ['infrastructure/Server/999999', '--statuscodeonly'], { env: box.env });
    expect(missing).toMatchObject({ code: 0, stdout: '404\n' });
    const missingWithBody = await runBin('dcm-get', ['infrastructure/Server/999999', '--statuscode'], { env: box.env });
    expect(missingWithBody.code).toBe(4);
    expect(missingWithBody.stdout).toBe('404\n');
  });

  it('--extended sends x-es-details: extended (embedded references)', async () => {
    const basic = JSON.parse((await runBin('dcm-get', ['infrastructure/Server/331810'], { env: box.env })).stdout);
    const extended = JSON.parse((await runBin('dcm-get', ['infrastructure/Server/331810', '--extended'], { env: box.env })).stdout);
    expect(Object.keys(basic.servers[0].region)).toEqual(['regionId']);
    expect(Object.keys(extended.servers[0].region).length).toBeGreaterThan(1);
  });

  it('refuses an unknown flag with exit 2, naming the closest one', async () => {
    const r = await runBin('dcm-get', ['geography/Region', '--statuscodeonyl'], { env: box.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dcm-get: UsageError: unknown option --statuscodeonyl (did you mean --statuscodeonly?)\n');
  });

  it('never prints the secret key: a wrong key is refused with exit 3', async () => {
    const secret = 'wrong-secret-Zq81';
    const r = await runBin('dcm-get', ['geography/Region'], { env: { ...box.env, ES_SECRET_KEY: secret, DCM_DEBUG: '1' } });
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stderr).toMatch(/^dcm-get: ForbiddenError: /m);
  });

  it('exits 6 when nothing answers, and 2 when no keys are configured', async () => {
    const down = await runBin('dcm-get', ['geography/Region'], { env: { ...box.env, ES_ENDPOINT: 'http://127.0.0.1:9/api/enstratus/2015-05-25', DCM_RETRIES: '0' } });
    expect(down.code).toBe(6);
    expect(lines(down.stderr)).toHaveLength(1);
    const noKeys = await runBin('dcm-get', ['geography/Region'], { env: { PATH: box.env.PATH, HOME: box.home } });
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toMatch(/^dcm-get: ConfigError: missing DCM_ACCESS_KEY/);
    expect(lines(noKeys.stderr)).toHaveLength(1);
  });
});

describe('dcm-head', () => {
  it('prints x-es-count, the size of the collection', async () => {
    const r = await runBin('dcm-head', ['geography/Region'], { env: box.env });
    const json = JSON.parse((await runBin('dcm-get', ['geography/Region'], { env: box.env })).stdout);
    expect(r).toMatchObject({ code: 0, stdout: `${json.regions.length}\n` });
  });
});

describe('dcm-post / dcm-put / dcm-delete', () => {
  it('dcm-post sends a body from @file and prints the created object', async () => {
    const file = join(box.home, 'group.json');
    writeFileSync(file, JSON.stringify({ addGroup: { group: { name: 'from-file', description: 'made by dcm-post' } } }));
    const r = await runBin('dcm-post', ['admin/Group', '@group.json'], { env: box.env, cwd: box.home });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const created = JSON.parse(r.stdout).groups[0];
    expect(created).toMatchObject({ name: 'from-file', description: 'made by dcm-post' });
    const read = JSON.parse((await runBin('dcm-get', [`admin/Group/${created.groupId}`], { env: box.env })).stdout);
    expect(read.groups[0].name).toBe('from-file');
  });

  it('dcm-post reads the body from piped stdin when no BODY is given', async () => {
    const body = "{'addGroup': {'group': {'name': 'from-stdin', 'description': 'piped'}}}";
    const r = await runBin('dcm-post', ['admin/Group'], { env: box.env, input: body });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).groups[0].name).toBe('from-stdin');
  });

  it('dcm-post refuses a malformed body before sending, pointing at the problem', async () => {
    await box.emulator.clearLog();
    const r = await runBin('dcm-post', ['admin/Group', '{"addGroup" {"group": {"name": "x"}}}'], { env: box.env });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^dcm-post: ParamsError: .*column \d+$/);
    expect(r.stderr.split('\n')[2]).toMatch(/^ +\^$/);
    expect(await box.emulator.requestLog()).toEqual([]);
  });

  it('dcm-put sends a body given as an argument; 204 prints nothing', async () => {
    const r = await runBin('dcm-put', ['infrastructure/Server/331810', '{"describeServer": [{"description": "put by dcm-put"}]}', '--statuscode'], { env: box.env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('204\n');
    const read = JSON.parse((await runBin('dcm-get', ['infrastructure/Server/331810'], { env: box.env })).stdout);
    expect(read.servers[0].description).toBe('put by dcm-put');
  });

  it('dcm-delete deletes and a second delete is a 404', async () => {
    const created = JSON.parse((await runBin('dcm-post', ['admin/Group', '{"addGroup": {"group": {"name": "doomed", "description": "d"}}}'], { env: box.env })).stdout).groups[0];
    const first = await runBin('dcm-delete', [`admin/Group/${created.groupId}`], { env: box.env });
    expect(first.code).toBe(0);
    const again = await runBin('dcm-delete', [`admin/Group/${created.groupId}`], { env: box.env });
    expect(again.code).toBe(4);
    expect(lines(again.stderr)).toHaveLength(1);
  });
});
