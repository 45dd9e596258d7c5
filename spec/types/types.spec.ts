/**
 * The public types, as an application sees them: spec/types/consumer/strict-consumer.ts is
 * compiled against the built package (imported as `mixcoatl`, which resolves to this repository
 * by self-reference) with `strict`, `skipLibCheck: false` and module NodeNext. It must compile
 * as it is; and with its `// @ts-expect-error TSxxxx` comments removed, each line they guarded
 * must fail with exactly the error code the comment names (so a guard cannot pass for another
 * reason, and a typo that compiles again fails this spec).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../support/run-process.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CONSUMER = join(ROOT, 'spec', 'types', 'consumer', 'strict-consumer.ts');
// Inside the package directory, so that `import 'mixcoatl'` resolves to it (self-reference).
const WORK = join(ROOT, '.test-results', `types-${process.pid}`);

async function compile(file: string, dir: string): Promise<{ code: number | null; output: string }> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        experimentalDecorators: true,
        declaration: true,
        outDir: join(dir, 'out'),
        rootDir: dirname(file),
      },
      files: [file],
    }),
  );
  const r = await runProcess(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir });
  return { code: r.code, output: r.stdout + r.stderr };
}

const source = readFileSync(CONSUMER, 'utf8');
const lines = source.split('\n');
/** Each guard: the line it guards (1-based) and the error code it names. */
const guards = lines.flatMap((line, i) => {
  const m = /^\s*\/\/ @ts-expect-error (TS\d+) /.exec(line);
  return m ? [{ line: i + 2, code: m[1]!, text: lines[i + 1]!.trim() }] : [];
});

let asIs: { code: number | null; output: string };
let unguarded: { code: number | null; output: string };

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  // The same file with every guard comment blanked (lines keep their numbers).
  const stripped = join(WORK, 'unguarded', 'src', 'strict-consumer.ts');
  mkdirSync(dirname(stripped), { recursive: true });
  writeFileSync(stripped, lines.map((line) => (/^\s*\/\/ @ts-expect-error /.test(line) ? '' : line)).join('\n'));
  [asIs, unguarded] = await Promise.all([compile(CONSUMER, join(WORK, 'as-is')), compile(stripped, join(WORK, 'unguarded'))]);
}, 120_000);

afterAll(() => {
  rmSync(WORK, { recursive: true, force: true });
});

it('has a guard for each typo the types must refuse', () => {
  const guarded = guards.map((g) => g.text).join('\n');
  for (const typo of ['firewall: [1]', "waitFor('RUNNNING')", "new Server('abc')", 'regionID: 1', "@action('PUT', 'pause')", 'first.dataCenter.name']) expect(guarded).toContain(typo);
  expect(guards.length).toBeGreaterThanOrEqual(10);
});

it('compiles in strict mode with skipLibCheck off, emitting declarations for its inferred exports', () => {
  expect(asIs.output).toBe('');
  expect(asIs.code).toBe(0);
});

it('fails on every guarded line, with the error code its guard names, and nowhere else', () => {
  const errors = [...unguarded.output.matchAll(/strict-consumer\.ts\((\d+),\d+\): error (TS\d+):/g)].map((m) => ({ line: Number(m[1]), code: m[2]! }));
  const found = [...new Map(errors.map((e) => [`${e.line} ${e.code}`, e])).values()].sort((a, b) => a.line - b.line);
  expect(found).toEqual(guards.map(({ line, code }) => ({ line, code })));
});
