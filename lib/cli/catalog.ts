/**
 * The `dcm` command's view of the resource registry: one command name per resource class
 * (`machine-image` for MachineImage) and one verb per `@action` method (`assign-budget` for
 * assignBudget), derived at run time from `allResources()`, so a resource or action added under
 * resources/ is on the command line without any change here.
 *
 * `@action` records only a method's name and HTTP verb, so the shape of its arguments is read
 * from the method itself: parameter names from its source text (read, never run), parameter
 * types from TypeScript's `design:paramtypes` metadata, and the option names it reads
 * (`options.reason`, `input?.name`, `['name', 'description']`) from its body. That is enough to
 * map `dcm server rename 331810 web-2 --wait` onto `server.rename('web-2', { wait: true })`.
 */
import { allResources, type ResourceMeta } from '../orm/registry.js';
import { closest } from './args.js';

export interface CliParam {
  name: string;
  /** From design:paramtypes: what the argument text is converted to. */
  type: 'number' | 'string' | 'boolean' | 'any';
}

export interface CliAction {
  /** Verb on the command line, e.g. `assign-budget`. */
  verb: string;
  /** Method name on the class, e.g. `assignBudget`. */
  method: string;
  http: 'POST' | 'PUT' | 'DELETE';
  /** POST actions make a new object from the attribute flags (launch, create, add, …). */
  creates: boolean;
  /** Positional arguments after the identifier. */
  params: CliParam[];
  /** Name of the options/input object parameter, if the method takes one. */
  optionsParam: string | undefined;
  /** Option names the method reads from that object (beyond the waiter's). */
  optionKeys: string[];
}

export interface CliResource {
  meta: ResourceMeta;
  /** Command name, e.g. `machine-image`. */
  command: string;
  /** Other accepted names: plural, collection, API type, path. */
  aliases: string[];
  actions: Map<string, CliAction>;
}

/** Verbs every resource has; an action with one of these names gets another verb. */
export const BUILT_IN_VERBS = ['list', 'describe'] as const;

/** `MachineImage` → `machine-image`, `assignBudget` → `assign-budget`, `cmAccounts` → `cm-accounts`. */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** `provider-product-id` → `providerProductId` (names already camelCase are unchanged). */
export function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

let cached: { list: CliResource[]; byName: Map<string, CliResource> } | undefined;

/** Every resource as a command, sorted by command name. */
export function cliResources(): CliResource[] {
  return build().list;
}

/** The resource a command-line word names (command, plural, class, type, collection or path). */
export function findCliResource(word: string): CliResource | undefined {
  const { byName } = build();
  return byName.get(word.toLowerCase()) ?? byName.get(kebab(word)) ?? byName.get(word.toLowerCase().replace(/[-_]/g, ''));
}

/** The closest command name to a misspelt resource word. */
export function suggestResource(word: string): string | undefined {
  const { byName } = build();
  const best = closest(word, byName.keys());
  return best === undefined ? undefined : byName.get(best)?.command;
}

/** Forgets the catalog (after more resource modules were imported). */
export function resetCatalog(): void {
  cached = undefined;
}

function build(): { list: CliResource[]; byName: Map<string, CliResource> } {
  if (cached) return cached;
  const list = allResources()
    .map(toCliResource)
    .sort((a, b) => a.command.localeCompare(b.command));
  const byName = new Map<string, CliResource>();
  // Primary names first, so an alias never shadows another resource's command.
  for (const r of list) byName.set(r.command, r);
  for (const r of list) {
    for (const alias of r.aliases) if (!byName.has(alias)) byName.set(alias, r);
  }
  cached = { list, byName };
  return cached;
}

function toCliResource(meta: ResourceMeta): CliResource {
  const command = kebab(meta.name);
  const aliases = new Set<string>([
    `${command}s`,
    command.endsWith('y') ? `${command.slice(0, -1)}ies` : `${command}s`,
    meta.name.toLowerCase(),
    kebab(meta.type),
    meta.type.toLowerCase(),
    kebab(meta.collection),
    meta.collection.toLowerCase(),
    meta.path.toLowerCase(),
    command.replace(/-/g, ''),
  ]);
  aliases.delete(command);
  const actions = new Map<string, CliAction>();
  for (const act of meta.actions) {
    const action = toCliAction(meta, act.name, act.method);
    actions.set(action.verb, action);
  }
  return { meta, command, aliases: [...aliases], actions };
}

function toCliAction(meta: ResourceMeta, method: string, http: 'POST' | 'PUT' | 'DELETE'): CliAction {
  let verb = kebab(method);
  if ((BUILT_IN_VERBS as readonly string[]).includes(verb)) verb = meta.actions.some((a) => kebab(a.name) === 'update') ? `${verb}-${kebab(meta.type)}` : 'update';
  const proto = (meta.cls as { prototype: Record<string, unknown> }).prototype;
  const fn = proto[method] as (...args: unknown[]) => unknown;
  const source = Function.prototype.toString.call(fn);
  const names = parameterNames(source);
  const types = (Reflect.getMetadata?.('design:paramtypes', proto, method) as unknown[] | undefined) ?? [];
  const last = names.length - 1;
  const optionsParam = last >= 0 && /^(options|input|opts)$/.test(names[last]) ? names[last] : undefined;
  const positional = optionsParam === undefined ? names : names.slice(0, last);
  const params = positional.map((name, i) => ({ name, type: paramType(types[i]) }));
  const optionKeys = optionsParam === undefined ? [] : optionNames(source, optionsParam);
  return { verb, method, http, creates: http === 'POST', params, optionsParam, optionKeys };
}

function paramType(design: unknown): CliParam['type'] {
  if (design === Number) return 'number';
  if (design === String) return 'string';
  if (design === Boolean) return 'boolean';
  return 'any';
}

/** Parameter names of a method from its source text: `async rename(name, options = {}) {` → name, options. */
export function parameterNames(source: string): string[] {
  const open = source.indexOf('(');
  if (open === -1) return [];
  let depth = 0;
  let close = -1;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    else if (ch === ')' || ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    }
  }
  if (close === -1) return [];
  const inner = source.slice(open + 1, close);
  const parts: string[] = [];
  let current = '';
  depth = 0;
  for (const ch of inner) {
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    if (ch === ')' || ch === '}' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current);
  return parts
    .map((part) => part.replace(/=.*$/s, '').replace(/^\s*\.\.\./, '').trim())
    .map((part) => (part.startsWith('{') ? 'options' : part))
    .filter((part) => /^[A-Za-z_$][\w$]*$/.test(part));
}

/** Option names a method reads from its options parameter. */
export function optionNames(source: string, param: string): string[] {
  const found = new Set<string>();
  const member = new RegExp(`\\b${param}\\??\\.(\\w+)`, 'g');
  for (const match of source.matchAll(member)) found.add(match[1]);
  const destructured = new RegExp(`\\{([^{}]*)\\}\\s*=\\s*${param}\\b`, 'g');
  for (const match of source.matchAll(destructured)) {
    for (const piece of match[1].split(',')) {
      const name = piece.replace(/[:=].*$/s, '').replace(/^\s*\.\.\./, '').trim();
      if (/^\w+$/.test(name)) found.add(name);
    }
  }
  // Lists of member names, e.g. `for (const key of ['name', 'description', 'label'])`.
  for (const list of source.matchAll(/\[((?:\s*['"][A-Za-z]\w*['"]\s*,?)+)\]/g)) {
    for (const name of list[1].matchAll(/['"]([A-Za-z]\w*)['"]/g)) found.add(name[1]);
  }
  for (const reserved of ['wait', 'signal', 'onProgress', 'timeoutMs', 'intervalMs', 'endpoint', 'details']) found.delete(reserved);
  return [...found];
}
