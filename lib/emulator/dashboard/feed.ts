/**
 * The dashboard's live feed: server-sent events from the emulator's own server. The emulator hands
 * every served request to `add()`, which costs a push onto an array while a page is open and
 * nothing otherwise. Every FLUSH_MS the feed sends each open page one `update` event: the requests
 * served since the last one (at most BATCH_LIMIT, the newest; `dropped` counts the others), and,
 * when something changed, the state summary, the change counter and the fault rules. The cost to
 * the emulator is therefore bounded by the flush rate, not by its request rate.
 */
import type { ServerResponse } from 'node:http';
import type { FaultRule, RequestLogEntry, StateSummary } from '../types.js';

/** A fault rule as the page shows it: the rule and its `--fault` text (or its JSON when it has none). */
export interface ShownRule {
  rule: FaultRule;
  text: string;
}

/**
 * Milliseconds between two updates: each makes the page lay out its log again, which is what an
 * open page costs the machine (bench P9d: twice a second cost a browser 7 % of a core, once 3 %).
 */
export const FLUSH_MS = 1_000;
/**
 * Requests sent per update at most: 50 a second, more than a person can read, and little enough
 * that a page kept open costs the emulator's machine next to nothing (bench P9d).
 */
export const BATCH_LIMIT = 50;
/** A comment line this often keeps proxies and idle timeouts from closing the stream. */
const HEARTBEAT_MS = 15_000;

/** What the feed reads from the emulator at each flush. */
export interface FeedSource {
  /** Bumped by every change of the stored state (writes, job steps, reset, upload). */
  changes(): number;
  /** Bumped by every change of the fault rules. */
  faultsVersion(): number;
  summary(): StateSummary;
  faultRules(): ShownRule[];
  /** Whether the emulator has a state file to save to. */
  hasStateFile(): boolean;
  /** The newest `n` entries of the request log, oldest first. */
  recent(n: number): RequestLogEntry[];
}

/** One `update` event. */
export interface FeedUpdate {
  entries: RequestLogEntry[];
  dropped: number;
  changes: number;
  summary?: StateSummary;
  faults?: ShownRule[];
  stateFile?: boolean;
}

export class DashboardFeed {
  private readonly clients = new Set<ServerResponse>();
  private pending: RequestLogEntry[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private sentChanges = -1;
  private sentFaults = -1;
  private sentLogSize = -1;

  constructor(private readonly source: FeedSource) {}

  /** Open pages. */
  get size(): number {
    return this.clients.size;
  }

  add(entry: RequestLogEntry): void {
    if (this.clients.size === 0) return;
    this.pending.push(entry);
    // Drop the oldest in chunks, so a burst costs no shift per request.
    if (this.pending.length > 2 * BATCH_LIMIT) {
      this.dropped += this.pending.length - BATCH_LIMIT;
      this.pending = this.pending.slice(-BATCH_LIMIT);
    }
  }

  /** Turns `res` into an event stream and sends the full picture at once. */
  open(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stop();
    });
    const changes = this.source.changes();
    this.send(res, {
      entries: this.source.recent(BATCH_LIMIT), dropped: 0, changes, summary: this.source.summary(), faults: this.source.faultRules(), stateFile: this.source.hasStateFile(),
    });
    this.timer ??= setInterval(() => this.flush(), FLUSH_MS);
    this.heartbeat ??= setInterval(() => { for (const c of this.clients) c.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
    this.timer.unref();
    this.heartbeat.unref();
  }

  /** Ends every stream (the emulator is closing). */
  close(): void {
    for (const c of this.clients) c.end();
    this.clients.clear();
    this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    this.timer = undefined;
    this.heartbeat = undefined;
    this.pending = [];
    this.dropped = 0;
    this.sentChanges = -1;
    this.sentFaults = -1;
    this.sentLogSize = -1;
  }

  private update(): FeedUpdate | undefined {
    const changes = this.source.changes();
    const faults = this.source.faultsVersion();
    const summary = this.source.summary();
    const changed = changes !== this.sentChanges || faults !== this.sentFaults || summary.logEntries !== this.sentLogSize;
    if (!changed && this.pending.length === 0) return undefined;
    const excess = Math.max(0, this.pending.length - BATCH_LIMIT);
    const out: FeedUpdate = { entries: excess ? this.pending.slice(excess) : this.pending, dropped: this.dropped + excess, changes };
    if (changed) out.summary = summary;
    if (faults !== this.sentFaults) out.faults = this.source.faultRules();
    this.pending = [];
    this.dropped = 0;
    this.sentChanges = changes;
    this.sentFaults = faults;
    this.sentLogSize = summary.logEntries;
    return out;
  }

  private flush(): void {
    const update = this.update();
    if (update) for (const c of this.clients) this.send(c, update);
  }

  private send(res: ServerResponse, update: FeedUpdate | undefined): void {
    if (update) res.write(`event: update\ndata: ${JSON.stringify(update)}\n\n`);
  }
}
