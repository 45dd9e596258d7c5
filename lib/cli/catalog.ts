/**
 * The `dcm` command's view of the resource registry: one command name per resource class
 * (`machine-image` for MachineImage) and one verb per `@action` method (`assign-budget` for
 * assignBudget), derived at run time from `allResources()`, so a resource or action added under
 * resources/ is on the command line without any change here.
 *
 * The shape of each action's arguments is declared with it (`@action(method, operation,
 * { args, optionsParam, options })`, see `ActionSignature`): positional parameter names and the
 * option names the command offers, with parameter types from TypeScript's `design:paramtypes`
 * metadata. That is enough to map `dcm server rename 331810 web-2 --wait` onto
 * `server.rename('web-2', { wait: true })`, and it survives minifiers and transpilers because
 * nothing is read from the methods' source.
 */
import type { ActionMeta } from '../orm/metadata.js';
import { allResources, type ResourceMeta } from '../orm/registry.js';
import { closest } from '../suggest.js';

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
  /** Called on a new object filled from the attribute flags (launch, create, add, …), not on one named by id. */
  creates: boolean;
  /** Positional arguments after the identifier. */
  params: CliParam[];
  /** Name of the options/input object parameter, if the method takes one. */
  optionsParam: string | undefined;
  /** Option names the command offers for that object (beyond the waiter's), as declared. */
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
    const action = toCliAction(meta, act);
    actions.set(action.verb, action);
  }
  return { meta, command, aliases: [...aliases], actions };
}

function toCliAction(meta: ResourceMeta, act: ActionMeta): CliAction {
  const { name: method, method: http, signature } = act;
  let verb = kebab(method);
  if ((BUILT_IN_VERBS as readonly string[]).includes(verb)) verb = meta.actions.some((a) => kebab(a.name) === 'update') ? `${verb}-${kebab(meta.type)}` : 'update';
  const proto = (meta.cls as { prototype: object }).prototype;
  const types = (Reflect.getMetadata?.('design:paramtypes', proto, method) as unknown[] | undefined) ?? [];
  const params = signature.args.map((name, i) => ({ name, type: paramType(types[i]) }));
  return { verb, method, http, creates: signature.receiver === 'new', params, optionsParam: signature.optionsParam, optionKeys: [...signature.options] };
}

function paramType(design: unknown): CliParam['type'] {
  if (design === Number) return 'number';
  if (design === String) return 'string';
  if (design === Boolean) return 'boolean';
  return 'any';
}
