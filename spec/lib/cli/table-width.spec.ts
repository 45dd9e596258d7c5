/**
 * Tables fit the terminal: cut with `…` to stdout's width (or COLUMNS) on a terminal, whole with
 * --wide or when piped; `dcm-get --table` uses the same tables. Commands run in-process against an
 * emulator in this thread.
 */
import { dispatchTool } from '../../../lib/cli/bin.js';
import { displayWidth } from '../../../lib/cli/output/cells.js';
import { formatDescribe, formatTable } from '../../../lib/cli/output/table.js';
import { fakeIO, suiteEmulator } from './fake-io.js';

const suite = suiteEmulator();

const widest = (text: string): number => Math.max(...text.split('\n').map(displayWidth));

async function run(tool: string, argv: string[], options: { isTTY: boolean; columns?: number; env?: Record<string, string> }) {
  const io = fakeIO({ env: { ...suite.env(), ...options.env }, isTTY: options.isTTY, columns: options.columns });
  const code = await dispatchTool(tool, argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('formatTable with a width', () => {
  it('leaves out columns that are not kept, last first, to show the kept ones whole, and says which', () => {
    const servers = [
      { id: 338943, name: 'application-0-1357615465344', region: 19344, providerId: 'i-a8fe249a', platform: 'UBUNTU', status: 'RUNNING' },
      { id: 7, name: 'db', region: 19344, providerId: 'i-a0fe2492', platform: 'RHEL', status: 'PAUSED' },
    ];
    const dropped: string[][] = [];
    const text = formatTable(servers, undefined, { width: 60, keep: ['id', 'name', 'status'], onDropped: (headers) => dropped.push(headers) });
    expect(text).toBe('id      name                         region  status\n338943  application-0-1357615465344  19344   RUNNING\n7       db                           19344   PAUSED\n');
    expect(dropped).toEqual([['providerId', 'platform']]);
    // Too narrow even for the kept columns: every other column goes, then the kept ones are cut.
    const tight = formatTable(servers, undefined, { width: 30, keep: ['id', 'name', 'status'] });
    expect(tight.split('\n')[0]).toMatch(/^id +name +status$/);
    expect(widest(tight)).toBeLessThanOrEqual(30);
    // Without `keep` nothing is left out.
    expect(formatTable(servers, undefined, { width: 60 }).split('\n')[0]).toMatch(/^id +name +region +prov\S* +plat\S* +status$/);
  });

  const rows = [
    { id: 1, name: 'a rather long name that does not fit', note: 'short' },
    { id: 22, name: '東京のサーバー名前がとても長い', note: 'another fairly long note here' },
  ];

  it('narrows the widest columns and cuts their cells with an ellipsis', () => {
    const text = formatTable(rows, undefined, { width: 40 });
    expect(widest(text)).toBeLessThanOrEqual(40);
    expect(text).toContain('…');
    expect(text.split('\n')[0]).toMatch(/^id +name +note$/);
  });

  it('leaves a table that fits, or one given no width, unchanged', () => {
    const whole = formatTable(rows);
    expect(formatTable(rows, undefined, { width: 500 })).toBe(whole);
    expect(whole).not.toContain('…');
  });

  it('cuts values before headers, and headers only when that is not enough', () => {
    expect(formatTable(rows, undefined, { width: 20 }).split('\n')[0]).toMatch(/^id +name +note$/);
    const tight = formatTable([{ identifier: 1, description: 'first' }], undefined, { width: 12 });
    expect(tight).toBe('iden…  desc…\n1      first\n');
  });

  it('fits the Field/Value view too', () => {
    const text = formatDescribe({ description: 'x'.repeat(200) }, undefined, { width: 50 });
    expect(widest(text)).toBeLessThanOrEqual(50);
    expect(text).toMatch(/x…$/m);
  });
});

describe('dcm list and dcm-get --table on a terminal', () => {
  it('fit stdout.columns by leaving default columns out (named on stderr), and --wide shows every cell', async () => {
    const fitted = await run('dcm', ['server', 'list'], { isTTY: true, columns: 70 });
    expect(fitted.code).toBe(0);
    expect(widest(fitted.stdout)).toBeLessThanOrEqual(70);
    expect(fitted.stdout.split('\n')[0]).toMatch(/^serverId +name +.*status$/);
    expect(fitted.stderr).toMatch(/^Not shown, to fit 70 columns: (\w+, )*startDate \(--wide shows every column\)\n$/);
    // Asked-for columns are all shown, cut instead.
    const asked = await run('dcm', ['server', 'list', '--columns', 'serverId,name,description,status'], { isTTY: true, columns: 40 });
    expect(widest(asked.stdout)).toBeLessThanOrEqual(40);
    expect(asked.stdout).toContain('…');
    expect(asked.stdout.split('\n')[0]).toMatch(/^serverId +name +description +status$/);
    expect(asked.stderr).toBe('');
    const wide = await run('dcm', ['server', 'list', '--wide'], { isTTY: true, columns: 70 });
    expect(widest(wide.stdout)).toBeGreaterThan(70);
    expect(wide.stdout).not.toContain('…');
    expect(wide.stdout.split('\n').length).toBe(fitted.stdout.split('\n').length);
  });

  it('fit COLUMNS when the stream does not know its width', async () => {
    const r = await run('dcm', ['region', 'list'], { isTTY: true, env: { COLUMNS: '50' } });
    expect(widest(r.stdout)).toBeLessThanOrEqual(50);
  });

  it('are not cut when piped (--table without a terminal)', async () => {
    const r = await run('dcm', ['server', 'list', '--table'], { isTTY: false, columns: 70 });
    expect(widest(r.stdout)).toBeGreaterThan(70);
    expect(r.stdout).not.toContain('…');
  });

  it('dcm-get --table prints the collection like dcm, fitted the same way', async () => {
    const fitted = await run('dcm-get', ['geography/Region', '--table'], { isTTY: true, columns: 60 });
    expect(fitted.code).toBe(0);
    expect(fitted.stdout.split('\n')[0]).toMatch(/^cloud +\S+ +\S+ +\S+ +name +\S+ +\S+ +status$/);
    expect(widest(fitted.stdout)).toBeLessThanOrEqual(60);
    const wide = await run('dcm-get', ['geography/Region', '--table', '--wide', '--columns', 'regionId,name'], { isTTY: true, columns: 10 });
    expect(wide.stdout.split('\n')[0]).toMatch(/^regionId +name$/);
    expect(wide.stdout).toMatch(/^19344 +Oregon \(us-west-2\)$/m);
  });

  it('dcm-get refuses two formats', async () => {
    const r = await run('dcm-get', ['geography/Region', '--table', '--csv'], { isTTY: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/choose one of --csv, --table/);
  });
});
