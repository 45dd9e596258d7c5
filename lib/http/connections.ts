/**
 * Kept-alive connections that cannot go stale under a request.
 *
 * A server closes a connection that stays idle longer than its keep-alive timeout (Node's and
 * Apache's 5 s; Node's server closes 1 s after the time it announces). A timer cannot notice that
 * while the thread is blocked (a run of synchronous reads, a synchronous child process): when the
 * thread resumes, the closed connection is still in the agent's pool, and a request written on it
 * fails with ECONNRESET ("socket hang up") although the server never saw it. The guards, checked
 * when a connection is about to be reused (clocks run while a thread is blocked, timers do not):
 *
 * - **Idle age.** Each connection put back in the pool is stamped with the time and with how long
 *   it may stay idle: the server's `Keep-Alive: timeout=N` hint less {@link HINT_BUFFER_MS}
 *   (Node's agent keeps the same margin), at most {@link MAX_IDLE_MS}; {@link DEFAULT_IDLE_MS}
 *   when the server gives no hint (undici's default, below the common 5 s). An older one is
 *   closed instead of reused.
 * - **A look before reuse.** A write (POST, PUT, DELETE) that would reuse a connection, and a read
 *   that would reuse one idle for {@link LOOK_AFTER_IDLE_MS} or more, wait for the event loop to
 *   poll for I/O first: a close the server sent while the thread was blocked is then read and the
 *   connection dropped, and the request goes out on a fresh one. Back-to-back reads never wait.
 * - **A retry at once for reads.** A GET or HEAD that still failed on a reused connection before a
 *   byte of an answer arrived ({@link isStaleFailure}: Node's documented test) is retried at once,
 *   without a pause, on a fresh connection (send.ts); it counts as a retry.
 *
 * Writes are never sent again that way: the client cannot tell a connection the server had
 * closed from a server that took the request and then dropped the connection (a crash, a proxy,
 * the emulator's `reset` fault after a launch is applied), and replaying a launch in the second
 * case would create a second server. The look before reuse keeps writes off closed connections
 * instead.
 *
 * On the path of back-to-back requests the guards cost a clock read and a comparison.
 */
import http, { type ClientRequest } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

/** Idle time allowed when the server sends no `Keep-Alive: timeout=N` hint, in milliseconds. */
export const DEFAULT_IDLE_MS = 4_000;
/** Taken off the server's hint: a connection is dropped this long before the server would close it. */
export const HINT_BUFFER_MS = 1_000;
/** The longest idle time believed from a hint (a server may announce hours). */
export const MAX_IDLE_MS = 600_000;

/** What the pool knows of a connection it keeps (symbols: no clash with Node's own fields). */
const FREED_AT = Symbol('mixcoatl.freedAt');
const IDLE_LIMIT = Symbol('mixcoatl.idleLimit');
const READ_WHEN_FREED = Symbol('mixcoatl.readWhenFreed');

interface Pooled extends Socket {
  [FREED_AT]?: number;
  [IDLE_LIMIT]?: number;
  [READ_WHEN_FREED]?: number;
}

/** The parts of Node's Agent this module hooks (public behaviour, undeclared in @types/node). */
interface AgentInternals {
  freeSockets: Record<string, Pooled[] | undefined>;
  addRequest(req: ClientRequest, options: object, ...legacy: unknown[]): void;
  keepSocketAlive(socket: Pooled): boolean;
}

let lastHint: string | undefined;
let lastHintLimit = DEFAULT_IDLE_MS;

/** How long a connection may stay idle, from the `Keep-Alive` header of its last answer. */
export function idleLimit(hint: string | string[] | undefined): number {
  const text = Array.isArray(hint) ? hint[0] : hint;
  if (text === undefined) return DEFAULT_IDLE_MS;
  if (text !== lastHint) {
    const seconds = /(?:^|[\s,;])timeout\s*=\s*(\d+)/i.exec(text)?.[1];
    lastHintLimit = seconds === undefined ? DEFAULT_IDLE_MS : Math.min(MAX_IDLE_MS, Math.max(0, Number(seconds) * 1000 - HINT_BUFFER_MS));
    lastHint = text;
  }
  return lastHintLimit;
}

/** The connection cannot carry another request: closed, half-closed by the server, or idle too long. */
function unusable(socket: Pooled, now: number): boolean {
  return socket.destroyed || socket.readableEnded || !socket.writable || now - (socket[FREED_AT] ?? now) >= (socket[IDLE_LIMIT] ?? DEFAULT_IDLE_MS);
}

/**
 * Closes the pooled connections that cannot be reused, from the end of each list (the agent takes
 * the last one: `scheduling: 'lifo'`) until one that can, and returns how long the connection that
 * would be reused has been idle (the longest of the lists' last ones; -1 when there is none).
 */
function prune(agent: AgentInternals): number {
  const pools = agent.freeSockets;
  let now: number | undefined;
  let idle = -1;
  for (const name in pools) {
    const free = pools[name];
    while (free && free.length > 0) {
      const last = free[free.length - 1];
      now ??= performance.now();
      if (!unusable(last, now)) {
        idle = Math.max(idle, now - (last[FREED_AT] ?? now));
        break;
      }
      free.pop();
      last.destroy();
    }
  }
  return idle;
}

const READS = new Set(['GET', 'HEAD']);

/**
 * A read looks before it reuses a connection idle this long (a write always does): back-to-back
 * requests never wait, and no server closes a connection idle for less.
 */
export const LOOK_AFTER_IDLE_MS = 100;

/** Adds the guards to a keep-alive agent (in place) and returns it (proxy agents get them too: proxy.ts). */
export function guardAgent<A extends http.Agent>(agent: A): A {
  const inner = agent as unknown as AgentInternals;
  const keepSocketAlive = inner.keepSocketAlive;
  const addRequest = inner.addRequest;
  inner.keepSocketAlive = function (this: AgentInternals, socket: Pooled): boolean {
    const kept = keepSocketAlive.call(this, socket);
    if (kept) {
      const answer = (socket as unknown as { _httpMessage?: { res?: { headers: http.IncomingHttpHeaders } } })._httpMessage?.res;
      socket[FREED_AT] = performance.now();
      socket[IDLE_LIMIT] = idleLimit(answer?.headers['keep-alive']);
      socket[READ_WHEN_FREED] = socket.bytesRead;
    }
    return kept;
  };
  inner.addRequest = function (this: AgentInternals, req: ClientRequest, options: object, ...legacy: unknown[]): void {
    const idle = prune(this);
    if (idle < 0 || (idle < LOOK_AFTER_IDLE_MS && READS.has(req.method))) {
      addRequest.call(this, req, options, ...legacy);
      return;
    }
    // The loop polls for I/O before a connection is taken, so that a close that arrived while the
    // thread was blocked has been read and the connection dropped. Two check phases: when this
    // runs in the poll phase (in an I/O callback), the first comes before the next poll, the
    // second after it.
    setImmediate(() =>
      setImmediate(() => {
        if (req.destroyed) return;
        prune(this);
        addRequest.call(this, req, options, ...legacy);
      }),
    );
  };
  return agent;
}

/** The pooled agents every request of this thread uses (keep-alive, at most 32 connections per origin). */
export const pooledAgents = {
  http: guardAgent(new http.Agent({ keepAlive: true, maxSockets: 32 })),
  https: guardAgent(new https.Agent({ keepAlive: true, maxSockets: 32 })),
};

/** Agents that open a new connection per request: a read retried after a stale connection uses them. */
export const freshAgents = {
  http: new http.Agent({ keepAlive: false }),
  https: new https.Agent({ keepAlive: false }),
};

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/**
 * A request failed because its kept-alive connection had been closed by the server: it went out on
 * a reused connection, failed with ECONNRESET or EPIPE, and not one byte of an answer had arrived
 * (`socket` is the request's connection, when known).
 */
export function isStaleFailure(reused: boolean | undefined, code: string | undefined, socket: Socket | undefined): boolean {
  if (!reused || code === undefined || !RESET_CODES.has(code)) return false;
  const read = (socket as Pooled | undefined)?.[READ_WHEN_FREED];
  return socket === undefined || read === undefined || socket.bytesRead === read;
}
