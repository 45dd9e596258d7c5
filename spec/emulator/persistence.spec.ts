/**
 * State file (`statePath` / `dcm sim --state`): loaded at start when it exists, rewritten
 * atomically (temporary file + rename) after every change, so state survives a restart — objects,
 * id counters and jobs still in progress included.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../lib/emulator/index.js';
import { api, getOne, jobIdOf, settleJob } from '../support/emulator-http.js';

describe('emulator: state save and restore', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
    file = join(dir, 'state.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const readState = () => JSON.parse(readFileSync(file, 'utf8'));

  it('writes the file at start and after every write, atomically (no temporary file left behind)', async () => {
    const emu = await startEmulator({ statePath: file });
    try {
      expect(readState()).toMatchObject({ format: 'mixcoatl-emulator-state', version: 1, seed: 1 });
      const res = await api(emu, 'POST', 'admin/Group', { body: { addGroup: { group: { name: 'saved', description: 'persisted group' } } } });
      const groupId = res.json.groups[0].groupId;
      expect(readState().store.tables['admin/Group'].map((g: any) => g.groupId)).toContain(groupId);
      expect((await api(emu, 'PUT', `admin/Group/${groupId}`, { body: { describeGroup: { group: { name: 'saved2', description: 'd' } } } })).status).toBe(204);
      expect(readState().store.tables['admin/Group'].find((g: any) => g.groupId === groupId).name).toBe('saved2');
      // The file and the lock that makes this emulator its one owner; no temporary file.
      expect(readdirSync(dir).sort()).toEqual(['state.json', 'state.json.lock']);
    } finally {
      await emu.close();
    }
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('writes the state file (it holds API secret keys) readable by its owner only, whatever the umask', async () => {
    const previous = process.umask(0o000);
    try {
      const emu = await startEmulator({ statePath: file });
      try {
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect((await api(emu, 'POST', 'admin/Group', { body: { addGroup: { group: { name: 'm', description: 'mode' } } } })).status).toBe(201);
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(statSync(`${file}.lock`).mode & 0o777).toBe(0o600);
      } finally {
        await emu.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  it('refuses a second emulator on a state file in use, naming the holder, and frees the file on close', async () => {
    const first = await startEmulator({ statePath: file });
    try {
      const error = (await startEmulator({ statePath: file }).catch((e: unknown) => e)) as Error;
      expect(error.message).toContain(`refusing state file ${file}`);
      expect(error.message).toContain(`is in use by another emulator (process ${process.pid}, since `);
    } finally {
      await first.close();
    }
    const again = await startEmulator({ statePath: file });
    await again.close();
  });

  it('restores objects, id counters and jobs in progress across a restart', async () => {
    const first = await startEmulator({ statePath: file });
    let groupId: number;
    let jobId: number;
    try {
      groupId = (await api(first, 'POST', 'admin/Group', { body: { addGroup: { group: { name: 'kept', description: 'across restarts' } } } })).json.groups[0].groupId;
      expect((await api(first, 'PUT', 'infrastructure/Server/331810', { body: { describeServer: [{ name: 'renamed-before-restart' }] } })).status).toBe(204);
      // A launch whose job has not advanced yet when the emulator stops.
      jobId = jobIdOf(await api(first, 'POST', 'infrastructure/Server', {
        body: { launch: [{ product: { productId: 'm1.small' }, budget: 10287, machineImage: { machineImageId: 284831 }, description: 'd', name: 'survivor', dataCenter: { dataCenterId: 64351 } }] },
      }));
    } finally {
      await first.close();
    }

    const second = await startEmulator({ statePath: file });
    try {
      expect((await getOne(second, `admin/Group/${groupId}`)).name).toBe('kept');
      expect((await getOne(second, 'infrastructure/Server/331810')).name).toBe('renamed-before-restart');
      const job = await settleJob(second, jobId);
      expect(job.status).toBe('COMPLETE');
      expect((await getOne(second, `infrastructure/Server/${job.message}`)).name).toBe('survivor');
      const next = (await api(second, 'POST', 'admin/Group', { body: { addGroup: { group: { name: 'after', description: 'restart' } } } })).json.groups[0].groupId;
      expect(next).toBe(groupId + 1);
    } finally {
      await second.close();
    }
  });

  it('reset() returns to the seed and overwrites the file', async () => {
    const emu = await startEmulator({ statePath: file });
    try {
      await api(emu, 'DELETE', 'admin/Group/9848');
      expect(readState().store.tables['admin/Group']).toHaveLength(2);
      await emu.reset();
      expect(readState().store.tables['admin/Group']).toHaveLength(3);
    } finally {
      await emu.close();
    }
  });

  it('does not rewrite the file for reads that change nothing', async () => {
    const emu = await startEmulator({ statePath: file });
    try {
      writeFileSync(file, readFileSync(file, 'utf8').replace('"version":1', '"version":1,"marker":true'));
      expect((await api(emu, 'GET', 'infrastructure/Server')).status).toBe(200);
      expect((await api(emu, 'GET', 'admin/Group/1')).status).toBe(404);
      expect(readState().marker).toBe(true);
    } finally {
      await emu.close();
    }
  });

  it('refuses to start on a file that is not a state file, and leaves no lock behind', async () => {
    writeFileSync(file, '{"hello": "world"}');
    await expect(startEmulator({ statePath: file })).rejects.toThrow(/\$\.format: not an emulator state file/);
    writeFileSync(file, '{not json');
    await expect(startEmulator({ statePath: file })).rejects.toThrow(/is not valid JSON/);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});
