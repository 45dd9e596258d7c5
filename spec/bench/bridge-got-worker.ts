/**
 * P6's achievable limit: a worker for the library's own SyncBridge that answers each request with
 * one bare got GET (signed, keep-alive, nothing else), so the main thread pays the same thread hop
 * as a lazy read and the worker does only what a plain got script would do. The GET uses got's
 * stream interface from an instance with every constant option built in, as the library's send()
 * does: the cheapest way through got, so that the bound is a tight one.
 */
import http, { type IncomingMessage } from 'node:http';
import type { MessagePort } from 'node:worker_threads';
import got, { type OptionsInit, type Request } from 'got';
import { announce, wake, type BridgeMessage } from '../../lib/http/worker.js';
import { signedHeaders } from './raw.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const client = got.extend({ throwHttpErrors: false, retry: { limit: 0 }, agent: { http: agent }, isStream: true }) as unknown as (url: string, options: OptionsInit) => Request;

export function serve(port: MessagePort, state: Int32Array): void {
  port.on('message', ({ id, request }: BridgeMessage) => {
    const started = performance.now();
    const headers = signedHeaders(request, request.url);
    const stream = client(request.url, { headers });
    const chunks: Buffer[] = [];
    let answer: IncomingMessage | undefined;
    stream.on('response', (r: IncomingMessage) => (answer = r));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      port.postMessage({ id, ok: true, response: { statusCode: answer?.statusCode, headers: answer?.headers, body, durationMs: performance.now() - started, attempts: 1 } });
      wake(state);
    });
    stream.on('error', (error: Error) => {
      port.postMessage({ id, ok: false, error: { name: 'NetworkError', code: 'ENETWORK', message: String(error.message) } });
      wake(state);
    });
  });
  announce(port, state);
}
