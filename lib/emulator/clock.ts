/**
 * The job clock: a queue of serialisable events (no closures, so it survives save/restore), each
 * due at an absolute epoch-ms time. The emulator advances it at the start of every authenticated
 * API request — there is no timer, so an idle emulator costs nothing and tests stay deterministic.
 *
 * With `jobDelayMs` 0 an event is never applied during the request that scheduled it but at the
 * start of the next one: "a job is COMPLETE on the next GET". Chained steps (a launched server
 * going PENDING → RUNNING) therefore advance one step per request. With a positive delay, every
 * step whose due time has passed is applied, chains included.
 */
import type { Rec } from './types.js';

export interface ClockEvent {
  seq: number;
  due: number;
  /** Advance count at scheduling time; -1 for events restored from a state file. */
  tick: number;
  kind: string;
  data: Rec;
}

/** Persisted form of the clock. */
export interface ClockData {
  events: Array<Omit<ClockEvent, 'tick'>>;
  seq: number;
}

export class Clock {
  private events: ClockEvent[] = [];
  private seq = 0;
  private ticks = 0;

  constructor(readonly delayMs: number) {}

  /** Queue `kind` to run `delayMs` after `base` (default now). Returns the due time. */
  schedule(kind: string, data: Rec, base: number = Date.now()): number {
    const due = base + this.delayMs;
    this.events.push({ seq: ++this.seq, due, tick: this.ticks, kind, data });
    return due;
  }

  /** Queue `kind` at an absolute due time (scheduled termination). */
  scheduleAt(kind: string, data: Rec, due: number): void {
    this.events.push({ seq: ++this.seq, due, tick: this.ticks, kind, data });
  }

  /** Apply every eligible event in due order; returns how many ran. */
  advance(now: number, run: (event: ClockEvent) => void): number {
    this.ticks++;
    let ran = 0;
    for (;;) {
      const next = this.nextEligible(now);
      if (!next) return ran;
      this.events.splice(this.events.indexOf(next), 1);
      run(next);
      ran++;
    }
  }

  get pending(): number {
    return this.events.length;
  }

  /** Events still queued, e.g. to find the job that will finish a change. */
  queued(): readonly ClockEvent[] {
    return this.events;
  }

  snapshot(): ClockData {
    return { events: this.events.map(({ seq, due, kind, data }) => ({ seq, due, kind, data })), seq: this.seq };
  }

  restore(data: ClockData | undefined): void {
    this.events = (data?.events ?? []).map((e) => ({ ...e, tick: -1 }));
    this.seq = data?.seq ?? 0;
  }

  clear(): void {
    this.events = [];
  }

  private nextEligible(now: number): ClockEvent | undefined {
    let best: ClockEvent | undefined;
    for (const e of this.events) {
      if (e.due > now) continue;
      if (this.delayMs === 0 && e.tick >= this.ticks) continue;
      if (!best || e.due < best.due || (e.due === best.due && e.seq < best.seq)) best = e;
    }
    return best;
  }
}
