/**
 * The original tools' names (the 77 executables of the original package): every one is installed (package.json "bin", a thin
 * file in bin/, the built file in dist/bin), translates to an existing `dcm` resource and verb,
 * and a sample of them runs against the emulator.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ALIASES, RAW_TOOL_NAMES, translate } from '../../lib/cli/aliases.js';
import { findCliResource } from '../../lib/cli/catalog.js';
import { loadResources } from '../../lib/cli/load-resources.js';
import { verbsOf } from '../../lib/cli/commands/resource.js';
import { commandNames } from '../../lib/cli/registry.js';
import { binPath, lines, ROOT, runBin, sandbox, type Sandbox } from '../cli/run-bin.js';

/** The original package's 77 executables, written out here, not read from the implementation. */
const ORIGINAL_TOOLS = [
  'mixcoatl', 'dcm-get', 'dcm-post', 'dcm-put', 'dcm-delete', 'dcm-head', 'dcm-api-tests',
  'dcm-assign-cloud', 'dcm-attach-volume', 'dcm-check-job', 'dcm-create-account', 'dcm-create-billing-code',
  'dcm-create-cm', 'dcm-create-group', 'dcm-create-machine-image', 'dcm-create-network', 'dcm-create-role',
  'dcm-create-server', 'dcm-create-user', 'dcm-create-volume', 'dcm-delete-billing-code', 'dcm-delete-group',
  'dcm-delete-network', 'dcm-delete-volume', 'dcm-describe-job', 'dcm-describe-license',
  'dcm-describe-machine-image', 'dcm-describe-server', 'dcm-detach-volume', 'dcm-list-accounts',
  'dcm-list-api-keys', 'dcm-list-api-versions', 'dcm-list-billing-codes', 'dcm-list-clouds', 'dcm-list-cm',
  'dcm-list-cm-environments', 'dcm-list-cm-personalities', 'dcm-list-cm-scripts', 'dcm-list-cm-systems',
  'dcm-list-customers', 'dcm-list-datacenters', 'dcm-list-firewall-rules', 'dcm-list-firewalls',
  'dcm-list-groups', 'dcm-list-jobs', 'dcm-list-loadbalancers', 'dcm-list-machine-images',
  'dcm-list-networks', 'dcm-list-rdbms', 'dcm-list-rdbms-products', 'dcm-list-regions',
  'dcm-list-role-assignments', 'dcm-list-roles', 'dcm-list-server-analytics', 'dcm-list-server-products',
  'dcm-list-server-terminate', 'dcm-list-servers', 'dcm-list-snapshots', 'dcm-list-storage-objects',
  'dcm-list-subscriptions', 'dcm-list-users', 'dcm-list-volumes', 'dcm-pause-server', 'dcm-rename-server',
  'dcm-set-acl', 'dcm-set-role', 'dcm-set-server-terminate', 'dcm-start-server', 'dcm-stop-server',
  'dcm-terminate-server', 'dcm-update-group', 'dcm-update-machine-image-billing-code',
  'dcm-update-machine-image-group', 'dcm-update-server-billing-code', 'dcm-update-server-group',
  'dcm-update-volume-billing-code', 'dcm-update-volume-group',
];

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };

describe('every original executable is installed', () => {
  it('the list has the 77 names of the original package', () => {
    expect(new Set(ORIGINAL_TOOLS).size).toBe(77);
  });

  it.each(ORIGINAL_TOOLS)('%s: package.json bin, bin/ source and dist/bin file', (name) => {
    expect(pkg.bin[name]).toBe(`./dist/bin/${name}.js`);
    expect(existsSync(binPath(name))).toBe(true);
    const source = readFileSync(join(ROOT, 'bin', `${name}.ts`), 'utf8');
    expect(source).toBe(`#!/usr/bin/env node\nimport { runTool } from '../lib/cli/bin.js';\n\nawait runTool('${name}');\n`);
    expect(RAW_TOOL_NAMES.includes(name as never) || Object.hasOwn(ALIASES, name)).toBe(true);
  });

  it('bin holds nothing but dcm and the original names', () => {
    expect(Object.keys(pkg.bin).sort()).toEqual(['dcm', ...ORIGINAL_TOOLS].sort());
  });
});

describe('alias table', () => {
  beforeAll(async () => {
    await loadResources({ stderr: { write: () => true } });
  });

  it.each(Object.entries(ALIASES).map(([name, spec]) => [name, spec.argv] as const))('%s → dcm %j names an existing command', (_name, argv) => {
    if (argv.length === 0 || commandNames().includes(argv[0])) return;
    const resource = findCliResource(argv[0]);
    expect(resource?.command).toBe(argv[0]);
    expect(verbsOf(resource!)).toContain(argv[1]);
  });

  it('every flag rule that targets a resource command maps onto a known verb', () => {
    for (const [name, spec] of Object.entries(ALIASES)) {
      for (const rule of Object.values(spec.flags ?? {})) {
        if (rule.verb) expect(verbsOf(findCliResource(spec.argv[0])!)).toContain(rule.verb);
      }
      expect(name.startsWith('dcm-') || name === 'mixcoatl').toBe(true);
    }
  });

  it.each([
    ['dcm-stop-server', ['-s', '331810', '--wait'], ['server', 'stop', '331810', '--wait']],
    ['dcm-rename-server', ['--name', 'web-2', '--server_id=331810'], ['server', 'rename', '331810', 'web-2']],
    ['dcm-list-servers', ['-r', '19344', '-u', '54321', '--csv'], ['server', 'list', '--filter', 'regionId=19344', '--where', 'owningUser=54321', '--csv']],
    ['dcm-list-jobs', ['-j', '5'], ['job', 'describe', '5']],
    ['dcm-check-job', ['5'], ['job', 'describe', '--field', 'status', '5']],
    ['dcm-set-server-terminate', ['-s', '1', '-x', '2'], ['server', 'schedule-termination', '1', '7200000']],
    ['dcm-list-machine-images', ['-r', '19344', '-e'], ['machine-image', 'list', '--filter', 'regionId=19344', '--filter', 'registered=true']],
    ['mixcoatl', ['--version'], ['--version']],
  ])('%s %j → dcm %j', (tool, argv, expected) => {
    expect(translate(tool, argv)).toEqual(expected);
  });

  it('turns the flags that look things up by name or e-mail into --find queries', () => {
    expect(translate('dcm-list-datacenters', ['-R', 'us-east-1'])).toEqual(['data-center', 'list', '--find', 'region=us-east-1']);
    expect(translate('dcm-list-servers', ['-G', 'Admin', '-B', 'Default', '-m', 'a@b.example'])).toEqual(['server', 'list', '--find', 'owningGroups=Admin', '--find', 'budget=Default', '--find', 'owningUser.email=a@b.example']);
    expect(translate('dcm-list-server-products', ['-p', 'us-west-2'])).toEqual(['server-product', 'list', '--find', 'regionId=us-west-2']);
  });

  it("turns a user's e-mail or login into --of: the groups that user refers to", () => {
    expect(translate('dcm-list-groups', ['-m', 'a@b.example'])).toEqual(['group', 'list', '--of', 'user.email=a@b.example']);
    expect(translate('dcm-list-groups', ['-u', 'jdoe'])).toEqual(['group', 'list', '--of', 'user.vmLoginId=jdoe']);
  });

  it('refuses a flag with no equivalent, saying what to use instead', () => {
    expect(() => translate('dcm-api-tests', ['--post'])).toThrow(/--post is not supported: launching test servers is not supported/);
  });
});

describe('aliases run against the emulator', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox();
  });
  afterAll(async () => {
    await box?.close();
  });

  it('dcm-list-servers -r prints the region filter result', async () => {
    const r = await runBin('dcm-list-servers', ['-r', '19344', '--json'], { env: box.env });
    expect(r.code).toBe(0);
    const servers = JSON.parse(r.stdout) as Array<{ region: { regionId: number } }>;
    expect(servers.length).toBeGreaterThan(0);
    expect(servers.every((s) => s.region.regionId === 19344)).toBe(true);
  });

  it('dcm-describe-server and dcm-check-job', async () => {
    const server = await runBin('dcm-describe-server', ['331810', '--table'], { env: box.env });
    expect(server.code).toBe(0);
    expect(lines(server.stdout)).toContainEqual(expect.stringMatching(/^serverId\s+331810$/));
    const started = JSON.parse((await runBin('dcm-start-server', ['-s', '325853', '--json'], { env: box.env })).stdout);
    const status = await runBin('dcm-check-job', [String(started.jobId)], { env: box.env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^(RUNNING|COMPLETE)\n$/);
  });

  it('a refused flag exits 2 with one line naming the tool', async () => {
    const r = await runBin('dcm-api-tests', ['--post'], { env: box.env });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^dcm-api-tests: UsageError: --post is not supported/)]);
  });
});
