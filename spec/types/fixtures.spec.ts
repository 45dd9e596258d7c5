/**
 * Optional attributes follow the recorded payloads (spec/fixtures, copies of the API's own
 * samples): for each type that has a fixture, an attribute whose key is present in every item is
 * declared required (`name!: string`), any other one optional (`label?: string`), so strict code
 * must handle the absence a real payload may show. The declarations are read from the sources
 * with the TypeScript compiler API, exactly as written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { allResources } from '../../lib/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = join(ROOT, 'spec', 'fixtures');

type Presence = 'required' | 'optional';

/** Every class of the sources that declares attributes: class name → attribute → as declared. */
function declaredAttributes(): Map<string, Record<string, Presence>> {
  const files = [join(ROOT, 'lib', 'orm', 'job.ts'), ...readdirSync(join(ROOT, 'resources'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, 'resources', f))];
  const out = new Map<string, Record<string, Presence>>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const node of source.statements) {
      if (!ts.isClassDeclaration(node) || !node.name) continue;
      const attributes: Record<string, Presence> = {};
      for (const member of node.members) {
        if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        const decorated = (ts.getDecorators(member) ?? []).some((d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && ['attribute', 'reference'].includes(d.expression.expression.text));
        if (decorated) attributes[member.name.text] = member.questionToken ? 'optional' : 'required';
      }
      if (Object.keys(attributes).length) out.set(node.name.text, attributes);
    }
  }
  return out;
}

const fixtures = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => Object.entries(JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as Record<string, Array<Record<string, unknown>>>).map(([collection, items]) => ({ file: f, collection, items })));
const declared = declaredAttributes();

it('finds the fixtures and the declarations it compares', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(11);
  expect(declared.get('Server')?.serverId).toBe('required');
});

describe.each(fixtures.map((f) => [f.file, f]))('%s', (_file, { collection, items }) => {
  it('declares an attribute required exactly when every item has its key', () => {
    const meta = allResources().find((m) => m.collection === collection);
    expect(meta).toBeDefined();
    expect(items.length).toBeGreaterThan(0);
    const attributes = declared.get(meta!.name)!;
    const expected: Record<string, Presence> = {};
    for (const key of Object.keys(attributes)) expected[key] = items.every((item) => key in item) ? 'required' : 'optional';
    expect(attributes).toEqual(expected);
  });
});
