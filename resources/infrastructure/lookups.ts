/**
 * One-line answers to the questions people ask most, by name: the servers of a cloud, region or
 * data center; a server by its name or provider id; the images of a region by platform and name.
 * Each costs one listing per type it involves, never one request per object.
 */
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { exactlyOne, findAll, type FindOptions } from '../../lib/orm/finder.js';
import { namedAmong, noMatch } from '../../lib/orm/lookups.js';
import { metaOf } from '../../lib/orm/registry.js';
import type { Id } from '../../lib/orm/state.js';
import { Cloud } from '../geography/cloud.js';
import { DataCenter } from '../geography/data-center.js';
import { Region } from '../geography/region.js';
import { MachineImage } from './machine-image.js';
import { Server } from './server.js';

/** Where servers run: a cloud, a region and/or a data center, each by id, name or provider id. */
export interface Place {
  cloud?: Id | Cloud;
  region?: Id | Region;
  dataCenter?: Id | DataCenter;
}

const PLACE_KEYS = ['cloud', 'region', 'dataCenter'] as const;

function checkPlace(place: unknown): asserts place is Place {
  if (place === null || typeof place !== 'object' || Array.isArray(place)) {
    throw new ValidationError({ message: "serversIn() takes a place such as { region: 'us-west-2' }, { cloud: 'Amazon Web Services' } or { dataCenter: 'us-west-2a' }" });
  }
  const keys = Object.keys(place).filter((k) => (place as Record<string, unknown>)[k] !== undefined);
  const unknown = keys.filter((k) => !(PLACE_KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new ValidationError({ message: `serversIn(): unknown place key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; use cloud, region and/or dataCenter` });
  if (!keys.length) throw new ValidationError({ message: 'serversIn() needs a cloud, region or dataCenter' });
}

/**
 * The servers of a cloud, region or data center given by id, name or provider id:
 * `await serversIn({ region: 'us-west-2' })`, `serversIn({ dataCenter: 'us-west-2a' })`.
 * A data center given by name without its region is found in the region whose provider id
 * starts its name (`us-west-2a` in `us-west-2`), as cloud providers name them. A region is also
 * found by its name without the parenthesised part (`'Oregon'` for `'Oregon (us-west-2)'`).
 * Names find live objects only; one that matches nothing is a NotFoundError naming the nearest.
 */
export async function serversIn(place: Place, options: FindOptions = {}): Promise<Server[]> {
  checkPlace(place);
  const query: Record<string, unknown> = {};
  if (place.cloud !== undefined) query.cloud = place.cloud;
  if (place.region !== undefined) query.region = place.region;
  const dc = place.dataCenter;
  if (typeof dc === 'string' && !/^\d+$/.test(dc) && place.region === undefined) {
    const regions = (await Region.all({ endpoint: options.endpoint, details: options.details })).filter((r) => {
      const providerId = r.toJSON().providerId;
      return typeof providerId === 'string' && providerId !== '' && dc.startsWith(providerId);
    });
    if (regions.length === 0) {
      throw new NotFoundError({
        code: 'ENOTFOUND',
        message: `serversIn(): no data center "${dc}": a data center given without its region is found in the region whose provider id begins its name (us-west-2a in us-west-2), and no region's provider id begins "${dc}"; give { region, dataCenter }, or its id`,
      });
    }
    if (regions.length > 1) {
      throw new ValidationError({ message: `serversIn(): the data center "${dc}" could be in ${regions.map((r) => r.toJSON().providerId).join(' or ')}; give { region, dataCenter }, or its id` });
    }
    query.regionId = regions[0].id;
  }
  if (dc !== undefined) query.dataCenter = dc;
  return findAll<Server>(Server, query, options, 'serversIn()');
}

/**
 * The server named `nameOrProviderId` (its name, or the cloud's id such as `i-0c67a03e`), from one
 * listing (narrowed to a region when given), among live servers (not terminated). NotFoundError
 * for none, suggesting the nearest name; AmbiguousError listing the candidates for several.
 */
export async function findServer(nameOrProviderId: string, options: FindOptions & { regionId?: number } = {}): Promise<Server> {
  if (typeof nameOrProviderId !== 'string' || nameOrProviderId === '') throw new ValidationError({ message: 'findServer() takes a server name or provider id (a non-empty string)' });
  const { regionId, ...find } = options;
  const servers = await Server.all({ ...find, ...(regionId === undefined ? {} : { regionId }) });
  const named = namedAmong(servers, nameOrProviderId);
  if (!named.length) throw noMatch('findServer()', metaOf(Server), nameOrProviderId, servers);
  return exactlyOne(Server, named, `name or providerId = ${JSON.stringify(nameOrProviderId)}`);
}

/** What `searchImages()` looks for; every key is optional. */
export interface ImageSearch {
  /** The region, by id, name or provider id. */
  region?: Id | Region;
  /** The platform, case-insensitive: `ubuntu`, `RHEL`, `windows`. */
  platform?: string;
  /** A RegExp, or text the name contains (case-insensitive). */
  name?: string | RegExp;
  /** Active images only (the API's default), or inactive ones with `false`. */
  active?: boolean;
  /** Images with the agent installed. */
  registered?: boolean;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The images of a region by platform and name pattern, from one listing of images (plus one of
 * regions when the region is given by name): `await searchImages({ region: 'us-west-2',
 * platform: 'ubuntu', name: '12.04' })`.
 */
export async function searchImages(search: ImageSearch = {}, options: FindOptions = {}): Promise<MachineImage[]> {
  if (search === null || typeof search !== 'object') throw new ValidationError({ message: 'searchImages() takes { region, platform, name, active, registered }' });
  const unknown = Object.keys(search).filter((k) => !['region', 'platform', 'name', 'active', 'registered'].includes(k));
  if (unknown.length) throw new ValidationError({ message: `searchImages(): unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; use region, platform, name, active, registered` });
  const query: Record<string, unknown> = {};
  if (search.region !== undefined) query.region = search.region;
  if (search.active !== undefined) query.active = search.active;
  if (search.registered !== undefined) query.registered = search.registered;
  if (search.platform !== undefined) query.platform = new RegExp(`^${escape(String(search.platform))}$`, 'i');
  if (search.name !== undefined) query.name = search.name instanceof RegExp ? search.name : new RegExp(escape(String(search.name)), 'i');
  return findAll<MachineImage>(MachineImage, query, options, 'searchImages()');
}
