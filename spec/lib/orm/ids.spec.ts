/**
 * One identifier rule per identifier type, checked over every registered resource class: the
 * constructor, `referenceTo()` (action arguments, reference attributes) and `idsIn()` (dirty
 * tracking, create payloads) all apply the rule of the class's `idType`.
 */
import { allResources, clearIdentityMaps, Group, Server, ValidationError, type ResourceMeta } from '../../../lib/index.js';
import { idFromText, idsIn, Lookup, parseId, referenceTo, referencesTo, toId } from '../../../lib/orm/ids.js';

const WITH_ID = allResources().filter((m): m is ResourceMeta & { idKey: string } => m.idKey !== undefined);
const NUMERIC = WITH_ID.filter((m) => m.idType === 'number');
const TEXTUAL = WITH_ID.filter((m) => m.idType === 'string');

beforeEach(() => clearIdentityMaps());

it('every class with an identifier has a numeric or string one, and both kinds exist', () => {
  expect(WITH_ID.length + allResources().filter((m) => m.flat).length).toBe(allResources().length);
  expect(NUMERIC.length).toBeGreaterThan(25);
  expect(TEXTUAL.map((m) => m.name).sort()).toEqual(['ApiKey', 'Environment', 'Personality', 'Script']);
});

describe.each(NUMERIC.map((m) => [m.name, m] as const))('%s (numeric identifier)', (_name, meta) => {
  it('takes an integer or its decimal text, and refuses anything else by name', () => {
    expect(new meta.cls(42).id).toBe(42);
    expect(new meta.cls('42').id).toBe(42);
    expect(toId(meta, ' 7 ')).toBe(7);
    for (const bad of ['abc', '4.5', 4.5, '', true, {}, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => toId(meta, bad)).toThrow(ValidationError);
      expect(() => toId(meta, bad)).toThrow(`${meta.name} id must be an integer, got ${JSON.stringify(bad)}`);
    }
  });

  it('sends a reference as { idKey: integer } from an id, its text, an object or a plain reference', () => {
    const wire = { [meta.idKey]: 42 };
    expect(referenceTo(meta, 42, 'x')).toEqual(wire);
    expect(referenceTo(meta, '42', 'x', 'id')).toEqual(wire);
    expect(referenceTo(meta, new meta.cls(42), 'x')).toEqual(wire);
    expect(referenceTo(meta, { [meta.idKey]: '42', name: 'kept' }, 'x')).toEqual({ ...wire, name: 'kept' });
    expect(referencesTo(meta, ['42', 43], 'x', 'id')).toEqual([wire, { [meta.idKey]: 43 }]);
    // An action's argument of digits as text: the id first, then a name, settled by the action.
    const digits = referenceTo(meta, ' 42 ', 'the argument');
    expect(digits).toEqual(new Lookup(meta, '42', 'reference', 'the argument'));
    expect((digits as Lookup).digits).toBe(true);
    expect(new Lookup(meta, '42', 'reference', 'x', true).digits).toBe(false);
    expect(idsIn([{ [meta.idKey]: '42' }, 43], meta)).toEqual([42, 43]);
    // Text that is not an integer is a name to look up before the action sends anything.
    expect(referenceTo(meta, 'abc', 'the argument')).toEqual(new Lookup(meta, 'abc', 'reference', 'the argument'));
    expect(() => referenceTo(meta, true, 'the argument')).toThrow(`the argument takes a ${meta.name}, its id (an integer) or { ${meta.idKey}: id }; got true`);
    expect(() => referenceTo(meta, new meta.cls(), 'the argument')).toThrow(`the argument: the ${meta.name} has no id yet (save it first)`);
  });
});

describe.each(TEXTUAL.map((m) => [m.name, m] as const))('%s (string identifier)', (_name, meta) => {
  it('takes a non-empty string (a number becomes its text), and refuses anything else by name', () => {
    expect(new meta.cls('abc-1').id).toBe('abc-1');
    expect(new meta.cls('0042').id).toBe('0042');
    expect(toId(meta, 42)).toBe('42');
    for (const bad of ['', true, {}, Number.NaN]) expect(() => toId(meta, bad)).toThrow(`${meta.name} id must be a non-empty string, got ${JSON.stringify(bad)}`);
  });

  it('sends a reference as { idKey: text }, never turning digits into a number', () => {
    expect(referenceTo(meta, '0042', 'x')).toEqual({ [meta.idKey]: '0042' });
    expect(referenceTo(meta, 42, 'x')).toEqual({ [meta.idKey]: '42' });
    expect(referenceTo(meta, new meta.cls('k-1'), 'x')).toEqual({ [meta.idKey]: 'k-1' });
    expect(idsIn({ [meta.idKey]: 'k-1' }, meta)).toBe('k-1');
    expect(() => referenceTo(meta, '', 'x')).toThrow(ValidationError);
  });
});

describe('references across classes', () => {
  it('refuses an object of another class, naming both', () => {
    expect(() => referenceTo(Group, new Server(1), 'Server.assignGroups() groups')).toThrow('Server.assignGroups() groups takes a Group, got a Server');
    expect(() => referencesTo(Group, [], 'groups')).toThrow('groups must not be empty');
  });

  it('a reference attribute applies its target\'s rule when assigned', () => {
    const server = new Server();
    server.machineImage = '77' as never;
    expect(server.changes()).toEqual({ machineImage: { machineImageId: 77 } });
    expect(() => {
      server.dataCenter = 1.5 as never;
    }).toThrow('Server.dataCenter takes a DataCenter, its id (an integer) or { dataCenterId: id }; got 1.5');
    server.dataCenter = 'us-west-2a' as never;
    expect(server.changes().dataCenter).toBeInstanceOf(Lookup);
  });
});

describe('idFromText (a command-line word where an identifier goes)', () => {
  it('is an integer when it reads as a safe one, otherwise the text itself', () => {
    expect(idFromText('331810')).toBe(331810);
    expect(idFromText('-3')).toBe(-3);
    expect(idFromText('m1.small')).toBe('m1.small');
    expect(idFromText('9007199254740993')).toBe('9007199254740993');
    expect(parseId('number', '9007199254740993')).toBeUndefined();
  });
});
