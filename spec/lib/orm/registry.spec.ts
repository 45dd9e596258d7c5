import { action, attribute, reference, resource, Resource, MetadataError, allResources, findResource } from '../../../lib/index.js';
import { metaOf } from '../../../lib/orm/registry.js';

describe('registry', () => {
  // These run first: the classes declared wrongly below join the process-wide list of
  // declared classes, which allResources() then reports (as it should) as errors.
  it('records the attribute types from the TypeScript declarations', () => {
    const server = findResource('Server')!;
    expect(server.attributes.get('name')!.type).toBe('string');
    expect(server.attributes.get('agentVersion')!.type).toBe('number');
    expect(server.attributes.get('privateIpAddresses')!.type).toBe('array');
    expect(server.references.get('region')!.reference!.many).toBe(false);
    expect(server.references.get('firewalls')!.reference!.many).toBe(true);
  });

  it('records the request shape of an @action apart from its signature', () => {
    const server = findResource('Server')!;
    expect(server.actions.find((a) => a.name === 'stop')).toMatchObject({ method: 'PUT', operation: 'stop', envelope: 'list', sends: { required: [], optional: [] }, alsoSuccess: [] });
    expect(server.actions.find((a) => a.name === 'launch')?.sends.required).toEqual(['providerProductId', 'budget', 'machineImage', 'description', 'name', 'dataCenter']);
    expect(findResource('Group')!.actions.find((a) => a.name === 'setRole')?.envelope).toBe('object');
    expect(findResource('FirewallRule')!.actions.find((a) => a.name === 'create')?.alsoSuccess).toEqual([418]);
  });

  it('finds resources by class name, path or collection', () => {
    expect(findResource('server')?.name).toBe('Server');
    expect(findResource('geography/DataCenter')?.name).toBe('DataCenter');
    expect(findResource('dataCenters')?.name).toBe('DataCenter');
    expect(allResources().map((m) => m.name)).toEqual(expect.arrayContaining(['Server', 'Job', 'Cloud', 'Region', 'DataCenter', 'Firewall']));
  });
  it('reports a mistake by class and property', () => {
    @resource({ path: 'infrastructure/Widget', collection: 'widgets', id: 'widgetId' })
    class Widget extends Resource {
      @attribute() name!: string;
    }
    expect(() => new Widget(1)).toThrow(MetadataError);
    expect(() => new Widget(1)).toThrow('Widget.widgetId: the identifier "widgetId" must be declared with @attribute()');
  });

  it('refuses a bad path, a missing collection and an attribute that hides a method', () => {
    @resource({ path: 'Server', collection: 'servers', id: 'serverId' })
    class BadPath extends Resource {
      @attribute() serverId!: number;
    }
    expect(() => new BadPath(1)).toThrow(/BadPath: @resource path must look like/);

    @resource({ path: 'infrastructure/Gadget', collection: '', id: 'gadgetId' })
    class NoCollection extends Resource {
      @attribute() gadgetId!: number;
    }
    expect(() => new NoCollection(1)).toThrow(/NoCollection: @resource needs a collection name/);

    @resource({ path: 'infrastructure/Thing', collection: 'things', id: 'thingId' })
    class Clash extends Resource {
      @attribute() thingId!: number;
      @attribute() override load!: never;
    }
    expect(() => new Clash(1)).toThrow(/Clash.load: the attribute name collides/);
  });

  it('reports a reference whose target is not a resource when it is first used', () => {
    class NotAResource {}
    @resource({ path: 'infrastructure/Gizmo', collection: 'gizmos', id: 'gizmoId' })
    class Gizmo extends Resource {
      @attribute() gizmoId!: number;
      @reference(() => NotAResource) owner!: unknown;
    }
    const meta = metaOf(Gizmo);
    expect(meta.references.has('owner')).toBe(true);
    const g = Gizmo.fromItem({ gizmoId: 1, owner: { notId: 2 } });
    expect(() => g.owner).toThrow('Gizmo.owner: @reference target NotAResource is not a class declared with @resource');
  });

  it('records an @action signature, with defaults for what it leaves out', () => {
    @resource({ path: 'infrastructure/Crank', collection: 'cranks', id: 'crankId' })
    class Crank extends Resource {
      @attribute() crankId!: number;
      @action('PUT', 'turn', { args: ['degrees'], options: ['speed'] })
      async turn(degrees: number, options: { speed?: number } = {}): Promise<unknown> {
        return [degrees, options.speed];
      }
      @action('PUT', 'stop')
      async halt(options: object = {}): Promise<unknown> {
        return options;
      }
      @action('PUT', 'reset', { optionsParam: null })
      async reset(): Promise<unknown> {
        return undefined;
      }
      @action('POST', 'addCrank')
      async create(options: object = {}): Promise<unknown> {
        return options;
      }
      @action('POST', 'copyCrank', { receiver: 'existing' })
      async copy(options: object = {}): Promise<unknown> {
        return options;
      }
    }
    expect(metaOf(Crank).actions.map((a) => a.signature)).toEqual([
      { args: ['degrees'], optionsParam: 'options', options: ['speed'], receiver: 'existing' },
      { args: [], optionsParam: 'options', options: [], receiver: 'existing' },
      { args: [], optionsParam: undefined, options: [], receiver: 'existing' },
      { args: [], optionsParam: 'options', options: [], receiver: 'new' },
      { args: [], optionsParam: 'options', options: [], receiver: 'existing' },
    ]);
  });

  it('refuses an @action signature that does not fit its method, by class and method', () => {
    @resource({ path: 'infrastructure/Sprocket', collection: 'sprockets', id: 'sprocketId' })
    class Sprocket extends Resource {
      @attribute() sprocketId!: number;
      @action('PUT', 'turn', { options: ['speed'] })
      async turn(degrees: number, options: { speed?: number } = {}): Promise<unknown> {
        return [degrees, options.speed];
      }
    }
    expect(() => new Sprocket(1)).toThrow('Sprocket.turn: @action signature declares 1 parameter (options) but the method takes 2');

    @resource({ path: 'infrastructure/Cog', collection: 'cogs', id: 'cogId' })
    class Cog extends Resource {
      @attribute() cogId!: number;
      @action('PUT', 'turn', { args: ['2x'] })
      async turn(x: number, options: object = {}): Promise<unknown> {
        return [x, options];
      }
    }
    expect(() => new Cog(1)).toThrow('Cog.turn: @action signature parameter "2x" is not an identifier');

    @resource({ path: 'infrastructure/Pulley', collection: 'pulleys', id: 'pulleyId' })
    class Pulley extends Resource {
      @attribute() pulleyId!: number;
      @action('PUT', 'pull', { options: ['force', 'force'] })
      async pull(options: { force?: number } = {}): Promise<unknown> {
        return options.force;
      }
    }
    expect(() => new Pulley(1)).toThrow('Pulley.pull: @action signature lists the option "force" twice');

    @resource({ path: 'infrastructure/Lever', collection: 'levers', id: 'leverId' })
    class Lever extends Resource {
      @attribute() leverId!: number;
      @action('PUT', 'push', { options: ['timeoutMs'] })
      async push(options: { timeoutMs?: number } = {}): Promise<unknown> {
        return options.timeoutMs;
      }
    }
    expect(() => new Lever(1)).toThrow('Lever.push: @action signature option "timeoutMs" is a waiter option every action takes; do not list it');

    @resource({ path: 'infrastructure/Wedge', collection: 'wedges', id: 'wedgeId' })
    class Wedge extends Resource {
      @attribute() wedgeId!: number;
      @action('PUT', 'drive', { args: ['options'] })
      async drive(options: object, more: object = {}): Promise<unknown> {
        return [options, more];
      }
    }
    expect(() => new Wedge(1)).toThrow('Wedge.drive: @action signature names the parameter "options" twice');

    @resource({ path: 'infrastructure/Ratchet', collection: 'ratchets', id: 'ratchetId' })
    class Ratchet extends Resource {
      @attribute() ratchetId!: number;
      @action('POST', 'click', { receiver: 'old' as 'new' })
      async click(options: object = {}): Promise<unknown> {
        return options;
      }
    }
    expect(() => new Ratchet(1)).toThrow(`Ratchet.click: @action signature receiver must be 'new' or 'existing', got "old"`);
  });

  it('refuses what a create says it sends unless it is a declared attribute of a new object, by class and method', () => {
    @resource({ path: 'infrastructure/Spindle', collection: 'spindles', id: 'spindleId' })
    class Spindle extends Resource {
      @attribute() spindleId!: number;
      @attribute({ settable: true }) name!: string;
      @action('POST', 'addSpindle', { sends: { required: ['name', 'colour'] } })
      async create(options: object = {}): Promise<unknown> {
        return options;
      }
    }
    expect(() => new Spindle(1)).toThrow('Spindle.create: @action sends "colour", which is not a declared attribute');

    @resource({ path: 'infrastructure/Bobbin', collection: 'bobbins', id: 'bobbinId' })
    class Bobbin extends Resource {
      @attribute() bobbinId!: number;
      @attribute({ settable: true }) name!: string;
      @action('PUT', 'wind', { sends: { optional: ['name'] } })
      async wind(options: object = {}): Promise<unknown> {
        return options;
      }
    }
    expect(() => new Bobbin(1)).toThrow('Bobbin.wind: @action sends lists attributes of a new object: only an action on a new object (a create) has them');

    @resource({ path: 'infrastructure/Shuttle', collection: 'shuttles', id: 'shuttleId' })
    class Shuttle extends Resource {
      @attribute() shuttleId!: number;
      @action('DELETE', 'reason', { envelope: 'object' })
      async remove(options: object = {}): Promise<unknown> {
        return options;
      }
    }
    expect(() => new Shuttle(1)).toThrow('Shuttle.remove: @action envelope does not apply to a DELETE (its operation is a query parameter)');
  });
});
