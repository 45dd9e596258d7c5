/**
 * Tokenizer for dict/JSON parameter literals (see ./literal.ts for the grammar).
 *
 * It only ever *recognises* text: strings, numbers, a few punctuation marks and bare names. A bare
 * name is handed to the parser, which accepts only the constants True/False/None (and JSON's
 * true/false/null). Nothing is looked up or evaluated.
 */
import { ParamsError } from './error.js';

export type Punct = '{' | '}' | '[' | ']' | '(' | ')' | ':' | ',';

export type Token =
  | { type: 'punct'; value: Punct; index: number }
  | { type: 'string'; value: string; index: number }
  | { type: 'number'; value: number; index: number }
  | { type: 'name'; value: string; index: number }
  | { type: 'invalid'; value: string; index: number }
  | { type: 'eof'; index: number };

const PUNCT = new Set<string>(['{', '}', '[', ']', '(', ')', ':', ',']);
const WHITESPACE = new Set<string>([' ', '\t', '\n', '\r', '\f', '\v']);
const NUMBER = /[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER_TAIL = /[A-Za-z0-9_.]/;
const STRING_PREFIX = /^[rRbBfFuU]{1,2}$/;

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '/': '/',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
};

export class Lexer {
  private pos: number;
  private lookahead: Token | undefined;

  constructor(
    private readonly input: string,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  peek(): Token {
    this.lookahead ??= this.read();
    return this.lookahead;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private fail(reason: string, index: number): never {
    throw new ParamsError({ reason, input: this.input, index });
  }

  private read(): Token {
    const { input, end } = this;
    while (this.pos < end && WHITESPACE.has(input[this.pos])) this.pos++;
    const index = this.pos;
    if (index >= end) return { type: 'eof', index: end };
    const ch = input[index];
    if (PUNCT.has(ch)) {
      this.pos++;
      return { type: 'punct', value: ch as Punct, index };
    }
    if (ch === '"' || ch === "'") return this.readString(index, index);
    if (startsNumber(input, index, end)) return this.readNumber(index);
    NAME.lastIndex = index;
    const name = NAME.exec(input);
    if (name && index + name[0].length <= end) {
      const after = index + name[0].length;
      const quote = input[after];
      if (after < end && (quote === '"' || quote === "'") && STRING_PREFIX.test(name[0])) {
        // Python 2 reprs print u'…'; other prefixes (f-strings above all) are refused.
        if (name[0] === 'u' || name[0] === 'U') return this.readString(index, after);
        this.fail(`string prefix '${name[0]}' is not supported (write a plain quoted string)`, index);
      }
      this.pos = after;
      return { type: 'name', value: name[0], index };
    }
    const cp = String.fromCodePoint(input.codePointAt(index) ?? 0);
    this.pos += cp.length;
    return { type: 'invalid', value: cp, index };
  }

  private readNumber(index: number): Token {
    const { input } = this;
    NUMBER.lastIndex = index;
    const match = NUMBER.exec(input);
    const text = match ? match[0] : ''; // startsNumber guarantees a match
    const after = index + text.length;
    if (after > this.end || (after < this.end && NUMBER_TAIL.test(input[after]))) {
      this.fail('invalid number (only decimal numbers such as 42, -7, 1.5 or 2e3 are accepted)', index);
    }
    const digits = text.replace(/^[+-]/, '');
    if (/^0[0-9]/.test(digits)) {
      this.fail('leading zeros are not allowed in numbers (quote the value to keep it as text)', index);
    }
    const value = Number(text);
    const isInteger = !/[.eE]/.test(text);
    if (isInteger && !Number.isSafeInteger(value)) {
      this.fail(`integer ${text} is too large to be exact (quote it to send it as text)`, index);
    }
    if (!Number.isFinite(value)) this.fail('number out of range', index);
    this.pos = after;
    // -0 is not a value anyone means to send.
    return { type: 'number', value: value === 0 ? 0 : value, index };
  }

  /** `start` is where the token starts (a `u` prefix included); `quoteAt` is the opening quote. */
  private readString(start: number, quoteAt: number): Token {
    const { input, end } = this;
    const quote = input[quoteAt];
    const parts: string[] = [];
    let i = quoteAt + 1;
    let chunk = i;
    for (;;) {
      if (i >= end || input[i] === '\n' || input[i] === '\r') {
        this.fail(`unterminated string (no closing ${quote})`, quoteAt);
      }
      const ch = input[i];
      if (ch === quote) break;
      if (ch !== '\\') {
        i++;
        continue;
      }
      parts.push(input.slice(chunk, i));
      const [text, length] = this.readEscape(i);
      parts.push(text);
      i += length;
      chunk = i;
    }
    parts.push(input.slice(chunk, i));
    this.pos = i + 1;
    return { type: 'string', value: parts.join(''), index: start };
  }

  /** Decodes the escape starting at the backslash `at`; returns its text and its length. */
  private readEscape(at: number): [string, number] {
    const { input, end } = this;
    const ch = at + 1 < end ? input[at + 1] : '';
    if (ch !== '' && Object.hasOwn(SIMPLE_ESCAPES, ch)) return [SIMPLE_ESCAPES[ch], 2];
    if (ch === '\n') return ['', 2]; // Python line continuation inside a string
    if (ch === '\r') return ['', input[at + 2] === '\n' && at + 2 < end ? 3 : 2];
    if (ch >= '0' && ch <= '7') {
      let stop = at + 2;
      while (stop < Math.min(end, at + 4) && input[stop] >= '0' && input[stop] <= '7') stop++;
      const digits = input.slice(at + 1, stop);
      return [String.fromCodePoint(parseInt(digits, 8)), 1 + digits.length];
    }
    const hexLength = ch === 'x' ? 2 : ch === 'u' ? 4 : ch === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = input.slice(at + 2, Math.min(end, at + 2 + hexLength));
      if (hex.length !== hexLength || !/^[0-9A-Fa-f]+$/.test(hex)) {
        this.fail(`invalid \\${ch} escape (expected ${hexLength} hex digits)`, at);
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) this.fail(`invalid \\${ch} escape (no such character)`, at);
      // \u escapes may be UTF-16 halves (JSON writes astral characters as pairs); keep units as-is.
      return [code <= 0xffff ? String.fromCharCode(code) : String.fromCodePoint(code), 2 + hexLength];
    }
    const shown = ch === '' ? '' : String.fromCodePoint(input.codePointAt(at + 1) ?? 0);
    this.fail(`unknown escape sequence '\\${shown}' in a string (write '\\\\' for a backslash)`, at);
  }
}

function startsNumber(input: string, index: number, end: number): boolean {
  const isDigit = (i: number): boolean => i < end && input[i] >= '0' && input[i] <= '9';
  const isFraction = (i: number): boolean => i < end && input[i] === '.' && isDigit(i + 1);
  let i = index;
  if (input[i] === '-' || input[i] === '+') i++;
  return isDigit(i) || isFraction(i);
}
