/**
 * Every type the public declarations name is exported by an entry point of the package, so an
 * application can name it, and a value whose type it infers can be exported (no TS2742). Read
 * from the built declarations (dist/) with the TypeScript compiler API: the declarations of each
 * export of each entry are walked, following every type reference into the package.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist') + '/';

/** Internal on purpose: the symbol-keyed bookkeeping holder of every object (`[STATE]`). */
const INTERNAL = new Set(['State']);

function entryPoints(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { types?: string }> };
  return Object.values(manifest.exports).flatMap((e) => (typeof e === 'object' && e.types ? [join(ROOT, e.types)] : []));
}

/** Types declared in the package, named by a public declaration, and exported by no entry: `Name (file) <- user`. */
function unexported(): string[] {
  const entries = entryPoints();
  const program = ts.createProgram(entries, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, types: ['node'], noEmit: true });
  const checker = program.getTypeChecker();
  const resolveAlias = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const exported = new Set<ts.Symbol>();
  for (const entry of entries) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!);
    for (const s of checker.getExportsOfModule(module!)) exported.add(resolveAlias(s));
  }
  const missing = new Set<string>();
  const walked = new Set<ts.Symbol>();
  const walk = (node: ts.Node, user: string): void => {
    const target = ts.isTypeReferenceNode(node) ? node.typeName : ts.isExpressionWithTypeArguments(node) ? node.expression : undefined;
    const found = target && checker.getSymbolAtLocation(target);
    const symbol = found && resolveAlias(found);
    const declaration = symbol?.declarations?.[0];
    if (symbol && declaration && declaration.getSourceFile().fileName.startsWith(DIST) && !exported.has(symbol) && !(symbol.flags & ts.SymbolFlags.TypeParameter) && !ts.isParameter(declaration)) {
      if (!INTERNAL.has(symbol.name)) missing.add(`${symbol.name} (${declaration.getSourceFile().fileName.slice(DIST.length)}) <- ${user}`);
      if (!walked.has(symbol)) {
        walked.add(symbol);
        for (const d of symbol.declarations!) walk(d, symbol.name);
      }
    }
    ts.forEachChild(node, (child) => walk(child, user));
  };
  for (const symbol of exported) for (const d of symbol.declarations ?? []) if (d.getSourceFile().fileName.startsWith(DIST)) walk(d, symbol.name);
  return [...missing].sort();
}

it('exports every type its public declarations name', () => {
  expect(entryPoints().length).toBeGreaterThanOrEqual(8);
  expect(unexported()).toEqual([]);
}, 60_000);
