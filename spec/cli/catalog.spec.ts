/**
 * Unit specs of the data-driven parts of `dcm`: the catalog read from the registry, the argument
 * parser and its suggestions. In-process, with a fake CliIO where one is needed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import ts from 'typescript';
import { cliResources, findCliResource, kebab } from '../../lib/cli/catalog.js';
import { allResources, type ResourceMeta } from '../../lib/orm/registry.js';
import type { ActionMeta } from '../../lib/orm/metadata.js';
import { closest, parseArgs } from '../../lib/cli/args.js';
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

/**
 * The `@action` signatures are written by hand next to each method; this keeps them honest by
 * reading the method's TypeScript source under resources/ (only here, in a spec: the library
 * itself never reads source). A signature and its method must not drift apart.
 */
describe('every @action signature matches its method', () => {
  /** Options of `ActionOptions` every action takes; they are never declared. */
  const WAITER = new Set(['wait', 'timeoutMs', 'intervalMs', 'signal', 'onProgress']);

  function sourceFiles(dir: URL): URL[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      if (d.isDirectory()) return sourceFiles(new URL(`${d.name}/`, dir));
      return d.name.endsWith('.ts') ? [new URL(d.name, dir)] : [];
    });
  }

  const classes = new Map<string, ts.ClassDeclaration>();
  for (const file of sourceFiles(new URL('../../resources/', import.meta.url))) {
    const source = ts.createSourceFile(file.pathname, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    source.forEachChild((node) => {
      if (ts.isClassDeclaration(node) && node.name) classes.set(node.name.text, node);
    });
  }

  /** The instance method in the class's source, or in the source of a class it extends. */
  function methodSource(className: string, method: string): ts.MethodDeclaration | undefined {
    const cls = classes.get(className);
    if (!cls) return undefined;
    const isStatic = (m: ts.MethodDeclaration): boolean => ts.getModifiers(m)?.some((k) => k.kind === ts.SyntaxKind.StaticKeyword) ?? false;
    const found = cls.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === method && m.body !== undefined && !isStatic(m));
    if (found) return found;
    const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    return base && ts.isIdentifier(base) ? methodSource(base.text, method) : undefined;
  }

  /**
   * What a method reads from its options parameter: `options.reason`, `input?.name`,
   * `options['x']`, `const { groupId } = options` (direct), and the names in its literal key
   * lists, e.g. `for (const key of ['name', 'label']) input?.[key]` or the attributes a create
   * passes to `collect()` (listed).
   */
  function reads(method: ts.MethodDeclaration, param: string): { direct: Set<string>; listed: Set<string> } {
    const direct = new Set<string>();
    const listed = new Set<string>();
    const isParam = (e: ts.Expression): boolean => ts.isIdentifier(e) && e.text === param;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && isParam(node.expression)) direct.add(node.name.text);
      if (ts.isElementAccessExpression(node) && isParam(node.expression) && ts.isStringLiteral(node.argumentExpression)) direct.add(node.argumentExpression.text);
      if (ts.isVariableDeclaration(node) && node.initializer && isParam(node.initializer) && ts.isObjectBindingPattern(node.name)) {
        for (const element of node.name.elements) direct.add((element.propertyName ?? element.name).getText());
      }
      if (ts.isArrayLiteralExpression(node)) for (const item of node.elements) if (ts.isStringLiteral(item)) listed.add(item.text);
      node.forEachChild(visit);
    };
    if (method.body) visit(method.body);
    return { direct, listed };
  }

  /** Every way a declaration and its method disagree, as sentences (empty when they agree). */
  function drift(meta: ResourceMeta, act: ActionMeta): string[] {
    const method = methodSource(meta.name, act.name);
    if (!method) return [`no method ${act.name}() found in the source of class ${meta.name} under resources/`];
    const problems: string[] = [];
    const names = method.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : p.name.getText()));
    const { args, optionsParam, options } = act.signature;
    const declared = optionsParam === undefined ? [...args] : [...args, optionsParam];
    if (names.join(', ') !== declared.join(', ')) problems.push(`the method takes (${names.join(', ')}) but the signature declares (${declared.join(', ')})`);
    if (optionsParam === undefined) return problems;
    const { direct, listed } = reads(method, optionsParam);
    for (const key of options) if (!direct.has(key) && !listed.has(key)) problems.push(`declares option "${key}", which the method never reads`);
    for (const key of direct) if (!WAITER.has(key) && !options.includes(key)) problems.push(`reads ${optionsParam}.${key}, which the signature does not declare`);
    return problems;
  }

  const actions = allResources().flatMap((meta) => meta.actions.map((act) => [`${meta.name}.${act.name}()`, meta, act] as const));

  it('finds all 56 declared actions', () => {
    expect(actions).toHaveLength(56);
  });

  it.each(actions)('%s', (_label, meta, act) => {
    expect(drift(meta, act)).toEqual([]);
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
