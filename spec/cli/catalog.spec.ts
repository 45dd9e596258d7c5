/**
 * Unit specs of the data-driven parts of `dcm`: the catalog read from the registry, the argument
 * parser and its suggestions. In-process, with a fake CliIO where one is needed.
 */
import { cliResources, findCliResource, kebab } from '../../lib/cli/catalog.js';
import { allResources } from '../../lib/orm/registry.js';
import { parseArgs } from '../../lib/cli/args.js';
import { closest } from '../../lib/suggest.js';
import { loadResources } from '../../lib/cli/load-resources.js';
import { runDcm } from '../../lib/cli/dcm.js';
import { fakeIO } from '../lib/cli/fake-io.js';

// Before the tests are collected: the signature specs make one test per registered action.
await loadResources({ stderr: { write: () => true } });

describe('catalog', () => {
  it('has one command per resource class, all 39 of them, each found by its command name', () => {
    const resources = cliResources();
    expect(resources).toHaveLength(39);
    for (const r of resources) {
      expect(r.command).toBe(kebab(r.meta.name));
      expect(findCliResource(r.command)).toBe(r);
      expect(findCliResource(r.meta.path)).toBe(r);
    }
  });

  it('maps every @action to a verb, with its positional parameters and options', () => {
    const server = findCliResource('servers')!;
    expect(server.actions.get('rename')).toMatchObject({ method: 'rename', params: [{ name: 'name', type: 'string' }], optionsParam: 'options', creates: false });
    expect(server.actions.get('schedule-termination')?.params).toEqual([{ name: 'terminateAfterMs', type: 'number' }]);
    expect(server.actions.get('terminate')?.optionKeys).toContain('reason');
    expect(server.actions.get('update')?.method).toBe('describe');
    expect(server.actions.get('update')?.optionKeys).toEqual(expect.arrayContaining(['name', 'description', 'label']));
    expect(server.actions.get('launch')?.creates).toBe(true);
    // A POST on an existing object that makes another one is called on the object named by id.
    expect(findCliResource('volume')?.actions.get('snapshot')).toMatchObject({ http: 'POST', creates: false, optionsParam: 'input' });
    for (const r of cliResources()) expect(r.actions.size).toBe(r.meta.actions.length);
  });

});

describe('the registry as the catalog reads it', () => {
  it('finds all 56 declared actions', () => {
    expect(allResources().flatMap((meta) => meta.actions)).toHaveLength(56);
  });
});

describe('argument parser', () => {
  it('takes --k v, --k=v, short flags, repeated flags and positionals', () => {
    const parsed = parseArgs(['a', '--filter', 'x=1', '-f', 'y=2', '--columns=a,b', '-j', 'b'], {
      filter: { type: 'string', short: 'f', multiple: true },
      columns: { type: 'string' },
      json: { type: 'boolean', short: 'j' },
    }, { command: 'dcm t' });
    expect(parsed).toEqual({ flags: { filter: ['x=1', 'y=2'], columns: 'a,b', json: true }, positionals: ['a', 'b'], extra: [] });
  });

  it('suggests the closest name, and nothing when none is close', () => {
    expect(closest('stpo', ['stop', 'start', 'pause'])).toBe('stop');
    expect(closest('statuscodeonyl', ['statuscode', 'statuscodeonly'])).toBe('statuscodeonly');
    expect(closest('zzzzzz', ['stop', 'start'])).toBeUndefined();
  });
});

describe('runDcm in-process', () => {
  it('an unknown resource is a usage error on stderr with a suggestion, nothing on stdout', async () => {
    const io = fakeIO();
    expect(await runDcm(['voluem', 'list'], io)).toBe(2);
    expect(io.stdout.text).toBe('');
    expect(io.stderr.text).toBe('dcm: UsageError: unknown command or resource "voluem" (did you mean volume?); run dcm --help for the list\n');
  });

  it('resource help lists the verbs derived from the actions', async () => {
    const io = fakeIO();
    expect(await runDcm(['volume', '--help'], io)).toBe(0);
    expect(io.stdout.text).toMatch(/attach <volumeId> <server> \[--deviceId …\] \[--wait\]/);
  });
});
