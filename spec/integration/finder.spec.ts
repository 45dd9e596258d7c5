/**
 * Finding things by what users know, against the emulator over loopback: every returned object
 * matches every key, and a lookup costs one list per type involved (counted in the emulator's
 * request log), never one request per item.
 */
import { AmbiguousError, clearIdentityMaps, NotFoundError, Server, Volume, MachineImage, DataCenter, ValidationError, serversIn, findServer, searchImages } from '../../lib/index.js';
import { useClientEmulator } from '../support/client-emulator.js';


async function apiRequests(): Promise<Array<{ method: string; resource: string; query: Record<string, string> }>> {
  return (await emu().requestLog()).map((e) => ({ method: e.method, resource: e.resource, query: e.query }));
}

const emu = useClientEmulator();

describe('X.find(query)', () => {
  it('a declared filter goes to the server: one request with the filter in the query', async () => {
    const found = await Server.find({ regionId: 19344 });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((s) => s.region.regionId === 19344)).toBe(true);
    expect(await apiRequests()).toEqual([{ method: 'GET', resource: 'infrastructure/Server', query: { regionId: '19344' } }]);
  });

  it('a key the API cannot filter on is applied to the one listing, and every result matches', async () => {
    const paused = await Server.find({ status: 'PAUSED' });
    expect(paused.map((s) => s.status)).toEqual(['PAUSED', 'PAUSED', 'PAUSED', 'PAUSED']);
    const pattern = await Server.find({ name: /^jds/, status: (status) => status === 'RUNNING' });
    expect(pattern.map((s) => s.name).sort()).toEqual(['jds-rhel6-3', 'jdsAD2', 'jdsRHEL6-Hobbit2']);
    expect((await apiRequests()).map((r) => r.resource)).toEqual(['infrastructure/Server', 'infrastructure/Server']);
  });

  it('the issue\'s case: the volumes of one server, by id or by the server\'s name', async () => {
    const byId = await Volume.find({ server: 331810 });
    expect(byId.map((v) => v.volumeId)).toEqual([215683]);
    clearIdentityMaps();
    await emu().reset();
    const byName = await Volume.find({ server: 'Sample-Tier-independent-node-0' });
    expect(byName.map((v) => v.volumeId)).toEqual([215683]);
    // One list of servers to learn the name's id, one list of volumes: never one per volume.
    expect((await apiRequests()).map((r) => r.resource)).toEqual(['infrastructure/Server', 'infrastructure/Volume']);
  });

  it('a reference by name or provider id becomes a server-side filter once it names one object', async () => {
    const byProviderId = await Server.find({ region: 'us-west-2' });
    const byName = await Server.find({ region: 'Oregon (us-west-2)' });
    expect(byProviderId.length).toBeGreaterThan(0);
    expect(byName.map((s) => s.id)).toEqual(byProviderId.map((s) => s.id));
    expect(byProviderId.every((s) => s.region.regionId === 19344)).toBe(true);
    const log = await apiRequests();
    expect(log).toEqual([
      { method: 'GET', resource: 'geography/Region', query: {} },
      { method: 'GET', resource: 'infrastructure/Server', query: { regionId: '19344' } },
      { method: 'GET', resource: 'geography/Region', query: {} },
      { method: 'GET', resource: 'infrastructure/Server', query: { regionId: '19344' } },
    ]);
  });

  it('a name that matches nothing is a NotFoundError suggesting the nearest name, without listing the searched type', async () => {
    const error = await Server.find({ region: 'us-west-9' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toBe('Server.find(): region: no Region "us-west-9" (did you mean "us-west-1"?)');
    expect((await apiRequests()).map((r) => r.resource)).toEqual(['geography/Region']);
  });

  it('a pattern that matches nothing is an empty answer', async () => {
    expect(await Server.find({ region: /^atlantis/ })).toEqual([]);
  });

  it('a region by its name without the parenthesised part, where that is unique', async () => {
    const oregon = await serversIn({ region: 'Oregon' });
    expect(oregon.length).toBeGreaterThan(0);
    expect(oregon.map((s) => s.serverId)).toEqual((await serversIn({ region: 'us-west-2' })).map((s) => s.serverId));
    expect(oregon.every((s) => s.region.regionId === 19344)).toBe(true);
  });

  it('serversIn(), Server.find() and findServer() name what matched nothing', async () => {
    await expect(serversIn({ region: 'us-west-9' })).rejects.toThrow(new NotFoundError({ message: 'serversIn(): region: no Region "us-west-9" (did you mean "us-west-1"?)' }));
    await expect(serversIn({ dataCenter: 'us-west-2z' })).rejects.toThrow(/^serversIn\(\): dataCenter: no DataCenter "us-west-2z" \(did you mean "us-west-2a"\?\)$/);
    await expect(serversIn({ dataCenter: 'nope' })).rejects.toThrow(NotFoundError);
    await expect(serversIn({ dataCenter: 'nope' })).rejects.toThrow(/no data center "nope": a data center given without its region is found in the region whose provider id begins its name/);
    await expect(findServer('jdsAD3')).rejects.toThrow(/^findServer\(\): no Server "jdsAD3" \(did you mean "jdsAD2"\?\)$/);
  });

  it('a misspelt key is refused before any request, with the nearest attribute', async () => {
    // @ts-expect-error a misspelt key does not compile
    await expect(Server.find({ nmae: 'x' })).rejects.toThrow(/Server has no attribute or filter "nmae" \(did you mean name\?\)/);
    expect(await apiRequests()).toEqual([]);
  });

  it('a name whose type needs a filter to be listed asks for it instead of listing per region', async () => {
    await expect(Volume.find({ dataCenter: 'us-west-2a' })).rejects.toThrow(ValidationError);
    expect(await apiRequests()).toEqual([]);
    const found = await DataCenter.find({ regionId: 19344, name: 'us-west-2a' });
    expect(found.map((d) => d.providerId)).toEqual(['us-west-2a']);
  });

  it('images of a region by platform and a name pattern: one list of images', async () => {
    const images = await MachineImage.find({ regionId: 19344, platform: 'UBUNTU', name: /ubuntu/i });
    expect(images.map((i) => i.name).sort()).toEqual(['dcm-ubuntu1204-amd64-us-west-2', 'deployment_image_Ubuntu12.04_121207c_debug']);
    expect(await apiRequests()).toEqual([{ method: 'GET', resource: 'infrastructure/MachineImage', query: { regionId: '19344' } }]);
  });
});

describe('X.findOne(query)', () => {
  it('one match is the object, loaded', async () => {
    const server = await Server.findOne({ name: 'jdsAD2' });
    expect(server.serverId).toBe(329613);
    expect(server.isLoaded).toBe(true);
    expect(await apiRequests()).toHaveLength(1);
  });

  it('none is NotFoundError naming the query, and by name the nearest names', async () => {
    await expect(Server.findOne({ name: 'jdsAD3' })).rejects.toThrow(new NotFoundError({ message: 'no Server matches name = "jdsAD3" (did you mean "jdsAD2"?)' }));
    await expect(Server.findOne({ name: 'web-404' })).rejects.toThrow(/^no Server matches name = "web-404" \(known: "/);
    await expect(Server.findOne({ status: 'EXPLODED' })).rejects.toThrow(new NotFoundError({ message: 'no Server matches status = "EXPLODED"' }));
  });

  it('several is AmbiguousError listing each candidate\'s id and name', async () => {
    const error = await Server.findOne({ status: 'PAUSED' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousError);
    const ambiguous = error as AmbiguousError;
    expect(ambiguous.candidates).toHaveLength(4);
    expect(ambiguous.candidates).toContainEqual({ id: 322765, name: 'skang-debug-script-dev' });
    expect(ambiguous.message).toMatch(/^4 Server objects match status = "PAUSED": .*322765 \(skang-debug-script-dev\)/);
  });
});

describe('X.count(filters)', () => {
  it('is one HEAD request answered by x-es-count, with the filters checked and sent', async () => {
    expect(await Server.count()).toBe(13);
    expect(await Volume.count({ regionId: 19344 })).toBe((await Volume.find({ regionId: 19344 })).length);
    expect((await apiRequests()).map((r) => `${r.method} ${r.resource}`)).toEqual(['HEAD infrastructure/Server', 'HEAD infrastructure/Volume', 'GET infrastructure/Volume']);
    // @ts-expect-error the required filter is part of the type
    await expect(DataCenter.count()).rejects.toThrow(/requires the filter regionId/);
  });
});

describe('convenience lookups', () => {
  it('serversIn: the servers of a region, a cloud or a data center given by name', async () => {
    const inRegion = await serversIn({ region: 'us-west-2' });
    expect(inRegion.length).toBeGreaterThan(0);
    expect(inRegion.every((s) => s.region.regionId === 19344)).toBe(true);
    const inCloud = await serversIn({ cloud: 'Amazon Web Services' });
    expect(inCloud.length).toBe(13);
    const inDataCenter = await serversIn({ dataCenter: 'us-west-2a' });
    const dataCenterId = (await DataCenter.findOne({ regionId: 19344, name: 'us-west-2a' })).dataCenterId;
    expect(inDataCenter.length).toBeGreaterThan(0);
    expect(inDataCenter.every((s) => s.dataCenter.dataCenterId === dataCenterId)).toBe(true);
    await expect(serversIn({ galaxy: 'x' } as never)).rejects.toThrow(/unknown place key galaxy/);
  });

  it('serversIn({ dataCenter }) lists regions, data centers and servers once each', async () => {
    await serversIn({ dataCenter: 'us-west-2a' });
    expect((await apiRequests()).map((r) => r.resource)).toEqual(['geography/Region', 'geography/DataCenter', 'infrastructure/Server']);
  });

  it('findServer: by name or by provider id, from one listing', async () => {
    expect((await findServer('jdsAD2')).serverId).toBe(329613);
    expect((await findServer('i-0c67a03e')).serverId).toBe(331810);
    await expect(findServer('nope')).rejects.toBeInstanceOf(NotFoundError);
    expect((await apiRequests()).map((r) => r.resource)).toEqual(['infrastructure/Server', 'infrastructure/Server', 'infrastructure/Server']);
  });

  it('searchImages: a region by name, a platform in any case, a name fragment', async () => {
    const images = await searchImages({ region: 'us-west-2', platform: 'ubuntu', name: 'ubuntu1204' });
    expect(images.map((i) => i.name)).toEqual(['dcm-ubuntu1204-amd64-us-west-2']);
    expect(await apiRequests()).toEqual([
      { method: 'GET', resource: 'geography/Region', query: {} },
      { method: 'GET', resource: 'infrastructure/MachineImage', query: { regionId: '19344' } },
    ]);
  });
});

describe('what the original tools looked up by name', () => {
  it('a reference by a query over the referenced object (owner by e-mail): one list of users', async () => {
    const owned = await Server.find({ owningUser: { email: 'sean.kang@enstratus.com' } });
    expect(owned).toHaveLength(12);
    expect(await Server.find({ owningUser: { email: 'bob.smith@domain.com' } })).toEqual([]);
    await expect(Server.find({ owningUser: { email: 'nobody@example.com' } })).rejects.toThrow(/^Server\.find\(\): owningUser: no User \{ email: "nobody@example\.com" \}/);
    // A user who owns nothing still costs the listing; an e-mail nobody has stops at the users.
    expect((await apiRequests()).map((r) => r.resource)).toEqual(['admin/User', 'infrastructure/Server', 'admin/User', 'infrastructure/Server', 'admin/User']);
  });

  it('an id attribute by the name of what it identifies (budget by billing-code name)', async () => {
    expect(await Server.find({ budget: 'Default' as unknown as number })).toHaveLength(13);
    expect(await Server.find({ budget: 'Research' as unknown as number })).toEqual([]);
    expect(await Server.find({ owningGroups: 'Admin' })).toHaveLength(9);
  });

  it('an id filter given a provider id is looked up, then sent (data centers of us-east-1)', async () => {
    const centers = await DataCenter.find({ regionId: 'us-east-1' as unknown as number });
    expect(centers.map((d) => d.providerId)).toEqual(['us-east-1b', 'us-east-1c', 'us-east-1d']);
    expect(await apiRequests()).toEqual([
      { method: 'GET', resource: 'geography/Region', query: {} },
      { method: 'GET', resource: 'geography/DataCenter', query: { regionId: '19343' } },
    ]);
    const byReference = await DataCenter.find({ region: 'us-east-1' });
    expect(byReference.map((d) => d.providerId)).toEqual(['us-east-1b', 'us-east-1c', 'us-east-1d']);
  });
});
