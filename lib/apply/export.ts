/**
 * Export: live objects as apply records (`toRecords(objects)`, `exportRecords(types)`, `dcm
 * export`), so an existing estate can be brought under apply, kept in version control or copied.
 *
 * - Each record: its `type`, its id (`serverId: 42`: apply finds the object by it, whatever its
 *   name), and the attributes its class's lifecycle declares settable (`Lifecycle.settable`),
 *   without secrets and without write-only attributes (never read back), each as read. Values
 *   that apply would refuse are left out: nothing (null), an empty list, an empty text where the
 *   type requires a non-empty one.
 * - References: `"@<local name>"` when the target is exported together (the target's record then
 *   gets that local name, `<type>-<id>`); else, from `exportRecords`, the target's name when that
 *   name resolves back to exactly that object the way apply resolves names (lib/orm/lookups.ts:
 *   live objects only, by name or provider id, one listing of the type); else its id. A target
 *   whose type is listed only within a scope (a data center within its region), one without a
 *   name, or one whose name another live object shares or that reads as an id is written as its
 *   id. `toRecords` sends no request, so it writes ids.
 * - A name that several objects exported together share (within the same scope) is left out of
 *   their records: it identifies none of them, and apply refuses records that repeat a name; the id
 *   does.
 * - Objects that count as gone (`Lifecycle.gone`: a terminated server) are left out.
 * - `exportRecords` reads one listing per type (the types exported, and the types their references
 *   point at, each once); a type identified within a parent (a rule within its firewall) is listed
 *   once per parent, and one named within a scope (a network within its region) once per scope
 *   object, with its id as the filter the API requires.
 *
 * Records are built from the items as the API answered them (the objects' loaded data), never by
 * reading attributes through the lazy accessors, so exporting sends no request of its own.
 * (class-transformer's `instanceToPlain` reads those accessors, which would load every unloaded
 * reference: it does not fit here.)
 */
import { ValidationError } from '../errors.js';
import type { Endpoint } from '../endpoint.js';
import { lifecycleOf, managedTypes, type Lifecycle } from '../orm/lifecycle.js';
import { Lookup, referenceTo } from '../orm/ids.js';
import { listTarget, namedAmong } from '../orm/lookups.js';
import { metaOf, referenceTarget, type ResourceMeta } from '../orm/registry.js';
import type { AttributeMeta } from '../orm/metadata.js';
import { stateIfAny, type Id } from '../orm/state.js';
import type { ApplyRecord } from './plan.js';

function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The class an attribute refers to (a reference, or the bare id of another resource). */
function targetOf(meta: ResourceMeta, attr: AttributeMeta): ResourceMeta | undefined {
  if (attr.reference) return referenceTarget(meta.cls, attr);
  if (attr.idOf) return referenceTarget(meta.cls, { ...attr, reference: { target: attr.idOf, many: false } });
  return undefined;
}

/** `server-42`: the local name of an exported object others refer to. */
function localName(meta: ResourceMeta, id: Id): string {
  return `${meta.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}-${String(id).replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

interface Source {
  lifecycle: Lifecycle;
  data: Record<string, unknown>;
  id: Id;
}

/** The objects given, as what their records are made from; refuses an unmanaged or unloaded one. */
function sourcesOf(objects: readonly object[]): Source[] {
  const out: Source[] = [];
  objects.forEach((obj, i) => {
    const state = obj !== null && typeof obj === 'object' ? stateIfAny(obj) : undefined;
    if (!state) throw new ValidationError({ message: `toRecords(): item ${i + 1} is not a mixcoatl resource object` });
    const cls = obj.constructor;
    const lifecycle = lifecycleOf(cls);
    if (!lifecycle) throw new ValidationError({ message: `toRecords(): ${metaOf(cls).name} is not managed by apply (its class declares no lifecycle); apply manages ${managedTypes().map((t) => t.name).join(', ')}` });
    const data = state.data;
    const idKey = lifecycle.meta.idKey;
    const id = idKey && data ? (data[idKey] as Id | undefined) : undefined;
    if (!data || id === undefined || id === null) throw new ValidationError({ message: `toRecords(): ${lifecycle.name} ${String(state.id ?? '(new)')} is not loaded: export objects as listed or loaded (X.all(), X.get())` });
    if (lifecycle.gone(data)) return;
    out.push({ lifecycle, data, id });
  });
  return out;
}

/** The attribute that scopes a type's identity (a network's region, a rule's firewall), if any. */
function scopeKeyOf(type: Lifecycle): string | undefined {
  const identity = type.identity;
  return identity.by === 'parent' ? identity.parent : identity.by === 'name' ? identity.within : undefined;
}

/** How a reference to an object not exported together is written: its name, or undefined for its id. */
type NameOf = (target: ResourceMeta, id: Id) => string | undefined;

/**
 * Apply records of `objects` (loaded resource objects of managed types; see the module note):
 * applied unchanged, they change nothing. Gone objects are left out; sends no request.
 */
export function toRecords(objects: readonly object[]): ApplyRecord[] {
  return recordsOf(sourcesOf(objects), () => undefined);
}

/** The records of `sources`; references to objects not among them as `nameOf` says. */
function recordsOf(sources: readonly Source[], nameOfTarget: NameOf): ApplyRecord[] {
  const exported = new Set(sources.map((s) => `${s.lifecycle.name}\u0000${String(s.id)}`));
  const referenced = new Set<string>();
  // Names shared by several objects exported together (in the same scope) identify nothing.
  const nameOf = ({ lifecycle, data }: Source): string | undefined => {
    const identity = lifecycle.identity;
    if (identity.by !== 'name') return undefined;
    const name = data[identity.key ?? 'name'];
    return typeof name === 'string' ? `${lifecycle.name}\u0000${JSON.stringify(identity.within ? (data[identity.within] ?? null) : null)}\u0000${name}` : undefined;
  };
  const names = new Map<string, number>();
  for (const source of sources) {
    const key = nameOf(source);
    if (key !== undefined) names.set(key, (names.get(key) ?? 0) + 1);
  }
  const records = sources.map((source) => {
    const { lifecycle, data, id } = source;
    const meta = lifecycle.meta;
    const record: ApplyRecord = { type: lifecycle.name };
    record[meta.idKey as string] = id;
    const omitted = new Set(lifecycle.secrets);
    const name = nameOf(source);
    if (name !== undefined && (names.get(name) ?? 0) > 1 && lifecycle.identity.by === 'name') omitted.add(lifecycle.identity.key ?? 'name');
    for (const key of lifecycle.settable) {
      const attr = meta.attributes.get(key);
      if (!attr || omitted.has(key) || attr.writeOnly) continue;
      const target = targetOf(meta, attr);
      let value = data[key];
      // A reference the API answers as a bare id beside it (a rule's `firewallId`).
      if ((value === undefined || value === null) && target?.idKey && data[target.idKey] !== undefined && data[target.idKey] !== null) value = { [target.idKey]: data[target.idKey] };
      if (value === undefined || value === null || (Array.isArray(value) && !value.length)) continue;
      if (typeof value === 'string' && value.trim() === '' && lifecycle.rules[key]?.nonEmpty) continue;
      if (target?.idKey) {
        const targetIdKey = target.idKey;
        // The parent or scope that identifies the object stays an id: apply matches by it before resolving names.
        const scoping = key === scopeKeyOf(lifecycle);
        const one = (v: unknown): unknown => {
          const targetId = isPlain(v) ? v[targetIdKey] : v;
          if (targetId === undefined || targetId === null) return undefined;
          const key = `${target.name}\u0000${String(targetId)}`;
          if (!exported.has(key)) return (scoping ? undefined : nameOfTarget(target, targetId as Id)) ?? targetId;
          referenced.add(key);
          return `@${localName(target, targetId as Id)}`;
        };
        const converted = Array.isArray(value) ? value.map(one).filter((v) => v !== undefined) : one(value);
        if (converted === undefined || (Array.isArray(converted) && !converted.length)) continue;
        record[key] = converted;
      } else record[key] = value;
    }
    return record;
  });
  // Local names only where another record refers to the object; placed after the type.
  return records.map((record, i) => {
    const { lifecycle, id } = sources[i];
    if (!referenced.has(`${lifecycle.name}\u0000${String(id)}`)) return record;
    const { type, ...rest } = record;
    return { type, ref: localName(lifecycle.meta, id), ...rest };
  });
}

/** What `exportRecords()` reads. */
export interface ExportOptions {
  /** Where to read (default: the configured endpoint). */
  endpoint?: Endpoint;
  /**
   * Only the objects whose attributes match, as `X.find(query)` matches them (declared filters go
   * to the API; the rest are matched on the one listing). Every type exported must have them.
   */
  find?: Record<string, unknown>;
  /**
   * For a type identified within a parent (FirewallRule): only the children of these parents (ids);
   * default: every live parent, listed once.
   */
  of?: readonly Id[];
}

interface Listable {
  all(options: Record<string, unknown>): Promise<object[]>;
  find(query: Record<string, unknown>, options: Record<string, unknown>): Promise<object[]>;
}

/** A managed type by class name (any case) or `kebab-case` command name. */
export function exportableType(name: string): Lifecycle {
  const wanted = name.replace(/-/g, '').toLowerCase();
  const found = managedTypes().find((t) => t.name.toLowerCase() === wanted);
  if (!found) throw new ValidationError({ message: `export: "${name}" is not a type apply manages; those are ${managedTypes().map((t) => t.name).join(', ')}` });
  return found;
}

/**
 * The records of every live object of `types` (class names, or read declarations): one listing
 * per type, and per parent for a type identified within one (see {@link ExportOptions}).
 */
export async function exportRecords(types: ReadonlyArray<string | Lifecycle>, options: ExportOptions = {}): Promise<ApplyRecord[]> {
  const wanted: Lifecycle[] = [];
  for (const t of types) {
    const type = typeof t === 'string' ? exportableType(t) : t;
    if (!wanted.includes(type)) wanted.push(type);
  }
  if (!wanted.length) throw new ValidationError({ message: 'export: name at least one type' });
  const find = options.find ?? {};
  for (const type of wanted) {
    const missing = Object.keys(find).filter((k) => !type.meta.attributes.has(k) && !Object.hasOwn((type.meta.cls as unknown as { filters?: object }).filters ?? {}, k));
    if (missing.length) throw new ValidationError({ message: `export: ${type.name} has no attribute ${missing.join(', ')} to find by` });
  }
  const read = { endpoint: options.endpoint };
  const listings = new Map<Lifecycle, object[]>();
  // Every listing of a whole type, read once: the scopes, the parents, the targets of references.
  const whole = new Map<ResourceMeta, Promise<object[]>>();
  const listWhole = (meta: ResourceMeta): Promise<object[]> => {
    let listing = whole.get(meta);
    if (!listing) whole.set(meta, (listing = listTarget(meta, {}, read)));
    return listing;
  };
  const list = async (type: Lifecycle, query: Record<string, unknown> = {}): Promise<object[]> => {
    const cls = type.meta.cls as unknown as Listable;
    const all = { ...find, ...query };
    return Object.keys(all).length ? cls.find(all, read) : listWhole(type.meta);
  };
  // Types listed on their own first: a parent's listing serves its children. A type named within a
  // scope (a network within its region) is listed per scope object, as the API requires.
  for (const type of wanted) {
    const identity = type.identity;
    if (identity.by === 'parent') continue;
    if (identity.by === 'name' && identity.within) {
      const scopeMeta = referenceTarget(type.meta.cls, type.meta.attributes.get(identity.within) as AttributeMeta);
      const scopes = await listWhole(scopeMeta);
      const found: object[] = [];
      for (const scope of scopes) {
        const data = stateIfAny(scope)?.data;
        const scopeId = data?.[scopeMeta.idKey as string];
        if (scopeId !== undefined && scopeId !== null) found.push(...(await list(type, { [scopeMeta.idKey as string]: scopeId })));
      }
      listings.set(type, found);
    } else listings.set(type, await list(type));
  }
  for (const type of wanted) {
    const identity = type.identity;
    if (identity.by !== 'parent') continue;
    const parentAttr = type.meta.attributes.get(identity.parent) as AttributeMeta;
    const parentMeta = referenceTarget(type.meta.cls, parentAttr);
    const parentType = lifecycleOf(parentMeta.cls);
    let parentIds: Id[];
    if (options.of?.length) parentIds = [...options.of];
    else {
      const known = parentType ? listings.get(parentType) : undefined;
      const parents = known ?? (await listWhole(parentMeta));
      parentIds = parents.flatMap((p) => {
        const data = stateIfAny(p)?.data;
        if (!data || (parentType && parentType.gone(data))) return [];
        return [data[parentMeta.idKey as string] as Id];
      });
    }
    const children: object[] = [];
    for (const parentId of parentIds) children.push(...(await list(type, { [parentMeta.idKey as string]: parentId })));
    listings.set(type, children);
  }
  const sources = sourcesOf(wanted.flatMap((t) => listings.get(t) ?? []));
  // The types referred to outside the export: each listed once (a type exported, and listed in
  // full, serves as it is), then a name is written where it names exactly its object.
  const targets = new Map<ResourceMeta, Set<string>>();
  recordsOf(sources, (target, id) => {
    (targets.get(target) ?? targets.set(target, new Set()).get(target)!).add(String(id));
    return undefined;
  });
  const named = new Map<string, string>();
  for (const [target, ids] of targets) {
    if (!nameable(target)) continue;
    const listed = await listWhole(target);
    const byId = new Map<string, object>();
    for (const obj of listed) {
      const id = stateIfAny(obj)?.data?.[target.idKey as string];
      if (id !== undefined && id !== null && ids.has(String(id))) byId.set(String(id), obj);
    }
    for (const [id, obj] of byId) {
      const name = stateIfAny(obj)?.data?.name;
      if (typeof name !== 'string' || name.startsWith('@') || !(referenceTo(target, name, 'export', 'id') instanceof Lookup)) continue;
      const found = namedAmong(listed, name);
      if (found.length === 1 && found[0] === obj) named.set(`${target.name}\u0000${id}`, name);
    }
  }
  return recordsOf(sources, (target, id) => named.get(`${target.name}\u0000${String(id)}`));
}

/** Whether references to `target` can be written by name: its objects have names, and it is listed without a filter. */
function nameable(target: ResourceMeta): boolean {
  return target.attributes.has('name') && target.idType === 'number' && !target.requiredFilters.length && !target.oneOfFilters.length;
}
