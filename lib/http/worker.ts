/**
 * The worker side of the synchronous transport (./bridge.ts): it runs the same `send()` as the
 * async path and answers each request by id on the transferred port, then bumps the shared counter
 * and wakes the blocked caller (enqueue first, then wake).
 */
import type { MessagePort } from 'node:worker_threads';
import { TransportFailure } from './failure.js';
import { loadGot, send } from './send.js';
import type { WireRequest } from '../wire.js';

export interface BridgeMessage {
  id: number;
  request: WireRequest;
}

/** Wakes the caller blocked in `Atomics.wait` on the shared counter. */
export function wake(state: Int32Array): void {
  Atomics.add(state, 0, 1);
  Atomics.notify(state, 0);
}

/** Posts a reply, then wakes the caller (whether or not the post succeeded). */
function reply(port: MessagePort, state: Int32Array, message: object): void {
  try {
    port.postMessage(message);
  } finally {
    wake(state);
  }
}

/** Sends one request and posts its reply (a response, or the failure as data), then wakes. */
export function answer(port: MessagePort, state: Int32Array, message: BridgeMessage): void {
  send(message.request).then(
    (response) => reply(port, state, { id: message.id, ok: true, response }),
    (error: unknown) =>
      reply(port, state, {
        id: message.id,
        ok: false,
        error: error instanceof TransportFailure ? error.wire : { name: 'NetworkError', code: 'ENETWORK', message: String((error as Error)?.message ?? error) },
      }),
  );
}

/** Tells the bridge the worker is up (it may be waiting for nothing else yet). */
export function announce(port: MessagePort, state: Int32Array): void {
  port.postMessage({ ready: true });
  wake(state);
}

/** The entry the bridge's bootstrap calls once this module is imported. */
export function serve(port: MessagePort, state: Int32Array): void {
  port.on('message', (message: BridgeMessage) => answer(port, state, message));
  // got is loaded now, while the caller may still be busy, rather than at the first request.
  loadGot().catch(() => undefined);
  announce(port, state);
}
