/**
 * The dashboard's routes, under `/__emulator/dashboard/` on the emulator's own port (served to
 * loopback peers only, never logged, never faulted):
 *
 *   GET    /                 the page (index.html, app.js, style.css: plain files, no framework, no CDN)
 *   GET    /events           server-sent `update` events (./feed.ts)
 *   GET    /types            [{path, idKey, count}] of every stored resource type
 *   GET    /jobs             the newest JOBS_SHOWN jobs, newest first, each with `due` (epoch ms of
 *                            its next step) while it runs
 *   GET    /requests/<seq>   {entry, request, response, cut}: a recent request's bodies, redacted
 *   POST   /faults           body {rule}: add a rule      → 200 {faults}
 *   PUT    /faults/<i>       body {rule}: replace rule i  → 200 {faults}
 *   DELETE /faults/<i>       remove rule i                → 200 {faults}
 *   POST   /faults/check     body {rule}: → 200 {ok: true, rule} or {ok: false, problem}, nothing changes
 *                            (`rule` is the `--fault` text, e.g. "infrastructure/**:503:0.5", or a
 *                            rule object as PUT /__emulator/faults takes it; 400 names the problem)
 *   POST   /state/save       write the state file now     → 200 {file}; 409 without a state file
 *   GET    /state/file       the state as a state file, API secret keys redacted (a download)
 *   PUT    /state/file       body: a state file, validated as `--state` files are → 204; 400 lists
 *                            the problems and nothing changes
 *   POST   /state/check      body: a state file → 200 {ok: true} or {ok: false, problem}, nothing changes
 *
 * The two checks let the page show a bad rule or file without a failed request (a browser logs
 * every 4xx answer to its console); scripts get the 400 from the routes that change something.
 *
 * Everything but the page itself is refused to foreign origins (./guard.ts). Reset is the existing
 * `POST /__emulator/reset`; counts, items and the log are the existing control routes.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errorBody } from '../api-error.js';
import { REDACTED_MARK } from '../../redaction.js';
import type { Reply } from '../context.js';
import type { Emulator } from '../emulator.js';
import { parseFaultRule, validateFaults } from '../faults.js';
import { STATE_FORMAT, STATE_VERSION, type StateFile } from '../persistence.js';
import { STORED_RESOURCES } from '../resources.js';
import { validateState } from '../state-schema.js';
import type { FaultRule, RequestLogEntry } from '../types.js';
import { EFFECTS } from '../writes/index.js';
import { BodyCapture } from './capture.js';
import { DashboardFeed, type ShownRule } from './feed.js';
import { foreignRequest, fromLoopback } from './guard.js';
import { redactBody, redactValue } from './redact.js';

/** Path of the dashboard page on the emulator's port. */
export const DASHBOARD_PATH = '/__emulator/dashboard/';
/** Jobs listed at most. */
export const JOBS_SHOWN = 200;

const ASSETS: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/style.css': 'style.css',
};
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
/** The page loads its own files and talks to its own origin, nothing else. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const assetCache = new Map<string, Buffer>();

function asset(name: string): Buffer {
  let bytes = assetCache.get(name);
  if (!bytes) {
    bytes = readFileSync(new URL(`./assets/${name}`, import.meta.url));
    assetCache.set(name, bytes);
  }
  return bytes;
}

/** The `--fault` form of a rule when it has one (parseFaultRule gives the rule back), else its JSON. */
export function ruleText(rule: FaultRule): string {
  const plain = Object.keys(rule).every((k) => ['path', 'status', 'reset', 'rate', 'latencyMs', 'name'].includes(k));
  const path = rule.path ?? '**';
  let text: string | undefined;
  if (plain && !path.includes(':')) {
    const rate = rule.rate === undefined ? '' : `:${rule.rate}`;
    if (rule.latencyMs !== undefined && rule.status === undefined && rule.reset === undefined && rule.rate === undefined) text = `${path}:latency=${rule.latencyMs}`;
    else if (rule.status !== undefined && rule.latencyMs === undefined && rule.reset === undefined) text = `${path}:${rule.status}${rate}`;
    else if (rule.reset === true && rule.latencyMs === undefined && rule.status === undefined) text = `${path}:reset${rate}`;
  }
  return text !== undefined && (rule.name === undefined || rule.name === text) ? text : JSON.stringify(rule);
}

function parseRule(input: unknown): FaultRule {
  if (typeof input === 'string') {
    const text = input.trim();
    if (text.startsWith('{')) return parseRule(parseJson(text, 'rule'));
    try {
      return parseFaultRule(text);
    } catch (e) {
      throw ApiError.badRequest((e as Error).message);
    }
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw ApiError.badRequest('rule must be the --fault text (PATH:STATUS|reset|latency=MS[:RATE]) or a fault-rule object');
  }
  try {
    return validateFaults([input])[0];
  } catch (e) {
    throw ApiError.badRequest((e as Error).message.replace('faults[0]', 'rule'));
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw ApiError.badRequest(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The state file in `text`, validated as `--state` files are; a 400 ApiError listing the problems otherwise. */
function checkedState(text: string): StateFile {
  const parsed = parseJson(text, 'the uploaded state file');
  const result = validateState(parsed, { eventKinds: Object.keys(EFFECTS) });
  if (!result.ok) {
    const listed = result.problems.slice(0, 5).map((p) => (p.at ? `${p.at}: ${p.problem}` : p.problem));
    const more = result.problems.length > 5 ? `; and ${result.problems.length - 5} more problem(s)` : '';
    throw ApiError.badRequest(`the uploaded state file was refused (nothing changed): ${listed.join('; ')}${more}`);
  }
  return result.doc as StateFile;
}

/** 200 `{ok: true, ...}` when `check` passes, 200 `{ok: false, problem}` when it throws a 400. */
function verdict(check: () => Record<string, unknown>): Reply {
  try {
    return { status: 200, body: { ok: true, ...check() } };
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) return { status: 200, body: { ok: false, problem: e.message } };
    throw e;
  }
}

/** The dashboard of one emulator: its feed, the captured bodies and its routes. */
export class Dashboard {
  readonly feed: DashboardFeed;
  readonly capture = new BodyCapture();

  constructor(private readonly emu: Emulator) {
    this.feed = new DashboardFeed({
      changes: () => emu.changes,
      faultsVersion: () => emu.faults.version,
      summary: () => emu.summary(),
      faultRules: () => this.shownRules(),
      hasStateFile: () => emu.options.statePath !== undefined,
      recent: (n) => emu.log.recent(n),
    });
  }

  /** A served API request: its entry to the open pages, its bodies to the capture. */
  served(entry: RequestLogEntry, requestText: string, replyText: string): void {
    this.capture.add(entry, requestText, replyText);
    this.feed.add(entry);
  }

  close(): void {
    this.feed.close();
  }

  /** Every secret the emulator knows: the configured ones and those of stored API keys. */
  private secrets(): string[] {
    const out = this.emu.options.keys.map((k) => k.secretKey);
    for (const key of this.emu.store.table('admin/ApiKey').values()) if (typeof key.secretKey === 'string') out.push(key.secretKey);
    return out;
  }

  private shownRules(): ShownRule[] {
    return this.emu.faults.rules().map((rule) => ({ rule, text: ruleText(rule) }));
  }

  /** Handles `/__emulator/dashboard<sub>`; the body is read by the caller (`text`). */
  handle(req: IncomingMessage, res: ServerResponse, sub: string, text: string): Reply | 'streaming' {
    if (!fromLoopback(req)) return { status: 403, body: errorBody('the dashboard is served to this machine (127.0.0.1) only') };
    const method = (req.method ?? 'GET').toUpperCase();
    if (sub === '') return { status: 302, headers: { location: DASHBOARD_PATH } };
    const file = ASSETS[sub];
    if (file && (method === 'GET' || method === 'HEAD')) {
      const bytes = asset(file);
      res.writeHead(200, {
        'content-type': TYPES[file.slice(file.lastIndexOf('.') + 1)], 'content-length': bytes.length, 'cache-control': 'no-store',
        'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY',
      });
      res.end(method === 'HEAD' ? undefined : bytes);
      return 'streaming';
    }
    const refused = foreignRequest(req, this.emu.options.host);
    if (refused) return { status: 403, body: errorBody(refused) };
    try {
      if (method === 'GET' && sub === '/events') {
        this.feed.open(res);
        return 'streaming';
      }
      return this.route(method, sub, text);
    } catch (e) {
      if (e instanceof ApiError) return { status: e.status, body: errorBody(e.message) };
      throw e;
    }
  }

  private route(method: string, sub: string, text: string): Reply {
    const emu = this.emu;
    const key = `${method} ${sub.replace(/\/+$/, '')}`;
    if (key === 'GET /types') {
      return { status: 200, body: STORED_RESOURCES.map((d) => ({ path: d.path, idKey: d.idKey, count: emu.store.table(d.path).size })) };
    }
    if (key === 'GET /jobs') return { status: 200, body: this.jobs() };
    const details = /^GET \/requests\/(\d+)$/.exec(key);
    if (details) {
      const seq = Number(details[1]);
      const captured = this.capture.get(seq);
      if (!captured) throw new ApiError(404, `the bodies of request #${seq} are no longer kept (only the most recent requests are)`);
      const secrets = this.secrets();
      return {
        status: 200,
        body: { entry: captured.entry, request: redactBody(captured.request, secrets), response: redactBody(captured.response, secrets), cut: captured.cut },
      };
    }
    if (key === 'POST /faults/check') return verdict(() => ({ rule: parseRule(this.ruleOf(text)) }));
    if (key === 'POST /state/check') return verdict(() => { checkedState(text); return {}; });
    if (key === 'POST /faults') return this.changeFaults((rules) => rules.push(parseRule(this.ruleOf(text))));
    const one = /^(PUT|DELETE) \/faults\/(\d+)$/.exec(key);
    if (one) {
      const i = Number(one[2]);
      return this.changeFaults((rules) => {
        if (i >= rules.length) throw new ApiError(404, `there is no fault rule #${i}; ${rules.length} rule(s) are active`);
        if (one[1] === 'PUT') rules[i] = parseRule(this.ruleOf(text));
        else rules.splice(i, 1);
      });
    }
    if (key === 'POST /state/save') {
      if (emu.options.statePath === undefined) throw ApiError.conflict('this emulator runs without a state file; start it with --state FILE (or statePath) to save');
      emu.persist();
      return { status: 200, body: { file: emu.options.statePath } };
    }
    if (key === 'GET /state/file') {
      return { status: 200, body: this.download(), headers: { 'content-disposition': 'attachment; filename="emulator-state.json"', 'cache-control': 'no-store' } };
    }
    if (key === 'PUT /state/file') {
      this.upload(text);
      return { status: 204 };
    }
    throw new ApiError(404, `Unknown dashboard route ${method} ${DASHBOARD_PATH.slice(0, -1)}${sub}; see lib/emulator/dashboard/routes.ts`);
  }

  private ruleOf(text: string): unknown {
    const body = parseJson(text || 'null', 'the request body');
    if (body === null || typeof body !== 'object' || !('rule' in body)) throw ApiError.badRequest('the request body must be {"rule": "<--fault text>" or {rule object}}');
    return (body as { rule: unknown }).rule;
  }

  private changeFaults(change: (rules: FaultRule[]) => void): Reply {
    const rules = [...this.emu.faults.rules()];
    change(rules);
    this.emu.faults.set(rules);
    return { status: 200, body: { faults: this.shownRules() } };
  }

  private jobs(): Array<Record<string, unknown>> {
    const due = new Map<number, number>();
    for (const event of this.emu.clock.queued()) {
      const jobId = event.data.jobId;
      if (typeof jobId === 'number') due.set(jobId, Math.min(due.get(jobId) ?? Infinity, event.due));
    }
    const jobs = [...this.emu.store.table('admin/Job').values()].slice(-JOBS_SHOWN).reverse();
    return jobs.map((job) => (job.status === 'RUNNING' && due.has(job.jobId) ? { ...job, due: due.get(job.jobId) } : job));
  }

  private download(): StateFile {
    const store = this.emu.store.snapshot();
    store.tables['admin/ApiKey'] = (store.tables['admin/ApiKey'] ?? []).map((k) => (typeof k.secretKey === 'string' ? { ...k, secretKey: REDACTED_MARK } : k));
    return {
      format: STATE_FORMAT, version: STATE_VERSION, savedAt: new Date().toISOString(), seed: this.emu.seed,
      store: redactValue(store) as StateFile['store'], clock: this.emu.clock.snapshot(),
    };
  }

  /**
   * Replaces the state with an uploaded state file. A key whose secret was redacted in a download
   * keeps the secret it has here; one unknown here is stored without a secret (it cannot sign).
   */
  private upload(text: string): void {
    const file = checkedState(text);
    const current = this.emu.store.table('admin/ApiKey');
    for (const key of file.store.tables['admin/ApiKey'] ?? []) {
      if (key.secretKey !== REDACTED_MARK) continue;
      const here = current.get(key.accessKey)?.secretKey;
      if (typeof here === 'string') key.secretKey = here;
      else delete key.secretKey;
    }
    this.emu.restore(file);
  }
}
