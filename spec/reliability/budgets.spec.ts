/**
 * Request budgets against the emulator, counted in its request log: every HTTP attempt counts,
 * retries included, on the async path and on the synchronous one (sent by the worker, which gets
 * the allowance with the request); and `offline()`/`withBudget()` hold for the work started inside
 * them, whatever form `fn` returns (lib/http/budget.ts).
 */
import { BudgetExceededError, offline, remainingBudget, request, requestSync, Server, ServerError, withBudget } from '../../lib/index.js';
import { startEmulatorInWorker, type FaultRule } from '../../lib/emulator/index.js';
import { failure, useFaultyEmulator } from './support.js';

const t = useFaultyEmulator(() => startEmulatorInWorker({ seed: 5 }));

const PATH = 'infrastructure/Server/331810';
const OTHER = 'infrastructure/Server/329613';

/** 503 on every request to `path` (the suite's client retries reads up to 8 times). */
const unavailable = (path: string, extra: Partial<FaultRule> = {}): FaultRule => ({ path, status: 503, ...extra });

/** Requests the emulator received, as `METHOD resource status`. */
async function received(): Promise<string[]> {
  return (await t.emu.requestLog()).map((e) => `${e.method} ${e.resource} ${e.status}`);
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('budgets count attempts, retries included', () => {
  it('withBudget(1) around an async read answered 503 sends exactly 1 request and returns the 503', async () => {
    await t.emu.setFaults([unavailable(PATH)]);
    const error = await failure(withBudget(1, () => request('GET', PATH)));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.statusCode).toBe(503);
    expect(await received()).toEqual([`GET ${PATH} 503`]);
  });

  it('withBudget(1) around a synchronous read answered 503 sends exactly 1 request', async () => {
    await t.emu.setFaults([unavailable(PATH)]);
    expect(() => withBudget(1, () => requestSync('GET', PATH))).toThrow(ServerError);
    expect(await received()).toEqual([`GET ${PATH} 503`]);
    await t.emu.clearLog();
    // A lazy synchronous read, too; then the spent budget refuses the next read before sending.
    withBudget(1, () => {
      expect(() => new Server(331810).name).toThrow(ServerError);
      expect(remainingBudget()).toBe(0);
      expect(() => new Server(329613).name).toThrow(BudgetExceededError);
    });
    expect(await received()).toEqual([`GET ${PATH} 503`]);
  });

  it('withBudget(3) allows three attempts of one request: two retries, then the last answer', async () => {
    await t.emu.setFaults([unavailable(PATH)]);
    await withBudget(3, async () => {
      expect(await failure(request('GET', PATH))).toBeInstanceOf(ServerError);
      expect(remainingBudget()).toBe(0);
    });
    expect(withBudget(3, () => {
      expect(() => requestSync('GET', PATH)).toThrow(ServerError);
      return remainingBudget();
    })).toBe(0);
    expect(await received()).toEqual(Array.from({ length: 6 }, () => `GET ${PATH} 503`));
  });

  it('a retry that fits the budget is made, and the read succeeds', async () => {
    await t.emu.setFaults([unavailable(PATH, { times: 2 })]);
    expect(await withBudget(3, async () => (await request('GET', PATH)).statusCode)).toBe(200);
    await t.emu.setFaults([unavailable(PATH, { times: 2 })]);
    expect(withBudget(3, () => requestSync('GET', PATH).statusCode)).toBe(200);
    expect(await received()).toEqual([`GET ${PATH} 503`, `GET ${PATH} 503`, `GET ${PATH} 200`, `GET ${PATH} 503`, `GET ${PATH} 503`, `GET ${PATH} 200`]);
  });

  it('concurrent requests share the budget: withBudget(3) around two failing reads sends 3 in all', async () => {
    await t.emu.setFaults([unavailable(PATH), unavailable(OTHER)]);
    const outcomes = await withBudget(3, () => Promise.allSettled([request('GET', PATH), request('GET', OTHER)]));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(await received()).toHaveLength(3);
  });

  it('nested budgets: a retry counts against every enclosing one', async () => {
    await t.emu.setFaults([unavailable(PATH)]);
    await withBudget(5, async () => {
      await withBudget(2, () => failure(request('GET', PATH)));
      expect(remainingBudget()).toBe(3);
    });
    expect(await received()).toHaveLength(2);
  });

  it('without a budget the retry policy alone decides (1 + retry.limit attempts)', async () => {
    await t.emu.setFaults([unavailable(PATH)]);
    expect(await failure(request('GET', PATH))).toBeInstanceOf(ServerError);
    expect(await received()).toHaveLength(9);
  });
});

describe('offline() and withBudget() hold for the work started inside them', () => {
  it('an async generator: its body runs inside the scope whenever it is iterated', async () => {
    const pages = offline(async function* () {
      yield (await request('GET', PATH)).statusCode;
    });
    const error = await failure(
      (async () => {
        for await (const page of pages) void page;
      })(),
    );
    expect(error).toBeInstanceOf(BudgetExceededError);
    const two = withBudget(1, async function* () {
      yield (await request('GET', PATH)).statusCode;
      yield (await request('GET', OTHER)).statusCode;
    });
    expect(await two.next()).toEqual({ value: 200, done: false });
    await expect(two.next()).rejects.toBeInstanceOf(BudgetExceededError);
    expect(await received()).toEqual([`GET ${PATH} 200`]);
  });

  it('a generator: each step of a synchronous iteration runs inside the scope', async () => {
    const names = offline(function* () {
      yield new Server(331810).name;
    });
    expect(() => [...names]).toThrow(BudgetExceededError);
    expect(await received()).toEqual([]);
  });

  it('a returned thenable: its then (called by await) runs inside the scope; its members stay reachable', async () => {
    const query = { label: 'lazy query', then: (resolve: (v: unknown) => void, reject: (e: unknown) => void) => void request('GET', PATH).then(resolve, reject) };
    const inside = offline(() => query);
    expect(inside.label).toBe('lazy query');
    expect(await failure(Promise.resolve(inside))).toBeInstanceOf(BudgetExceededError);
    expect(await failure((async () => await offline(() => query))())).toBeInstanceOf(BudgetExceededError);
    expect(await received()).toEqual([]);
  });

  it('a promise chained outside: the work of fn still runs inside, after the caller chained on it', async () => {
    const gate = deferred();
    // fn awaits something settled later; the caller chains on its promise before then.
    const afterAwait = offline(async () => {
      await gate.promise;
      return request('GET', PATH);
    }).then(() => 'sent', (e: unknown) => e);
    // fn registers its own .then on a promise settled outside the scope.
    const chainedInside = offline(() => gate.promise.then(() => request('GET', PATH))).then(() => 'sent', (e: unknown) => e);
    gate.resolve();
    expect(await afterAwait).toBeInstanceOf(BudgetExceededError);
    expect(await chainedInside).toBeInstanceOf(BudgetExceededError);
    expect(await received()).toEqual([]);
  });

  it("a callback the caller chains on the returned promise is the caller's code: it runs outside, as code after await does", async () => {
    const status = await offline(async () => 'nothing sent').then(async () => (await request('GET', PATH)).statusCode);
    expect(status).toBe(200);
    expect(await received()).toEqual([`GET ${PATH} 200`]);
  });
});
