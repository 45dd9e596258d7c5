/**
 * The registry: the one place that reads what the decorators recorded, validates it once per
 * class (reporting mistakes by class and property), and has the lazy accessors installed on the
 * prototype (by lib/orm/attributes.ts, which registers itself through `onDiscovery`). Discovery
 * happens on first use of a class, so import order never matters.
 */
import { MetadataError } from '../errors.js';
import { declaredClasses, recordedMeta, recordedOptions, type ActionMeta, type AttributeMeta, type ResourceOptions } from './metadata.js';
import type { ResourceConstructor } from './state.js';
import { filterRulesOf, requiredFiltersOf } from './filters.js';

export const SCOPES = ['admin', 'analytics', 'automation', 'geography', 'infrastructure', 'network', 'platform'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ResourceMeta {
  cls: ResourceConstructor;
  /** Class name, e.g. `Server`. */
  name: string;
  /** API path, e.g. `infrastructure/Server`. */
  path: string;
  /** First path segment, e.g. `infrastructure`. */
  scope: Scope;
  /** API type name, e.g. `Server` (the last path segment). */
  type: string;
  /** Envelope key of a listing, e.g. `servers`. */
  collection: string;
  /** Identifier attribute, e.g. `serverId`; undefined for a flat resource. */
  idKey: string | undefined;
  /** Type of the identifier. */
  idType: 'number' | 'string';
  /** A resource without identifiers (one object per account, e.g. License). */
  flat: boolean;
  /** The API lists these but offers no GET by id. */
  listOnly: boolean;
  /** Filters the collection GET requires (from the class's `filters` declaration). */
  requiredFilters: string[];
  /** At least one of these filters is required (empty: none is). */
  oneOfFilters: string[];
  /** Declared attributes by name. */
  attributes: Map<string, AttributeMeta>;
  /** Declared references to other resources by name. */
  references: Map<string, AttributeMeta>;
  /** Declared actions, with their signatures. */
  actions: ActionMeta[];
}

const META = Symbol('mixcoatl.meta');

/** Installs what a class needs once its metadata is valid (the attribute accessors). */
type Installer = (cls: Function, attributes: readonly AttributeMeta[]) => void;
let installer: Installer | undefined;

/** Registers the installer; lib/orm/attributes.ts does, when it is first imported. */
export function onDiscovery(install: Installer): void {
  installer = install;
}

function fail(cls: Function, property: string | undefined, problem: string): never {
  throw new MetadataError({ message: `${cls.name}${property ? `.${property}` : ''}: ${problem}` });
}

function collectAttributes(cls: Function): { attributes: AttributeMeta[]; actions: ActionMeta[] } {
  const chain: object[] = [];
  for (let p = cls.prototype as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) chain.unshift(p);
  const attributes = new Map<string, AttributeMeta>();
  const actions: ActionMeta[] = [];
  for (const proto of chain) {
    const recorded = recordedMeta(proto);
    for (const attr of recorded.attributes) attributes.set(attr.name, attr);
    actions.push(...recorded.actions);
  }
  return { attributes: [...attributes.values()], actions };
}

function checkOptions(cls: Function, options: ResourceOptions): { scope: Scope; type: string } {
  const match = /^([a-z]+)\/([A-Z][A-Za-z]*)$/.exec(options.path ?? '');
  if (!match) fail(cls, undefined, `@resource path must look like "<scope>/<Type>" (e.g. "infrastructure/Server"), got ${JSON.stringify(options.path)}`);
  const scope = match[1] as Scope;
  if (!SCOPES.includes(scope)) fail(cls, undefined, `@resource path scope must be one of ${SCOPES.join(', ')}, got "${scope}"`);
  if (!options.collection || !/^[A-Za-z_]\w*$/.test(options.collection)) fail(cls, undefined, `@resource needs a collection name (the envelope member), got ${JSON.stringify(options.collection)}`);
  if (!options.flat && !options.id) fail(cls, undefined, '@resource needs an id (the JSON key of the identifier) unless it is flat');
  if (options.idType && options.idType !== 'number' && options.idType !== 'string') fail(cls, undefined, `@resource idType must be "number" or "string"`);
  return { scope, type: match[2] };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Options of `ActionOptions` every action takes; the command line has its own flags for them. */
const WAITER_OPTIONS = ['wait', 'timeoutMs', 'intervalMs', 'signal', 'onProgress'];

/**
 * The `@action` signature names identifiers, each once, and declares as many parameters as the
 * method has (counted from `design:paramtypes`, so a forgotten argument is caught here).
 */
function checkSignature(cls: Function, act: ActionMeta): void {
  const { args, optionsParam, options } = act.signature;
  const params = optionsParam === undefined ? args : [...args, optionsParam];
  const seen = new Set<string>();
  for (const name of params) {
    if (typeof name !== 'string' || !IDENTIFIER.test(name)) fail(cls, act.name, `@action signature parameter ${JSON.stringify(name)} is not an identifier`);
    if (seen.has(name)) fail(cls, act.name, `@action signature names the parameter "${name}" twice`);
    seen.add(name);
  }
  const keys = new Set<string>();
  for (const key of options) {
    if (typeof key !== 'string' || !IDENTIFIER.test(key)) fail(cls, act.name, `@action signature option ${JSON.stringify(key)} is not an identifier`);
    if (keys.has(key)) fail(cls, act.name, `@action signature lists the option "${key}" twice`);
    if (WAITER_OPTIONS.includes(key)) fail(cls, act.name, `@action signature option "${key}" is a waiter option every action takes; do not list it`);
    keys.add(key);
  }
  if (act.signature.receiver !== 'new' && act.signature.receiver !== 'existing') fail(cls, act.name, `@action signature receiver must be 'new' or 'existing', got ${JSON.stringify(act.signature.receiver)}`);
  if (optionsParam === undefined && options.length) fail(cls, act.name, '@action signature lists options but declares no options parameter (optionsParam: null)');
  const types = Reflect.getMetadata('design:paramtypes', cls.prototype as object, act.name) as unknown[] | undefined;
  if (Array.isArray(types) && types.length !== params.length) {
    fail(cls, act.name, `@action signature declares ${params.length} parameter${params.length === 1 ? '' : 's'} (${params.join(', ') || 'none'}) but the method takes ${types.length}`);
  }
}

/** The attributes a creating action sends are declared attributes of its class, each listed once. */
function checkSends(cls: Function, act: ActionMeta, attributes: Map<string, AttributeMeta>): void {
  const { required, optional } = act.sends;
  if ((required.length || optional.length) && act.signature.receiver !== 'new') fail(cls, act.name, '@action sends lists attributes of a new object: only an action on a new object (a create) has them');
  const seen = new Set<string>();
  for (const key of [...required, ...optional]) {
    if (!attributes.has(key)) fail(cls, act.name, `@action sends "${key}", which is not a declared attribute`);
    if (seen.has(key)) fail(cls, act.name, `@action sends "${key}" twice`);
    seen.add(key);
  }
  if (act.method === 'DELETE' && act.envelope !== 'list') fail(cls, act.name, '@action envelope does not apply to a DELETE (its operation is a query parameter)');
}

/** Validates a class's metadata and installs its accessors (once); the metadata of a resource class. */
export function metaOf(cls: Function): ResourceMeta {
  const cached = Object.prototype.hasOwnProperty.call(cls, META) ? (cls as unknown as Record<symbol, ResourceMeta>)[META] : undefined;
  if (cached) return cached;
  const options = recordedOptions(cls);
  if (!options) fail(cls, undefined, 'is not declared with @resource({ path, collection, id })');
  const { scope, type } = checkOptions(cls, options);
  const { attributes, actions } = collectAttributes(cls);
  const byName = new Map(attributes.map((a) => [a.name, a]));
  if (options.id && !byName.has(options.id)) fail(cls, options.id, `the identifier "${options.id}" must be declared with @attribute()`);
  for (const attr of attributes) {
    if (attr.name === 'id') fail(cls, 'id', '"id" is reserved for the identifier alias');
    if (attr.reference && typeof attr.reference.target !== 'function') fail(cls, attr.name, '@reference needs a thunk such as () => Region');
  }
  if (!installer) fail(cls, undefined, 'was discovered before lib/orm/attributes.ts was loaded (extend Resource from lib/orm/resource.ts)');
  installer(cls, attributes);
  const seenActions = new Set<string>();
  for (const act of actions) {
    if (seenActions.has(act.name)) fail(cls, act.name, 'is declared as an action twice');
    seenActions.add(act.name);
    if (typeof (cls.prototype as Record<string, unknown>)[act.name] !== 'function') fail(cls, act.name, '@action must decorate a method');
    checkSignature(cls, act);
    checkSends(cls, act, byName);
  }
  const meta: ResourceMeta = {
    cls: cls as ResourceConstructor,
    name: cls.name,
    path: options.path,
    scope,
    type,
    collection: options.collection,
    idKey: options.id,
    idType: options.idType ?? 'number',
    flat: options.flat ?? false,
    listOnly: options.listOnly ?? false,
    requiredFilters: requiredFiltersOf(cls),
    oneOfFilters: [...(filterRulesOf(cls).oneOf ?? [])],
    attributes: byName,
    references: new Map(attributes.filter((a) => a.reference).map((a) => [a.name, a])),
    actions,
  };
  Object.defineProperty(cls, META, { value: meta, enumerable: false });
  return meta;
}

/** The class a reference points at, checked to be a declared resource. */
export function referenceTarget(owner: Function, attr: AttributeMeta): ResourceMeta {
  const target = attr.reference?.target();
  if (typeof target !== 'function' || !recordedOptions(target)) {
    fail(owner, attr.name, `@reference target ${typeof target === 'function' ? target.name : String(target)} is not a class declared with @resource`);
  }
  return metaOf(target);
}

/** Every declared resource class, validated. */
export function allResources(): ResourceMeta[] {
  return declaredClasses().map((cls) => metaOf(cls));
}

/** Finds a resource class by class name, API type, path or collection (case-insensitive). */
export function findResource(name: string): ResourceMeta | undefined {
  const wanted = name.toLowerCase().replace(/[-_\s]/g, '');
  return allResources().find(
    (m) => m.name.toLowerCase() === wanted || m.path.toLowerCase() === name.toLowerCase() || m.collection.toLowerCase() === wanted || m.type.toLowerCase() === wanted,
  );
}
