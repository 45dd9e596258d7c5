/**
 * The process-wide limiter: every request the process sends asynchronously passes it, attempt by
 * attempt (retries included), whatever object, listing, action, apply or bulk run sends it.
 *
 * - A concurrency cap: at most `concurrency` attempts in flight; the others wait in order.
 * - An optional rate: attempts are started at most `rate` per second, evenly spaced.
 * - Back-off for the whole process: an answer 429, or 503 with Retry-After, pauses every attempt
 *   until the Retry-After has passed (1 s without one; never longer than `retry.maxRetryAfterMs`,
 *   the longest wait the configuration accepts), and lowers the rate to what the API accepted
 *   in the last second (at most 90 % of the rate in force, and once a second at most, so that
 *   refusals scattered among good answers do not drive it to nothing). Each further second of
 *   good answers raises it by 10 %, up to the configured rate (or without bound when none is).
 * - A retry of an attempt the API refused goes first in the queue, so it is not starved.
 * - Synchronous lazy reads are not queued: the thread they block is the one that would release a
 *   slot, so waiting for one could never end. They are sent at once, outside the limiter.
 *
 * Each attempt's time in the queue is reported back (`queuedMs`), and shows in request events.
 * A new configuration (`configure()`) starts the limiter afresh.
 */
import type { AttemptGate, AttemptSlot } from '../wire.js';

/** The limiter's settings: the cap of attempts in flight and the optional rate. */
export interface LimiterSettings {
  /** Attempts in flight at once, at most (a whole number ≥ 1, or Infinity). */
  concurrency: number;
  /** Attempts started per second, at most; undefined for no rate. */
  rate: number | undefined;
}

/** What the limiter is doing now (for request events and specs). */
export interface LimiterState {
  /** Attempts in flight. */
  inFlight: number;
  /** Attempts waiting for a slot. */
  queued: number;
  /** The rate in force (lowered after a 429), or undefined when attempts are not paced. */
  rate: number | undefined;
  /** Milliseconds until the pause a 429 asked for ends (0 when none). */
  pausedMs: number;
}

interface Waiter {
  resolve: (slot: AttemptSlot) => void;
  reject: (reason: unknown) => void;
  since: number;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Back-off and recovery, in one place. */
const PAUSE_WITHOUT_RETRY_AFTER_MS = 1_000;
const LOWER_TO_AT_MOST = 0.9;
const RAISE_BY = 1.1;
const RAISE_EVERY_MS = 1_000;
const LOWER_EVERY_MS = 1_000;
const WINDOW_MS = 1_000;

export class Limiter implements AttemptGate {
  private settings: LimiterSettings | undefined;
  private cap = Infinity;
  private configuredRate: number | undefined;
  private rate: number | undefined;
  private inFlight = 0;
  private readonly queue: Waiter[] = [];
  private nextAt = 0;
  private pausedUntil = 0;
  private throttledAt = -Infinity;
  private raisedAt = -Infinity;
  /** Since when attempts have been queued or in flight without a pause of a second. */
  private busySince = -Infinity;
  /** When the limiter last had nothing queued or in flight (undefined: not since it was busy). */
  private idleSince: number | undefined;
  /** Times of the good answers of the last second (what the API accepted). */
  private readonly accepted: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;

  /** @param options.now the clock, in milliseconds (default `performance.now`). */
  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * Applies the settings in force (called with every request). New settings (another object: the
   * configuration changed) start afresh: the configured rate, no pause, nothing remembered.
   */
  configure(settings: LimiterSettings): void {
    if (settings === this.settings) return;
    this.settings = settings;
    this.cap = settings.concurrency;
    this.configuredRate = settings.rate;
    this.rate = settings.rate;
    this.pausedUntil = 0;
    this.throttledAt = -Infinity;
    this.raisedAt = -Infinity;
    this.busySince = -Infinity;
    this.idleSince = undefined;
    this.accepted.length = 0;
    this.pump();
  }

  /** The limiter's state now. */
  state(): LimiterState {
    return { inFlight: this.inFlight, queued: this.queue.length, rate: this.rate, pausedMs: Math.max(0, Math.round(this.pausedUntil - this.now())) };
  }

  /**
   * A slot for one attempt, once the cap, the rate and any pause allow it; a retry goes first.
   * Rejects with the signal's reason when it aborts while waiting.
   */
  acquire(signal?: AbortSignal, retry = false): Promise<AttemptSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const now = this.now();
    // Work that starts after a second or more with nothing to do starts the measure afresh.
    if (this.busySince === -Infinity || (this.idleSince !== undefined && now - this.idleSince > WINDOW_MS)) this.busySince = now;
    this.idleSince = undefined;
    return new Promise<AttemptSlot>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, since: now, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal.reason);
          this.noteIdle();
          this.pump();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (retry) this.queue.unshift(waiter);
      else this.queue.push(waiter);
      this.pump();
    });
  }

  /** Starts what may start now, and sets a timer for the next start the rate or a pause delays. */
  private pump(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length && this.inFlight < this.cap) {
      const now = this.now();
      const at = Math.max(this.pausedUntil, this.rate === undefined ? 0 : this.nextAt);
      if (at > now) {
        // Not unref'd: a queued request must keep the process alive until it is sent.
        this.timer = setTimeout(() => this.pump(), Math.ceil(at - now));
        return;
      }
      const waiter = this.queue.shift() as Waiter;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      this.inFlight += 1;
      if (this.rate !== undefined) this.nextAt = Math.max(now, this.nextAt) + 1000 / this.rate;
      waiter.resolve(this.slot(now, now - waiter.since));
    }
  }

  private slot(grantedAt: number, queuedMs: number): AttemptSlot {
    let released = false;
    return {
      queuedMs,
      release: (answer) => {
        if (released) return;
        released = true;
        this.inFlight -= 1;
        this.answered(grantedAt, answer.status, answer.retryAfterMs);
        this.noteIdle();
        this.pump();
      },
    };
  }

  private noteIdle(): void {
    if (this.inFlight === 0 && this.queue.length === 0) this.idleSince = this.now();
  }

  /** Back-off on "slow down", recovery on good answers. */
  private answered(grantedAt: number, status: number | undefined, retryAfterMs: number | undefined): void {
    const now = this.now();
    while (this.accepted.length && this.accepted[0] < now - WINDOW_MS) this.accepted.shift();
    if (status === 429 || (status === 503 && retryAfterMs !== undefined)) {
      this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? PAUSE_WITHOUT_RETRY_AFTER_MS));
      // One lowering per wave (the attempts started before it were answered for the old rate), at
      // most one a second (refusals scattered among good answers do not drive the rate to
      // nothing), and only once there is a second of work to measure what the API accepts.
      if (grantedAt > this.throttledAt && now - this.throttledAt >= LOWER_EVERY_MS && now - this.busySince >= WINDOW_MS) {
        const current = this.rate ?? Infinity;
        this.rate = Math.max(1, Math.min(this.accepted.length || 1, current * LOWER_TO_AT_MOST));
        this.throttledAt = now;
      }
      return;
    }
    if (status === undefined) return;
    // What the API took (an error status included) is what it accepts in a second.
    this.accepted.push(now);
    // Only good answers raise the rate again.
    const ceiling = this.configuredRate ?? Infinity;
    if (status < 500 && this.rate !== undefined && this.rate < ceiling && now - this.throttledAt >= RAISE_EVERY_MS && now - this.raisedAt >= RAISE_EVERY_MS) {
      this.rate = Math.min(ceiling, this.rate * RAISE_BY);
      this.raisedAt = now;
    }
  }
}

/** The one limiter of the process. */
export const processLimiter = new Limiter();
