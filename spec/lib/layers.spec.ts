/**
 * The layers of lib/ (README, Architecture; `LAYERS` in eslint.config.js), held two ways: the
 * import graph read from the sources, type imports included, has no cycle in the core and no
 * import against the layers' order; and the lint rule that guards the order fails on a back-edge
 * added to the sources, a type-only import included.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { EMULATOR, LAYERS } from '../../eslint.config.js';
import { cycles, folderGraph, importGraph, restrict, type ImportGraph } from '../support/import-graph.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CORE = ['lib/config', 'lib/http', 'lib/orm', 'lib/journal', 'lib/apply'];
const graph = importGraph(ROOT);

/** The layer a file of lib/ belongs to (`emulator` for the emulator), or undefined. */
function layerOf(file: string): string | undefined {
  const inside = (path: string): boolean => {
    const bare = path.replace(/^\.\//, '');
    return file === bare || file.startsWith(`${bare}/`);
  };
  if (inside(EMULATOR)) return 'emulator';
  return LAYERS.find((layer) => layer.paths.some(inside))?.name;
}

function layerGraph(files: ImportGraph): ImportGraph {
  const out: ImportGraph = new Map();
  for (const [file, targets] of files) {
    const from = layerOf(file) as string;
    const edges = out.get(from) ?? new Set<string>();
    for (const target of targets) if (target.startsWith('lib/') && layerOf(target) !== from) edges.add(layerOf(target) as string);
    out.set(from, edges);
  }
  return out;
}

describe('the import graph of lib/ (type imports included)', () => {
  it('places every file of lib/ in a layer', () => {
    expect([...graph.keys()].filter((file) => layerOf(file) === undefined)).toEqual([]);
  });

  it('has no file cycle in the core (config, http, orm, journal, apply)', () => {
    const core = restrict(graph, (file) => CORE.some((folder) => file.startsWith(`${folder}/`)));
    expect(core.size).toBeGreaterThan(40);
    expect(cycles(core)).toEqual([]);
  });

  it('has no folder cycle in the core, and no cycle between layers', () => {
    expect(cycles(restrict(folderGraph(graph), (folder) => CORE.includes(folder)))).toEqual([]);
    expect(cycles(layerGraph(graph))).toEqual([]);
  });

  it('imports only downwards: no file imports a layer above its own', () => {
    const order = [...LAYERS.map((layer) => layer.name)];
    const rank = (file: string): number => (layerOf(file) === 'emulator' ? order.indexOf('package') - 0.5 : order.indexOf(layerOf(file) as string));
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (!target.startsWith('lib/')) continue;
        const emulatorEdge = layerOf(file) === 'emulator' ? layerOf(target) !== 'base' && layerOf(target) !== 'emulator' : false;
        if (emulatorEdge || rank(target) > rank(file)) upward.push(`${file} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('finds the cycles it is meant to find (a graph with one)', () => {
    const sample: ImportGraph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(sample)).toEqual([['a', 'b', 'c']]);
  });
});

describe('the lint rule of the layers', () => {
  const eslint = new ESLint({ cwd: ROOT });
  /** The rule ids ESLint reports for `code` as the file `path` of lib/. */
  const lint = async (path: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
    return result.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
  };

  it.each([
    ['the transport naming an ORM type', 'lib/http/back-edge.ts', "import type { ResourceMeta } from '../orm/registry.js';\nexport type Probe = ResourceMeta;\n"],
    ['configuration naming a transport type', 'lib/config/back-edge.ts', "import type { Outcome } from '../http/client.js';\nexport type Probe = Outcome;\n"],
    ['the journal importing the ORM', 'lib/journal/back-edge.ts', "import { metaOf } from '../orm/registry.js';\nexport const probe = metaOf;\n"],
    ['the ORM importing apply', 'lib/orm/back-edge.ts', "import { apply } from '../apply/apply.js';\nexport const probe = apply;\n"],
    ['the base files naming a job', 'lib/errors.ts', "import type { Job } from './orm/job.js';\nexport type Probe = Job;\n"],
    ['the emulator importing configuration', 'lib/emulator/back-edge.ts', "import type { Settings } from '../config/resolve.js';\nexport type Probe = Settings;\n"],
  ])('fails on %s', async (_what, path, code) => {
    expect((await lint(path, code)).filter((message) => message.startsWith('import-x/no-restricted-paths'))).toHaveLength(1);
  }, 120_000);

  it('accepts the same imports downwards', async () => {
    expect(await lint('lib/orm/down-edge.ts', "import type { Outcome } from '../http/client.js';\nimport { journalFile } from '../journal/journal.js';\nexport type Probe = Outcome;\nexport const probe = journalFile;\n")).toEqual([]);
  }, 120_000);
});
