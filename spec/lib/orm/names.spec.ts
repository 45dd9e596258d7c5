/**
 * The one rule of names (lib/orm/lookups.ts): only live objects answer to a name; a region also
 * answers to its name without the parenthesised provider id; digits are an id first, then a name;
 * and a name that matches nothing is told the nearest names.
 */
import { clearIdentityMaps, Region, Server } from '../../../lib/index.js';
import { digitsAmong, isLive, namedAmong, nearestNames, noMatch } from '../../../lib/orm/lookups.js';
import { metaOf } from '../../../lib/orm/registry.js';

afterEach(() => clearIdentityMaps());

const server = (serverId: number, name: string, status: string, providerId = `i-${serverId}`): Server => Server.fromItem({ serverId, name, status, providerId });

describe('isLive', () => {
  it('is false for TERMINATED and DELETED only', () => {
    expect(['RUNNING', 'STOPPED', 'PAUSED', 'ERROR', 'PENDING', 'ACTIVE'].map((status) => isLive({ status }))).toEqual([true, true, true, true, true, true]);
    expect(isLive({})).toBe(true);
    expect([isLive({ status: 'TERMINATED' }), isLive({ status: 'DELETED' })]).toEqual([false, false]);
  });
});

describe('namedAmong', () => {
  it('finds live objects by name or provider id, never a terminated one', () => {
    const old = server(1, 'web-1', 'TERMINATED');
    const live = server(2, 'web-1', 'RUNNING');
    expect(namedAmong([old, live], 'web-1')).toEqual([live]);
    expect(namedAmong([old, live], 'i-2')).toEqual([live]);
    expect(namedAmong([old], 'web-1')).toEqual([]);
    expect(namedAmong([old, live], /^web/)).toEqual([live]);
  });

  it('a region by its name without the parenthesised provider id, where that is unique', () => {
    const oregon = Region.fromItem({ regionId: 19344, name: 'Oregon (us-west-2)', providerId: 'us-west-2' });
    const california = Region.fromItem({ regionId: 19345, name: 'N. California (us-west-1)', providerId: 'us-west-1' });
    expect(namedAmong([oregon, california], 'Oregon')).toEqual([oregon]);
    expect(namedAmong([oregon, california], 'us-west-1')).toEqual([california]);
    expect(namedAmong([oregon, california], 'Oregon (us-west-2)')).toEqual([oregon]);
    const twin = Region.fromItem({ regionId: 19346, name: 'Oregon (us-west-9)', providerId: 'us-west-9' });
    expect(namedAmong([oregon, twin], 'Oregon')).toEqual([oregon, twin]);
  });

  it('parentheses that hold something other than the provider id are part of the name', () => {
    expect(namedAmong([server(3, 'db (replica)', 'RUNNING')], 'db')).toEqual([]);
  });
});

describe('digitsAmong', () => {
  it('the object with that id (whatever its status), and the other live objects named so', () => {
    const gone = server(12345, 'old', 'TERMINATED');
    const named = server(7, '12345', 'RUNNING');
    const namedGone = server(8, '12345', 'TERMINATED');
    expect(digitsAmong([gone, named, namedGone], '12345')).toEqual({ byId: gone, named: [named] });
    expect(digitsAmong([named], '12345')).toEqual({ byId: undefined, named: [named] });
    const self = server(12346, '12346', 'RUNNING');
    expect(digitsAmong([self], '12346')).toEqual({ byId: self, named: [] });
  });
});

describe('a name that matches nothing', () => {
  it('is told the nearest live name, or a few of them', () => {
    const list = [server(1, 'jdsAD2', 'RUNNING'), server(2, 'jdsAD9', 'TERMINATED'), server(3, 'web', 'RUNNING')];
    expect(nearestNames(list, 'jdsAD3')).toBe(' (did you mean "jdsAD2"?)');
    expect(nearestNames(list, 'zzzzzzzzzz')).toBe(' (known: "jdsAD2", "web")');
    expect(nearestNames(list, { email: 'x' })).toBe('');
    const error = noMatch('Volume.find(): server', metaOf(Server), 'jdsAD3', list);
    expect([error.name, error.code, error.statusCode, error.message]).toEqual(['NotFoundError', 'ENOTFOUND', undefined, 'Volume.find(): server: no Server "jdsAD3" (did you mean "jdsAD2"?)']);
  });
});
