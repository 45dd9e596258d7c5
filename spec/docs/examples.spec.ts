/**
 * Documentation that cannot rot: every JavaScript/TypeScript block of README.md and every script
 * in examples/ is type-checked in strict mode against the built package (imported as
 * `mixcoatl`, which resolves to this repository by self-reference), then run against the
 * emulator; every shell block of the README runs as written, `npx <tool>` meaning the built
 * executable. Fences: ` ```js fragment ` is type-checked only, ` ```sh norun ` is not run.
 * The README's console transcript is replayed line by line and must print what it shows, and its
 * table of the original tool names must match the aliases the command line defines.
 * Also: the README's JSON endpoint file is accepted by Endpoint.multipleFromFile, and every
 * relative link of the documentation names a file of the repository.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALIASES } from '../../lib/cli/aliases.js';
import { isLive } from '../../lib/orm/lookups.js';
import { Endpoint } from '../../lib/endpoint.js';
import { spawnEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { runProcess, type RunResult } from '../support/run-process.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Inside the package directory, so that `import 'mixcoatl'` resolves to it (self-reference).
const WORK = join(ROOT, '.test-results', `docs-${process.pid}`);
const RUN_TIMEOUT_MS = 60_000;

interface Block {
  /** e.g. `README.md:42`. */
  name: string;
  lang: string;
  flags: string[];
  code: string;
  /** The `## ` heading the block is under. */
  section: string;
}

function blocksOf(file: string): Block[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Block[] = [];
  const fence = /^```([^\n`]*)\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    const [lang = '', ...flags] = m[1]!.trim().split(/\s+/);
    const before = text.slice(0, m.index);
    const line = before.split('\n').length;
    const section = [...before.matchAll(/^## (.+)$/gm)].pop()?.[1] ?? '';
    out.push({ name: `${file}:${line}`, lang, flags, code: m[2]!, section });
  }
  return out;
}

const readme = blocksOf('README.md');
const scriptBlocks = readme.filter((b) => ['js', 'javascript', 'ts', 'typescript'].includes(b.lang));
const shellBlocks = readme.filter((b) => ['sh', 'bash', 'shell'].includes(b.lang) && !b.flags.includes('norun'));
const exampleFiles = readdirSync(join(ROOT, 'examples')).filter((f) => /\.m?[jt]s$/.test(f)).sort();

/** Where each README block is written: blocks/readme-<line>.mjs|.mts. */
function blockFile(block: Block): string {
  const ext = block.lang.startsWith('t') ? 'mts' : 'mjs';
  return join(WORK, 'blocks', `readme-${block.name.split(':')[1]}.${ext}`);
}

/** The JavaScript that runs for a source file (TypeScript: the compiled output). */
function runnable(source: string): string {
  if (!source.endsWith('.mts')) return source;
  return join(WORK, 'out', relative(ROOT, source)).replace(/\.mts$/, '.mjs');
}

type Run = RunResult;

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return runProcess(command, args, { cwd, env, killAfterMs: RUN_TIMEOUT_MS });
}

function explain(what: string, r: Run): string {
  return `${what} exited ${r.code}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;
}

/** Types whose objects the API offers no delete for. */
const UNDELETABLE = ['network/Firewall'];

/** Every live object the emulator holds (`<type> <id>`), jobs aside: what a script may leave behind. */
async function liveObjects(): Promise<string[]> {
  const out: string[] = [];
  for (const type of Object.keys((await emulator.summary()).counts).sort()) {
    if (type === 'admin/Job') continue;
    const name = type.split('/')[1]!;
    const idKey = `${name[0]!.toLowerCase()}${name.slice(1)}Id`;
    for (const item of await emulator.items(type)) {
      if (isLive(item)) out.push(`${type} ${String(item[idKey] ?? item.accessKey ?? JSON.stringify(item))}`);
    }
  }
  return out;
}

/** The live objects of the seed data, recorded once the emulator has started. */
let seedObjects: string[] = [];

let emulator: EmulatorHandle;
let env: NodeJS.ProcessEnv;
let cwd: string;
let typecheck: Run;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'lib', 'index.d.ts'))) throw new Error('dist/ is missing: build first (npm run build)');
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'blocks'), { recursive: true });
  for (const block of scriptBlocks) writeFileSync(blockFile(block), block.code);

  // One strict program over the README blocks and the examples; TypeScript is emitted to out/.
  writeFileSync(
    join(WORK, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        strict: true,
        allowJs: true,
        checkJs: true,
        skipLibCheck: true,
        rootDir: ROOT,
        outDir: join(WORK, 'out'),
      },
      files: [...scriptBlocks.map(blockFile), ...exampleFiles.map((f) => join(ROOT, 'examples', f))],
    }),
  );
  typecheck = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(WORK, 'tsconfig.json')], process.env, WORK);

  emulator = await spawnEmulator({ port: 0 });
  seedObjects = await liveObjects();
  cwd = join(WORK, 'cwd');
  mkdirSync(join(cwd, 'home'), { recursive: true });
  const lab = { nickname: 'lab', url: emulator.url, access_key: emulator.accessKey, secret_key: emulator.secretKey };
  writeFileSync(join(cwd, 'lab.json'), JSON.stringify(lab));
  writeFileSync(join(cwd, 'endpoints.json'), JSON.stringify([lab]));
  env = {
    PATH: process.env.PATH,
    HOME: join(cwd, 'home'),
    ES_ENDPOINT: emulator.url,
    ES_ACCESS_KEY: emulator.accessKey,
    ES_SECRET_KEY: emulator.secretKey,
    DCM_CONSOLE_HISTORY: '',
  };
}, 180_000);

afterAll(async () => {
  await emulator?.close();
  rmSync(WORK, { recursive: true, force: true });
});

it('finds the blocks and examples it checks', () => {
  expect(scriptBlocks.length).toBeGreaterThanOrEqual(6);
  expect(shellBlocks.length).toBeGreaterThanOrEqual(3);
  expect(exampleFiles).toEqual(expect.arrayContaining(['list-everything.mjs', 'search-images.mjs', 'launch-and-wait.mjs', 'build-environment.mjs', 'async-service.mts', 'failure-handling.mjs', 'console-session.mjs']));
});

it('type-checks every README block and every example in strict mode against the built package', () => {
  expect(typecheck.stdout + typecheck.stderr).toBe('');
  expect(typecheck.code).toBe(0);
});

describe('runs against the emulator', () => {
  beforeEach(async () => {
    await emulator.reset();
  });

  for (const block of scriptBlocks.filter((b) => !b.flags.includes('fragment'))) {
    it(`README block ${block.name}`, async () => {
      const r = await run(process.execPath, [runnable(blockFile(block))], env, cwd);
      if (r.code !== 0) throw new Error(explain(block.name, r));
    }, RUN_TIMEOUT_MS + 5_000);
  }

  it('README: the writes block, then the names block, on one emulator', async () => {
    const writes = scriptBlocks.filter((b) => b.section === 'Writes, actions and jobs' && !b.flags.includes('fragment'));
    const names = scriptBlocks.filter((b) => b.section === 'Finding things' && b.code.includes(".attach('web-1'"));
    expect([writes.length, names.length]).toEqual([1, 1]);
    for (const block of [writes[0]!, names[0]!]) {
      const r = await run(process.execPath, [runnable(blockFile(block))], env, cwd);
      if (r.code !== 0) throw new Error(explain(block.name, r));
    }
    expect(await liveObjects()).toEqual(seedObjects);
  }, 2 * RUN_TIMEOUT_MS + 5_000);

  for (const file of exampleFiles) {
    it(`examples/${file}: runs twice on one emulator and leaves nothing behind`, async () => {
      const before = await liveObjects();
      const runs: string[][] = [];
      for (let i = 0; i < 2; i++) {
        const r = await run(process.execPath, [runnable(join(ROOT, 'examples', file))], env, cwd);
        if (r.code !== 0) throw new Error(explain(`${file} (run ${i + 1})`, r));
        expect(r.stdout).not.toBe('');
        runs.push(await liveObjects());
      }
      // The second run finds what the first left and leaves the same; that is the seed, save what
      // the API cannot delete (a firewall, which a second run uses again).
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[0]!.filter((o) => !before.includes(o) && !UNDELETABLE.some((type) => o.startsWith(`${type} `)))).toEqual([]);
      expect(before.filter((o) => !runs[0]!.includes(o))).toEqual([]);
    }, 2 * RUN_TIMEOUT_MS + 5_000);
  }

  for (const block of shellBlocks) {
    it(`README shell block ${block.name}`, async () => {
      const script = `set -euo pipefail\nnpx() { local tool="$1"; shift; node "$MIXCOATL_ROOT/dist/bin/$tool.js" "$@"; }\n${block.code}`;
      const r = await run('bash', ['-c', script], { ...env, MIXCOATL_ROOT: ROOT }, cwd);
      if (r.code !== 0) throw new Error(explain(block.name, r));
    }, RUN_TIMEOUT_MS + 5_000);
  }
});

/** Feeds `inputs` to `dcm console --quiet` one at a time, each after the prompt; returns each answer. */
function consoleAnswers(inputs: readonly string[]): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'bin', 'dcm.js'), 'console', '--quiet'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const answers: string[] = [];
    let buffer = '';
    let stderr = '';
    let started = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdout.on('data', (c: Buffer) => {
      buffer += c.toString('utf8');
      if (!buffer.endsWith('dcm> ')) return;
      if (started) answers.push(buffer.slice(0, -'dcm> '.length).trimEnd());
      started = true;
      buffer = '';
      const next = inputs[answers.length];
      if (next === undefined) child.stdin.end('.exit\n');
      else child.stdin.write(`${next}\n`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0 || answers.length !== inputs.length) reject(new Error(`dcm console exited ${code} after ${answers.length} answers\n${stderr}`));
      else resolvePromise(answers);
    });
  });
}

it('replays the README console session and gets the answers it shows', async () => {
  const sessions = readme.filter((b) => b.lang === 'text' && b.code.startsWith('$ npx dcm console --quiet\n'));
  expect(sessions).toHaveLength(1);
  const inputs: string[] = [];
  const shown: string[] = [];
  for (const line of sessions[0]!.code.trimEnd().split('\n').slice(1)) {
    if (line.startsWith('dcm> ')) {
      inputs.push(line.slice('dcm> '.length));
      shown.push('');
    } else {
      shown[shown.length - 1] += `${shown[shown.length - 1] ? '\n' : ''}${line}`;
    }
  }
  await emulator.reset();
  expect(await consoleAnswers(inputs)).toEqual(shown);
}, RUN_TIMEOUT_MS + 5_000);

it('documents an endpoint file that Endpoint.multipleFromFile accepts', () => {
  const json = readme.filter((b) => b.lang === 'json');
  expect(json).toHaveLength(1);
  const file = join(WORK, 'documented-endpoints.json');
  writeFileSync(file, json[0]!.code);
  const endpoints = Endpoint.multipleFromFile(file);
  expect([...endpoints.keys()]).toEqual(['lab', 'prod']);
  expect(endpoints.get('prod')?.url).toBe('https://dcm.example.com/api/enstratus/2015-05-25');
});

it('lists every original tool name with the dcm command it runs', () => {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const listed = [...text.matchAll(/^\| `(dcm-[a-z-]+)` \| `dcm ([^`]*)` \|$/gm)].map((m) => `${m[1]} -> ${m[2]}`);
  const actual = Object.entries(ALIASES)
    .filter(([name]) => name !== 'mixcoatl')
    .map(([name, spec]) => `${name} -> ${spec.argv.filter((arg, i, all) => !arg.startsWith('--') && !all[i - 1]?.startsWith('--')).join(' ')}`);
  expect(listed).toEqual(actual);
});

it('links only to files of the repository', () => {
  const docs = ['README.md', 'CHANGELOG.md', 'examples/README.md', 'docs/PERFORMANCE.md'];
  const broken: string[] = [];
  for (const doc of docs) {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      if (!existsSync(join(ROOT, dirname(doc), target.split('#')[0]!))) broken.push(`${doc}: ${target}`);
    }
  }
  expect(broken).toEqual([]);
});
