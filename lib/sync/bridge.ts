/**
 * Synchronous requests from the main thread (TOOLCHAIN §3): a worker thread performs the request
 * with the same code as the async path while the caller blocks in `Atomics.wait`, then drains the
 * reply with `receiveMessageOnPort`.
 *
 * - Request ids: a late reply to an abandoned call is dropped instead of answering the next one.
 * - Start-up/crash guard: the worker is started from a tiny CommonJS bootstrap that reports a
 *   failed import, an uncaught exception or an exit as a `fatal` message and wakes the caller, so
 *   a broken worker fails the call at once (as a NetworkError) and the next call starts a new one.
 * - The worker and its port are unref'd, so they never keep a script alive.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { WireError, WireRequest, WireResponse } from '../http/wire.js';

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const { port, state, entry } = workerData;
let failed = false;
function fail(error) {
  if (failed) return;
  failed = true;
  try { port.postMessage({ fatal: true, message: String((error && error.message) || error) }); } catch {}
  Atomics.add(state, 0, 1);
  Atomics.notify(state, 0);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
process.on('exit', () => fail(new Error('the worker exited')));
import(entry).then((m) => m.serve(port, state)).catch(fail);
`;

/** The compiled worker module; under Jest the sources are .ts, so use the built copy in dist/. */
export function workerEntry(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/lib/sync/worker.js', here) : new URL('./worker.js', here);
  return url.href;
}

export class BridgeError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

interface Live {
  worker: Worker;
  port: MessagePort;
  state: Int32Array;
}

type Reply = { id: number; ok: true; response: WireResponse } | { id: number; ok: false; error: WireError } | { fatal: true; message: string } | { ready: true };

export class SyncBridge {
  private live: Live | undefined;
  private nextId = 1;
  /** How many workers were started (for diagnostics and specs). */
  starts = 0;

  /** Starts the worker now without waiting for it (the first sync read then pays less). */
  warm(): void {
    this.ensure();
  }

  private ensure(): Live {
    if (this.live) return this.live;
    const entry = workerEntry();
    const state = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { port: port2, state, entry },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    worker.unref();
    port1.unref();
    // Errors are reported through the fatal message; keep them from becoming uncaught here.
    worker.on('error', () => undefined);
    this.starts += 1;
    this.live = { worker, port: port1, state };
    if (entry.startsWith('file:') && !existsSync(fileURLToPath(entry))) {
      this.reset();
      throw new BridgeError({ name: 'NetworkError', code: 'EWORKER', message: `synchronous reads need the built worker ${fileURLToPath(entry)}; run npm run build` });
    }
    return this.live;
  }

  /** Ends the current worker; the next call starts a new one. */
  reset(): void {
    const live = this.live;
    this.live = undefined;
    if (live) {
      live.port.close();
      void live.worker.terminate();
    }
  }

  /** Performs the request in the worker and blocks until its reply (or the timeout). */
  call(request: WireRequest, timeoutMs: number): WireResponse {
    return this.exchange({ request }, timeoutMs) as WireResponse;
  }

  /**
   * Diagnostics: makes the worker crash (`crash`) or exit (`exit`) while a caller waits; with
   * `delayMs`, a crash comes that much later (so a caller that stops waiting sooner leaves a
   * worker that dies between calls).
   */
  breakWorker(op: 'crash' | 'exit', timeoutMs = 5_000, delayMs?: number): void {
    this.exchange({ op, delayMs }, timeoutMs);
  }

  /**
   * Drops what an idle worker left on the port: late replies of abandoned calls, and the fatal
   * notice of a worker that died between calls (which then is replaced before the next request,
   * instead of failing it).
   */
  private discardIdle(): void {
    const live = this.live;
    if (!live) return;
    for (let received = receiveMessageOnPort(live.port); received; received = receiveMessageOnPort(live.port)) {
      if ('fatal' in (received.message as Reply)) {
        this.reset();
        return;
      }
    }
  }

  private exchange(payload: { request: WireRequest } | { op: 'crash' | 'exit'; delayMs?: number }, timeoutMs: number): WireResponse | undefined {
    this.discardIdle();
    const live = this.ensure();
    const id = this.nextId++;
    live.port.postMessage({ id, ...payload });
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(live.state, 0);
      for (let received = receiveMessageOnPort(live.port); received; received = receiveMessageOnPort(live.port)) {
        const reply = received.message as Reply;
        if ('fatal' in reply) {
          this.reset();
          throw new BridgeError({ name: 'NetworkError', code: 'EWORKER', message: `the synchronous-read worker failed: ${reply.message}` });
        }
        if ('ready' in reply || reply.id !== id) continue; // stale reply of an abandoned call
        if (reply.ok) return reply.response;
        throw new BridgeError(reply.error);
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        throw new BridgeError({ name: 'TimeoutError', code: 'ETIMEDOUT', message: `synchronous ${'request' in payload ? `${payload.request.method} ${payload.request.url}` : 'call'} got no answer within ${Math.round(timeoutMs)} ms` });
      }
      Atomics.wait(live.state, 0, seq, remaining);
    }
  }
}

/** The process-wide bridge used by the default transport. */
export const syncBridge = new SyncBridge();
