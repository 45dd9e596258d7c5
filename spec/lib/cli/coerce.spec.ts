/**
 * Command-line values are converted by what the registry declares (attribute types, reference
 * targets and their identifier types, action parameter types), not by the spelling of a name.
 */
import { UsageError } from '../../../lib/errors.js';
import { findCliResource, type CliResource } from '../../../lib/cli/catalog.js';
import { attributeValue, idValue, optionValue, positionalValue } from '../../../lib/cli/commands/coerce.js';
import { loadResources } from '../../../lib/cli/load-resources.js';
import { fakeIO } from './fake-io.js';

const io = fakeIO();
const at = (what: string) => ({ command: 'dcm x y', what, io });

function resource(name: string): CliResource {
  const found = findCliResource(name);
  if (!found) throw new Error(`no resource ${name}`);
  return found;
}

beforeAll(async () => {
  await loadResources({ stderr: { write: () => true } });
});

describe('idValue: the one rule for identifiers', () => {
  it.each([
    ['42', 'number', 42],
    [' 42 ', 'number', 42],
    ['-3', 'number', -3],
    ['42', 'string', '42'],
    ['007', 'string', '007'],
    ['AKEY 1', 'string', 'AKEY 1'],
    ['42', undefined, 42],
    ['web-1', undefined, 'web-1'],
    ['9007199254740993', undefined, '9007199254740993'],
  ] as const)('%j as a %s identifier is %j', (text, idType, expected) => {
    expect(idValue(text, idType)).toEqual(expected);
  });

  it('refuses text where a numeric identifier is declared, naming the argument', () => {
    expect(() => idValue('web-1', 'number', { command: 'dcm server stop', what: '<serverId>' })).toThrow(new UsageError({ message: 'server stop: <serverId> must be a numeric identifier, got "web-1"' }));
  });
});

describe('attribute flags of a new object', () => {
  it('a reference takes its target\'s identifier type; many references a comma list', () => {
    const server = resource('server');
    expect(attributeValue(server, server.meta.attributes.get('dataCenter')!, '64351', at('--dataCenter'))).toBe(64351);
    expect(attributeValue(server, server.meta.attributes.get('firewalls')!, '1, 2', at('--firewalls'))).toEqual([1, 2]);
    // Text that is not an id is a name, which the action looks up before sending anything.
    expect(attributeValue(server, server.meta.attributes.get('dataCenter')!, 'us-west-2a', at('--dataCenter'))).toBe('us-west-2a');
  });

  it('a string attribute keeps digits as text; a number attribute must be a number', () => {
    const server = resource('server');
    expect(attributeValue(server, server.meta.attributes.get('providerProductId')!, '123', at('--providerProductId'))).toBe('123');
    expect(attributeValue(server, server.meta.attributes.get('budget')!, '10287', at('--budget'))).toBe(10287);
    expect(() => attributeValue(server, server.meta.attributes.get('budget')!, 'lots', at('--budget'))).toThrow(/--budget must be a number, got "lots"/);
  });
});

describe('action options and arguments', () => {
  it('an option named like an attribute takes its type: --deviceId stays text, --startPort is a number', () => {
    expect(optionValue(resource('volume'), 'deviceId', '123', at('--deviceId'))).toBe('123');
    expect(optionValue(resource('firewall-rule'), 'startPort', '22', at('--startPort'))).toBe(22);
  });

  it('an option named after a resource\'s identifier takes that identifier\'s type', () => {
    expect(optionValue(resource('server'), 'groupId', '9465', at('--groupId'))).toBe(9465);
  });

  it('an option of no declared type is kept as text (JSON is parsed)', () => {
    expect(optionValue(resource('server'), 'reason', '12345', at('--reason'))).toBe('12345');
    expect(optionValue(resource('server'), 'reason', '{"a": 1}', at('--reason'))).toEqual({ a: 1 });
  });

  it('a positional argument named after a resource takes its identifier type', () => {
    const volume = resource('volume');
    const attach = volume.actions.get('attach')!;
    expect(positionalValue(volume, attach.params[0], '331810', at('<server>'))).toBe(331810);
    const server = resource('server');
    const groups = server.actions.get('assign-groups')!;
    expect(positionalValue(server, groups.params[0], '1,2', at('<groups>'))).toEqual([1, 2]);
    expect(positionalValue(volume, attach.params[0], 'web-1', at('<server>'))).toBe('web-1');
  });
});
