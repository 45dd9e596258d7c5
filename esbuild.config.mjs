/**
 * Bundling, after tsc: a program's import of the package and the synchronous-read worker each load
 * a few files instead of ~100 modules. Node loads and links every module of an import graph before
 * it runs any of it, so module count is start-up time (see docs/PERFORMANCE.md, P7).
 *
 * `npm run build` compiles with tsc (dist/lib, dist/resources, dist/bin: the executables and the
 * emulator's worker and child run from there as compiled), then runs this script:
 *
 * - dist/bundle/: the entries a program imports — `mixcoatl`, its seven scope entries and
 *   `mixcoatl/emulator` — one file each plus the chunks they share, so every entry sees the same
 *   classes, registry and identity map. Dependencies stay external.
 * - dist/lib/http/worker.js: the synchronous-read worker, replaced by one file holding the worker,
 *   the request code it shares with the async path, and got with its dependencies (their licences
 *   in dist/lib/http/worker.licenses.txt). Every user of the worker (the package entry, the
 *   executables) starts this file.
 *
 * Both are made from tsc's output, not from the sources, so the decorator metadata tsc emits is
 * kept. `import.meta.url` in each compiled module is replaced by that module's own URL in dist/, so
 * relative paths (the worker beside the bridge, the emulator's entries, the package root) resolve
 * as they do unbundled, whichever output file the code is in.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const dist = resolve(root, 'dist');
const scopes = ['admin', 'analytics', 'automation', 'geography', 'infrastructure', 'network', 'platform'];

/** Each compiled module of ours keeps its own `import.meta.url`, relative to the output directory. */
function ownUrl(outdir) {
  return {
    name: 'own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(dist + sep)) return undefined;
        const contents = await readFile(args.path, 'utf8');
        if (!contents.includes('import.meta.url')) return { contents, loader: 'js' };
        const rel = relative(outdir, args.path).split(sep).join('/');
        return { contents: contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' };
      });
    },
  };
}

const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', keepNames: true, logLevel: 'warning' };

const bundleDir = resolve(dist, 'bundle');
await rm(bundleDir, { recursive: true, force: true });
const library = await build({
  ...common,
  entryPoints: [
    { in: resolve(dist, 'lib/http/prestart.js'), out: 'prestart' },
    { in: resolve(dist, 'lib/index.js'), out: 'library' },
    { in: resolve(dist, 'lib/emulator/index.js'), out: 'emulator' },
    ...scopes.map((scope) => ({ in: resolve(dist, `resources/${scope}/index.js`), out: scope })),
  ],
  outdir: bundleDir,
  splitting: true,
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  metafile: true,
  plugins: [ownUrl(bundleDir)],
});
// The package entry, written here rather than by esbuild: the worker's start first, and only then
// the library, imported dynamically, so that its loading overlaps the worker's start instead of
// preceding it (a static import would be loaded and linked before anything runs).
const names = library.metafile.outputs[relative(root, resolve(bundleDir, 'library.js')).split(sep).join('/')].exports;
if (!names?.length || names.includes('default')) throw new Error('the library bundle has no named exports, or a default one');
await writeFile(
  resolve(bundleDir, 'index.js'),
  [
    '// The package entry: starts the synchronous-read worker (unless DCM_LAZY=async), then loads the library.',
    "import './prestart.js';",
    "const library = await import('./library.js');",
    `export const { ${[...names].sort().join(', ')} } = library;`,
    '',
  ].join('\n'),
);

// The strict entry (lib/strict.ts) differs from the package entry in its types only: at run time it
// is the package entry.
await writeFile(resolve(bundleDir, 'strict.js'), "// mixcoatl/strict: the package entry, typed with loaded state (dist/lib/strict.d.ts).\nexport * from './index.js';\n");

const worker = resolve(dist, 'lib/http/worker.js');
const BUNDLED = '// The synchronous-read worker, bundled with got.';
// The worker is bundled in place, over tsc's output: only once after each tsc run.
if (!(await readFile(worker, 'utf8')).startsWith(BUNDLED)) await bundleWorker();

/** The worker with got inside, and the licence of every third-party package in it beside it. */
async function bundleWorker() {
  const { metafile } = await build({
    ...common,
    // keepNames defines the name of every function as it is made, closures made per request
    // included (got makes dozens). The library bundle needs it (the class of a decorated resource
    // would otherwise be renamed, and class names are read); nothing in the worker reads a name.
    keepNames: false,
    entryPoints: [worker],
    outfile: worker,
    allowOverwrite: true,
    metafile: true,
    legalComments: 'eof',
    // got's CommonJS dependencies require Node's built-in modules.
    banner: { js: BUNDLED + "\nimport { createRequire as __workerRequire } from 'node:module';\nconst require = __workerRequire(import.meta.url);" },
    plugins: [ownUrl(dirname(worker))],
  });
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.set(match[1], resolve(root, input.slice(0, match.index + match[0].length)));
  }
  const notices = [];
  for (const [name, dir] of [...packages].sort(([x], [y]) => x.localeCompare(y))) {
    const { version, license } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    const file = ['LICENSE', 'license', 'LICENSE.md', 'license.md', 'LICENSE.txt'].map((f) => join(dir, f)).find((f) => existsSync(f));
    notices.push(`${name}@${version} (${license})\n\n${file ? (await readFile(file, 'utf8')).trim() : `License: ${license}`}\n`);
  }
  await writeFile(resolve(dist, 'lib/http/worker.licenses.txt'), `Third-party software included in worker.js\n\n${notices.join('\n---\n\n')}`);
}
