/**
 * The emulator's rate limit (`rateLimit`, `dcm sim --rate-limit N`): a token bucket of N requests
 * per second per access key; beyond it, 429 with Retry-After in whole seconds, nothing applied.
 */
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { runSim } from '../../lib/cli/commands/sim.js';
import { RateLimit, retryAfterSeconds } from '../../lib/emulator/rate-limit.js';
import { api } from '../support/emulator-http.js';
import { sink } from '../support/sink.js';

describe('RateLimit (token bucket)', () => {
  it('lets a burst of N through, then refuses until a token has come back', () => {
    const limit = new RateLimit(4);
    for (let i = 0; i < 4; i++) expect(limit.take('k', 1000)).toBeUndefined();
    expect(limit.take('k', 1000)).toBe(250);
    expect(limit.take('k', 1100)).toBe(150);
    expect(limit.take('k', 1250)).toBeUndefined();
    expect(limit.take('k', 1250)).toBe(250);
  });

  it('keeps one bucket per access key, holding at most one second of requests', () => {
    const limit = new RateLimit(2);
    expect(limit.take('a', 0)).toBeUndefined();
    expect(limit.take('a', 0)).toBeUndefined();
    expect(limit.take('a', 0)).toBe(500);
    expect(limit.take('b', 0)).toBeUndefined();
    // Ten seconds idle refill two tokens, not twenty.
    expect(limit.take('a', 10_000)).toBeUndefined();
    expect(limit.take('a', 10_000)).toBeUndefined();
    expect(limit.take('a', 10_000)).toBe(500);
  });

  it('announces whole seconds, at least one', () => {
    expect(retryAfterSeconds(1)).toBe('1');
    expect(retryAfterSeconds(1000)).toBe('1');
    expect(retryAfterSeconds(1001)).toBe('2');
  });
});

describe('emulator rateLimit', () => {
  let emu: EmulatorHandle;
  beforeAll(async () => {
    emu = await startEmulator({ rateLimit: 3, keys: [{ accessKey: 'FIRSTKEY', secretKey: 'first-secret' }, { accessKey: 'SECONDKEY', secretKey: 'second-secret' }] });
  });
  afterAll(() => emu.close());

  it('answers 429 with Retry-After beyond the limit, per access key, and applies nothing refused', async () => {
    await emu.clearLog();
    const [server] = await emu.items('infrastructure/Server');
    const answers = [];
    // Twelve requests in a row: at most 3 pass at once, and the next token needs a third of a second.
    for (let i = 0; i < 12; i++) answers.push(await api(emu, 'PUT', `infrastructure/Server/${server.serverId}`, { body: { stop: [{}] } }));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(answer.json.error.message).toMatch(/Rate limit of 3 requests per second exceeded for access key FIRSTKEY/);
    }
    const log = await emu.requestLog();
    expect(log.filter((e) => e.status === 429).map((e) => e.faults)).toEqual(refused.map(() => ['rate-limit:429']));
    // The other key has a bucket of its own.
    expect((await api(emu, 'GET', 'geography/Region', { accessKey: 'SECONDKEY', secretKey: 'second-secret' })).status).toBe(200);
  });

  it('is off by default', async () => {
    const open = await startEmulator();
    try {
      for (let i = 0; i < 30; i++) expect((await api(open, 'GET', 'geography/Region')).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('refuses a bad option naming it', async () => {
    await expect(startEmulator({ rateLimit: 0 })).rejects.toThrow('emulator option rateLimit must be an integer between 1 and 1000000, got 0');
  });
});

describe('dcm sim --rate-limit', () => {
  it('serves with the limit and says so', async () => {
    const stdout = sink();
    const stderr = sink();
    const abort = new AbortController();
    const done = runSim(['--rate-limit', '2'], { stdout, stderr, env: {}, signal: abort.signal });
    try {
      await new Promise<void>((resolve) => {
        const check = (): void => { if (stdout.text().includes('ES_SECRET_KEY')) resolve(); };
        stdout.on('data', check);
        check();
      });
      const env = Object.fromEntries([...stdout.text().matchAll(/^export (ES_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
      const target = { url: env.ES_ENDPOINT, accessKey: env.ES_ACCESS_KEY, secretKey: env.ES_SECRET_KEY };
      const statuses = [];
      for (let i = 0; i < 8; i++) statuses.push((await api(target, 'GET', 'geography/Region')).status);
      expect(statuses).toContain(429);
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(stderr.text()).toContain('dcm sim: rate limit of 2 requests per second per access key');
    } finally {
      abort.abort();
    }
    expect(await done).toBe(0);
  });

  it.each(['0', 'fast', '2.5'])('refuses --rate-limit %s', async (value) => {
    const stderr = sink();
    expect(await runSim(['--rate-limit', value], { stdout: sink(), stderr, env: {} })).toBe(2);
    expect(stderr.text()).toContain(`dcm sim: --rate-limit must be a whole number of requests per second between 1 and 1000000, got "${value}"`);
  });
});
