/**
 * The write-ahead journal against the emulator: every write the emulator saw has an entry when a
 * writer is killed (SIGKILL) at a random moment (one write at a time, or twenty whose lines share
 * appends) or mid-flight on a slow API; concurrent writes of one process keep serials gapless and
 * each outcome after its intent; a process that exits as soon as it is answered leaves every outcome; an entry whose writer
 * died shows as "sent, outcome unknown" with its run; a torn last line is cut off, never glued to
 * the next entry; unparsable lines (a very long one too) are moved to the quarantine file with a
 * warning; no spelling of the secret key in any file of the journal's directory nor in `dcm log`;
 * files 0600 and directories 0700 after a prune; a holder blocked while it holds the lock keeps it
 * and nothing is lost, duplicated or thrown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { configure, configureJournal, journalPath, log, readJournalEntries, request, resetConfiguration, resetJournal, Server } from '../../lib/index.js';
import { binPath, requireBuild } from '../cli/run-bin.js';
import { runProcess, type RunResult } from '../support/run-process.js';

/** A secret key with a character JSON escapes, and no word that marks a member as secret by its name. */
const SECRET = 'wal"Kx-7f3a9c2e51d04b6a';
let emulator: EmulatorHandle;
let serverId: number;
let base: string;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ jobDelayMs: 0, keys: [{ accessKey: 'WALACCESSKEY', secretKey: SECRET }] });
  configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false, lazy: 'async', retry: { limit: 0 } });
  serverId = (await Server.all()).find((s) => s.status === 'RUNNING')!.serverId;
  base = mkdtempSync(join(tmpdir(), 'mixcoatl-wal-spec-'));
});

afterAll(async () => {
  resetJournal();
  resetConfiguration();
  await emulator.close();
  rmSync(base, { recursive: true, force: true });
});

beforeEach(async () => {
  dir = mkdtempSync(join(base, 'case-'));
  resetJournal();
  configureJournal({ dir });
  await emulator.setFaults([]);
  await emulator.clearLog();
});

function env(): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: dir, ES_ENDPOINT: emulator.url, ES_ACCESS_KEY: emulator.accessKey, ES_SECRET_KEY: emulator.secretKey, MIXCOATL_JOURNAL_DIR: dir };
}

function script(name: string): string {
  return fileURLToPath(new URL(`./scripts/${name}`, import.meta.url));
}

/** Children still running: a test that fails before it ends them leaves none behind (afterEach). */
const running = new Set<ChildProcess>();

afterEach(async () => {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  running.clear();
});

/** A child process whose output is collected; `exited` resolves with the result. */
function start(args: readonly string[]): { child: ChildProcess; exited: Promise<RunResult>; stdout: () => string } {
  const child = spawn(process.execPath, args, { env: env() as NodeJS.ProcessEnv, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('close', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<RunResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, exited, stdout: () => stdout };
}

/** Waits (polling) until `check` holds. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The requests the emulator received with `method` on a path under `prefix`, from its own log. */
async function served(method: string, prefix: string): Promise<number> {
  return (await emulator.requestLog()).filter((e) => e.method === method && e.resource.startsWith(prefix)).length;
}

/** Warnings emitted while `fn` runs. */
async function warningsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = process.emitWarning;
  process.emitWarning = ((warning: string | Error) => void seen.push(typeof warning === 'string' ? warning : warning.message)) as typeof process.emitWarning;
  try {
    await fn();
  } finally {
    process.emitWarning = original;
  }
  return seen;
}

function put(description: string): Promise<unknown> {
  return request('PUT', `infrastructure/Server/${serverId}`, { body: { describeServer: [{ description }] } });
}

function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    out.push(path);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
  }
  return out;
}

describe('the write-ahead journal', () => {
  /**
   * Writers (one process per tag, `count` PUTs each, `together` at a time) of which one, chosen at
   * random, is killed with SIGKILL once the emulator has served a random number of PUTs; then one
   * more PUT through the same delay. Checks that every PUT the emulator saw has an entry, serials
   * are gapless, the others exited cleanly, and only the victim's entries can lack an outcome.
   */
  async function killOneWriter(tags: string[], count: number, together: number): Promise<{ puts: number; entries: Awaited<ReturnType<typeof readJournalEntries>>; victimPid: number; context: string }> {
    requireBuild();
    const path = `infrastructure/Server/${serverId}`;
    // Each PUT spends a while at the emulator, so the kill most likely finds one in flight.
    await emulator.setFaults([{ path, methods: ['PUT'], latencyMs: 20 }]);
    const writers = tags.map((tag) => start([script('journal-writer.mjs'), String(serverId), String(count), tag, String(together)]));
    const victim = Math.floor(Math.random() * tags.length);
    const moment = 1 + Math.floor(Math.random() * (count * (tags.length - 0.5)));
    let victimDone = false;
    void writers[victim].exited.then(() => (victimDone = true));
    await until(async () => victimDone || (await served('PUT', path)) >= moment);
    writers[victim].child.kill('SIGKILL');
    const results = await Promise.all(writers.map((w) => w.exited));
    results.forEach((r, i) => {
      if (i !== victim) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    });
    // One more PUT through the same delay: once it is answered, every PUT that reached the
    // emulator before it has been carried out and logged (equal delays end in the order they began).
    await put('the last one');
    const puts = await served('PUT', path);
    const entries = (await readJournalEntries(journalPath())).filter((e) => e.method === 'PUT');
    const victimPid = writers[victim].child.pid as number;
    const context = `victim ${victim}, killed after ${moment} PUTs; ${puts} PUTs served, ${entries.length} entries`;
    expect({ context, enough: entries.length >= puts }).toEqual({ context, enough: true });
    expect(entries.map((e) => e.serial)).toEqual(Array.from({ length: entries.length }, (_, i) => i + 1));
    for (const e of entries.filter((x) => x.outcome !== 'done')) expect({ outcome: e.outcome, pid: e.pid }).toEqual({ outcome: 'unknown', pid: victimPid });
    for (const e of entries.filter((x) => x.pid !== victimPid)) expect(e).toMatchObject({ outcome: 'done', status: 204 });
    return { puts, entries, victimPid, context };
  }

  it('3 processes × 100 PUTs, one killed with SIGKILL at a random moment: every PUT the emulator saw has an entry, serials gapless', async () => {
    const { puts, entries, context } = await killOneWriter(['a', 'b', 'c'], 100, 1);
    // At most one intent more than was served: the victim's, appended just before it died.
    expect({ context, extra: entries.length - puts <= 1 }).toEqual({ context, extra: true });
    expect(entries.filter((e) => e.outcome !== 'done').length).toBeLessThanOrEqual(1);
  }, 180_000);

  it('2 processes × 200 PUTs sent 20 at a time, one killed with SIGKILL at a random moment: every PUT the emulator saw has an entry, serials gapless', async () => {
    const { puts, entries, context } = await killOneWriter(['a', 'b'], 200, 20);
    // What the victim had in flight, at most one round of 20, may lack its outcome.
    expect({ context, extra: entries.length - puts <= 20 }).toEqual({ context, extra: true });
    expect(entries.filter((e) => e.outcome !== 'done').length).toBeLessThanOrEqual(20);
  }, 180_000);

  it('a write killed mid-flight on a slow API shows in dcm log as "sent, outcome unknown" with its run; the emulator received the POST at most once', async () => {
    requireBuild();
    // Listings of firewalls take as long as the POST: a GET sent after it ends after it (below).
    await emulator.setFaults([{ path: 'network/Firewall', methods: ['POST', 'GET'], latencyMs: 1500 }]);
    const file = join(dir, 'desired.yaml');
    writeFileSync(file, '- type: Firewall\n  name: wal-fw\n  description: killed mid-flight\n  budget: 10287\n  region: 19344\n');
    const applying = start([binPath('dcm'), 'apply', '--yes', file]);
    const journal = journalPath();
    let ended = false;
    void applying.exited.then(() => (ended = true));
    await until(async () => ended || (existsSync(journal) && (await readJournalEntries(journal)).some((e) => e.method === 'POST')));
    expect({ ended, stderr: ended ? (await applying.exited).stderr : '' }).toEqual({ ended: false, stderr: '' });
    applying.child.kill('SIGKILL');
    await applying.exited;
    // The intent is journaled before the request leaves, so the kill may come before the POST did.
    // A GET through the same delay: once it is answered, a POST that reached the emulator before
    // it has been carried out and logged.
    await request('GET', 'network/Firewall');
    const posts = await served('POST', 'network/Firewall');
    expect(posts).toBeLessThanOrEqual(1);
    const [entry] = (await readJournalEntries(journal)).filter((e) => e.method === 'POST');
    expect(entry).toMatchObject({ method: 'POST', path: 'network/Firewall', outcome: 'unknown', status: null, pid: applying.child.pid });
    expect(entry.run).toEqual(expect.any(String));
    expect((await log()).find((e) => e.serial === entry.serial)).toMatchObject({ outcome: 'unknown', run: entry.run });

    const shown = await runProcess(process.execPath, [binPath('dcm'), 'log'], { env: env(), cwd: dir });
    expect(shown.code).toBe(0);
    const line = shown.stdout.split('\n').find((l) => l.includes('POST') && l.includes('network/Firewall'));
    expect(line).toContain('sent, outcome unknown');
    expect(line).toContain(`run ${entry.run}`);
  }, 120_000);

  it('concurrent writes of one process share appends: serials gapless, every outcome line after its intent line', async () => {
    const n = 24;
    await Promise.all(Array.from({ length: n }, (_, i) => put(`together ${i}`)));
    const lines = readFileSync(journalPath(), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { serial: number; phase: string });
    const sent = lines.filter((l) => l.phase === 'sent').map((l) => l.serial);
    expect(sent).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    lines.forEach((line, at) => {
      if (line.phase === 'done') expect({ serial: line.serial, intentBefore: lines.slice(0, at).some((l) => l.phase === 'sent' && l.serial === line.serial) }).toEqual({ serial: line.serial, intentBefore: true });
    });
    expect(lines.filter((l) => l.phase === 'done').map((l) => l.serial).sort((a, b) => a - b)).toEqual(sent);
    expect(await served('PUT', 'infrastructure/Server')).toBe(n);
  });

  it('a process that exits as soon as an answer comes leaves its outcome in the journal, and no holder file', async () => {
    requireBuild();
    const run = await runProcess(process.execPath, [script('journal-exit.mjs'), String(serverId), '12'], { env: env(), cwd: dir });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    // The synchronous write, then the twelve intents; the first answer's outcome, written at exit.
    const entries = await readJournalEntries(journalPath());
    expect(entries).toHaveLength(13);
    expect(entries.filter((e) => e.outcome === 'done')).toHaveLength(2);
    for (const e of entries.filter((x) => x.outcome === 'done')) expect(e).toMatchObject({ method: 'PUT', status: 204 });
    // The lock taken at exit to write them leaves no holder file behind.
    expect(readdirSync(dir).filter((name) => name.endsWith('.holder'))).toEqual([]);
  });

  it('a torn last line is cut off before the next append, never glued to it: every intact entry reads back', async () => {
    await put('before the tear');
    const file = journalPath();
    // A writer killed mid-append leaves part of a line without its newline.
    appendFileSync(file, '{"serial":2,"phase":"sent","timestamp":"2026-12-06T18:00:00.000Z","method":"PU');
    const warnings = await warningsOf(() => put('after the tear'));
    const entries = await readJournalEntries(file);
    expect(entries.map((e) => [e.serial, e.outcome, (e.arguments as any).describeServer[0].description])).toEqual([
      [1, 'done', 'before the tear'],
      [2, 'done', 'after the tear'],
    ]);
    for (const line of readFileSync(file, 'utf8').trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(readFileSync(`${file}.quarantine`, 'utf8')).toBe('{"serial":2,"phase":"sent","timestamp":"2026-12-06T18:00:00.000Z","method":"PU\n');
    expect(warnings.join('\n')).toContain(`${file}.quarantine`);
  });

  it('moves unparsable lines (a very long one too) to the quarantine file with a warning naming it, and keeps every entry', async () => {
    const file = journalPath();
    const now = new Date().toISOString();
    const entry = (serial: number): string => JSON.stringify({ serial, timestamp: now, method: 'PUT', path: 'x', arguments: null, result: null, status: 204, exception: null, run: null, endpoint: emulator.url });
    const long = `{"serial":"${'x'.repeat(9 << 20)}`;
    writeFileSync(file, `${entry(1)}\nnot json at all\n${entry(2)}\n${long}\n${entry(3)}\n`, { mode: 0o600 });
    const warnings = await warningsOf(() => put('after the sweep'));
    expect((await readJournalEntries(file)).map((e) => e.serial)).toEqual([1, 2, 3, 4]);
    const quarantine = readFileSync(`${file}.quarantine`, 'utf8');
    expect(quarantine).toBe(`not json at all\n${long}\n`);
    expect(readFileSync(file, 'utf8')).not.toContain('not json');
    expect(warnings.join('\n')).toMatch(new RegExp(`2 line\\(s\\) of .* moved to ${`${file}.quarantine`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  }, 60_000);

  it('keeps the secret key out of the quarantine file: in a torn line, in an unparsable line, and cut by a chunk boundary of a long one', async () => {
    const file = journalPath();
    const escaped = JSON.stringify(SECRET).slice(1, -1);
    // The secret straddles the 64 KiB chunk boundary of the copy: the line starts at offset 0.
    const long = `${'y'.repeat((1 << 16) - 5)}${SECRET}${'y'.repeat(100)} and ${escaped}`;
    writeFileSync(file, `not json ${SECRET}\n${long}\n`, { mode: 0o600 });
    const warnings = await warningsOf(() => put('first after the sweep'));
    appendFileSync(file, `{"serial":9,"phase":"sent","path":"infrastructure/Volume/${encodeURIComponent(SECRET)}`);
    warnings.push(...(await warningsOf(() => put('after the tear'))));
    expect(warnings).toHaveLength(2);
    for (const warning of warnings) expect(warning).not.toContain(SECRET);
    const quarantine = readFileSync(`${file}.quarantine`, 'utf8');
    expect(quarantine.split('\n')).toHaveLength(4);
    for (const spelling of [SECRET, escaped, encodeURIComponent(SECRET)]) expect(quarantine).not.toContain(spelling);
    expect(quarantine).toContain(`not json [redacted]\n${'y'.repeat((1 << 16) - 5)}[redacted]${'y'.repeat(100)} and [redacted]\n`);
    expect(quarantine).toContain('"path":"infrastructure/Volume/[redacted]\n');
  });

  it('keeps every spelling of the secret key out of every file of the journal directory and out of dcm log, in paths, query and member names', async () => {
    requireBuild();
    const nested = join(dir, 'made', 'by-journal');
    configureJournal({ dir: nested });
    await request('PUT', `infrastructure/Volume/${SECRET}`, { throwOnError: false, query: { [SECRET]: SECRET, plain: 'x' }, body: { describeVolume: [{ [SECRET]: 1, description: `a ${SECRET} b` }] } });
    await request('DELETE', `infrastructure/Volume/${SECRET}`, { throwOnError: false });
    const entries = await readJournalEntries(journalPath());
    expect(entries.map((e) => [e.method, e.path, e.outcome])).toEqual([
      ['PUT', 'infrastructure/Volume/[redacted]', 'done'],
      ['DELETE', 'infrastructure/Volume/[redacted]', 'done'],
    ]);
    expect(entries[0].query).toEqual({ '[redacted]': '[redacted]', plain: 'x' });
    expect(entries[0].arguments).toEqual({ describeVolume: [{ '[redacted]': 1, description: 'a [redacted] b' }] });

    const spellings = [SECRET, JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET)];
    const files = filesUnder(dir).filter((p) => statSync(p).isFile());
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      for (const s of spellings) expect({ path, found: text.includes(s) }).toEqual({ path, found: false });
    }
    const childEnv = { ...env(), MIXCOATL_JOURNAL_DIR: nested };
    for (const args of [['log'], ['log', '--json'], ['log', '--since', '0']]) {
      const shown = await runProcess(process.execPath, [binPath('dcm'), ...args], { env: childEnv, cwd: dir });
      expect({ args, code: shown.code }).toEqual({ args, code: 0 });
      expect(shown.stdout).toContain('infrastructure/Volume/[redacted]');
      for (const s of spellings) expect({ args, found: (shown.stdout + shown.stderr).includes(s) }).toEqual({ args, found: false });
    }
    for (const d of [join(dir, 'made'), nested]) expect((statSync(d).mode & 0o777).toString(8)).toBe('700');
  }, 60_000);

  it('after a retention prune every file is 0600 and every directory it made 0700', async () => {
    const nested = join(dir, 'j', 'k');
    configureJournal({ dir: nested });
    const file = journalPath();
    mkdirSync(nested, { recursive: true, mode: 0o700 });
    const old = { serial: 1, timestamp: new Date(Date.now() - 40 * 86_400_000).toISOString(), method: 'PUT', path: 'x', arguments: null, result: null, status: 204, exception: null, run: null, endpoint: emulator.url };
    const recent = { ...old, serial: 2, timestamp: new Date().toISOString() };
    writeFileSync(file, `${JSON.stringify(old)}\n${JSON.stringify(recent)}\nunparsable\n`);
    writeFileSync(`${file}.seq`, '2\n');
    chmodSync(file, 0o644);
    chmodSync(`${file}.seq`, 0o644);
    await put('after the prune');
    expect((await readJournalEntries(file)).map((e) => e.serial)).toEqual([2, 3]);
    const found = filesUnder(nested).map((p) => [p.slice(nested.length + 1), (statSync(p).mode & 0o777).toString(8)]);
    // The append lock's holder file, kept for this process's lifetime (lib/lock.ts, `frequent`).
    const holder = `${file.slice(nested.length + 1)}.append.lock.${process.pid}-`;
    expect(found.filter(([name]) => name.startsWith(holder) && name.endsWith('.holder')).map(([, mode]) => mode)).toEqual(['600']);
    expect(found.filter(([name]) => !name.startsWith(holder)).sort()).toEqual(
      [
        [file.slice(nested.length + 1), '600'],
        [`${file.slice(nested.length + 1)}.quarantine`, '600'],
        [`${file.slice(nested.length + 1)}.seq`, '600'],
      ].sort(),
    );
    await put('again');
    for (const p of filesUnder(nested)) expect([p, (statSync(p).mode & 0o777).toString(8)]).toEqual([p, '600']);
  });

  it('a holder blocked while it holds the lock keeps it: the other writer waits, nothing is lost, duplicated or thrown', async () => {
    requireBuild();
    const file = journalPath();
    mkdirSync(dir, { recursive: true });
    // Held for 12 s: longer than the 10 s after which a time-based lock (as proper-lockfile's) is taken as stale.
    const blocker = start([script('journal-blocker.mjs'), file, String(serverId), '3', '12000', '1500']);
    await until(() => blocker.stdout().includes('held'));
    const writer = start([script('journal-writer.mjs'), String(serverId), '60', 'w']);
    const [b, w] = await Promise.all([blocker.exited, writer.exited]);
    expect({ code: b.code, stdout: b.stdout, stderr: b.stderr }).toEqual({ code: 0, stdout: 'held\ndone\n', stderr: '' });
    expect({ code: w.code, stderr: w.stderr }).toEqual({ code: 0, stderr: '' });
    const entries = await readJournalEntries(file);
    expect(entries).toHaveLength(63);
    expect(await served('PUT', `infrastructure/Server/${serverId}`)).toBe(63);
    expect(entries.map((e) => e.serial)).toEqual(Array.from({ length: 63 }, (_, i) => i + 1));
    expect(entries.every((e) => e.outcome === 'done' && e.status === 204)).toBe(true);
    const descriptions = entries.map((e) => (e.arguments as any).describeServer[0].description as string);
    expect(new Set(descriptions).size).toBe(63);
  }, 120_000);

  it('dcm log on a journal that cannot be read exits 1, naming the file', async () => {
    requireBuild();
    const file = journalPath();
    // A directory where the file should be: unreadable whoever runs the spec (root reads any file).
    mkdirSync(file, { recursive: true });
    const shown = await runProcess(process.execPath, [binPath('dcm'), 'log'], { env: env(), cwd: dir });
    expect({ code: shown.code, stdout: shown.stdout }).toEqual({ code: 1, stdout: '' });
    expect(shown.stderr).toContain(`cannot read the journal ${file}`);
    expect(shown.stderr).not.toContain('internal error');
    await expect(log()).rejects.toMatchObject({ name: 'JournalError', file, code: 'EISDIR' });
  });

  it('a journal that cannot be written: the requests still go out, with one warning naming it', async () => {
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    configureJournal({ dir: join(blocked, 'journal') });
    const warnings = await warningsOf(async () => {
      await put('unjournaled 1');
      await put('unjournaled 2');
    });
    expect(await served('PUT', `infrastructure/Server/${serverId}`)).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`could not write ${join(blocked, 'journal')}`);
    expect(warnings[0]).toContain('the request is sent without an entry');
  });
});
