/**
 * The journal: 4 processes × 100 writes give serials 1..400 with no gap and no duplicate; `log()`
 * is the latest 10 and `log(serial)` everything after it; reads only when asked; the apply run is
 * recorded; entries past the retention period are dropped; no secret reaches the file.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import {
  apply, configure, configureJobs, configureJournal, flushJournal, journalPath, log, readJournalEntries, request, resetConfiguration, resetJournal, Server,
} from '../../lib/index.js';
import { requireBuild } from '../cli/run-bin.js';
import { runProcess, type RunResult } from '../support/run-process.js';

let emulator: EmulatorHandle;
let serverId: number;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ jobDelayMs: 0 });
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, lazy: 'async', retry: { limit: 0 } });
  configureJobs({ intervalMs: 0, timeoutMs: 20_000 });
  serverId = (await Server.all()).find((s) => s.status === 'RUNNING')!.serverId;
});

afterAll(async () => {
  resetJournal();
  configureJobs();
  resetConfiguration();
  await emulator.close();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mixcoatl-journal-spec-'));
  resetJournal();
  configureJournal({ dir });
});

function writer(count: number, tag: string): Promise<RunResult> {
  const script = fileURLToPath(new URL('./scripts/journal-writer.mjs', import.meta.url));
  return runProcess(process.execPath, [script, String(serverId), String(count), tag], {
    env: { PATH: process.env.PATH, HOME: dir, ES_ENDPOINT: emulator.url, ES_ACCESS_KEY: emulator.accessKey, ES_SECRET_KEY: emulator.secretKey, MIXCOATL_JOURNAL_DIR: dir },
  });
}

/** Every entry of the journal file, intent and outcome merged. */
async function entriesOfFile(): Promise<Array<Record<string, any>>> {
  return (await readJournalEntries(journalPath())) as unknown as Array<Record<string, any>>;
}

describe('the journal', () => {
  it('4 processes × 100 writes: serials 1..400, no gap, no duplicate; log() and log(serial)', async () => {
    requireBuild();
    const runs = await Promise.all(['a', 'b', 'c', 'd'].map((tag) => writer(100, tag)));
    for (const r of runs) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const entries = await entriesOfFile();
    expect(entries).toHaveLength(400);
    expect(entries.map((e) => e.serial)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    for (const tag of ['a', 'b', 'c', 'd']) expect(entries.filter((e) => String(e.arguments.describeServer[0].description).startsWith(`${tag} `))).toHaveLength(100);
    expect(entries[0]).toMatchObject({ method: 'PUT', path: `infrastructure/Server/${serverId}`, status: 204, exception: null, run: null, endpoint: emulator.url, result: null, outcome: 'done' });
    expect(typeof entries[0].timestamp).toBe('string');

    const latest = await log();
    expect(latest.map((e) => e.serial)).toEqual([391, 392, 393, 394, 395, 396, 397, 398, 399, 400]);
    expect((await log(395)).map((e) => e.serial)).toEqual([396, 397, 398, 399, 400]);
    expect(await log(400)).toEqual([]);
    expect((await log(0)).length).toBe(400);
    await expect(log(-1)).rejects.toThrow(/serial must be a whole number/);
  });

  it('journals writes only, unless reads are asked for; records failures and the apply run; keeps no secret', async () => {
    await Server.all();
    await request('DELETE', 'infrastructure/Volume/987654321', { throwOnError: false, query: { reason: 'gone' } });
    await flushJournal();
    let entries = await log();
    expect(entries.map((e) => [e.serial, e.method, e.status])).toEqual([[1, 'DELETE', 404]]);
    expect(entries[0].exception).toMatch(/404/);
    expect(entries[0].query).toEqual({ reason: 'gone' });

    configureJournal({ reads: true });
    await request('GET', 'geography/Region');
    const { run } = await apply([{ type: 'Firewall', name: 'journal-fw', description: 'd', budget: 10287, region: 19344 }]);
    const made = await request('POST', 'admin/ApiKey', { body: { generateApiKey: [{ name: 'journal key', description: 'd' }] } });
    const newSecret = String((made.data as { apiKeys: Array<{ secretKey: string }> }).apiKeys[0].secretKey);
    expect(newSecret.length).toBeGreaterThan(10);
    await request('PUT', `infrastructure/Server/${serverId}`, { body: { describeServer: [{ description: `not ${emulator.secretKey} here` }] } });
    await flushJournal();
    entries = await log(1);
    expect(entries[0]).toMatchObject({ serial: 2, method: 'GET', path: 'geography/Region', status: 200, run: null });
    const applied = entries.filter((e) => e.run === run);
    expect(applied.map((e) => `${e.method} ${e.path}`)).toEqual(expect.arrayContaining(['GET network/Firewall', 'POST network/Firewall']));
    const text = readFileSync(journalPath(), 'utf8');
    expect(text).not.toContain(emulator.secretKey);
    expect(text).not.toContain(newSecret);
    expect(text).toContain('not [redacted] here');
    expect(text).not.toMatch(/x-esauth-signature/i);
    expect(text).toContain('"secretKey":"[redacted]"');
  });

  it('drops entries older than the retention period, from log() and from the file', async () => {
    const file = journalPath();
    mkdirSync(dir, { recursive: true });
    const old = { serial: 1, timestamp: new Date(Date.now() - 40 * 86_400_000).toISOString(), method: 'PUT', path: 'x', arguments: null, result: null, status: 204, exception: null, run: null, endpoint: emulator.url };
    const recent = { ...old, serial: 2, timestamp: new Date(Date.now() - 5 * 86_400_000).toISOString() };
    writeFileSync(file, `${JSON.stringify(old)}\n${JSON.stringify(recent)}\n`);
    writeFileSync(`${file}.seq`, '2\n');
    expect((await log()).map((e) => e.serial)).toEqual([2]);
    configureJournal({ retentionDays: 1 });
    expect(await log()).toEqual([]);
    configureJournal({ retentionDays: 30 });
    await request('PUT', `infrastructure/Server/${serverId}`, { body: { describeServer: [{ description: 'after retention' }] } });
    await flushJournal();
    expect((await entriesOfFile()).map((e) => e.serial)).toEqual([2, 3]);
  });

  it('can be turned off', async () => {
    configureJournal({ enabled: false });
    await request('PUT', `infrastructure/Server/${serverId}`, { body: { describeServer: [{ description: 'unjournaled' }] } });
    await flushJournal();
    expect(await log()).toEqual([]);
  });
});

describe('dcm log', () => {
  it('--follow prints entries as they are appended, until stopped', async () => {
    const { run } = await import('../../lib/cli/commands/log.js');
    const { findCommand } = await import('../../lib/cli/registry.js');
    let out = '';
    const io = {
      stdout: { write: (chunk: string) => (out += chunk) },
      stderr: { write: () => true },
      env: { ES_ENDPOINT: emulator.url, ES_ACCESS_KEY: emulator.accessKey, ES_SECRET_KEY: emulator.secretKey, HOME: dir },
      cwd: dir,
      isTTY: false,
    };
    const abort = new AbortController();
    const following = run(['--follow', '--json'], io, { tool: 'dcm', flags: findCommand('log')!.flags, signal: abort.signal });
    const seen = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (out.split('\n').filter(Boolean).length >= 2) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    await request('PUT', `infrastructure/Server/${serverId}`, { body: { describeServer: [{ description: 'followed 1' }] } });
    await request('PUT', `infrastructure/Server/${serverId}`, { body: { describeServer: [{ description: 'followed 2' }] } });
    await flushJournal();
    // A follow that ends early fails here rather than leaving the wait unanswered.
    await Promise.race([seen, following.then((code) => Promise.reject(new Error(`dcm log --follow ended early (${code})`)))]);
    abort.abort();
    expect(await following).toBe(0);
    expect(out.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { serial: number }).serial)).toEqual([1, 2]);
  });
});
