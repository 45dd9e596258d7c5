/** What the resource commands (list, describe, actions, job wait) share. */
import { usage, type FlagSpecs } from '../args.js';
import type { CliResource } from '../catalog.js';
import { cliEndpoint } from '../connection.js';
import type { CliIO } from '../io.js';
import type { AttributeMeta } from '../../orm/metadata.js';
import { Lookup, parseId } from '../../orm/ids.js';
import { bothMessage, digitsAmong, hasNames, resolveLookups } from '../../orm/lookups.js';
import { stateOf } from '../../orm/state.js';
import { AmbiguousError } from '../../errors.js';
import type { Id } from '../../orm/state.js';

/** A resource object as the commands use it. */
export interface ResourceObject {
  id: unknown;
  isLoaded: boolean;
  toJSON(): Record<string, unknown>;
  load(): Promise<unknown>;
  [key: string]: unknown;
}

export interface ResourceStatic {
  new (id?: unknown, init?: Record<string, unknown>): ResourceObject;
  all(options: Record<string, unknown>): Promise<ResourceObject[]>;
  get(id: unknown, init?: Record<string, unknown>): Promise<ResourceObject>;
  find(query: Record<string, unknown>, options?: Record<string, unknown>): Promise<ResourceObject[]>;
}

export { COMMON_FLAGS } from '../flags.js';

export function classOf(resource: CliResource): ResourceStatic {
  return resource.meta.cls as unknown as ResourceStatic;
}

/** Attributes a new object may be given (`--name` of `dcm server launch`). */
export function settable(resource: CliResource): AttributeMeta[] {
  return [...resource.meta.attributes.values()].filter((a) => a.settable);
}

/** Endpoint and detail level from the connection flags. */
export function initOf(flags: Record<string, unknown>, io: CliIO): { endpoint: unknown; details: 'extended' | undefined } {
  return {
    endpoint: cliEndpoint({ endpoint: flags.endpoint as string | undefined, profile: flags.profile as string | undefined }, io),
    details: flags.extended ? 'extended' : undefined,
  };
}

export function isResourceObject(value: unknown): value is ResourceObject {
  return value !== null && typeof value === 'object' && typeof (value as ResourceObject).toJSON === 'function';
}

/** `--interval`/`--timeout`: a whole number of milliseconds. */
export function milliseconds(command: string, name: string, text: unknown): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) throw usage(command, `--${name} must be a whole number of milliseconds, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** `--id`/`--name`: say whether the object argument is an identifier or a name. */
export const RECEIVER_FLAGS: FlagSpecs = {
  id: { type: 'boolean', description: 'the object argument is an identifier (when it is also another object\'s name)' },
  name: { type: 'boolean', description: 'the object argument is a name (when it is also another object\'s identifier)' },
};

/** How the object argument is read: which of `--id`/`--name` was given, and whether the command writes. */
export interface ReceiverChoice {
  /** `--id` or `--name` was given. */
  by: 'id' | 'name' | undefined;
  /** A write or destructive action (refused while the argument is ambiguous); a read only warns. */
  write: boolean;
  io: CliIO;
}

/** `--id`/`--name` from the parsed flags (both at once is a usage error). */
export function receiverChoice(flags: Record<string, unknown>, command: string): 'id' | 'name' | undefined {
  if (flags.id === true && flags.name === true) throw usage(command, 'give --id or --name, not both');
  return flags.id === true ? 'id' : flags.name === true ? 'name' : undefined;
}

function label(obj: object): string {
  const data = stateOf(obj).data ?? {};
  return `${String(stateOf(obj).id)}${typeof data.name === 'string' ? ` (${data.name})` : ''}`;
}

/**
 * The identifier the command line names: the id itself, or — for a type with numeric ids — the
 * name or provider id of one live object, looked up with one listing (`dcm server describe web-1`).
 * An argument of digits only is tried as an id first, then as a name (one listing): when it is the
 * id of one object and the name of another, a read warns and uses the id, a write refuses until
 * `--id` or `--name` says which. No match, or several, is an error that says so.
 */
export async function receiverId(resource: CliResource, text: string, init: { endpoint: unknown }, command: string, choice?: ReceiverChoice): Promise<Id> {
  const { meta } = resource;
  const by = choice?.by;
  const id = parseId(meta.idType, text);
  if (by === 'id') {
    if (id === undefined) throw usage(command, `--id: <${meta.idKey}> must be an identifier, got ${JSON.stringify(text)}`);
    return id;
  }
  if (by !== 'name' && id !== undefined) {
    const digits = meta.idType === 'number' && /^\d+$/.test(text.trim());
    if (!digits || !hasNames(meta) || meta.requiredFilters.length || meta.oneOfFilters.length) return id;
    const listing = (meta.cls as unknown as { all(o: Record<string, unknown>): Promise<object[]> }).all({ endpoint: init.endpoint });
    // A read shows the id's object in any case: a listing that fails only leaves the name unchecked.
    // A write must know, so its listing's failure is the command's.
    const listed = choice?.write ? await listing : await listing.catch(() => undefined);
    if (!listed) return id;
    const { byId, named } = digitsAmong(listed, String(id));
    if (!named.length) return id;
    if (!byId) {
      if (named.length === 1) return stateOf(named[0]).id as Id;
      throw new AmbiguousError({
        message: `${command}: no ${meta.name} has the id ${text.trim()}, and ${named.length} are named so: ${named.slice(0, 5).map(label).join(', ')}; use an id`,
        candidates: named.map((obj) => ({ id: stateOf(obj).id as Id, name: stateOf(obj).data?.name as string | undefined })),
      });
    }
    const both = bothMessage(meta, text.trim(), byId, named);
    if (choice?.write) throw usage(command, `${both}; say which with --id or --name`);
    choice?.io.stderr.write(`warning: ${both}; showing the id's (--name for the other)\n`);
    return id;
  }
  if (meta.idType !== 'number' || text.trim() === '') throw usage(command, `<${meta.idKey}> must be an identifier, got ${JSON.stringify(text)}`);
  const resolved = await resolveLookups({ id: new Lookup(meta, text, 'id', `<${meta.idKey}>`, by === 'name') }, { endpoint: init.endpoint, sources: [], what: command });
  return resolved.id as Id;
}
