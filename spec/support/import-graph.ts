/**
 * The import graph of lib/, read from the TypeScript sources: every `import` and `export … from`
 * (type-only ones included: a type import is a dependency of the code that names the type) and
 * every `import()` with a literal specifier. Relative specifiers only; packages and Node's modules
 * are not part of the graph.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Files (relative to the root, `lib/http/client.ts`) and the files each imports. */
export type ImportGraph = Map<string, Set<string>>;

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourcesUnder(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The graph of every `.ts` file under `root/folder`, edges to files anywhere under `root`. */
export function importGraph(root: string, folder = 'lib'): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of sourcesUnder(resolve(root, folder))) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set<string>();
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      targets.add(relative(root, resolve(dirname(file), fileName.replace(/\.js$/, '.ts'))));
    }
    graph.set(relative(root, file), targets);
  }
  return graph;
}

/** The folder of a file under lib/: `lib/http` for `lib/http/client.ts`, `lib` for `lib/errors.ts`. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : parts[0];
}

/** The graph with each file replaced by its folder (edges within a folder dropped). */
export function folderGraph(graph: ImportGraph): ImportGraph {
  const folders: ImportGraph = new Map();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    const edges = folders.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    folders.set(from, edges);
  }
  return folders;
}

/** The cycles of a graph: its strongly connected components of more than one node (Tarjan), each sorted. */
export function cycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The part of a graph whose nodes (and edges' ends) satisfy `keep`. */
export function restrict(graph: ImportGraph, keep: (node: string) => boolean): ImportGraph {
  const out: ImportGraph = new Map();
  for (const [node, targets] of graph) if (keep(node)) out.set(node, new Set([...targets].filter(keep)));
  return out;
}
