import { jest } from '@jest/globals';
import { createProgress, formatElapsed } from '../../../lib/cli/spinner.js';
import { fakeIO } from './fake-io.js';

const CLEAR = '\r\x1b[K';

describe('createProgress', () => {
  let clock = 0;
  const now = (): number => clock;

  beforeEach(() => {
    clock = 1_000_000;
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('on a terminal', () => {
    it('draws one line in place, animating the spinner and the elapsed time', () => {
      const io = fakeIO({ isTTY: true });
      const progress = createProgress(io, 'job 42', { now, intervalMs: 100 });
      expect(io.stderr.chunks).toEqual([`${CLEAR}| job 42 0s`]);

      progress.update('RUNNING', 'launching');
      expect(io.stderr.chunks.at(-1)).toBe(`${CLEAR}| job 42: RUNNING (launching) 0s`);

      clock += 1500;
      jest.advanceTimersByTime(100);
      expect(io.stderr.chunks.at(-1)).toBe(`${CLEAR}/ job 42: RUNNING (launching) 1s`);
      jest.advanceTimersByTime(100);
      expect(io.stderr.chunks.at(-1)).toBe(`${CLEAR}- job 42: RUNNING (launching) 1s`);
      expect(io.stderr.text).not.toContain('\n');
      expect(io.stdout.text).toBe('');
    });

    it('stop() clears the line without a final line, stops its timer, and makes later calls do nothing', () => {
      const io = fakeIO({ isTTY: true });
      const progress = createProgress(io, 'job 42', { now, intervalMs: 100 });
      progress.update('RUNNING');
      progress.stop();
      expect(io.stderr.chunks.at(-1)).toBe(CLEAR);
      const count = io.stderr.chunks.length;
      jest.advanceTimersByTime(1000);
      progress.fail('failed');
      progress.done('ok');
      expect(io.stderr.chunks).toHaveLength(count);
      expect(io.stderr.text).not.toContain('\n');
    });

    it('ends with a final line and stops its timer', () => {
      const io = fakeIO({ isTTY: true });
      const progress = createProgress(io, 'job 42', { now });
      expect(jest.getTimerCount()).toBe(1);
      clock += 65_000;
      progress.done('COMPLETE');
      expect(io.stderr.chunks.at(-1)).toBe(`${CLEAR}job 42: COMPLETE (1m05s)\n`);
      expect(jest.getTimerCount()).toBe(0);

      const writes = io.stderr.chunks.length;
      jest.advanceTimersByTime(10_000);
      progress.update('RUNNING');
      progress.done('again');
      progress.fail('again');
      expect(io.stderr.chunks).toHaveLength(writes);
    });

    it('stops its timer on failure too', () => {
      const io = fakeIO({ isTTY: true });
      const progress = createProgress(io, 'job 7', { now });
      progress.update('RUNNING');
      clock += 3000;
      progress.fail('ERROR: disk full');
      expect(io.stderr.chunks.at(-1)).toBe(`${CLEAR}job 7: ERROR: disk full (3s)\n`);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('cuts the line to the terminal width so it can be redrawn in place', () => {
      const io = fakeIO({ isTTY: true, columns: 20 });
      const progress = createProgress(io, 'waiting for server 331810', { now });
      progress.update('PENDING');
      const line = (io.stderr.chunks.at(-1) ?? '').slice(CLEAR.length);
      expect(line).toBe('| waiting for serv…');
      expect(line.length).toBeLessThan(20);
      progress.done('RUNNING');
    });

    it('keeps control characters from the API out of the line', () => {
      const io = fakeIO({ isTTY: true });
      const progress = createProgress(io, 'job\n1', { now });
      progress.update('RUN\rNING', 'a\x1b[2Jb');
      expect(io.stderr.chunks.at(-1)).toBe(`${CLEAR}| job 1: RUN NING (a[2Jb) 0s`);
      progress.done('ok');
    });

    it('falls back to plain lines when TERM is dumb', () => {
      const io = fakeIO({ isTTY: true, env: { TERM: 'dumb' } });
      const progress = createProgress(io, 'job 1', { now });
      progress.update('RUNNING');
      progress.done('COMPLETE');
      expect(io.stderr.text).toBe('job 1: RUNNING\njob 1: COMPLETE (0s)\n');
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('without a terminal', () => {
    it('stop() writes nothing', () => {
      const io = fakeIO({ isTTY: false });
      const progress = createProgress(io, 'job 42', { now });
      progress.update('RUNNING');
      const before = io.stderr.text;
      progress.stop();
      expect(io.stderr.text).toBe(before);
    });

    it('prints one plain line per status change and no timer', () => {
      const io = fakeIO({ isTTY: false });
      const progress = createProgress(io, 'job 42', { now });
      expect(jest.getTimerCount()).toBe(0);
      progress.update('PENDING');
      progress.update('PENDING', 'still pending');
      progress.update('RUNNING', 'launching');
      progress.update('RUNNING', 'configuring');
      clock += 12_000;
      progress.done('COMPLETE');
      expect(io.stderr.text).toBe('job 42: PENDING\njob 42: RUNNING (launching)\njob 42: COMPLETE (12s)\n');
      expect(io.stderr.text).not.toContain('\r');
    });

    it('prints a failure once', () => {
      const io = fakeIO();
      const progress = createProgress(io, 'job 42', { now });
      progress.fail('ERROR');
      progress.fail('ERROR');
      progress.done('COMPLETE');
      expect(io.stderr.text).toBe('job 42: ERROR (0s)\n');
    });
  });

  it('unrefs its timer so a forgotten display never keeps the process alive', () => {
    jest.useRealTimers();
    const io = fakeIO({ isTTY: true });
    const progress = createProgress(io, 'job', { intervalMs: 10_000 });
    const active = (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo();
    expect(active).toContain('Timeout');
    progress.done('ok');
  });
});

describe('formatElapsed', () => {
  it.each([
    [-5, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59_999, '59s'],
    [60_000, '1m00s'],
    [65_000, '1m05s'],
    [3_599_000, '59m59s'],
    [3_600_000, '1h00m'],
    [7_380_000, '2h03m'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });
});
