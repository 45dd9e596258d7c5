/**
 * P6's second reference: like bridge-got-worker.ts, a worker for the library's own SyncBridge that
 * answers each request with one bare got GET, but through got's promise interface, as a plain got
 * script writes it (`await got(url).text()`), rather than the cheaper stream interface.
 */
import http from 'node:http';
import type { MessagePort } from 'node:worker_threads';
import got from 'got';
import { announce, wake, type BridgeMessage } from '../../lib/http/worker.js';
import { signedHeaders } from './raw.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const client = got.extend({ throwHttpErrors: false, retry: { limit: 0 }, responseType: 'text', agent: { http: agent } });

export function serve(port: MessagePort, state: Int32Array): void {
  port.on('message', ({ id, request }: BridgeMessage) => {
    const started = performance.now();
    const headers = signedHeaders(request, request.url);
    client(request.url, { headers }).then(
      (r) => port.postMessage({ id, ok: true, response: { statusCode: r.statusCode, headers: r.headers, body: r.body, durationMs: performance.now() - started, attempts: 1 } }),
      (error: unknown) => port.postMessage({ id, ok: false, error: { name: 'NetworkError', code: 'ENETWORK', message: String((error as Error).message) } }),
    ).finally(() => wake(state));
  });
  announce(port, state);
}
