/**
 * The differences of a plan step (lib/apply/changes.ts): references shown by id, lists of
 * references as their ids, a creation from nothing, a deletion with none, and the text
 * `dcm apply --check` prints.
 */
import { formatChanges, stepChanges } from '../../lib/apply/changes.js';
import { LocalRef } from '../../lib/apply/plan.js';

describe('stepChanges', () => {
  it('an update: each attribute sent, with the value read at plan time (references by id)', () => {
    const before = { name: 'web', description: 'old', budget: { billingCodeId: 10287 }, owningGroups: [{ groupId: 1, name: 'a' }, { groupId: 2 }] };
    expect(stepChanges({ kind: 'update', before, body: { describeServer: [{ description: 'new' }] } })).toEqual([{ attribute: 'description', current: 'old', desired: 'new' }]);
    expect(stepChanges({ kind: 'update', before, body: { assignBudget: [{ budget: 555 }] } })).toEqual([{ attribute: 'budget', current: 10287, desired: 555 }]);
    expect(stepChanges({ kind: 'update', before, body: { assignGroups: [{ owningGroups: [{ groupId: 3 }] }] } })).toEqual([{ attribute: 'owningGroups', current: [1, 2], desired: [3] }]);
  });

  it('a creation: every attribute from nothing, references to objects of the same apply as "@name"; a reason is no attribute', () => {
    expect(stepChanges({ kind: 'create', body: { addVolume: [{ name: 'data', dataCenter: { dataCenterId: 64351 }, server: { serverId: new LocalRef('web') }, reason: 'x' }] } })).toEqual([
      { attribute: 'name', current: null, desired: 'data' },
      { attribute: 'dataCenter', current: null, desired: 64351 },
      { attribute: 'server', current: null, desired: '@web' },
    ]);
  });

  it('an attachment and a deletion', () => {
    expect(stepChanges({ kind: 'attach', before: { server: null }, body: { attach: [{ server: { serverId: 7 }, deviceId: '/dev/sdh' }] } })).toEqual([
      { attribute: 'server', current: null, desired: 7 },
      { attribute: 'deviceId', current: null, desired: '/dev/sdh' },
    ]);
    expect(stepChanges({ kind: 'delete', before: { name: 'x' } })).toEqual([]);
  });
});

describe('formatChanges', () => {
  it('one line per step, its changes below as attribute: current → desired, long values cut', () => {
    const text = formatChanges([
      { step: 1, kind: 'create', label: 'Volume data', method: 'POST', path: 'infrastructure/Volume', changes: [{ attribute: 'name', current: null, desired: 'data' }] },
      { step: 2, kind: 'update', label: 'Server web', method: 'PUT', path: 'infrastructure/Server/7', changes: [{ attribute: 'description', current: 'a'.repeat(100), desired: 'b' }] },
      { step: 3, kind: 'delete', label: 'Volume old', method: 'DELETE', path: 'infrastructure/Volume/9', changes: [] },
    ]);
    expect(text).toBe([
      '+ create Volume data  (POST infrastructure/Volume)',
      '    name: (none) → "data"',
      '~ update Server web  (PUT infrastructure/Server/7)',
      `    description: "${'a'.repeat(78)}… → "b"`,
      '- delete Volume old  (DELETE infrastructure/Volume/9)',
      '3 steps pending.',
    ].join('\n'));
    expect(formatChanges([])).toBe('No changes: every record is already as wanted.');
  });
});
