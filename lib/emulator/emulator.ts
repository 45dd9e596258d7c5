/**
 * The emulator core: owns the state (store, clock, faults, log) and turns one HTTP request into
 * one response. Pipeline of an API request:
 *
 *   route version → read body → faults (latency; failure "before") → authenticate (403) →
 *   advance the job clock → GET/HEAD read or POST/PUT/DELETE write → persist if changed →
 *   failure "after" or the reply → request log
 *
 * Transport-level faults come before authentication, as they would from a proxy. The versions
 * listing `GET /api/enstratus` is unsigned; control routes live in ./control.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, errorBody } from './api-error.js';
import { authenticate } from './auth.js';
import { Clock } from './clock.js';
import { API_PREFIX, CONTROL_PREFIX, CURRENT_API_VERSION, SUPPORTED_API_VERSIONS } from './constants.js';
import type { ApiRequest, Reply, World } from './context.js';
import { handleControl } from './control.js';
import { detailLevel } from './detail.js';
import { Faults, type FaultPlan } from './faults.js';
import { normaliseQuery } from './filters.js';
import { RequestLog } from './log.js';
import type { ResolvedOptions } from './options.js';
import type { FileLock } from '../lock.js';
import { REDACTED_MARK } from '../redaction.js';
import { holdStateFile, loadState, saveState, STATE_FORMAT, STATE_VERSION } from './persistence.js';
import { handleRead } from './reads.js';
import { resourceDef } from './resources.js';
import { buildSeed } from './seed/index.js';
import { Store } from './store.js';
import { RateLimit, retryAfterSeconds } from './rate-limit.js';
import type { Rec, RequestLogEntry, StateSummary } from './types.js';
import { EFFECTS, handleWrite } from './writes/index.js';

const BODY_LIMIT = 5 * 1024 * 1024;
/** How much of an oversized body is read and dropped so that its 413 reaches the client. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

const VERSIONS_BODY = JSON.stringify({
  current: { versionId: CURRENT_API_VERSION },
  supported: SUPPORTED_API_VERSIONS.map((versionId) => ({ versionId })),
});

interface Writable {
  write(chunk: string): unknown;
}

export class Emulator implements World {
  store!: Store;
  clock!: Clock;
  readonly faults: Faults;
  readonly log: RequestLog;
  readonly seed: number;
  /** Requests per second per access key, when `rateLimit` is set. */
  private readonly rateLimit: RateLimit | undefined;

  constructor(readonly options: ResolvedOptions, private readonly out: Writable = process.stderr) {
    this.seed = options.seed;
    this.faults = new Faults(options.seed, options.faults);
    this.log = new RequestLog(options.logLimit);
    this.rateLimit = options.rateLimit === undefined ? undefined : new RateLimit(options.rateLimit);
    this.stateLock = options.statePath ? holdStateFile(options.statePath) : undefined;
    try {
      this.start(options);
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  private readonly stateLock: FileLock | undefined;

  private start(options: ResolvedOptions): void {
    const file = options.statePath ? loadState(options.statePath, { eventKinds: Object.keys(EFFECTS) }) : undefined;
    if (file) {
      this.store = new Store(file.store);
      this.clock = new Clock(options.jobDelayMs);
      this.clock.restore(file.clock);
      this.ensureKeys();
    } else {
      this.resetState();
    }
    this.persist();
  }

  /** Gives the state file up (the emulator is closed): another emulator may use it from now on. */
  dispose(): void {
    this.stateLock?.release();
  }

  /** Seed data, empty clock (the state file, if any, is overwritten on the next persist). */
  private resetState(): void {
    this.store = new Store(buildSeed({ seed: this.options.seed, servers: this.options.servers, keys: this.options.keys }));
    this.clock = new Clock(this.options.jobDelayMs);
  }

  /** Configured key pairs are always accepted, even if a restored state had invalidated them. */
  private ensureKeys(): void {
    for (const k of this.options.keys) {
      const item = this.store.get('admin/ApiKey', k.accessKey);
      if (item) Object.assign(item, { secretKey: k.secretKey, state: 'ACTIVE' });
      else {
        this.store.put('admin/ApiKey', {
          accessKey: k.accessKey, account: { accountId: 16000 }, customer: { customerId: 12345 }, customerManagementKey: false,
          description: 'Emulator key pair', name: 'emulator', secretKey: k.secretKey, state: 'ACTIVE', systemManagementKey: false, user: { userId: 54321 },
        });
      }
    }
  }

  reset(): void {
    this.resetState();
    this.faults.set(this.options.faults);
    this.rateLimit?.clear();
    this.log.clear();
    this.persist();
  }

  persist(): void {
    if (!this.options.statePath) return;
    saveState(this.options.statePath, {
      format: STATE_FORMAT, version: STATE_VERSION, savedAt: new Date().toISOString(), seed: this.seed, store: this.store.snapshot(), clock: this.clock.snapshot(),
    });
  }

  summary(): StateSummary {
    const counts: Record<string, number> = {};
    for (const [path, table] of this.store.tables) counts[path] = table.size;
    const jobs: Record<string, number> = {};
    for (const job of this.store.table('admin/Job').values()) jobs[job.status] = (jobs[job.status] ?? 0) + 1;
    return {
      counts, jobs, pendingEvents: this.clock.pending, logEntries: this.log.size, faultRules: this.faults.size,
      apiVersion: this.options.apiVersion, seed: this.seed,
    };
  }

  /**
   * Stored records of a type (a copy of the list, the records themselves are live), for control
   * routes and handles. API keys come with their secret redacted: the control routes are unsigned.
   */
  items(path: string): Rec[] {
    const def = resourceDef(path);
    if (!def || def.shape !== 'envelope') throw new ApiError(404, `No stored resource type ${path}`);
    const records = [...this.store.table(def.path).values()];
    if (def.path !== 'admin/ApiKey') return records;
    return records.map((k) => (k.secretKey === undefined ? k : { ...k, secretKey: REDACTED_MARK }));
  }

  /** The node:http request listener. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const search = q < 0 ? '' : url.slice(q + 1);
    if (rawPath === CONTROL_PREFIX || rawPath.startsWith(`${CONTROL_PREFIX}/`)) {
      readBody(req).then(
        (text) => sendReply(res, handleControl(this, req.method ?? 'GET', rawPath.slice(CONTROL_PREFIX.length), text)),
        (e: unknown) => (e instanceof ApiError ? sendReply(res, errorReply(e)) : req.socket.destroy()),
      );
      return;
    }
    this.api(req, res, rawPath, search).catch((e) => {
      this.out.write(`emulator: internal error: ${(e as Error).stack ?? e}\n`);
      if (!res.headersSent) sendReply(res, { status: 500, body: errorBody(`emulator internal error: ${(e as Error).message}`) });
      else res.destroy();
    });
  };

  private async api(req: IncomingMessage, res: ServerResponse, rawPath: string, search: string): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: RequestLogEntry = {
      seq: this.log.nextSeq(), time: new Date().toISOString(), method, path: rawPath, resource: '', query: queryRecord(search), status: 0, durationMs: 0,
    };
    const finish = (reply: Reply | 'reset') => {
      entry.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      if (reply === 'reset') {
        entry.status = 0;
        req.socket.destroy();
      } else {
        entry.status = reply.status;
        sendReply(res, reply);
      }
      this.log.add(entry);
      if (!this.options.quiet) this.out.write(`${method} ${rawPath}${search ? `?${search}` : ''} → ${entry.status || 'reset'} ${entry.durationMs.toFixed(1)}ms\n`);
    };

    let text: string;
    try {
      text = await readBody(req);
    } catch (e) {
      return finish(errorReply(e instanceof ApiError ? e : ApiError.badRequest('could not read the request body')));
    }

    // The unversioned, unsigned versions listing.
    if (rawPath === API_PREFIX || rawPath === `${API_PREFIX}/`) {
      if (method !== 'GET' && method !== 'HEAD') return finish(errorReply(ApiError.methodNotAllowed(method, API_PREFIX, ['GET', 'HEAD'])));
      return finish({ status: 200, body: VERSIONS_BODY });
    }
    const segments = rawPath.split('/');
    if (!rawPath.startsWith(`${API_PREFIX}/`) || segments.length < 5) {
      return finish(errorReply(new ApiError(404, `Not found: ${rawPath}; the API lives under ${API_PREFIX}/<version>/<scope>/<Type>[/<id>]`)));
    }
    const version = segments[3];
    const resourceSegments = segments.slice(4);
    if (resourceSegments[resourceSegments.length - 1] === '') resourceSegments.pop();
    entry.resource = resourceSegments.join('/');

    const plan = this.faults.plan(method, entry.resource);
    if (plan) {
      if (plan.labels.length) entry.faults = plan.labels;
      if (plan.latencyMs > 0) await sleep(plan.latencyMs);
      if (plan.failure?.phase === 'before') return finish(faultReply(plan));
    }

    let reply: Reply;
    try {
      if (!SUPPORTED_API_VERSIONS.includes(version)) {
        throw new ApiError(404, `Unsupported API version "${version}"; supported: ${SUPPORTED_API_VERSIONS.join(', ')}`);
      }
      const now = Date.now();
      entry.accessKey = headerValue(req.headers['x-esauth-access']);
      const accessKey = authenticate(method, rawPath, req.headers, this.store, this.options.timestampWindowMs, now);
      const waitMs = this.rateLimit?.take(accessKey, performance.now());
      if (waitMs !== undefined) {
        entry.faults = [...(entry.faults ?? []), 'rate-limit:429'];
        throw new ApiError(429, `Rate limit of ${this.rateLimit?.perSecond} requests per second exceeded for access key ${accessKey}; retry later`, { 'retry-after': retryAfterSeconds(waitMs) });
      }
      const ran = this.clock.advance(now, (event) => {
        const effect = EFFECTS[event.kind];
        if (effect) effect(this, event.data, event.due);
        else this.out.write(`emulator: no effect for clock event "${event.kind}"\n`);
      });
      reply = this.dispatch(method, resourceSegments, search, text, req, accessKey, now);
      if (ran > 0 || (method !== 'GET' && method !== 'HEAD' && reply.status < 300)) this.persist();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      reply = errorReply(e);
    }
    if (plan?.failure?.phase === 'after') return finish(faultReply(plan));
    finish(reply);
  }

  private dispatch(method: string, segments: string[], search: string, text: string, req: IncomingMessage, accessKey: string, now: number): Reply {
    const [scope, type, rawId, ...extra] = segments;
    const def = type ? resourceDef(`${scope}/${type}`) : undefined;
    if (!def) throw new ApiError(404, `Unknown resource type ${segments.slice(0, 2).join('/')}; dcm resources lists them`);
    if (extra.length > 0) throw new ApiError(404, `Not found: ${segments.join('/')}; resource paths are ${def.path}[/<${def.idKey}>]`);
    const request: ApiRequest = {
      method,
      def,
      rawId: rawId === undefined ? undefined : safeDecode(rawId),
      query: normaliseQuery(new URLSearchParams(search)),
      detail: detailLevel(req.headers['x-es-details']),
      now,
      accessKey,
    };
    if (method === 'GET' || method === 'HEAD') return handleRead(request, this);
    if (method === 'POST' || method === 'PUT' || method === 'DELETE') {
      if (method !== 'DELETE') request.body = parseBody(text);
      return handleWrite(request, this);
    }
    throw ApiError.methodNotAllowed(method, def.path, ['GET', 'HEAD', 'POST', 'PUT', 'DELETE']);
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === '') throw ApiError.badRequest('request body is empty; expected a JSON document such as {"<rootKey>": ...}');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw ApiError.badRequest(`request body is not valid JSON: ${(e as Error).message}`);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function queryRecord(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (search) for (const [k, v] of new URLSearchParams(search)) out[k] = v;
  return out;
}

function errorReply(e: ApiError): Reply {
  return { status: e.status, body: errorBody(e.message), headers: e.headers };
}

function faultReply(plan: FaultPlan): Reply | 'reset' {
  const failure = plan.failure as NonNullable<FaultPlan['failure']>;
  const rule = failure.rule;
  if (rule.reset) return 'reset';
  const status = rule.status as number;
  const headers: Record<string, string> = {};
  const retryAfter = rule.retryAfter ?? (status === 429 ? 1 : undefined);
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
  return { status, headers, body: errorBody(rule.message ?? `Injected fault (${failure.label})`) };
}

/**
 * Read the whole body as UTF-8; GET/HEAD without a body resolve at once. A body over BODY_LIMIT is
 * read to its end and dropped, then refused with 413: answering while the client still sends, and
 * closing, would reset the connection and the client would never see the 413. Past DRAIN_LIMIT the
 * connection is cut instead (the client then sees a reset).
 */
function readBody(req: IncomingMessage): Promise<string> {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    req.resume();
    return Promise.resolve('');
  }
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= BODY_LIMIT) chunks.push(c);
      else if (chunks.length > 0) chunks = [];
      if (size > DRAIN_LIMIT) {
        reject(new ApiError(413, `request body exceeds ${BODY_LIMIT} bytes`));
        req.socket.destroy();
      }
    });
    req.on('end', () => {
      if (size > BODY_LIMIT) reject(new ApiError(413, `request body of ${size} bytes exceeds the limit of ${BODY_LIMIT} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...reply.headers };
  if (reply.body === undefined || reply.status === 204) {
    headers['content-length'] = 0;
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(reply.status, headers);
  res.end(text);
}
