/**
 * Certificate authorities and proxies against `dcm sim --tls` (its certificate made at start by
 * a CA of its own), on both paths: the async API in this thread, and synchronous lazy reads
 * through the worker.
 *
 * - Without `caFile` a read fails with a TlsError naming the certificate problem; with `caFile`
 *   (configure() or DCM_CA_BUNDLE) it succeeds; with ES_SSL_VERIFY=0 it succeeds unverified.
 * - With HTTPS_PROXY set, requests tunnel through a local CONNECT proxy that counts them; with
 *   NO_PROXY matching, they do not. Proxy credentials never show in an error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearIdentityMaps, configure, resetConfiguration, Region, Server, TlsError, NetworkError } from '../../lib/index.js';
import { startConnectProxy, startTlsSim, type ConnectProxy, type SimExports } from '../support/tls-sim.js';

let home: string;
let sim: Awaited<ReturnType<typeof startTlsSim>>;
let vars: SimExports;
let proxy: ConnectProxy;
let serverId: number;
const ENV_NAMES = ['DCM_CA_BUNDLE', 'ES_SSL_VERIFY', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'DCM_PROXY'];
const saved = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'mixcoatl-tls-'));
  [sim, proxy] = await Promise.all([startTlsSim(home), startConnectProxy()]);
  vars = sim.vars;
  configure({ endpoint: vars.ES_ENDPOINT, accessKey: vars.ES_ACCESS_KEY, secretKey: vars.ES_SECRET_KEY, caFile: vars.DCM_CA_BUNDLE, envFile: false, retry: { limit: 0 } });
  serverId = (await Server.all({ keysOnly: true }))[0]!;
  resetConfiguration();
}, 60_000);

afterAll(async () => {
  resetConfiguration();
  await Promise.all([sim?.stop(), proxy?.stop()]);
  rmSync(home, { recursive: true, force: true });
});

beforeEach(() => {
  for (const name of ENV_NAMES) delete process.env[name];
  configure({ endpoint: vars.ES_ENDPOINT, accessKey: vars.ES_ACCESS_KEY, secretKey: vars.ES_SECRET_KEY, envFile: false, retry: { limit: 0 } });
  clearIdentityMaps();
});

afterEach(() => {
  resetConfiguration();
  for (const name of ENV_NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** What a call threw (it must throw). */
async function caught(call: () => unknown): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call did not throw');
}

it('dcm sim --tls serves https:// and prints its CA file', () => {
  expect(vars.ES_ENDPOINT).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/enstratus\//);
  expect(vars.DCM_CA_BUNDLE).toMatch(/ca\.pem$/);
  expect(sim.stderr()).toContain(vars.DCM_CA_BUNDLE);
});

describe('certificate authorities', () => {
  it('without caFile, a read fails with a TlsError naming the certificate problem, on both paths', async () => {
    const asyncError = await caught(() => Region.all());
    const syncError = await caught(() => new Server(serverId).name);
    for (const error of [asyncError, syncError]) {
      expect(error).toBeInstanceOf(TlsError);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as TlsError).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      expect(error.message).toMatch(/unable to verify the first certificate \[UNABLE_TO_VERIFY_LEAF_SIGNATURE: the server's TLS certificate could not be verified; set caFile \(DCM_CA_BUNDLE\)/);
    }
  });

  it('with configure({ caFile }), reads succeed on both paths', async () => {
    configure({ caFile: vars.DCM_CA_BUNDLE });
    expect((await Region.all()).length).toBeGreaterThan(0);
    expect(typeof new Server(serverId).name).toBe('string');
  });

  it('with DCM_CA_BUNDLE in the environment, reads succeed on both paths', async () => {
    process.env.DCM_CA_BUNDLE = vars.DCM_CA_BUNDLE;
    expect((await Region.all()).length).toBeGreaterThan(0);
    expect(typeof new Server(serverId).name).toBe('string');
  });

  it('with ES_SSL_VERIFY=0, reads succeed unverified on both paths', async () => {
    process.env.ES_SSL_VERIFY = '0';
    expect((await Region.all()).length).toBeGreaterThan(0);
    expect(typeof new Server(serverId).name).toBe('string');
  });

  it('a caFile that cannot be read is a ConfigError naming the file and where it was set', async () => {
    configure({ caFile: join(home, 'missing.pem') });
    await expect(Region.all()).rejects.toThrow(/the CA bundle .*missing\.pem \(configure\(\{ caFile \}\)\) cannot be read: ENOENT/);
  });
});

describe('proxies', () => {
  const origin = (): string => new URL(vars.ES_ENDPOINT).host;

  it('with HTTPS_PROXY set, async and synchronous requests tunnel through the proxy', async () => {
    configure({ caFile: vars.DCM_CA_BUNDLE });
    process.env.HTTPS_PROXY = proxy.url;
    await proxy.clear();
    expect((await Region.all()).length).toBeGreaterThan(0);
    expect(await proxy.tunnels()).toEqual({ count: 1, targets: [origin()] });
    // The worker has connections of its own: its read opens a second tunnel.
    expect(typeof new Server(serverId).name).toBe('string');
    expect(await proxy.tunnels()).toEqual({ count: 2, targets: [origin(), origin()] });
  });

  it('with NO_PROXY matching the host, neither path uses the proxy', async () => {
    configure({ caFile: vars.DCM_CA_BUNDLE });
    process.env.https_proxy = proxy.url;
    process.env.NO_PROXY = 'example.com, 127.0.0.1';
    await proxy.clear();
    expect((await Region.all()).length).toBeGreaterThan(0);
    expect(typeof new Server(serverId).name).toBe('string');
    expect((await proxy.tunnels()).count).toBe(0);
  });

  it('the proxy setting wins over HTTPS_PROXY, and its credentials never show in an error', async () => {
    const guarded = await startConnectProxy('spec-user:proxy-pass-8d1e2f');
    try {
      process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
      configure({ caFile: vars.DCM_CA_BUNDLE, proxy: `http://spec-user:wrong-pass-77c3a1@${new URL(guarded.url).host}` });
      const asyncError = await caught(() => Region.all());
      const syncError = await caught(() => new Server(serverId).name);
      for (const error of [asyncError, syncError]) {
        expect(error).toBeInstanceOf(NetworkError);
        expect(error.message).toMatch(/Bad response: 407 \(through the proxy http:\/\/\[credentials\]@127\.0\.0\.1:\d+\)/);
        const shown = JSON.stringify({ message: error.message, stack: error.stack, json: error, request: (error as NetworkError).request });
        expect(shown).not.toContain('wrong-pass-77c3a1');
        expect(shown).not.toContain('spec-user');
      }
      configure({ proxy: `http://spec-user:proxy-pass-8d1e2f@${new URL(guarded.url).host}` });
      expect((await Region.all()).length).toBeGreaterThan(0);
      expect((await guarded.tunnels()).count).toBe(1);
    } finally {
      await guarded.stop();
    }
  });
});
