/**
 * The live feed's bounds: whatever the request rate, an open page gets at most BATCH_LIMIT entries
 * per update (the newest; `dropped` counts the rest), and nothing is kept while no page is open.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { BATCH_LIMIT, DashboardFeed, type FeedSource, type FeedUpdate } from '../../../lib/emulator/dashboard/feed.js';
import type { RequestLogEntry } from '../../../lib/emulator/index.js';

/** A ServerResponse stand-in that keeps what was written. */
class Sink extends EventEmitter {
  chunks: string[] = [];
  ended = false;
  writeHead(): this { return this; }
  write(chunk: string): boolean { this.chunks.push(chunk); return true; }
  end(): void { this.ended = true; this.emit('close'); }
  updates(): FeedUpdate[] {
    return this.chunks.filter((c) => c.startsWith('event: update\n')).map((c) => JSON.parse(c.slice(c.indexOf('data: ') + 6)));
  }
}

function entry(seq: number): RequestLogEntry {
  return { seq, time: new Date(0).toISOString(), method: 'GET', path: `/api/enstratus/2015-05-25/admin/Job/${seq}`, resource: `admin/Job/${seq}`, query: {}, status: 200, durationMs: 0.1 };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const source: FeedSource = {
  changes: () => 1,
  faultsVersion: () => 1,
  summary: () => ({ counts: {}, jobs: {}, pendingEvents: 0, logEntries: 0, faultRules: 0, apiVersion: '2015-05-25', seed: 1 }),
  faultRules: () => [],
  hasStateFile: () => false,
  recent: (n) => Array.from({ length: Math.min(n, 3) }, (_, i) => entry(i + 1)),
};

describe('dashboard feed', () => {
  it('sends at most BATCH_LIMIT of a burst, the newest, and counts the dropped ones', async () => {
    const feed = new DashboardFeed(source);
    const page = new Sink();
    try {
      feed.open(page as unknown as ServerResponse);
      expect(page.updates()[0].entries.map((e) => e.seq)).toEqual([1, 2, 3]);
      for (let seq = 100; seq < 1100; seq++) feed.add(entry(seq));
      await until(() => page.updates().length >= 2, 'the next update');
      const burst = page.updates()[1];
      expect(burst.entries.length).toBeLessThanOrEqual(BATCH_LIMIT);
      expect(burst.entries.length + burst.dropped).toBe(1000);
      expect(burst.entries[burst.entries.length - 1].seq).toBe(1099);
    } finally {
      feed.close();
    }
    expect(page.ended).toBe(true);
    expect(feed.size).toBe(0);
  });

  it('keeps nothing while no page is open', async () => {
    const feed = new DashboardFeed(source);
    for (let seq = 1; seq < 1000; seq++) feed.add(entry(seq));
    const page = new Sink();
    try {
      feed.open(page as unknown as ServerResponse);
      feed.add(entry(5000));
      await until(() => page.updates().length >= 2, 'the next update');
      expect(page.updates()[1]).toMatchObject({ entries: [{ seq: 5000 }], dropped: 0 });
    } finally {
      feed.close();
    }
  });
});
