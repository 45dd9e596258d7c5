/**
 * Recursive-descent parser for dict/JSON parameter literals, e.g.
 * `{'regionId': 19344, 'active': True, 'tags': ['a', 'b'], 'n': None}` or `{"regionId": 19344}`.
 *
 * Grammar (the union of a Python literal dict and a JSON object; whitespace anywhere between tokens):
 *
 *     params  := dict EOF                          -- the top level must be a dict
 *     dict    := '{' [ entry (',' entry)* [','] ] '}'
 *     entry   := STRING ':' value                  -- keys are quoted strings
 *     value   := STRING | NUMBER | const | dict | list | tuple
 *     const   := True | False | None | true | false | null
 *     list    := '[' [ value (',' value)* [','] ] ']'
 *     tuple   := '(' ')' | '(' value ')' | '(' value ',' [ value (',' value)* [','] ] ')'
 *
 * STRING: single or double quotes, optional `u` prefix, escapes \\ \' \" \/ \n \r \t \b \f \v \a,
 * octal \0-\777, \xHH, \uHHHH, \UHHHHHHHH. NUMBER: decimal int or float with optional sign and
 * exponent. Tuples become arrays; `(value)` is just the value, as in Python.
 *
 * Anything else — names, calls, attribute access, operators, comprehensions — is a `ParamsError`.
 */
import { isVisible, ParamsError } from './error.js';
import { Lexer, type Punct, type Token } from './lexer.js';
import { MAX_PARAMS_DEPTH, putParam, type ParamObject, type ParamValue } from './types.js';

const EXPECTED_VALUE = 'expected a value (string, number, True, False, None, list or dict)';
const CONSTANTS: Record<string, boolean | null> = {
  True: true,
  False: false,
  None: null,
  true: true,
  false: false,
  null: null,
};

/** Parses `text.slice(start, end)`, which must hold exactly one dict. */
export function parseLiteral(text: string, start = 0, end = text.length): ParamObject {
  return new LiteralParser(text, start, end).parse();
}

class LiteralParser {
  private readonly lexer: Lexer;

  constructor(
    private readonly input: string,
    start: number,
    end: number,
  ) {
    this.lexer = new Lexer(input, start, end);
  }

  parse(): ParamObject {
    const first = this.lexer.next();
    if (!isPunct(first, '{')) {
      const what = isPunct(first, '[') ? 'a list' : isPunct(first, '(') ? 'a tuple' : describe(first);
      this.fail(`parameters must be a dict such as {'regionId': 19344}, not ${what}`, first);
    }
    const result = this.dict(first, 1);
    const rest = this.lexer.next();
    if (rest.type !== 'eof') this.fail(`unexpected ${describe(rest)} after the closing '}'`, rest);
    return result;
  }

  private fail(reason: string, token: Token): never {
    throw new ParamsError({ reason, input: this.input, index: token.index });
  }

  private expect(what: string, token: Token): never {
    this.fail(`expected ${what} but found ${describe(token)}`, token);
  }

  private enter(open: Token, depth: number): void {
    if (depth > MAX_PARAMS_DEPTH) this.fail(`nesting is deeper than ${MAX_PARAMS_DEPTH} levels`, open);
  }

  private value(depth: number): ParamValue {
    const token = this.lexer.next();
    switch (token.type) {
      case 'string':
      case 'number':
        return token.value;
      case 'name':
        if (Object.hasOwn(CONSTANTS, token.value)) return CONSTANTS[token.value];
        return this.fail(`${EXPECTED_VALUE} but found ${describe(token)} (names are never evaluated)`, token);
      case 'punct':
        if (token.value === '{') return this.dict(token, depth + 1);
        if (token.value === '[') return this.sequence(token, depth + 1, ']');
        if (token.value === '(') return this.tuple(token, depth + 1);
        break;
      default:
        break;
    }
    return this.fail(`${EXPECTED_VALUE} but found ${describe(token)}`, token);
  }

  private dict(open: Token, depth: number): ParamObject {
    this.enter(open, depth);
    const result: ParamObject = {};
    for (;;) {
      const key = this.lexer.next();
      if (isPunct(key, '}')) return result;
      if (key.type !== 'string') {
        const hint = key.type === 'name' ? " (keys must be quoted, e.g. {'regionId': 1})" : '';
        this.fail(`expected a quoted key or '}' but found ${describe(key)}${hint}`, key);
      }
      const colon = this.lexer.next();
      if (!isPunct(colon, ':')) this.expect("':' after the key", colon);
      putParam(result, key.value, this.value(depth), this.input, key.index);
      const after = this.lexer.next();
      if (isPunct(after, '}')) return result;
      if (!isPunct(after, ',')) this.expect("',' or '}'", after);
    }
  }

  private sequence(open: Token, depth: number, close: ']' | ')'): ParamValue[] {
    this.enter(open, depth);
    const items: ParamValue[] = [];
    for (;;) {
      if (isPunct(this.lexer.peek(), close)) {
        this.lexer.next();
        return items;
      }
      items.push(this.value(depth));
      const after = this.lexer.next();
      if (isPunct(after, close)) return items;
      if (!isPunct(after, ',')) this.expect(`',' or '${close}'`, after);
    }
  }

  /** `()` → [], `(x)` → x (grouping), `(x,)` / `(x, y)` → arrays. */
  private tuple(open: Token, depth: number): ParamValue {
    this.enter(open, depth);
    if (isPunct(this.lexer.peek(), ')')) {
      this.lexer.next();
      return [];
    }
    const first = this.value(depth);
    const after = this.lexer.next();
    if (isPunct(after, ')')) return first;
    if (!isPunct(after, ',')) this.expect("',' or ')'", after);
    return [first, ...this.sequence(open, depth, ')')];
  }
}

function isPunct(token: Token, value: Punct): boolean {
  return token.type === 'punct' && token.value === value;
}

/** How a token is named in messages: short, and never the whole of a long string. */
function describe(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'the end of the input';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'name':
      return `the name '${token.value.length > 24 ? `${token.value.slice(0, 24)}…` : token.value}'`;
    case 'punct':
      return `'${token.value}'`;
    case 'invalid': {
      if (token.value.trim() !== '' && isVisible(token.value)) return `'${token.value}'`;
      const code = token.value.codePointAt(0) ?? 0;
      return `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
}
