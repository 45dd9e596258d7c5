/**
 * `ParamsError`: the parameters given to a raw tool (`dcm-get PATH PARAMS`) could not be read.
 *
 * The message is meant for a person at a terminal, so it shows *where* it went wrong: a first line
 * saying what was expected and at which column, then the offending input line with a caret under
 * the column. It is a usage error (exit code 2, see ../errors.ts); it carries a stable
 * `name`/`code` so the top-level handler can match it without `instanceof`.
 */

/** Longest excerpt of the input shown in a message, in characters. */
const EXCERPT_WIDTH = 72;

export interface ParamsErrorOptions {
  /** What went wrong, without position, e.g. `expected ',' or '}'`. */
  reason: string;
  /** The full text that was being parsed. */
  input: string;
  /** 0-based UTF-16 offset of the offending character; omit when no position applies. */
  index?: number;
}

export class ParamsError extends Error {
  declare readonly name: 'ParamsError';
  readonly code: 'EPARAMS';
  /** What went wrong, without the position or excerpt. */
  readonly reason: string;
  /** 1-based line of the offending character (undefined when no position applies). */
  readonly line: number | undefined;
  /** 1-based column (in characters, not UTF-16 units) of the offending character. */
  readonly column: number | undefined;
  /** 0-based UTF-16 offset into `input`. */
  readonly index: number | undefined;

  constructor(options: ParamsErrorOptions) {
    const where = options.index === undefined ? undefined : locate(options.input, options.index);
    super(where === undefined ? options.reason : `${options.reason} ${where.label}\n${where.excerpt}`);
    Object.defineProperty(this, 'name', { value: 'ParamsError', enumerable: false, configurable: true });
    this.code = 'EPARAMS';
    this.reason = options.reason;
    this.index = options.index;
    this.line = where?.line;
    this.column = where?.column;
    // The input can be 64 KiB; keep it reachable for callers but out of enumeration and logs.
    Object.defineProperty(this, 'input', { value: options.input, enumerable: false });
  }

  declare readonly input: string;
}

interface Location {
  line: number;
  column: number;
  label: string;
  excerpt: string;
}

/** Finds line/column of `index` and renders `  <line>\n  <spaces>^`, windowed for long lines. */
function locate(input: string, rawIndex: number): Location {
  const index = Math.max(0, Math.min(rawIndex, input.length));
  const lineStart = input.lastIndexOf('\n', index - 1) + 1;
  let lineEnd = input.indexOf('\n', index);
  if (lineEnd === -1) lineEnd = input.length;
  const line = countNewlines(input, lineStart) + 1;
  // Columns count code points so a caret under "é" or an emoji lands where a reader expects.
  const before = Array.from(input.slice(lineStart, index));
  const rest = Array.from(input.slice(index, lineEnd));
  const column = before.length + 1;
  const multiLine = input.includes('\n');
  const label = multiLine ? `at line ${line}, column ${column}` : `at column ${column}`;

  // Window the line so that a 64 KiB input still yields a readable two-line excerpt.
  const chars = [...before, ...rest].map(printable);
  let start = 0;
  let end = chars.length;
  if (chars.length > EXCERPT_WIDTH) {
    start = Math.max(0, before.length - Math.floor(EXCERPT_WIDTH / 2));
    end = Math.min(chars.length, start + EXCERPT_WIDTH);
    start = Math.max(0, end - EXCERPT_WIDTH);
  }
  const head = start > 0 ? '…' : '';
  const tail = end < chars.length ? '…' : '';
  const shown = head + chars.slice(start, end).join('') + tail;
  const caretAt = head.length + (before.length - start);
  return { line, column, label, excerpt: `  ${shown}\n  ${' '.repeat(caretAt)}^` };
}

function countNewlines(text: string, until: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < until; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Control, format (zero-width, BOM), line/paragraph-separator and lone-surrogate characters: shown
 * as `?` in excerpts, because they would break the excerpt's line or misplace the caret.
 */
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]$/u;

/** True when a character can be echoed in a message as itself. */
export function isVisible(ch: string): boolean {
  return !INVISIBLE.test(ch);
}

/** One display cell per character. */
function printable(ch: string): string {
  if (ch === '\t') return ' ';
  return isVisible(ch) ? ch : '?';
}
