/**
 * In-memory state: one insertion-ordered Map per stored resource type, holding records in their
 * *basic* wire shape (references as `{"regionId": n}`), so a GET serialises the stored object as is.
 * Nothing here copies the whole store per request; snapshots are taken only to persist.
 */
import { Prng } from './prng.js';
import { resourceDef, STORED_RESOURCES, type ResourceDef } from './resources.js';
import type { Id, Rec } from './types.js';

/** A change in progress on one object (e.g. a server stopping), which blocks conflicting actions. */
export interface BusyMark {
  jobId: number;
  op: string;
}

/** Everything the store persists (see ./persistence.ts). */
export interface StoreData {
  tables: Record<string, Rec[]>;
  license: Rec;
  nextIds: Record<string, number>;
  busy: Record<string, BusyMark>;
  rngState: number;
}

export class Store {
  readonly tables = new Map<string, Map<Id, Rec>>();
  license: Rec;
  nextIds: Record<string, number>;
  /** `<path>/<id>` → the change in progress on that object. */
  busy: Record<string, BusyMark>;
  /** PRNG for values of objects created at runtime (provider ids, addresses). */
  readonly rng: Prng;

  constructor(data: StoreData) {
    for (const def of STORED_RESOURCES) {
      const table = new Map<Id, Rec>();
      for (const rec of data.tables[def.path] ?? []) table.set(rec[def.idKey], rec);
      this.tables.set(def.path, table);
    }
    this.license = data.license;
    this.nextIds = { ...data.nextIds };
    this.busy = { ...data.busy };
    this.rng = new Prng(data.rngState);
    // A state file from an older seed may lack counters: continue after the highest id in use.
    for (const def of STORED_RESOURCES) {
      if (def.idKind === 'int' && this.nextIds[def.path] === undefined) this.nextIds[def.path] = this.maxId(def) + 1;
    }
  }

  /** The table of a stored type; throws for an unknown path (a programming error, not a 404). */
  table(path: string): Map<Id, Rec> {
    const table = this.tables.get(path);
    if (!table) throw new Error(`emulator: no table for ${path}`);
    return table;
  }

  get(path: string, id: Id): Rec | undefined {
    return this.table(path).get(id);
  }

  has(path: string, id: Id): boolean {
    return this.table(path).has(id);
  }

  /** Insert or replace a record under its primary key. */
  put(path: string, rec: Rec): Rec {
    const def = this.def(path);
    this.table(path).set(rec[def.idKey], rec);
    return rec;
  }

  remove(path: string, id: Id): boolean {
    delete this.busy[`${path}/${id}`];
    return this.table(path).delete(id);
  }

  /** Next free integer id of a type (ids only grow, so a deleted id is never reused). */
  allocateId(path: string): number {
    const id = this.nextIds[path] ?? this.maxId(this.def(path)) + 1;
    this.nextIds[path] = id + 1;
    return id;
  }

  busyMark(path: string, id: Id): BusyMark | undefined {
    return this.busy[`${path}/${id}`];
  }

  setBusy(path: string, id: Id, mark: BusyMark | undefined): void {
    if (mark) this.busy[`${path}/${id}`] = mark;
    else delete this.busy[`${path}/${id}`];
  }

  /** Deep-enough copy for persisting: records are plain JSON, so JSON.stringify of this is the file. */
  snapshot(): StoreData {
    const tables: Record<string, Rec[]> = {};
    for (const [path, table] of this.tables) tables[path] = [...table.values()];
    return { tables, license: this.license, nextIds: { ...this.nextIds }, busy: { ...this.busy }, rngState: this.rng.state };
  }

  private def(path: string): ResourceDef {
    const def = resourceDef(path);
    if (!def) throw new Error(`emulator: unknown resource ${path}`);
    return def;
  }

  private maxId(def: ResourceDef): number {
    let max = 0;
    for (const id of this.table(def.path).keys()) if (typeof id === 'number' && id > max) max = id;
    return max;
  }
}
