/**
 * `--format json|csv|xml|table` and `-o` as spellings of the format switches; a suggestion for
 * every unknown option; and each original tool name's own `--help`. Commands run in-process
 * against an emulator in this thread.
 */
import { dispatchTool } from '../../../lib/cli/bin.js';
import { ALIASES } from '../../../lib/cli/aliases.js';
import { fakeIO, suiteEmulator } from './fake-io.js';

const suite = suiteEmulator();

async function run(tool: string, argv: string[]) {
  const io = fakeIO({ env: suite.env() });
  const code = await dispatchTool(tool, argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('--format and -o', () => {
  it.each([
    ['csv', ['--csv']],
    ['json', ['--json']],
    ['xml', ['--xml']],
    ['table', ['--table']],
  ])('--format %s and -o print what the format switch prints', async (format, switches) => {
    const args = ['server', 'list', '--columns', 'serverId,name'];
    const expected = await run('dcm', [...args, ...switches]);
    expect(expected.code).toBe(0);
    expect(await run('dcm', [...args, '--format', format])).toEqual(expected);
    expect(await run('dcm', [...args, `--format=${format}`])).toEqual(expected);
    expect(await run('dcm', [...args, '-o', format])).toEqual(expected);
  });

  it('works for describe (with --field), actions and dcm-get too', async () => {
    expect(await run('dcm', ['server', 'describe', '331810', '-o', 'json', '--field', 'name'])).toEqual(await run('dcm', ['server', 'describe', '331810', '--json', '--field', 'name']));
    expect(await run('dcm-get', ['geography/Region', '--format', 'csv'])).toEqual(await run('dcm-get', ['geography/Region', '--csv']));
  });

  it('refuses an unknown format with the nearest, and two different formats', async () => {
    expect(await run('dcm', ['server', 'list', '--format', 'cvs'])).toEqual({ code: 2, stdout: '', stderr: 'dcm: UsageError: server list: --format takes table, json, xml, csv, got "cvs" (did you mean csv?)\n' });
    expect((await run('dcm', ['server', 'list', '--format', 'json', '--csv'])).stderr).toBe('dcm: UsageError: server list: choose one of --json, --csv\n');
  });
});

describe('unknown options', () => {
  it.each([
    [['server', 'list', '--cvs'], 'unknown option --cvs (did you mean --csv?)'],
    [['server', 'list', '--output', 'json'], 'unknown option --output (did you mean --format?)'],
    [['server', 'list', '--zzzzzzzzz'], 'unknown option --zzzzzzzzz (the nearest is --'],
    [['server', 'list', '-q'], 'unknown option -q (--help lists every option)'],
    [['server', 'list', '-p'], 'unknown option -p (did you mean --profile?)'],
  ])('dcm %j: %s', async (argv, message) => {
    const r = await run('dcm', argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('dcm-get, which had no --format, now takes it; an unknown option there gets the nearest too', async () => {
    const r = await run('dcm-get', ['geography/Region', '--formt', 'csv']);
    expect(r.stderr).toBe('dcm-get: UsageError: unknown option --formt (did you mean --format?)\n');
    expect((await run('dcm-get', ['geography/Region', '--qqqqqqqq'])).stderr).toMatch(/^dcm-get: UsageError: unknown option --qqqqqqqq \(the nearest is --\w+; --help lists every option\)\n$/);
  });
});

describe('an original tool\'s --help', () => {
  it('dcm-list-servers --help shows its own usage and its original flags, then the options of the command it runs', async () => {
    const r = await run('dcm-list-servers', ['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Usage: dcm-list-servers [options]');
    expect(r.stdout).toContain('it runs dcm server list.');
    expect(r.stdout).not.toContain('Usage: dcm server list');
    for (const [flags, meaning] of [
      ['-G, --groupname VALUE', '--find owningGroups=VALUE'],
      ['-B, --budgetname VALUE', '--find budget=VALUE'],
      ['-m, --email VALUE', '--find owningUser.email=VALUE'],
      ['-r, --region VALUE', '--filter regionId=VALUE'],
    ]) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  ${flags.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')} +${meaning.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}$`)));
    }
    expect(r.stdout).toMatch(/^ +--find K=V/m);
    expect(await run('dcm-list-servers', ['-h'])).toEqual(r);
  });

  it('every original tool name names itself and each of its original flags in its help', async () => {
    const missing: string[] = [];
    for (const [tool, spec] of Object.entries(ALIASES)) {
      const r = await run(tool, ['--help']);
      if (r.code !== 0 || !r.stdout.startsWith(`Usage: ${tool} `)) missing.push(`${tool}: ${r.code} ${r.stdout.split('\n')[0]} ${r.stderr}`);
      for (const flag of Object.keys(spec.flags ?? {})) if (!new RegExp(`(^|[ ,])${flag}[ ,]`, 'm').test(r.stdout)) missing.push(`${tool} ${flag}`);
    }
    expect(missing).toEqual([]);
  });
});
