/**
 * `include`: references filled from the same answer. `Server.all({ include: ['region'] })` asks
 * for the extended detail level, in which the API embeds the referenced objects, and makes each
 * embedded one a loaded object through the identity map, so reading `server.region.name` for
 * every server costs no further request.
 */
import { ValidationError } from '../errors.js';
import { closest } from '../suggest.js';
import { identityKey, objectFor } from './identity.js';
import { parseId } from './ids.js';
import { referenceTarget, type ResourceMeta } from './registry.js';
import { stateOf, type Source, type State } from './state.js';

/** The included reference names, checked: each must be a reference the API embeds. */
export function checkInclude(meta: ResourceMeta, include: unknown, what: string): string[] {
  if (include === undefined) return [];
  if (!Array.isArray(include) || include.some((name) => typeof name !== 'string')) {
    throw new ValidationError({ message: `${what}: include must be a list of reference names, e.g. include: ['${[...meta.references.keys()][0] ?? 'region'}']` });
  }
  const problems: string[] = [];
  for (const name of include as string[]) {
    if (meta.references.has(name)) continue;
    const near = closest(name, meta.references.keys());
    const valid = [...meta.references.keys()];
    problems.push(
      meta.attributes.has(name)
        ? `${name} is not a reference of ${meta.name}, so the API has nothing to embed for it`
        : `${meta.name} has no reference "${name}"${near ? ` (did you mean ${near}?)` : ''}`,
    );
    if (problems.length === 1) problems.push(valid.length ? `the references ${meta.name} can include are ${valid.join(', ')}` : `${meta.name} has no references to include`);
  }
  if (problems.length) throw new ValidationError({ message: `${what}: ${problems.join('; ')}`, problems });
  return [...new Set(include as string[])];
}

function embedOne(owner: State, ownerMeta: ResourceMeta, attribute: string, target: ResourceMeta, plain: Record<string, unknown>, source: Source): void {
  const id = target.idKey ? parseId(target.idType, plain[target.idKey]) : undefined;
  // A reference the answer carries as an id only was not embedded: it stays to be loaded.
  if (id === undefined || Object.keys(plain).length <= 1) return;
  const { obj } = objectFor(identityKey(owner.endpoint), target.name, id, () => new target.cls(id, { endpoint: owner.endpoint }));
  const state = stateOf(obj);
  state.data = { ...plain };
  state.complete = true;
  state.refs = undefined;
  state.source = source;
  state.via ??= { type: ownerMeta.name, attribute };
}

/** Makes the embedded references named by `include` loaded objects (the identity map shares them). */
export function embedIncluded(meta: ResourceMeta, objects: readonly object[], include: readonly string[], source: Source): void {
  if (!include.length) return;
  const embedded: Source = { ...source, how: 'embedded' };
  for (const name of include) {
    const target = referenceTarget(meta.cls, meta.references.get(name)!);
    for (const obj of objects) {
      const owner = stateOf(obj);
      const value = owner.data?.[name];
      if (Array.isArray(value)) {
        for (const item of value) if (item !== null && typeof item === 'object' && !Array.isArray(item)) embedOne(owner, meta, name, target, item as Record<string, unknown>, embedded);
      } else if (value !== null && typeof value === 'object') {
        embedOne(owner, meta, name, target, value as Record<string, unknown>, embedded);
      }
      owner.refs = undefined;
    }
  }
}
