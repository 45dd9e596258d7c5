/**
 * The process-wide limiter (lib/http/limiter.ts) on its own: the cap of attempts in flight, a
 * retry first in line, an abort while queued, the pause and the lowered rate after a 429, and the
 * gradual recovery (a clock of the spec's own, so no time passes).
 */
import { Limiter } from '../../../lib/http/limiter.js';
import type { AttemptSlot } from '../../../lib/wire.js';

/** Resolves with the order in which the promises settle. */
function tracked(promises: Array<Promise<AttemptSlot>>, order: number[]): void {
  promises.forEach((p, i) => void p.then(() => order.push(i), () => order.push(-i - 1)));
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('Limiter', () => {
  it('keeps at most `concurrency` attempts in flight; the others start as slots are released, in order', async () => {
    const limiter = new Limiter();
    limiter.configure({ concurrency: 2, rate: undefined });
    const order: number[] = [];
    const slots = [limiter.acquire(), limiter.acquire(), limiter.acquire(), limiter.acquire()];
    tracked(slots, order);
    await flush();
    expect(order).toEqual([0, 1]);
    expect(limiter.state()).toMatchObject({ inFlight: 2, queued: 2 });
    (await slots[0]).release({ status: 200 });
    await flush();
    expect(order).toEqual([0, 1, 2]);
    (await slots[1]).release({ status: 200 });
    (await slots[2]).release({ status: 200 });
    await flush();
    expect(order).toEqual([0, 1, 2, 3]);
    (await slots[3]).release({ status: 200 });
    expect(limiter.state()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('puts a retry first in line', async () => {
    const limiter = new Limiter();
    limiter.configure({ concurrency: 1, rate: undefined });
    const first = await limiter.acquire();
    const order: number[] = [];
    tracked([limiter.acquire(), limiter.acquire(undefined, true)], order);
    first.release({ status: 200 });
    await flush();
    expect(order).toEqual([1]);
  });

  it('an abort while queued rejects with the reason and frees the place', async () => {
    const limiter = new Limiter();
    limiter.configure({ concurrency: 1, rate: undefined });
    const first = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(limiter.state().queued).toBe(0);
    first.release({ status: 200 });
    await expect(limiter.acquire(controller.signal)).rejects.toBe(reason);
  });

  it('a 429 pauses every attempt for its Retry-After and lowers the rate to what was accepted in the last second', async () => {
    let now = 9_000;
    const limiter = new Limiter({ now: () => now });
    limiter.configure({ concurrency: 100, rate: undefined });
    // Busy for a second: what the API accepted can be measured.
    const held = await limiter.acquire();
    now = 10_000;
    const good = await Promise.all(Array.from({ length: 12 }, () => limiter.acquire()));
    for (const slot of good) slot.release({ status: 200 });
    const [a, b] = await Promise.all([limiter.acquire(), limiter.acquire()]);
    a.release({ status: 429, retryAfterMs: 2_000 });
    // The second refusal of the same wave does not lower the rate again.
    b.release({ status: 429, retryAfterMs: 2_000 });
    expect(limiter.state()).toEqual({ inFlight: 1, queued: 0, rate: 12, pausedMs: 2_000 });
    // A 503 without Retry-After is an error, not a request to slow down (nor a good answer).
    now += 2_000;
    const c = await limiter.acquire();
    c.release({ status: 503 });
    expect(limiter.state()).toMatchObject({ rate: 12, pausedMs: 0 });
    held.release({ status: 200 });
  });

  it('does not lower the rate before it has a second of work to measure (a refusal at the start only pauses)', async () => {
    let now = 0;
    const limiter = new Limiter({ now: () => now });
    limiter.configure({ concurrency: 100, rate: undefined });
    for (const slot of await Promise.all(Array.from({ length: 3 }, () => limiter.acquire()))) slot.release({ status: 200 });
    now = 15;
    (await limiter.acquire()).release({ status: 429, retryAfterMs: 500 });
    expect(limiter.state()).toEqual({ inFlight: 0, queued: 0, rate: undefined, pausedMs: 500 });
  });

  it('lowers the rate at most once a second: refusals scattered among good answers do not drive it to nothing', async () => {
    let now = 9_000;
    const limiter = new Limiter({ now: () => now });
    limiter.configure({ concurrency: 100, rate: undefined });
    const held = await limiter.acquire();
    now = 10_000;
    for (const slot of await Promise.all(Array.from({ length: 12 }, () => limiter.acquire()))) slot.release({ status: 200 });
    (await limiter.acquire()).release({ status: 429, retryAfterMs: 0 });
    expect(limiter.state().rate).toBe(12);
    now = 10_300;
    (await limiter.acquire()).release({ status: 429, retryAfterMs: 0 });
    expect(limiter.state().rate).toBe(12);
    for (let t = 10_500; t <= 10_900; t += 100) {
      now = t;
      (await limiter.acquire()).release({ status: 200 });
    }
    now = 11_100;
    (await limiter.acquire()).release({ status: 429, retryAfterMs: 0 });
    expect(limiter.state().rate).toBe(5);
    held.release({ status: 200 });
  });

  it('lowers a rate in force to at most 90 % of it', async () => {
    let now = 0;
    const limiter = new Limiter({ now: () => now });
    limiter.configure({ concurrency: 100, rate: 10 });
    for (let i = 0; i < 10; i++) {
      now = i * 100;
      (await limiter.acquire()).release({ status: 200 });
    }
    now = 1_000;
    (await limiter.acquire()).release({ status: 503, retryAfterMs: 1_000 });
    expect(limiter.state()).toEqual({ inFlight: 0, queued: 0, rate: 9, pausedMs: 1_000 });
  });

  it('recovers by 10 % per second of good answers, up to the configured rate', async () => {
    let now = 1_000;
    const limiter = new Limiter({ now: () => now });
    limiter.configure({ concurrency: 100, rate: 20 });
    const held = await limiter.acquire();
    now = 2_000;
    const slot = await limiter.acquire();
    slot.release({ status: 429, retryAfterMs: 0 });
    expect(limiter.state().rate).toBe(1);
    const rates: number[] = [];
    for (let second = 1; second <= 40; second++) {
      now = 2_000 + second * 1_000;
      const next = await limiter.acquire();
      next.release({ status: 200 });
      rates.push(limiter.state().rate as number);
    }
    expect(rates[0]).toBeCloseTo(1.1);
    expect(rates[1]).toBeCloseTo(1.21);
    expect(rates.at(-1)).toBe(20);
    expect(Math.max(...rates)).toBe(20);
    held.release({ status: 200 });
  });

  it('paces attempts at the rate', async () => {
    const limiter = new Limiter();
    limiter.configure({ concurrency: 10, rate: 1_000 });
    const slots = await Promise.all(Array.from({ length: 5 }, () => limiter.acquire()));
    // The first starts at once; each of the others waited its turn.
    expect(slots[0].queuedMs).toBeLessThan(slots[4].queuedMs);
    for (const slot of slots) slot.release({ status: 200 });
  });
});
