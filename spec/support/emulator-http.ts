/**
 * Minimal HTTP helpers for the emulator specs: signed API calls with node:http (no Content-Type
 * unless asked, exactly like the original client), unsigned raw calls, and job polling.
 */
import { request } from 'node:http';
import { authHeaders } from './emulator-sign.js';

/** Anything with an API root and a key pair — an EmulatorHandle fits. */
export interface Target {
  url: string;
  accessKey: string;
  secretKey: string;
}

export interface CallOptions {
  /** Objects are JSON-serialised; strings are sent as they are. */
  body?: unknown;
  details?: string;
  headers?: Record<string, string>;
  /** Query parameters appended to the URL (the signature covers the path without them). */
  query?: Record<string, string>;
  timestamp?: number;
  accessKey?: string;
  secretKey?: string;
  userAgent?: string;
  /** Leave out these auth headers. */
  omit?: string[];
  /** Send no auth headers at all. */
  unsigned?: boolean;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export function raw(url: string, method: string, headers: Record<string, string> = {}, body?: string): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A signed call of `<API root>/<resourcePath>`. */
export function api(target: Target, method: string, resourcePath: string, opts: CallOptions = {}): Promise<CallResult> {
  const qs = opts.query ? `?${new URLSearchParams(opts.query)}` : '';
  const url = `${target.url}/${resourcePath}${qs}`;
  const path = new URL(`${target.url}/${resourcePath}`).pathname;
  const userAgent = opts.userAgent ?? 'mixcoatl';
  const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json', 'x-es-details': opts.details ?? 'basic', ...opts.headers };
  if (!opts.unsigned) {
    const auth = authHeaders({
      accessKey: opts.accessKey ?? target.accessKey, secretKey: opts.secretKey ?? target.secretKey, method, path,
      timestamp: opts.timestamp ?? Date.now(), userAgent,
    });
    for (const [k, v] of Object.entries(auth)) if (!opts.omit?.includes(k)) headers[k] = v;
  }
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  return raw(url, method, headers, body);
}

/** GET a job until it leaves RUNNING (with jobDelayMs 0 each GET advances the clock one step). */
export async function settleJob(target: Target, jobId: number, maxPolls = 10): Promise<any> {
  for (let i = 0; i < maxPolls; i++) {
    const res = await api(target, 'GET', `admin/Job/${jobId}`);
    if (res.status !== 200) throw new Error(`GET admin/Job/${jobId} answered ${res.status}: ${res.text}`);
    const job = res.json.jobs[0];
    if (job.status !== 'RUNNING') return job;
  }
  throw new Error(`job ${jobId} still RUNNING after ${maxPolls} polls`);
}

/** The `jobs[0].jobId` of a 202, failing loudly otherwise. */
export function jobIdOf(res: CallResult): number {
  if (res.status !== 202) throw new Error(`expected 202, got ${res.status}: ${res.text}`);
  return res.json.jobs[0].jobId;
}

/** GET one object's first envelope item. */
export async function getOne(target: Target, resourcePath: string, details?: string): Promise<any> {
  const res = await api(target, 'GET', resourcePath, { details });
  if (res.status !== 200) throw new Error(`GET ${resourcePath} answered ${res.status}: ${res.text}`);
  const [member] = Object.keys(res.json);
  return res.json[member][0];
}
