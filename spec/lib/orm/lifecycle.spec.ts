/**
 * `@lifecycle` is read once and checked against the class's own declarations: every action it
 * names is an `@action` of the right method, every attribute it names is declared, and a mistake
 * is a MetadataError naming the class and what is wrong. `actionRequest` builds the request of an
 * action from its declaration alone (no object, no request sent). These specs use classes of their
 * own, so each rule is seen in isolation.
 */
import { action, attribute, reference, resource, Resource, lifecycle, lifecycleOf, isRefusal, managedTypes, undeclaredWriters, metaOf, MetadataError, type ActionOptions, type Job } from '../../../lib/index.js';
import { actionRequest, createdId } from '../../../lib/orm/actions.js';

@resource({ path: 'infrastructure/Pot', collection: 'pots', id: 'potId' })
class Pot extends Resource {
  @attribute() potId!: number;
  @attribute({ settable: true }) name!: string;
  @attribute({ settable: true }) glaze!: string;

  @action('POST', 'addPot', { sends: { required: ['name'], optional: ['glaze'] } })
  async create(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('create', {}, options);
  }

  @action('PUT', 'glazePot', { options: ['glaze'], envelope: 'object' })
  async glazeIt(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('glazeIt', {}, options);
  }

  @action('POST', 'copyPot', { receiver: 'existing' })
  async copy(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('copy', {}, options);
  }

  @action('DELETE', 'reason', { options: ['reason'] })
  async smash(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('smash', {}, options);
  }
}

/** A pot, managed: glazed through glazePot, smashed to delete it. */
@lifecycle({
  create: { action: 'create' },
  updates: [{ action: 'glazeIt', attributes: ['glaze'], item: (v) => ({ pot: v }) }],
  delete: { action: 'smash', how: 'smash the pot' },
  identity: { by: 'name' },
  enums: { glaze: ['CELADON', 'TENMOKU'] },
})
@resource({ path: 'infrastructure/ManagedPot', collection: 'pots', id: 'potId' })
class ManagedPot extends Pot {}

/** Names an action the class does not declare. */
@lifecycle({ create: { action: 'throw' }, delete: { refused: 'pots are forever' }, identity: { by: 'name' } })
@resource({ path: 'infrastructure/BadPot', collection: 'pots', id: 'potId' })
class BadPot extends Pot {}

/** Declares the delete with a PUT. */
@lifecycle({ create: { refused: 'found, never made' }, delete: { action: 'glazeIt' }, identity: { by: 'id' } })
@resource({ path: 'infrastructure/WrongPot', collection: 'pots', id: 'potId' })
class WrongPot extends Pot {}

/** Changes an attribute it does not declare. */
@lifecycle({ create: { action: 'create' }, updates: [{ action: 'glazeIt', attributes: ['colour'] }], delete: { action: 'smash' }, identity: { by: 'name' } })
@resource({ path: 'infrastructure/OddPot', collection: 'pots', id: 'potId' })
class OddPot extends Pot {}

/** Its parent is no reference. */
@lifecycle({ create: { action: 'create' }, delete: { action: 'smash' }, identity: { by: 'parent', parent: 'glaze', match: ['name'], index: ['name'] } })
@resource({ path: 'infrastructure/ShardPot', collection: 'pots', id: 'potId' })
class ShardPot extends Pot {}

/** Creates with an action on an existing pot. */
@lifecycle({ create: { action: 'copy' }, delete: { action: 'smash' }, identity: { by: 'name' } })
@resource({ path: 'infrastructure/CopyPot', collection: 'pots', id: 'potId' })
class CopyPot extends Pot {}

/** Declares writes, and no lifecycle. */
@resource({ path: 'infrastructure/Shelf', collection: 'shelves', id: 'shelfId' })
class Shelf extends Resource {
  @attribute() shelfId!: number;
  @reference(() => Pot) pot!: Pot;

  @action('DELETE', 'reason', { options: ['reason'] })
  async clear(options: ActionOptions = {}): Promise<Job | undefined> {
    return this.act('clear', {}, options);
  }
}

describe('@lifecycle', () => {
  it('is read with the actions it names resolved, and the attributes a record may give', () => {
    const read = lifecycleOf(ManagedPot)!;
    expect(read.name).toBe('ManagedPot');
    expect(isRefusal(read.create) ? undefined : read.create.decl.operation).toBe('addPot');
    expect(read.updates.map((u) => [u.decl.operation, u.attributes])).toEqual([['glazePot', ['glaze']]]);
    expect(isRefusal(read.delete) ? undefined : [read.delete.decl.method, read.delete.how]).toEqual(['DELETE', 'smash the pot']);
    expect(read.settable).toEqual(['name', 'glaze']);
    expect(read.enums).toEqual({ glaze: ['CELADON', 'TENMOKU'] });
    expect(read.gone({ status: 'DELETED' })).toBe(true);
    expect(read.gone({ status: 'ACTIVE' })).toBe(false);
    expect(lifecycleOf(ManagedPot)).toBe(read);
  });

  it('is not inherited: a class declares its own, or has none', () => {
    expect(lifecycleOf(Pot)).toBeUndefined();
    expect(lifecycleOf(Shelf)).toBeUndefined();
  });

  it('is never skipped when broken: listing the managed types, or the writers without one, fails with its mistake', () => {
    expect(() => managedTypes()).toThrow('BadPot: @lifecycle create names "throw"');
    expect(() => undeclaredWriters()).toThrow('BadPot: @lifecycle create names "throw"');
  });

  it.each([
    [BadPot, 'BadPot: @lifecycle create names "throw", which is not an @action of the class'],
    [WrongPot, 'WrongPot: @lifecycle delete "glazeIt" must be a DELETE action, it is a PUT'],
    [OddPot, 'OddPot: @lifecycle update "glazeIt" changes "colour", which is not a declared attribute'],
    [ShardPot, `ShardPot: @lifecycle identity's parent "glaze" must be a @reference`],
    [CopyPot, `CopyPot: @lifecycle create "copy" must be an action on a new object (receiver 'new'), it acts on an existing one`],
  ])('refuses a mistake by class and what is wrong (%p)', (cls, message) => {
    expect(() => lifecycleOf(cls)).toThrow(MetadataError);
    expect(() => lifecycleOf(cls)).toThrow(message);
  });
});

describe('actionRequest', () => {
  const meta = metaOf(ManagedPot);
  const declared = (name: string) => meta.actions.find((a) => a.name === name)!;

  it('builds a create, an update and a delete from their declarations only', () => {
    expect(actionRequest(meta, declared('create'), undefined, { name: 'p' })).toEqual({ method: 'POST', path: 'infrastructure/ManagedPot', body: { addPot: [{ name: 'p' }] } });
    expect(actionRequest(meta, declared('glazeIt'), '7', { glaze: 'CELADON' })).toEqual({ method: 'PUT', path: 'infrastructure/ManagedPot/7', body: { glazePot: { glaze: 'CELADON' } } });
    expect(actionRequest(meta, declared('smash'), '7', { reason: 'r' })).toEqual({ method: 'DELETE', path: 'infrastructure/ManagedPot/7', query: { reason: 'r' } });
  });

  it('reads the id a create reports: the job message, else the envelope, else none', () => {
    expect(createdId(meta, { pots: [{ potId: 12 }] })).toBe(12);
    expect(createdId(meta, null, '13')).toBe(13);
    expect(createdId(meta, { pots: [] })).toBeUndefined();
    expect(createdId(meta, { pots: [{ potId: 'x' }] })).toBeUndefined();
  });
});
