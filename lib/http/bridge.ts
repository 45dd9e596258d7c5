/**
 * The synchronous transport: a worker thread performs the request with the same
 * `send()` as the async path while the caller blocks in `Atomics.wait`, then drains the reply with
 * `receiveMessageOnPort`.
 *
 * - Request ids: a late reply to an abandoned call is dropped instead of answering the next one.
 * - The worker starts the same way whatever flags the parent was started with: its `execArgv` is
 *   explicit (only diagnostic flags are passed on), so `--input-type=module`, `-e`, `--import`
 *   preloads or loaders of the parent cannot break its bootstrap.
 * - Start-up/crash guard: the worker is started from a tiny CommonJS bootstrap that reports a
 *   failed import, an uncaught exception or an exit as a `fatal` message and wakes the caller, so
 *   a broken worker fails the call at once (as a NetworkError) and the next call starts a new one.
 *   A worker that cannot be created (Node's permission model without `--allow-worker`) fails at
 *   once too, and one that sends no sign of life within `START_TIMEOUT_MS` fails then.
 * - A read of an emulator served by this very thread would wait for an answer this thread can
 *   never give: it is refused at once.
 * - The worker and its port are unref'd, so they never keep a script alive.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { scrubUrl } from '../redaction.js';
import type { WireError, WireRequest, WireResponse } from '../wire.js';
import { TransportFailure } from './failure.js';

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

/** The compiled worker module beside this file: the entry a bridge uses unless told otherwise. */
const DEFAULT_ENTRY = new URL('./worker.js', import.meta.url);

/** How long a new worker may take, by default, to import its entry and say it is ready. */
const START_TIMEOUT_MS = 10_000;

/** Parent flags the worker inherits: diagnostics only, none that changes how code is loaded. */
const INHERITED_FLAG = /^--(enable-source-maps|no-warnings|no-deprecation|trace-warnings|trace-uncaught|disable-warning=.+)$/;

/** The worker's `execArgv`: the parent's diagnostic flags, nothing else. */
export function workerExecArgv(parent: readonly string[] = process.execArgv): string[] {
  return parent.filter((flag) => INHERITED_FLAG.test(flag));
}

/** The global key under which the emulator records the origins it serves from this thread. */
const SERVED_HERE = Symbol.for('mixcoatl.servedOnThisThread');
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1|0\.0\.0\.0|\[::\])$/;

/** The origin of `url` if an emulator serves it from this thread (lib/emulator/server.ts). */
export function servedOnThisThread(url: string): string | undefined {
  const served = (globalThis as Record<symbol, Set<string> | undefined>)[SERVED_HERE];
  if (!served?.size) return undefined;
  const target = new URL(url);
  for (const origin of served) {
    const here = new URL(origin);
    if (here.port === target.port && (here.hostname === target.hostname || (LOOPBACK.test(here.hostname) && LOOPBACK.test(target.hostname)))) return origin;
  }
  return undefined;
}

/** Why a worker could not be created, and what to do about it. */
function startFailure(error: unknown): WireError {
  const code = (error as { code?: unknown } | null)?.code;
  const message =
    code === 'ERR_ACCESS_DENIED' ?
      "synchronous reads need a worker thread, which Node's permission model denies: start node with --allow-worker, or use the async API (await x.load(), await request())"
    : `the synchronous-read worker could not start: ${(error as Error | null)?.message ?? String(error)}`;
  return { name: 'NetworkError', code: 'EWORKER', message };
}

interface Live {
  worker: Worker;
  port: MessagePort;
  state: Int32Array;
  /** The worker has imported its entry and answered. */
  ready: boolean;
  startedAt: number;
}

type Reply = { id: number; ok: true; response: WireResponse } | { id: number; ok: false; error: WireError } | { fatal: true; message: string } | { ready: true };

export class SyncBridge {
  private live: Live | undefined;
  private nextId = 1;
  /** How many workers were started (for diagnostics and specs). */
  starts = 0;

  private entry: URL;
  private startTimeoutMs: number;

  /**
   * @param options.entry the module the worker imports, which exports `serve(port, state)`: the
   *   compiled `worker.js` beside this file by default.
   * @param options.startTimeoutMs how long a new worker may take to say it is ready.
   */
  constructor(options: { entry?: URL; startTimeoutMs?: number } = {}) {
    this.entry = options.entry ?? DEFAULT_ENTRY;
    this.startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
  }

  /** Uses another worker module from the next start on (the specs run the sources through a loader). */
  useEntry(entry: URL, options: { startTimeoutMs?: number } = {}): void {
    this.entry = entry;
    this.startTimeoutMs = options.startTimeoutMs ?? this.startTimeoutMs;
    this.reset();
  }

  private ensure(): Live {
    if (this.live) return this.live;
    const state = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    let worker: Worker;
    try {
      worker = new Worker(BOOTSTRAP, {
        eval: true,
        execArgv: workerExecArgv(),
        workerData: { port: port2, state, entry: this.entry.href },
        transferList: [port2],
        stdout: false,
        stderr: false,
      });
    } catch (error) {
      port1.close();
      throw new TransportFailure(startFailure(error));
    }
    worker.unref();
    port1.unref();
    // Errors are reported through the fatal message; keep them from becoming uncaught here.
    worker.on('error', () => undefined);
    this.starts += 1;
    this.live = { worker, port: port1, state, ready: false, startedAt: performance.now() };
    return this.live;
  }

  /**
   * Starts the worker ahead of the first call, so that its start and imports overlap the caller's
   * own work. Only for the default entry (the specs' loader entry compiles on load, too slow to
   * start on speculation); never throws: a worker that cannot start fails the first call instead.
   * The worker is unref'd like any other, so it never keeps a process alive.
   */
  prestart(): void {
    if (this.live || this.entry.href !== DEFAULT_ENTRY.href) return;
    try {
      this.ensure();
    } catch {
      /* the first synchronous read reports why */
    }
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
    const served = servedOnThisThread(request.url);
    if (served) {
      throw new UsageError({
        code: 'ESAMETHREAD',
        message: `a synchronous ${request.method} ${scrubUrl(request.url, request.secretKey)} would never be answered: the emulator at ${served} is served by this thread, which the read would block; start it with startEmulatorInWorker() (or spawnEmulator()), or use the async API (await x.load())`,
      });
    }
    return this.exchange(request, timeoutMs);
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
      const reply = received.message as Reply;
      if ('fatal' in reply) {
        this.reset();
        return;
      }
      if ('ready' in reply) live.ready = true;
    }
  }

  private exchange(request: WireRequest, timeoutMs: number): WireResponse {
    this.discardIdle();
    const live = this.ensure();
    const id = this.nextId++;
    live.port.postMessage({ id, request });
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(live.state, 0);
      for (let received = receiveMessageOnPort(live.port); received; received = receiveMessageOnPort(live.port)) {
        const reply = received.message as Reply;
        if ('fatal' in reply) {
          this.reset();
          throw new TransportFailure({ name: 'NetworkError', code: 'EWORKER', message: `the synchronous-read worker failed: ${reply.message}` });
        }
        if ('ready' in reply) {
          live.ready = true;
          continue;
        }
        if (reply.id !== id) continue; // stale reply of an abandoned call
        if (reply.ok) return reply.response;
        throw new TransportFailure(reply.error);
      }
      const now = performance.now();
      if (!live.ready && now - live.startedAt >= this.startTimeoutMs) {
        this.reset();
        throw new TransportFailure({ name: 'NetworkError', code: 'EWORKER', message: `the synchronous-read worker gave no sign of life within ${this.startTimeoutMs} ms of its start` });
      }
      const remaining = deadline - now;
      if (remaining <= 0) {
        throw new TransportFailure({ name: 'TimeoutError', code: 'ETIMEDOUT', message: `synchronous ${request.method} ${scrubUrl(request.url, request.secretKey)} got no answer within ${Math.round(timeoutMs)} ms` });
      }
      Atomics.wait(live.state, 0, seq, live.ready ? remaining : Math.min(remaining, live.startedAt + this.startTimeoutMs - now));
    }
  }
}

/** The process-wide bridge used by the default transport. */
export const syncBridge = new SyncBridge();
