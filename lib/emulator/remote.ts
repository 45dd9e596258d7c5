/**
 * A handle on an emulator hosted elsewhere (worker thread or child process): log, faults, reset
 * and summary go through the unsigned control routes, so they work whatever hosts it.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as tlsRequest } from 'node:https';
import type { EmulatorHandle, FaultRule, RequestLogEntry, StateSummary } from './types.js';

/** What a worker/child reports once it listens. */
export interface ReadyInfo {
  url: string;
  origin: string;
  dashboardUrl?: string;
  port: number;
  accessKey: string;
  secretKey: string;
  /** With `tls`: the CA's PEM file. */
  caFile?: string;
}

function callControl(origin: string, method: string, path: string, body?: unknown, ca?: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const send = ca === undefined ? request : tlsRequest;
    // agent:false — a fresh connection per call, so no pooled socket outlives the emulator.
    const req = send(`${origin}/__emulator${path}`, { method, agent: false, headers: payload ? { 'content-length': Buffer.byteLength(payload) } : {}, ...(ca === undefined ? {} : { ca }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300) {
          let message = text;
          try { message = JSON.parse(text).error.message; } catch { /* raw text */ }
          reject(new Error(`emulator control ${method} ${path} failed (${res.statusCode}): ${message}`));
        } else resolve(text ? JSON.parse(text) : undefined);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export function remoteHandle(info: ReadyInfo, kind: 'worker' | 'child', close: () => Promise<void>, pid?: number): EmulatorHandle {
  let closing: Promise<void> | undefined;
  // The control routes of an HTTPS emulator are verified against its own CA.
  const ca = info.caFile === undefined ? undefined : readFileSync(info.caFile, 'utf8');
  const control = (method: string, path: string, body?: unknown): Promise<unknown> => callControl(info.origin, method, path, body, ca);
  return {
    ...info,
    kind,
    pid,
    close: () => (closing ??= close()),
    requestLog: async () => (await control('GET', '/log')) as RequestLogEntry[],
    clearLog: async () => { await control('DELETE', '/log'); },
    setFaults: async (rules: FaultRule[]) => { await control('PUT', '/faults', rules); },
    reset: async () => { await control('POST', '/reset'); },
    summary: async () => (await control('GET', '/state')) as StateSummary,
    items: async (path: string) => (await control('GET', `/items/${path}`)) as Array<Record<string, any>>,
  };
}
