/**
 * A secret key that stands in a request's URL — in a path (`infrastructure/Volume/<secret>`), as a
 * query value or as a query member name — is replaced in every spelling (plain, percent-encoded,
 * form-encoded, JSON-escaped) wherever the URL is shown: the DCM_DEBUG request line (of a built
 * executable, in a child process), `lastRequest.url` and `request().request.url`, error messages
 * and their request summaries, `BudgetExceededError`, and the `request` event. Against the
 * emulator, with a long key and a short one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { clearIdentityMaps, configure, offline, on, request, requestSync, resetConfiguration, Server, type RequestEvent } from '../../lib/index.js';
import { spawnEmulator, startEmulatorInWorker, type EmulatorHandle } from '../../lib/emulator/index.js';
import { requireBuild, runBin } from '../cli/run-bin.js';
import { failure } from './support.js';

const ACCESS = 'URLACCESS';
const SECRETS: Array<[string, string]> = [
  ['long', 'url-secret/Kq8+Zr3=Wm5'],
  ['short', 'k+Q/9'],
];

/** Every spelling of the secret a URL or a message could carry it in. */
function spellings(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1), encodeURI(secret)])];
}

function leaks(text: string, secret: string): string[] {
  return spellings(secret).filter((spelling) => text.includes(spelling));
}

function errorText(error: unknown): string {
  const e = error as Error & { toJSON?: () => unknown };
  return [e.message, e.stack ?? '', inspect(e, { showHidden: true, depth: 8 }), JSON.stringify(e), JSON.stringify(e.toJSON?.())].join('\n');
}

describe.each(SECRETS)('a %s secret key in the URL', (_kind, secret) => {
  let emu: EmulatorHandle;
  const debug: string[] = [];
  const events: RequestEvent[] = [];
  let stop: () => void = () => undefined;
  beforeAll(async () => {
    emu = await startEmulatorInWorker({ keys: [{ accessKey: ACCESS, secretKey: secret }] });
  });
  afterAll(async () => {
    await emu?.close();
  });
  beforeEach(() => {
    configure({ endpoint: emu.url, accessKey: ACCESS, secretKey: secret, envFile: false, retry: { limit: 0 }, debug: (line: string) => debug.push(line) });
    clearIdentityMaps();
    debug.length = 0;
    events.length = 0;
    stop = on('request', (e) => events.push(e));
  });
  afterEach(() => {
    stop();
    resetConfiguration();
  });

  /** Everything shown of the requests of a test: debug lines and events. */
  const shown = (): string => [...debug, JSON.stringify(events)].join('\n');

  it('in a path: not in the debug line, the record, the error or the event', async () => {
    const error = await failure(request('GET', `infrastructure/Volume/${secret}`));
    expect((error as { statusCode?: number }).statusCode).toBe(404);
    let syncError: unknown;
    try {
      requestSync('GET', `infrastructure/Volume/${secret}`);
    } catch (e) {
      syncError = e;
    }
    expect(syncError).toBeDefined();
    expect(debug).toHaveLength(2);
    expect(debug[0]).toContain('infrastructure/Volume/[redacted]');
    expect(events.map((e) => e.path)).toEqual(['infrastructure/Volume/[redacted]', 'infrastructure/Volume/[redacted]']);
    expect(leaks([shown(), errorText(error), errorText(syncError)].join('\n'), secret)).toEqual([]);
  });

  it('as a query value and a member name: not in the record, lastRequest, the debug line or the event', async () => {
    const answer = await request('GET', 'infrastructure/Server', { query: { regionId: 19344, [secret]: secret } });
    expect(answer.statusCode).toBe(200);
    const servers = await Server.all({ regionId: 19344, rawQuery: { [secret]: secret } });
    expect(servers.length).toBeGreaterThan(0);
    const sync = requestSync('GET', 'infrastructure/Server', { query: { note: `key ${secret}` } });
    expect(answer.request.url).toContain('[redacted]');
    expect(servers[0].lastRequest?.url).toContain('[redacted]');
    expect(debug).toHaveLength(3);
    expect(leaks([shown(), JSON.stringify(answer.request), JSON.stringify(servers[0].lastRequest), JSON.stringify(sync.request)].join('\n'), secret)).toEqual([]);
  });

  it('a BudgetExceededError names the path without the secret', () => {
    let refused: unknown;
    offline(() => {
      try {
        requestSync('GET', `infrastructure/Volume/${secret}`);
      } catch (e) {
        refused = e;
      }
    });
    expect((refused as Error).message).toContain('infrastructure/Volume/[redacted]');
    expect(leaks(errorText(refused) + JSON.stringify((refused as { trigger: string }).trigger), secret)).toEqual([]);
  });
});

describe('the DCM_DEBUG line of a built executable', () => {
  const [, secret] = SECRETS[0];
  let emu: EmulatorHandle;
  let home: string;
  beforeAll(async () => {
    requireBuild();
    home = mkdtempSync(join(tmpdir(), 'mixcoatl-url-secret-'));
    emu = await spawnEmulator({ keys: [{ accessKey: ACCESS, secretKey: secret }] });
  });
  afterAll(async () => {
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it.each([
    ['a path', [`infrastructure/Volume/${secret}`]],
    ['a query value and member name', [`infrastructure/Server?note=${encodeURIComponent(secret)}`, JSON.stringify({ [secret]: secret, regionId: 19344 })]],
  ])('holds no spelling of a secret in %s', async (_what, args) => {
    const env = { PATH: process.env.PATH, HOME: home, ES_ENDPOINT: emu.url, ES_ACCESS_KEY: ACCESS, ES_SECRET_KEY: secret, DCM_DEBUG: '1' };
    const run = await runBin('dcm-get', args, { env });
    const output = `${run.stdout}\n${run.stderr}`;
    // The request line was printed, with the mark where the secret stood.
    expect(run.stderr).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/enstratus\/2015-05-25\/infrastructure\/\S*\[redacted\]/);
    expect(leaks(output, secret)).toEqual([]);
  });
});
