/**
 * The worker side of the synchronous bridge: it runs the same `send()` as the async path and
 * answers each request by id on the transferred port, then bumps the shared counter and wakes
 * the blocked caller (enqueue first, then wake).
 */
import type { MessagePort } from 'node:worker_threads';
import { send, WireFailure } from '../http/send.js';
import type { WireRequest } from '../http/wire.js';

export type BridgeMessage = { id: number; request: WireRequest } | { id: number; op: 'crash' | 'exit'; delayMs?: number };

function wake(state: Int32Array): void {
  Atomics.add(state, 0, 1);
  Atomics.notify(state, 0);
}

export function serve(port: MessagePort, state: Int32Array): void {
  port.on('message', (message: BridgeMessage) => {
    if ('op' in message) {
      // Diagnostics used by the reliability specs to prove the bridge survives a dying worker.
      if (message.op === 'exit') process.exit(1);
      const crash = (): void => {
        throw new Error('worker crashed on request');
      };
      if (message.delayMs) setTimeout(crash, message.delayMs);
      else setImmediate(crash);
      return;
    }
    send(message.request).then(
      (response) => port.postMessage({ id: message.id, ok: true, response }),
      (error: unknown) =>
        port.postMessage({
          id: message.id,
          ok: false,
          error: error instanceof WireFailure ? error.wire : { name: 'NetworkError', code: 'ENETWORK', message: String((error as Error)?.message ?? error) },
        }),
    ).finally(() => wake(state));
  });
  // Tell the main thread the worker is up (it may be waiting for nothing else yet).
  port.postMessage({ ready: true });
  wake(state);
}
