/**
 * What the library tells its users as it works: `on('request', …)` for every request sent and
 * `on('nPlusOne', …)` when single loads of one type pile up. Listeners run synchronously; one that
 * throws is reported as a process warning and never breaks the request.
 */

/** One request, as sent and answered. Holds no secret, signature or body. */
export interface RequestEvent {
  method: string;
  /** The full URL, query included. */
  url: string;
  /** The resource path below the API root, e.g. `infrastructure/Server/331810`. */
  path: string;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  /** Error code when the request failed (`ENOTFOUND`, `ETIMEDOUT`, …). */
  errorCode: string | undefined;
  durationMs: number;
  /** Attempts made (1 unless retried). */
  attempts: number;
  /**
   * Milliseconds the attempts waited for the process-wide limiter (its cap, its rate, or a pause
   * a 429 asked for); 0 for a synchronous read, which is never queued.
   */
  queuedMs: number;
  /** What made it: `lazy read of Server.name`, `Server.all()`, `Server.stop()`, `request()`, … */
  trigger: string;
  /** `file:line:column` in the calling code (library frames skipped), when known. */
  callSite: string | undefined;
  /** Sent by a blocking (synchronous) read. */
  sync: boolean;
}

/** Many single loads of one type in a short window: a loop that one listing would serve. */
export interface NPlusOneEvent {
  /** The resource type, e.g. `Region`. */
  type: string;
  /** Single loads seen within the window. */
  count: number;
  windowMs: number;
  /** Where the loads come from (`file:line:column`), when known. */
  callSite: string | undefined;
  /** What to do instead, e.g. `Server.all({ include: ['region'] })` or `Resource.loadMany(objects)`. */
  suggestion: string;
}

/** The events and their payloads. */
export interface MixcoatlEvents {
  request: RequestEvent;
  nPlusOne: NPlusOneEvent;
}

export type EventName = keyof MixcoatlEvents;

const listeners: { [K in EventName]: Array<(event: MixcoatlEvents[K]) => void> } = { request: [], nPlusOne: [] };

function checkName(name: unknown): asserts name is EventName {
  if (name !== 'request' && name !== 'nPlusOne') throw new TypeError(`unknown event ${JSON.stringify(name)}: the events are request and nPlusOne`);
}

/** Calls `listener` for every event `name`; returns a function that removes it. */
export function on<K extends EventName>(name: K, listener: (event: MixcoatlEvents[K]) => void): () => void {
  checkName(name);
  if (typeof listener !== 'function') throw new TypeError(`on('${name}', listener): the listener must be a function`);
  listeners[name].push(listener);
  return () => off(name, listener);
}

/** Removes a listener added with `on()`. */
export function off<K extends EventName>(name: K, listener: (event: MixcoatlEvents[K]) => void): void {
  checkName(name);
  const list = listeners[name];
  const index = list.indexOf(listener);
  if (index !== -1) list.splice(index, 1);
}

/** Whether anyone listens (so that call sites are only computed when someone will read them). */
export function listening(name: EventName): boolean {
  return listeners[name].length > 0;
}

/** Delivers an event to each listener; a listener's exception becomes a process warning. */
export function emit<K extends EventName>(name: K, event: MixcoatlEvents[K]): void {
  for (const listener of [...listeners[name]]) {
    try {
      listener(event);
    } catch (error) {
      process.emitWarning(`a mixcoatl '${name}' listener threw: ${error instanceof Error ? error.message : String(error)}`, 'MixcoatlListenerWarning');
    }
  }
}

