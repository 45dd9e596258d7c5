/**
 * The schema of the state file, checked in full before any of it is used. A hand-written validator
 * rather than a schema library: the file has a handful of fixed members plus one table per stored
 * resource type, and the checks that matter are relational (every record has its type's id member,
 * ids are unique within a table, id counters lie above the ids in use, clock events name a known
 * effect), which a JSON Schema cannot express; the member types come from the seed generator, the
 * same code that writes the records, so the two cannot drift apart.
 *
 * Every problem is reported with its JSON path inside the file (`$.store.tables["admin/Group"][2]
 * .groupId`). Format versions: a file without `version` (as written before it was introduced) is
 * version 1; a later release that changes the layout raises STATE_VERSION and adds a step to
 * MIGRATIONS, so older files are upgraded in memory after they validated against their own version.
 */
import { buildSeed } from './seed/index.js';
import { STORED_RESOURCES, resourceDef, type ResourceDef } from './resources.js';
import type { Rec } from './types.js';

export const STATE_FORMAT = 'mixcoatl-emulator-state';
/** The format version this release writes and reads. */
export const STATE_VERSION = 1;

/** `from` → upgrade of a valid version-`from` document to version `from + 1`. None yet. */
const MIGRATIONS: Readonly<Record<number, (doc: Rec) => Rec>> = {};

/** One reason a state file was refused. */
export interface StateProblem {
  /** JSON path inside the file, `$` being the whole document. */
  at: string;
  /** What is wrong there. */
  problem: string;
}

type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

function jsonType(v: unknown): JsonType | 'undefined' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'object' ? t : 'undefined';
}

function isObject(v: unknown): v is Rec {
  return jsonType(v) === 'object';
}

/** `$.a["b/c"][3]`: identifiers as `.name`, anything else quoted. */
export function child(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
}

/**
 * Member → JSON type of the records the seed generator writes, per table (plus `license`), for
 * members whose type is the same in every record. `null` is always allowed besides.
 */
let memberTypes: Map<string, Map<string, JsonType>> | undefined;

function typesOf(records: Rec[]): Map<string, JsonType> {
  const seen = new Map<string, Set<JsonType>>();
  for (const rec of records) {
    for (const [k, v] of Object.entries(rec)) {
      const t = jsonType(v);
      if (t === 'undefined' || t === 'null') continue;
      let set = seen.get(k);
      if (!set) seen.set(k, (set = new Set()));
      set.add(t);
    }
  }
  const out = new Map<string, JsonType>();
  for (const [k, set] of seen) if (set.size === 1) out.set(k, [...set][0]);
  return out;
}

function seedMemberTypes(): Map<string, Map<string, JsonType>> {
  if (memberTypes) return memberTypes;
  const seed = buildSeed({ seed: 1, servers: 20, keys: [{ accessKey: 'K', secretKey: 'S' }] });
  memberTypes = new Map();
  for (const def of STORED_RESOURCES) memberTypes.set(def.path, typesOf(seed.tables[def.path] ?? []));
  memberTypes.set('license', typesOf([seed.license]));
  return memberTypes;
}

const UINT32 = 0xffffffff;

class Checker {
  readonly problems: StateProblem[] = [];

  constructor(private readonly eventKinds: ReadonlySet<string>) {}

  add(at: string, problem: string): void {
    this.problems.push({ at, problem });
  }

  /** Members not in `known` are problems; returns false when `v` is not an object at all. */
  object(v: unknown, at: string, what: string, known?: readonly string[]): v is Rec {
    if (!isObject(v)) {
      this.add(at, `must be ${what} (a JSON object), found ${describe(v)}`);
      return false;
    }
    if (known) for (const k of Object.keys(v)) if (!known.includes(k)) this.add(child(at, k), `unknown member; expected only ${known.join(', ')}`);
    return true;
  }

  required(obj: Rec, key: string, at: string): boolean {
    if (obj[key] !== undefined) return true;
    this.add(child(at, key), 'missing');
    return false;
  }

  integer(v: unknown, at: string, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return true;
    this.add(at, `must be an integer between ${min} and ${max}, found ${describe(v)}`);
    return false;
  }

  string(v: unknown, at: string): boolean {
    if (typeof v === 'string') return true;
    this.add(at, `must be a string, found ${describe(v)}`);
    return false;
  }

  members(rec: Rec, at: string, types: Map<string, JsonType> | undefined): void {
    if (!types) return;
    for (const [k, v] of Object.entries(rec)) {
      const want = types.get(k);
      const got = jsonType(v);
      if (want && got !== want && got !== 'null') this.add(child(at, k), `must be ${article(want)} (as in every ${k} the emulator writes) or null, found ${describe(v, SECRET_MEMBER.test(k))}`);
    }
  }

  /** One table; returns the highest integer id in it (0 if none). */
  table(def: ResourceDef, rows: unknown, at: string): number {
    if (!Array.isArray(rows)) {
      this.add(at, `must be an array of ${def.path} records, found ${describe(rows)}`);
      return 0;
    }
    const types = seedMemberTypes().get(def.path);
    const firstIndex = new Map<unknown, number>();
    let max = 0;
    rows.forEach((rec, i) => {
      const recAt = child(at, i);
      if (!this.object(rec, recAt, `a ${def.path} record`)) return;
      const id = rec[def.idKey];
      if (id === undefined) {
        this.add(child(recAt, def.idKey), `missing: every ${def.path} record needs its id member ${def.idKey}`);
      } else if (def.idKind === 'int' ? !(Number.isSafeInteger(id) && id > 0) : !(typeof id === 'string' && id !== '')) {
        this.add(child(recAt, def.idKey), `must be ${def.idKind === 'int' ? 'a positive integer' : 'a non-empty string'} (the ${def.path} id), found ${describe(id)}`);
      } else {
        const earlier = firstIndex.get(id);
        if (earlier !== undefined) this.add(child(recAt, def.idKey), `duplicate id ${JSON.stringify(id)}: also at ${child(at, earlier)}`);
        else firstIndex.set(id, i);
        if (typeof id === 'number' && id > max) max = id;
      }
      this.members(rec, recAt, types);
    });
    return max;
  }

  store(v: unknown, at: string): void {
    if (!this.object(v, at, 'the store', ['tables', 'license', 'nextIds', 'busy', 'rngState'])) return;
    const maxIds = new Map<string, number>();
    if (this.required(v, 'tables', at) && this.object(v.tables, child(at, 'tables'), 'the tables by resource type')) {
      for (const [path, rows] of Object.entries(v.tables as Rec)) {
        const tableAt = child(child(at, 'tables'), path);
        const def = resourceDef(path);
        if (!def || def.shape !== 'envelope') {
          this.add(tableAt, `unknown table: "${path}" is not a stored resource type (the stored types are the collections, such as infrastructure/Server)`);
          continue;
        }
        maxIds.set(path, this.table(def, rows, tableAt));
      }
    }
    if (this.required(v, 'license', at) && this.object(v.license, child(at, 'license'), 'the license')) {
      this.members(v.license, child(at, 'license'), seedMemberTypes().get('license'));
      if (typeof v.license.expirationDateTime !== 'string') this.add(child(child(at, 'license'), 'expirationDateTime'), `must be a string, found ${describe(v.license.expirationDateTime)}`);
    }
    if (this.required(v, 'nextIds', at) && this.object(v.nextIds, child(at, 'nextIds'), 'the id counters')) {
      for (const [path, next] of Object.entries(v.nextIds as Rec)) {
        const nAt = child(child(at, 'nextIds'), path);
        const def = resourceDef(path);
        if (!def || def.shape !== 'envelope' || def.idKind !== 'int') {
          this.add(nAt, `unknown counter: "${path}" is not a stored resource type with integer ids`);
          continue;
        }
        if (!this.integer(next, nAt, 1)) continue;
        const max = maxIds.get(path) ?? 0;
        if (next <= max) this.add(nAt, `is ${next}, but ${path} id ${max} is in use: new objects would overwrite existing ones`);
      }
    }
    if (this.required(v, 'busy', at) && this.object(v.busy, child(at, 'busy'), 'the changes in progress')) {
      for (const [key, mark] of Object.entries(v.busy as Rec)) {
        const bAt = child(child(at, 'busy'), key);
        const path = key.split('/').slice(0, 2).join('/');
        if (resourceDef(path)?.shape !== 'envelope' || key.split('/').length !== 3) this.add(bAt, 'key must be "<scope>/<Type>/<id>" of a stored resource type');
        if (!this.object(mark, bAt, 'a change in progress', ['jobId', 'op'])) continue;
        if (this.required(mark, 'jobId', bAt)) this.integer(mark.jobId, child(bAt, 'jobId'), 1);
        if (this.required(mark, 'op', bAt)) this.string(mark.op, child(bAt, 'op'));
      }
    }
    if (this.required(v, 'rngState', at)) this.integer(v.rngState, child(at, 'rngState'), 0, UINT32);
  }

  clock(v: unknown, at: string): void {
    if (!this.object(v, at, 'the job clock', ['events', 'seq'])) return;
    let seq = Infinity;
    if (this.required(v, 'seq', at) && this.integer(v.seq, child(at, 'seq'), 0)) seq = v.seq;
    if (!this.required(v, 'events', at)) return;
    if (!Array.isArray(v.events)) {
      this.add(child(at, 'events'), `must be an array of clock events, found ${describe(v.events)}`);
      return;
    }
    const seen = new Map<number, number>();
    v.events.forEach((e: unknown, i: number) => {
      const eAt = child(child(at, 'events'), i);
      if (!this.object(e, eAt, 'a clock event', ['seq', 'due', 'kind', 'data'])) return;
      if (this.required(e, 'seq', eAt) && this.integer(e.seq, child(eAt, 'seq'), 1, seq)) {
        const earlier = seen.get(e.seq);
        if (earlier !== undefined) this.add(child(eAt, 'seq'), `duplicate event seq ${e.seq}: also at ${child(child(at, 'events'), earlier)}`);
        else seen.set(e.seq, i);
      }
      if (this.required(e, 'due', eAt) && !(typeof e.due === 'number' && Number.isFinite(e.due))) this.add(child(eAt, 'due'), `must be epoch milliseconds (a number), found ${describe(e.due)}`);
      if (this.required(e, 'kind', eAt) && this.string(e.kind, child(eAt, 'kind')) && !this.eventKinds.has(e.kind)) {
        this.add(child(eAt, 'kind'), `unknown event kind "${e.kind}"; known: ${[...this.eventKinds].join(', ')}`);
      }
      if (this.required(e, 'data', eAt)) this.object(e.data, child(eAt, 'data'), 'the event data');
    });
  }
}

function article(t: JsonType): string {
  return t === 'array' || t === 'object' ? `an ${t}` : `a ${t}`;
}

/** Members whose values never appear in a message, even when malformed. */
const SECRET_MEMBER = /secret|password/i;

/** A short description of a found value: its JSON type, plus the value when short and not secret. */
export function describe(v: unknown, hideValue = false): string {
  const t = jsonType(v);
  if (t === 'undefined') return 'nothing';
  if (t === 'object' || t === 'array' || hideValue) return article(t);
  const text = JSON.stringify(v);
  return `${article(t)} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

export interface ValidationContext {
  /** Clock event kinds the emulator can apply. */
  eventKinds: Iterable<string>;
}

export type Validated = { ok: true; doc: Rec } | { ok: false; problems: StateProblem[] };

/**
 * Checks a parsed state file completely and upgrades it to STATE_VERSION. The version is checked
 * first: a file from a newer release is refused for that reason alone, its layout unknown here.
 */
export function validateState(doc: unknown, context: ValidationContext): Validated {
  const c = new Checker(new Set(context.eventKinds));
  if (!c.object(doc, '$', 'an emulator state document', ['format', 'version', 'savedAt', 'seed', 'store', 'clock'])) return { ok: false, problems: c.problems.slice(0, 1) };
  let version = 1;
  if (doc.version !== undefined) {
    if (!(typeof doc.version === 'number' && Number.isInteger(doc.version) && doc.version >= 1)) {
      return { ok: false, problems: [{ at: '$.version', problem: `must be a positive integer format version, found ${describe(doc.version)}` }] };
    }
    version = doc.version;
    if (version > STATE_VERSION) {
      return { ok: false, problems: [{ at: '$.version', problem: `format version ${version} was written by a newer release; this release reads versions 1 to ${STATE_VERSION}` }] };
    }
  }
  if (doc.format !== STATE_FORMAT) {
    return { ok: false, problems: [{ at: '$.format', problem: `not an emulator state file: must be "${STATE_FORMAT}", found ${describe(doc.format)}` }] };
  }
  if (doc.savedAt !== undefined) c.string(doc.savedAt, '$.savedAt');
  if (c.required(doc, 'seed', '$')) c.integer(doc.seed, '$.seed', 0, UINT32);
  if (c.required(doc, 'store', '$')) c.store(doc.store, '$.store');
  if (c.required(doc, 'clock', '$')) c.clock(doc.clock, '$.clock');
  if (c.problems.length > 0) return { ok: false, problems: c.problems };
  let upgraded: Rec = { ...doc, version };
  for (let v = version; v < STATE_VERSION; v++) upgraded = { ...MIGRATIONS[v](upgraded), version: v + 1 };
  return { ok: true, doc: upgraded };
}
