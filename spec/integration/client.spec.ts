/**
 * The real client, synchronous and asynchronous paths, against the emulator in a worker thread
 * over loopback (the synchronous path blocks this thread, so the server must run elsewhere).
 * Request counts come from the emulator's own request log.
 */
import { clearIdentityMaps, configure, resetConfiguration, request, requestSync, Server, Region, DataCenter, Job, Endpoint, NotFoundError, ForbiddenError, AuthenticationError, NotLoadedError } from '../../lib/index.js';
import { useClientEmulator } from '../support/client-emulator.js';


async function apiRequests(): Promise<Array<{ method: string; resource: string; status: number }>> {
  return (await emu().requestLog()).map((e) => ({ method: e.method, resource: e.resource, status: e.status }));
}

const emu = useClientEmulator();

describe('synchronous lazy reads', () => {
  it('new Server(id) costs nothing; the first read is one GET, later reads none', async () => {
    const server = new Server(331810);
    expect(server.serverId).toBe(331810);
    expect(server.id).toBe(331810);
    expect(await apiRequests()).toEqual([]);
    expect(typeof server.name).toBe('string');
    void server.status;
    void server.providerProductId;
    void server.get('platform');
    expect(await apiRequests()).toEqual([{ method: 'GET', resource: 'infrastructure/Server/331810', status: 200 }]);
    expect(server.lastRequest).toMatchObject({ method: 'GET', statusCode: 200 });
    expect(server.lastRequest!.url).toBe(`${emu().url}/infrastructure/Server/331810`);
  });

  it('a reference is a lazy object of its class, loaded by its own first read', async () => {
    const server = new Server(331810);
    const region = server.region;
    expect(region).toBeInstanceOf(Region);
    expect(await apiRequests()).toHaveLength(1);
    expect(typeof region.name).toBe('string');
    const log = await apiRequests();
    expect(log).toHaveLength(2);
    expect(log[1]!.resource).toBe(`geography/Region/${region.regionId}`);
  });

  it('a missing object throws NotFoundError synchronously and records it', async () => {
    const ghost = new Server(999999);
    expect(() => ghost.name).toThrow(NotFoundError);
    expect(ghost.lastError).toBeInstanceOf(NotFoundError);
    expect(ghost.lastRequest).toMatchObject({ method: 'GET', statusCode: 404 });
    expect(await apiRequests()).toEqual([{ method: 'GET', resource: 'infrastructure/Server/999999', status: 404 }]);
  });

  it('requestSync answers a raw signed GET with the parsed envelope', () => {
    const response = requestSync('GET', 'geography/Region');
    expect(response.statusCode).toBe(200);
    expect(Array.isArray((response.data as { regions: unknown[] }).regions)).toBe(true);
  });

  it('strict mode refuses to block: NotLoadedError, and no request', async () => {
    configure({ lazy: 'async' });
    const server = new Server(331810);
    expect(() => server.name).toThrow(NotLoadedError);
    expect(await apiRequests()).toEqual([]);
    await server.load();
    expect(typeof server.name).toBe('string');
  });
});

describe('asynchronous API', () => {
  it('Server.get(id) resolves loaded; reading attributes afterwards costs nothing', async () => {
    const server = await Server.get(331810);
    expect(server.isLoaded).toBe(true);
    expect(server.toJSON()).toMatchObject({ serverId: 331810 });
    void server.name;
    void server.description;
    expect(await apiRequests()).toHaveLength(1);
  });

  it('Server.all() is one request whatever is read from its items', async () => {
    const servers = await Server.all();
    expect(servers.length).toBeGreaterThan(1);
    for (const s of servers) {
      expect(s.isLoaded).toBe(true);
      for (const key of Object.keys(s.toJSON())) void s.get(key);
      void s.name;
    }
    expect(await apiRequests()).toEqual([{ method: 'GET', resource: 'infrastructure/Server', status: 200 }]);
  });

  it('filters travel as query parameters and the emulator applies them', async () => {
    const all = await Server.all();
    const regionId = all[0]!.region.regionId;
    const filtered = await Server.all({ regionId });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((s) => s.region.regionId === regionId)).toBe(true);
    const log = await emu().requestLog();
    expect(log[1]!.query).toEqual({ regionId: String(regionId) });
  });

  it('a filter the API requires is asked for before any request', async () => {
    // @ts-expect-error the required filter is part of the type too
    await expect(DataCenter.all()).rejects.toThrow(/regionId/);
    expect(await apiRequests()).toEqual([]);
  });

  it('keysOnly lists identifiers only, from the same single request', async () => {
    const ids = await Job.all({ keysOnly: true });
    const jobs = await Job.all();
    expect(ids).toEqual(jobs.map((j) => j.jobId));
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(await apiRequests()).toHaveLength(2);
  });

  it('extended details embed more than basic', async () => {
    const basic = await Server.get(331810, { details: 'basic' });
    clearIdentityMaps();
    const extended = await Server.get(331810, { details: 'extended' });
    expect(Object.keys(extended.toJSON()).length).toBeGreaterThanOrEqual(Object.keys(basic.toJSON()).length);
    expect(JSON.stringify(extended.toJSON()).length).toBeGreaterThan(JSON.stringify(basic.toJSON()).length);
  });

  it('concurrent loads of one object share one request', async () => {
    const server = new Server(331810);
    await Promise.all([server.load(), server.load(), server.load()]);
    expect(await apiRequests()).toHaveLength(1);
  });

  it('Server.get rejects with NotFoundError for an unknown id', async () => {
    await expect(Server.get(424242)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('raw request(): HEAD answers the collection size in x-es-count', async () => {
    const listed = await Server.all();
    const head = await request('HEAD', 'infrastructure/Server');
    expect(Number(head.headers['x-es-count'])).toBe(listed.length);
  });
});

describe('authentication against an independent verifier', () => {
  it('a wrong secret is refused with a typed error naming the signature check', async () => {
    const endpoint = new Endpoint({ url: emu().url, accessKey: emu().accessKey, secretKey: 'not-the-secret' });
    const error = await Server.get(331810, { endpoint }).catch((e: unknown) => e);
    expect(error instanceof ForbiddenError || error instanceof AuthenticationError).toBe(true);
    expect((error as Error).message).toMatch(/signature/i);
    expect((error as Error).message).not.toContain('not-the-secret');
  });

  it('an unknown access key is refused naming the key check', async () => {
    const endpoint = new Endpoint({ url: emu().url, accessKey: 'NOSUCHKEY', secretKey: emu().secretKey });
    const error = await Region.all({ endpoint }).catch((e: unknown) => e);
    expect(error instanceof ForbiddenError || error instanceof AuthenticationError).toBe(true);
    expect((error as Error).message).toMatch(/access key/i);
  });

  it('objects remember their endpoint: a per-object endpoint overrides the configured one', async () => {
    resetConfiguration();
    configure({ endpoint: 'http://127.0.0.1:1/api/enstratus/2015-05-25', accessKey: 'x', secretKey: 'y', envFile: false, retry: { limit: 0 } });
    const endpoint = new Endpoint({ url: emu().url, accessKey: emu().accessKey, secretKey: emu().secretKey });
    const server = new Server(331810, { endpoint });
    expect(typeof server.name).toBe('string');
    expect(server.region.endpoint).toBe(endpoint);
  });
});
