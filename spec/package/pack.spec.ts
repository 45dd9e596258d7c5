/**
 * The published package, as a user gets it: `npm pack` (its prepack builds), the tarball installed
 * into an empty directory, then used from there — imported by node, compiled against by a strict
 * TypeScript consumer, and its executables run through npx. One pack and one install for the file.
 * The pack runs in a copy of the sources without `dist/` (as in a fresh clone), so its build
 * neither relies on nor rewrites the `dist/` that other specs are running.
 */
import { builtinModules } from 'node:module';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runProcess, type RunResult } from '../support/run-process.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The TypeScript compilers a consumer may use: 5.9 (the project's own) and 7 (devDependency `typescript-7`). */
const COMPILERS: ReadonlyArray<readonly [major: string, tsc: string]> = [
  ['5', join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')],
  ['7', join(ROOT, 'node_modules', 'typescript-7', 'bin', 'tsc')],
];
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};

type Run = RunResult;

/** The environment without the outer `npm run`'s package and lifecycle variables. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_/i.test(key) || /^(DCM|ES)_/.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  return runProcess(command, args, { cwd, env });
}

function expectOk(r: Run, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

let tmp: string;
let consumer: string;
let tarball: string;
let files: string[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'mixcoatl-pack-'));
  const clone = join(tmp, 'clone');
  const skipped = new Set(['.git', 'node_modules', 'dist', 'coverage', '.test-results', join('docs', 'api')].map((name) => join(ROOT, name)));
  cpSync(ROOT, clone, { recursive: true, filter: (source) => !skipped.has(source) });
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp], clone);
  expectOk(packed, 'npm pack');
  const tarballs = readdirSync(tmp).filter((name) => name.endsWith('.tgz'));
  expect(tarballs).toHaveLength(1);
  tarball = join(tmp, tarballs[0]!);
  // The JSON report follows the prepack build's output.
  const report = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ files: Array<{ path: string }> }>;
  files = report[0]!.files.map((f) => f.path);

  consumer = join(tmp, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  const installed = await run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], consumer);
  expectOk(installed, 'npm install of the tarball');
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds the built library, executables and emulator, and nothing of the bench, specs, demo or source maps', () => {
    const wanted = ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/bin/dcm.js', 'dist/bin/dcm-get.js', 'dist/lib/http/worker.js', 'dist/lib/emulator/index.js', 'dist/lib/emulator/worker.js', 'dist/lib/emulator/child.js', 'dist/lib/emulator/dashboard/assets/index.html', 'dist/lib/emulator/dashboard/assets/app.js', 'dist/lib/emulator/dashboard/assets/style.css', 'dist/resources/infrastructure/index.d.ts'];
    expect(wanted.filter((f) => !files.includes(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)spec\/|bench|demo|\.map$|\.ts$(?<!\.d\.ts)|tsbuildinfo/.test(f))).toEqual([]);
  });

  it('has a built file behind every bin entry and every export', () => {
    const targets = [...Object.values(PKG.bin), ...Object.values(PKG.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))];
    const missing = targets.map((t) => t.replace(/^\.\//, '')).filter((t) => !files.includes(t));
    expect(missing).toEqual([]);
  });
});

describe('installed into an empty project', () => {
  it('imports in node, and works against the emulator it ships (async and synchronous reads)', async () => {
    const script = `
      import { Server, Region, NotFoundError, configure } from 'mixcoatl';
      import { startEmulatorInWorker } from 'mixcoatl/emulator';
      const emu = await startEmulatorInWorker({ port: 0, seed: 1 });
      try {
        configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey });
        const servers = await Server.all();
        const first = new Server(servers[0].serverId);
        const regions = await Region.all();
        let notFound = '';
        try { await Server.get(999999999); } catch (e) { notFound = e instanceof NotFoundError ? e.name : 'other'; }
        console.log(JSON.stringify({ servers: servers.length, syncName: first.name === servers[0].name, regions: regions.length, notFound }));
      } finally {
        await emu.close();
      }
    `;
    writeFileSync(join(consumer, 'check.mjs'), script);
    const r = await run(process.execPath, ['check.mjs'], consumer);
    expectOk(r, 'node consumer script');
    const out = JSON.parse(r.stdout.trim()) as { servers: number; syncName: boolean; regions: number; notFound: string };
    expect(out.servers).toBeGreaterThan(0);
    expect(out.syncName).toBe(true);
    expect(out.regions).toBeGreaterThan(0);
    expect(out.notFound).toBe('NotFoundError');
  }, 60_000);

  it('its bundled entries share one set of classes and export what the compiled modules export', async () => {
    const script = `
      import { pathToFileURL } from 'node:url';
      import * as root from 'mixcoatl';
      import * as infrastructure from 'mixcoatl/infrastructure';
      import * as geography from 'mixcoatl/geography';
      import * as admin from 'mixcoatl/admin';
      const compiled = await import(pathToFileURL('node_modules/mixcoatl/dist/lib/index.js').href);
      root.configure({ endpoint: 'http://127.0.0.1:9/api/enstratus/2015-05-25', accessKey: 'A', secretKey: 'S' });
      let refused = '';
      try { root.offline(() => new root.Server(1).name); } catch (e) { refused = e.message; }
      console.log(JSON.stringify({
        callSite: refused.slice(refused.lastIndexOf(' at ') + 4),
        server: root.Server === infrastructure.Server,
        region: root.Region === geography.Region,
        job: root.Job === admin.Job,
        registry: root.metaOf(infrastructure.Volume)?.path,
        sameNames: JSON.stringify(Object.keys(root).sort()) === JSON.stringify(Object.keys(compiled).sort()),
        names: Object.keys(root).length,
      }));
    `;
    writeFileSync(join(consumer, 'entries.mjs'), script);
    const r = await run(process.execPath, ['entries.mjs'], consumer);
    expectOk(r, 'node entries script');
    const out = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
    // A call site names the program's line, not the bundle's.
    expect(out).toEqual({ callSite: `${join(consumer, 'entries.mjs')}:10:51`, server: true, region: true, job: true, registry: 'infrastructure/Volume', sameNames: true, names: expect.any(Number) });
    expect(out.names).toBeGreaterThan(50);
  }, 60_000);

  it('reads synchronously through a worker that is one file: it imports only built-in modules and works without got installed', async () => {
    const installed = join(consumer, 'node_modules', 'mixcoatl');
    // esbuild parses the file and lists what it would still have to load from outside.
    const { metafile } = await build({ entryPoints: [join(installed, 'dist', 'lib', 'http', 'worker.js')], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
    const outside = Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.filter((path) => !builtinModules.includes(path.replace(/^node:/, '')))).toEqual([]);
    expect(readFileSync(join(installed, 'dist', 'lib', 'http', 'worker.licenses.txt'), 'utf8')).toMatch(/^got@\d+\.\d+\.\d+ \(MIT\)$/m);

    const script = `
      import { Server, configure } from 'mixcoatl';
      import { startEmulatorInWorker } from 'mixcoatl/emulator';
      const emu = await startEmulatorInWorker({ port: 0, seed: 1 });
      try {
        configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey });
        const [first] = await emu.items('infrastructure/Server');
        const server = new Server(first.serverId);
        let asyncRead = 'ok';
        try { await Server.get(server.id); } catch (e) { asyncRead = e.message.includes('got') ? 'needs got' : e.message; }
        console.log(JSON.stringify({ name: server.name === first.name, asyncRead }));
      } finally {
        await emu.close();
      }
    `;
    writeFileSync(join(consumer, 'sync-without-got.mjs'), script);
    const got = join(consumer, 'node_modules', 'got');
    const hidden = `${got}.hidden`;
    renameSync(got, hidden);
    try {
      const r = await run(process.execPath, ['sync-without-got.mjs'], consumer);
      expectOk(r, 'node sync-without-got script');
      const out = JSON.parse(r.stdout.trim()) as { name: boolean; asyncRead: string };
      expect(out.name).toBe(true);
      // The async path uses the installed got: without it, only the synchronous read works.
      expect(out.asyncRead).toBe('needs got');
    } finally {
      renameSync(hidden, got);
    }
  }, 60_000);

  // The README's command line, nothing more: no tsconfig, no --types, skipLibCheck off. TypeScript 7
  // includes no @types package unless something references it, so the declarations must.
  it.each(COMPILERS)('type-checks a strict TypeScript %s consumer, compiled with the README\'s flags only, against the published declarations', async (major, tsc) => {
    const version = await run(process.execPath, [tsc, '--version'], consumer);
    expect(version.stdout).toMatch(new RegExp(`^Version ${major}\\.`));
    writeFileSync(
      join(consumer, 'main.ts'),
      `import { configure, Endpoint, Server, Job, DcmError, NotFoundError, JobFailedError, type LaunchAttributes } from 'mixcoatl';
import { Volume } from 'mixcoatl/infrastructure';
import { Region } from 'mixcoatl/geography';
import { startEmulator, type EmulatorHandle } from 'mixcoatl/emulator';

configure({ lazy: 'async', retry: { limit: 2 } });
const endpoint = new Endpoint({ url: 'http://127.0.0.1:1/api/enstratus/2015-05-25', accessKey: 'A', secretKey: 'S' });
const attrs: LaunchAttributes = { name: 'web', description: 'front end', budget: 1, providerProductId: 'm1.small', machineImage: 1, dataCenter: 2 };

export async function main(): Promise<string> {
  const emu: EmulatorHandle = await startEmulator({ port: 0 });
  const server: Server = await Server.get(1, { endpoint });
  const name: string | undefined = server.name;
  const regions: Region[] = await Region.all();
  const volumes: Volume[] = await Volume.all({ endpoint });
  const job: Job | undefined = await server.stop({ reason: 'x' });
  await job?.wait({ timeoutMs: 1000 });
  await emu.close();
  try {
    await Server.launch(attrs, { wait: true });
  } catch (e) {
    if (e instanceof JobFailedError || e instanceof NotFoundError) return e.code;
    if (e instanceof DcmError) return String(e.statusCode);
  }
  return \`\${name} \${regions.length} \${volumes.length}\`;
}
`,
    );
    const r = await run(process.execPath, [tsc, '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', 'main.ts'], consumer);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 60_000);

  it('runs the executables through npx: dcm --version and dcm-get --help', async () => {
    const version = await run('npx', ['--no', '--', 'dcm', '--version'], consumer);
    expectOk(version, 'npx dcm --version');
    expect(version.stdout.trim()).toBe(`mixcoatl ${PKG.version}`);
    const help = await run('npx', ['--no', '--', 'dcm-get', '--help'], consumer);
    expectOk(help, 'npx dcm-get --help');
    expect(help.stdout).toMatch(/^Usage: dcm-get PATH/);
  }, 60_000);
});
