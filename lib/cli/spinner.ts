/**
 * Progress display for `--wait` (waiting on a job or a server state), written to stderr so stdout
 * stays clean for the result.
 *
 * - On a terminal (`io.isTTY`, and `TERM` is not `dumb`): one line redrawn in place with `\r`,
 *   showing a spinner, the status and the elapsed time, refreshed every `intervalMs`. The line is
 *   cut to the terminal width, because a wrapped line can no longer be redrawn in place.
 * - Otherwise (pipes, CI logs): one plain line per status change, and a final line.
 *
 * `done`/`fail` stop the refresh timer and print the final line, `stop` only clears the line (an
 * error is then reported once, by the error handler); later calls do nothing. The timer
 * is `unref`ed, so even a forgotten progress display never keeps the process alive.
 */
import type { CliIO } from './io.js';
import { displayWidth, toSingleLine } from './output/cells.js';

export interface Progress {
  /** A new status (e.g. `RUNNING`) and optional detail (e.g. the job's message). */
  update(status: string, detail?: string): void;
  /** Success: prints `label: finalText (elapsed)` and stops. */
  done(finalText: string): void;
  /** Failure: prints `label: text (elapsed)` and stops. */
  fail(text: string): void;
  /** Stops without a final line (the caller reports the outcome), clearing the line on a terminal. */
  stop(): void;
}

export interface ProgressOptions {
  /** Refresh period on a terminal (default 100 ms). */
  intervalMs?: number;
  /** Clock, for specs (default `Date.now`). */
  now?: () => number;
}

const FRAMES = ['|', '/', '-', '\\'];
const CLEAR_LINE = '\r\x1b[K';

export function createProgress(io: Pick<CliIO, 'stderr' | 'env' | 'isTTY'>, label: string, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const name = toSingleLine(label);
  const interactive = io.isTTY && io.env.TERM !== 'dumb';
  let status = '';
  let detail: string | undefined;
  let frame = 0;
  let finished = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const elapsed = (): string => formatElapsed(now() - started);
  const describe = (): string => {
    const text = status === '' ? name : `${name}: ${status}`;
    return detail === undefined || detail === '' ? text : `${text} (${detail})`;
  };
  const draw = (): void => {
    const line = fit(`${FRAMES[frame % FRAMES.length]} ${describe()} ${elapsed()}`, io.stderr.columns);
    io.stderr.write(`${CLEAR_LINE}${line}`);
  };

  if (interactive) {
    draw();
    timer = setInterval(() => {
      frame++;
      draw();
    }, options.intervalMs ?? 100);
    timer.unref?.();
  }

  const halt = (): boolean => {
    if (finished) return false;
    finished = true;
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    return true;
  };
  const finish = (text: string): void => {
    if (!halt()) return;
    const line = `${name}: ${toSingleLine(text)} (${elapsed()})\n`;
    io.stderr.write(interactive ? `${CLEAR_LINE}${line}` : line);
  };

  return {
    update(newStatus: string, newDetail?: string): void {
      if (finished) return;
      const cleanStatus = toSingleLine(newStatus);
      const cleanDetail = newDetail === undefined ? undefined : toSingleLine(newDetail);
      const changed = cleanStatus !== status;
      status = cleanStatus;
      detail = cleanDetail;
      if (interactive) draw();
      else if (changed) io.stderr.write(`${describe()}\n`);
    },
    done: finish,
    fail: finish,
    stop(): void {
      if (halt() && interactive) io.stderr.write(CLEAR_LINE);
    },
  };
}

/** `4s`, `1m05s`, `2h03m`: short enough for one line, precise enough for a wait. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Cuts `line` to fit in `columns - 1` display columns (the last column would wrap on some terminals). */
function fit(line: string, columns: number | undefined): string {
  if (columns === undefined || columns < 2 || displayWidth(line) < columns) return line;
  let out = '';
  let width = 0;
  for (const ch of line) {
    width += displayWidth(ch);
    if (width > columns - 2) break;
    out += ch;
  }
  return `${out}…`;
}
