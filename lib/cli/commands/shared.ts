/** What the resource commands (list, describe, actions, job wait) share. */
import { usage, type FlagSpecs } from '../args.js';
import type { CliResource } from '../catalog.js';
import { CONNECTION_FLAGS, cliEndpoint } from '../connection.js';
import type { CliIO } from '../io.js';
import type { AttributeMeta } from '../../orm/metadata.js';
import { Lookup, parseId } from '../../orm/ids.js';
import { resolveLookups } from '../../orm/lookups.js';
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

export const COMMON_FLAGS: FlagSpecs = {
  extended: { type: 'boolean', short: 'e', description: 'ask for extended detail (embedded references)' },
  ...CONNECTION_FLAGS,
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

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

/**
 * The identifier the command line names: the id itself, or — for a type with numeric ids — the
 * name or provider id of one object, looked up with one listing (`dcm server describe web-1`).
 * No match, or several, is an error that says so (several are listed).
 */
export async function receiverId(resource: CliResource, text: string, init: { endpoint: unknown }, command: string): Promise<Id> {
  const { meta } = resource;
  const id = parseId(meta.idType, text);
  if (id !== undefined) return id;
  if (meta.idType !== 'number' || text.trim() === '') throw usage(command, `<${meta.idKey}> must be an identifier, got ${JSON.stringify(text)}`);
  const resolved = await resolveLookups({ id: new Lookup(meta, text, 'id', `<${meta.idKey}>`) }, { endpoint: init.endpoint, sources: [], what: command });
  return resolved.id as Id;
}
