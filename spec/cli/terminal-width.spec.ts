/**
 * `dcm server list` on a real 80-column terminal: the built executable runs under `script`
 * (util-linux), which gives it a pseudo-terminal set to 80 columns with `stty`, so the command
 * learns the width as it would in a terminal window. Identifier, name and status stay whole;
 * the columns left out are named, and `--wide` shows them all.
 */
import { binPath, lines, sandbox, type Sandbox } from './run-bin.js';
import { runProcess } from '../support/run-process.js';

let box: Sandbox;

beforeAll(async () => {
  box = await sandbox();
});

afterAll(async () => {
  await box?.close();
});

/** Runs `dcm ARGS` on a pseudo-terminal of `columns` columns; stdout and stderr both reach it. */
async function onTerminal(columns: number, args: readonly string[]): Promise<{ code: number | null; text: string }> {
  const quoted = [process.execPath, binPath('dcm'), ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = await runProcess('script', ['-q', '-e', '-c', `stty cols ${columns} rows 500 && exec ${quoted}`, '/dev/null'], { cwd: box.home, env: box.env, input: '' });
  return { code: r.code, text: r.stdout.replace(/\r/g, '') };
}

describe('dcm server list on an 80-column terminal', () => {
  it('shows every server\'s id, name and status whole, leaves lower-priority columns out and names them', async () => {
    const servers = (await box.emulator.items('infrastructure/Server')) as Array<{ serverId: number; name: string; status: string }>;
    expect(servers.length).toBeGreaterThan(5);
    const r = await onTerminal(80, ['server', 'list']);
    expect(r.code).toBe(0);
    const shown = lines(r.text);
    const table = shown.filter((line) => !line.startsWith('Not shown'));
    expect(table.length).toBe(servers.length + 1);
    expect(table.every((line) => line.length <= 80)).toBe(true);
    const header = shown.find((line) => line.startsWith('serverId'));
    expect(header).toMatch(/^serverId +name +.*status/);
    for (const server of servers) {
      const row = shown.find((line) => line.startsWith(`${server.serverId} `));
      expect(row).toBeDefined();
      expect(row).toContain(` ${server.name} `);
      expect(row).toMatch(new RegExp(` ${server.status}( |$)`));
    }
    expect(r.text).not.toMatch(/\w…/);
    expect(shown).toContain('Not shown, to fit 80 columns: publicIpAddress, platform, budget, providerProductId, startDate (--wide shows every column)');
  }, 60_000);

  it('--wide shows every column whole, wider than the terminal', async () => {
    const r = await onTerminal(80, ['server', 'list', '--wide']);
    expect(r.code).toBe(0);
    const header = lines(r.text).find((line) => line.startsWith('serverId'));
    expect(header).toMatch(/^serverId +name +region +providerId +publicIpAddress +platform +budget +providerProductId +status +startDate$/);
    expect(r.text).not.toContain('Not shown');
  }, 60_000);
});
