/** What request handlers receive and return. */
import type { Clock } from './clock.js';
import type { Detail } from './detail.js';
import type { Query } from './filters.js';
import type { ResourceDef } from './resources.js';
import type { Store } from './store.js';
import type { Id } from './types.js';

/** One parsed, authenticated API request. */
export interface ApiRequest {
  method: string;
  def: ResourceDef;
  /** The id segment, percent-decoded, if the path has one. */
  rawId?: string;
  query: Query;
  detail: Detail;
  now: number;
  /** Parsed JSON body of a POST/PUT. */
  body?: unknown;
  /** Access key of the caller. */
  accessKey: string;
}

/** Mutable world shared by handlers. */
export interface World {
  store: Store;
  clock: Clock;
  seed: number;
}

export interface Reply {
  status: number;
  /** JSON-serialised unless undefined (then the body is empty). */
  body?: unknown;
  headers?: Record<string, string>;
}

export { type Id };
