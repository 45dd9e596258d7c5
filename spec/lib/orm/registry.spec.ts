import { attribute, reference, resource, Resource, MetadataError, allResources, findResource } from '../../../lib/index.js';
import { describe as describeResource } from '../../../lib/orm/registry.js';

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
    const meta = describeResource(Gizmo);
    expect(meta.references.has('owner')).toBe(true);
    const g = Gizmo.fromItem({ gizmoId: 1, owner: { notId: 2 } });
    expect(() => g.owner).toThrow('Gizmo.owner: @reference target NotAResource is not a class declared with @resource');
  });

});
