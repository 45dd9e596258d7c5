/**
 * The state file is validated in full before use: every damaged or foreign file is refused with a
 * message naming the file, the JSON path inside it and the problem, and is left byte for byte as
 * it was. A valid file without a `version` member (the layout before versions) is read as
 * version 1; a version from a later release is refused.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, startEmulatorInWorker, StateFileError } from '../../lib/emulator/index.js';
import { api } from '../support/emulator-http.js';

type Doc = Record<string, any>;

let root: string;
/** A state file as this release writes it, after a launch whose job is still queued. */
let validText: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'emu-corpus-'));
  const file = join(root, 'valid.json');
  const emu = await startEmulator({ statePath: file });
  try {
    const res = await api(emu, 'POST', 'infrastructure/Server', {
      body: { launch: [{ product: { productId: 'm1.small' }, budget: 10287, machineImage: { machineImageId: 284831 }, description: 'd', name: 'queued', dataCenter: { dataCenterId: 64351 } }] },
    });
    expect(res.status).toBe(202);
  } finally {
    await emu.close();
  }
  validText = readFileSync(file, 'utf8');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const valid = (): Doc => JSON.parse(validText);
/** The valid file with `change` applied (made when the test runs, after the file was written). */
const edit = (change: (doc: Doc) => void) => (): string => {
  const doc = valid();
  change(doc);
  return JSON.stringify(doc);
};
const servers = (doc: Doc): Doc[] => doc.store.tables['infrastructure/Server'];

interface Case {
  name: string;
  /** File content; `dir` makes the state path a directory. */
  content: string | Buffer | { dir: true } | (() => string);
  /** JSON path named in the message ('' for problems with the file as a whole). */
  at: string;
  problem: RegExp;
}

const CORPUS: Case[] = [
  { name: 'truncated in the middle', content: () => validText.slice(0, Math.floor(validText.length / 2)), at: '', problem: /is not valid JSON \(truncated or damaged\?\)/ },
  { name: 'empty (0 bytes)', content: '', at: '', problem: /is empty \(0 bytes\)/ },
  { name: 'not JSON at all', content: 'state: yes\n', at: '', problem: /is not valid JSON/ },
  { name: 'not UTF-8', content: Buffer.concat([Buffer.from('{"format":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), at: '', problem: /is not valid UTF-8/ },
  { name: 'a directory', content: { dir: true }, at: '', problem: /is a directory, not a state file/ },
  { name: 'top level is an array', content: '[]', at: '$', problem: /must be an emulator state document \(a JSON object\), found an array/ },
  { name: 'top level is null', content: 'null', at: '$', problem: /found a null null/ },
  { name: 'some other JSON document', content: '{"hello":"world"}', at: '$.format', problem: /not an emulator state file: must be "mixcoatl-emulator-state", found nothing/ },
  { name: 'a version from a later release', content: edit((d) => { d.version = 2; }), at: '$.version', problem: /format version 2 was written by a newer release; this release reads versions 1 to 1/ },
  { name: 'a version that is not a number', content: edit((d) => { d.version = '1'; }), at: '$.version', problem: /must be a positive integer format version, found a string "1"/ },
  { name: 'the store missing', content: edit((d) => { delete d.store; }), at: '$.store', problem: /missing/ },
  {
    name: 'a table under an unknown name',
    content: edit((d) => { d.store.tables['infrastructure/Servers'] = servers(d); delete d.store.tables['infrastructure/Server']; }),
    at: '$.store.tables["infrastructure/Servers"]', problem: /unknown table: "infrastructure\/Servers" is not a stored resource type/,
  },
  {
    name: 'records without their id member',
    content: edit((d) => { for (const s of servers(d)) delete s.serverId; }),
    at: '$.store.tables["infrastructure/Server"][0].serverId', problem: /missing: every infrastructure\/Server record needs its id member serverId/,
  },
  {
    name: 'a duplicate id',
    content: edit((d) => { servers(d).push({ ...servers(d)[0], name: 'twin' }); }),
    at: '$.store.tables["infrastructure/Server"][13].serverId', problem: /duplicate id \d+: also at \$\.store\.tables\["infrastructure\/Server"\]\[0\]/,
  },
  {
    name: 'an id of the wrong type',
    content: edit((d) => { servers(d)[2].serverId = String(servers(d)[2].serverId); }),
    at: '$.store.tables["infrastructure/Server"][2].serverId', problem: /must be a positive integer \(the infrastructure\/Server id\), found a string/,
  },
  {
    name: 'a member of the wrong type',
    content: edit((d) => { servers(d)[1].name = 42; }),
    at: '$.store.tables["infrastructure/Server"][1].name', problem: /must be a string .* or null, found a number 42/,
  },
  {
    name: 'a secret of the wrong type (its value is not shown)',
    content: edit((d) => { d.store.tables['admin/ApiKey'][0].secretKey = 8675309; }),
    at: '$.store.tables["admin/ApiKey"][0].secretKey', problem: /must be a string .* or null, found a number$/,
  },
  {
    name: 'a table that is not an array',
    content: edit((d) => { d.store.tables['admin/Group'] = { groupId: 1 }; }),
    at: '$.store.tables["admin/Group"]', problem: /must be an array of admin\/Group records, found an object/,
  },
  {
    name: 'a record that is not an object',
    content: edit((d) => { d.store.tables['admin/Group'][1] = 9848; }),
    at: '$.store.tables["admin/Group"][1]', problem: /must be a admin\/Group record \(a JSON object\), found a number 9848/,
  },
  {
    name: 'an id counter below an id in use',
    content: edit((d) => { d.store.nextIds['infrastructure/Server'] = 2; }),
    at: '$.store.nextIds["infrastructure/Server"]', problem: /is 2, but infrastructure\/Server id \d+ is in use: new objects would overwrite existing ones/,
  },
  {
    name: 'a clock event of an unknown kind',
    content: edit((d) => { d.clock.events[0].kind = 'explode'; }),
    at: '$.clock.events[0].kind', problem: /unknown event kind "explode"; known: .*job\.complete/,
  },
  {
    name: 'clock events that are not a list',
    content: edit((d) => { d.clock.events = {}; }),
    at: '$.clock.events', problem: /must be an array of clock events, found an object/,
  },
  {
    name: 'a PRNG state out of range',
    content: edit((d) => { d.store.rngState = -1; }),
    at: '$.store.rngState', problem: /must be an integer between 0 and 4294967295, found a number -1/,
  },
  {
    name: 'an unknown top-level member',
    content: edit((d) => { d.tables = d.store.tables; }),
    at: '$.tables', problem: /unknown member; expected only format, version, savedAt, seed, store, clock/,
  },
  {
    name: 'a malformed change in progress',
    content: edit((d) => { d.store.busy['infrastructure/Server/331810'] = { jobId: 'x', op: 'stop' }; }),
    at: '$.store.busy["infrastructure/Server/331810"].jobId', problem: /must be an integer between 1 and/,
  },
];

describe('emulator: the state file is validated before use and never rewritten unless read completely', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(root, 'case-'));
    file = join(dir, 'state.json');
  });

  it('the corpus holds at least 16 kinds of damage', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(16);
  });

  it.each(CORPUS.map((c) => [c.name, c] as const))('refuses a file with %s, naming file, JSON path and problem; the file is left byte-identical', async (_name, c) => {
    const isDir = typeof c.content === 'object' && 'dir' in c.content;
    if (isDir) mkdirSync(file);
    else writeFileSync(file, typeof c.content === 'function' ? c.content() : (c.content as string | Buffer));
    const before = isDir ? undefined : readFileSync(file);

    const error = await startEmulator({ statePath: file }).then(
      async (emu) => { await emu.close(); throw new Error('the emulator started'); },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StateFileError);
    const message = (error as Error).message;
    expect(message).toContain(`refusing state file ${file} (left unchanged): ${c.at ? `${c.at}: ` : ''}`);
    expect(message).toMatch(c.problem);
    expect((error as StateFileError).problems[0]).toEqual({ at: c.at, problem: expect.stringMatching(c.problem) });
    expect(message).not.toContain('8675309');
    if (before) expect(readFileSync(file).equals(before)).toBe(true);
    // Nothing written beside it either (no temporary file left over).
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('lists several problems of one file, the first five in the message', async () => {
    writeFileSync(file, edit((d) => { for (const s of servers(d)) delete s.serverId; })());
    const error = (await startEmulator({ statePath: file }).catch((e: unknown) => e)) as StateFileError;
    // The 13 seeded servers (the launched one is created when its job runs).
    expect(error.problems.length).toBe(13);
    expect(error.message).toContain('and 8 more problem(s)');
  });

  it('reads the valid file it wrote: every record and queued clock event kept', async () => {
    writeFileSync(file, validText);
    const emu = await startEmulator({ statePath: file });
    try {
      expect((await emu.summary()).counts['infrastructure/Server']).toBe(servers(valid()).length);
      expect((await emu.summary()).pendingEvents).toBe(valid().clock.events.length);
    } finally {
      await emu.close();
    }
  });

  it('reads a file without a version member as version 1 and writes the version back', async () => {
    writeFileSync(file, edit((d) => { delete d.version; })());
    const emu = await startEmulator({ statePath: file });
    try {
      expect((await emu.summary()).counts['infrastructure/Server']).toBe(servers(valid()).length);
    } finally {
      await emu.close();
    }
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  });

  it('the same refusal reaches a caller of the worker-thread variant', async () => {
    writeFileSync(file, '[1, 2');
    await expect(startEmulatorInWorker({ statePath: file })).rejects.toThrow(`refusing state file ${file} (left unchanged): is not valid JSON`);
    expect(readFileSync(file, 'utf8')).toBe('[1, 2');
  });
});
