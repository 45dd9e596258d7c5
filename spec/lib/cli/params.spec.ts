import {
  MAX_PARAMS_BYTES,
  MAX_PARAMS_DEPTH,
  ParamsError,
  parseParams,
  splitPathAndQuery,
} from '../../../lib/cli/params/index.js';

/** Runs `fn`, expects a ParamsError and returns it for closer inspection. */
function paramsError(fn: () => unknown): ParamsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParamsError);
    return error as ParamsError;
  }
  throw new Error('expected a ParamsError, but nothing was thrown');
}

const EXPECTED_VALUE = 'expected a value (string, number, True, False, None, list or dict)';

describe('parseParams', () => {
  describe('JSON objects', () => {
    it('reads every JSON value kind', () => {
      expect(
        parseParams('{"regionId": 19344, "name": "x", "active": true, "off": false, "n": null, "tags": ["a", "b"], "nested": {"k": 1.5}}'),
      ).toEqual({ regionId: 19344, name: 'x', active: true, off: false, n: null, tags: ['a', 'b'], nested: { k: 1.5 } });
    });

    it('reads JSON escapes, including surrogate pairs and \\/', () => {
      expect(parseParams('{"s": "a\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00"}')).toEqual({ s: 'a"b\\c/d\né😀' });
    });

    it('reads negative numbers, fractions and exponents', () => {
      expect(parseParams('{"a": -7, "b": -0.5, "c": 2e3, "d": 1.5E-2, "e": 0, "f": -0}')).toEqual({
        a: -7, b: -0.5, c: 2000, d: 0.015, e: 0, f: 0,
      });
      expect(Object.is(parseParams('{"f": -0}').f, 0)).toBe(true);
    });

    it('accepts newlines, tabs and a byte-order mark around and between tokens', () => {
      expect(parseParams('\uFEFF {\n\t"regionId" :\r\n 19344\n}\n')).toEqual({ regionId: 19344 });
    });

    it('reads an empty object', () => {
      expect(parseParams('{}')).toEqual({});
    });
  });

  describe('Python dict literals', () => {
    it('reads the documented example', () => {
      expect(
        parseParams(`{'regionId':19344, 'active': True, 'name': "x", 'n': None, 'tags': ['a','b'], 'nested': {'k': 1.5}}`),
      ).toEqual({ regionId: 19344, active: true, name: 'x', n: null, tags: ['a', 'b'], nested: { k: 1.5 } });
    });

    it("reads the original tool's own example", () => {
      expect(parseParams("{'regionId':19344}")).toEqual({ regionId: 19344 });
    });

    it('reads both quote styles with escapes', () => {
      expect(parseParams(String.raw`{'a': 'it\'s', "b": "say \"hi\"", 'c': 'tab\there', 'd': '\x41\u00e9\U0001F600', 'e': '\101\0'}`)).toEqual({
        a: "it's", b: 'say "hi"', c: 'tab\there', d: 'Aé😀', e: 'A\0',
      });
    });

    it('reads the other quote inside a string without escaping', () => {
      expect(parseParams(`{'a': "it's", "b": 'say "hi"'}`)).toEqual({ a: "it's", b: 'say "hi"' });
    });

    it('reads Python 2 unicode literals (u-prefixed strings) as printed by reprs', () => {
      expect(parseParams(`{u'name': u'web-1', 'x': U"y"}`)).toEqual({ name: 'web-1', x: 'y' });
    });

    it('accepts trailing commas in dicts, lists and tuples', () => {
      expect(parseParams(`{'a': [1, 2,], 'b': (3, 4,), 'c': {'d': 1,},}`)).toEqual({ a: [1, 2], b: [3, 4], c: { d: 1 } });
    });

    it('reads tuples as arrays, and (value) as the value itself', () => {
      expect(parseParams(`{'a': (), 'b': (1,), 'c': (1, 'x'), 'd': (5), 'e': ((1, 2),)}`)).toEqual({
        a: [], b: [1], c: [1, 'x'], d: 5, e: [[1, 2]],
      });
    });

    it('reads nested structures', () => {
      expect(parseParams(`{'a': [{'b': [None, True, False]}, []], 'c': {}}`)).toEqual({ a: [{ b: [null, true, false] }, []], c: {} });
    });

    it('reads a line continuation inside a string', () => {
      expect(parseParams("{'a': 'one \\\ntwo'}")).toEqual({ a: 'one two' });
    });

    it('accepts unary plus as Python does', () => {
      expect(parseParams(`{'a': +5, 'b': .5, 'c': 5.}`)).toEqual({ a: 5, b: 0.5, c: 5 });
    });
  });

  describe('query strings', () => {
    it('accepts conventional bracket and dot spellings in names', () => {
      expect(parseParams('a[b]=1&c.d-e_f=2')).toEqual({ 'a[b]': 1, 'c.d-e_f': 2 });
    });

    it('reads a=1&b=x, turning digit-only values into numbers', () => {
      expect(parseParams('regionId=19344&name=x')).toEqual({ regionId: 19344, name: 'x' });
    });

    it('accepts a leading ?', () => {
      expect(parseParams('?regionId=19344&active=true')).toEqual({ regionId: 19344, active: 'true' });
    });

    it('keeps true/false, negative numbers and decimals as strings (query strings are text)', () => {
      expect(parseParams('a=true&b=false&c=-5&d=1.5')).toEqual({ a: 'true', b: 'false', c: '-5', d: '1.5' });
    });

    it('keeps leading-zero values and integers beyond 2^53 as strings', () => {
      expect(parseParams('a=007&b=0&c=12345678901234567890')).toEqual({ a: '007', b: 0, c: '12345678901234567890' });
    });

    it('percent-decodes names and values and reads + as a space', () => {
      expect(parseParams('na%6De=a%20b+c&x=%E2%82%AC%2B')).toEqual({ name: 'a b c', x: '€+' });
    });

    it('keeps everything after the first = as the value', () => {
      expect(parseParams('sig=abc==&q=a=b')).toEqual({ sig: 'abc==', q: 'a=b' });
    });

    it('reads an empty value as an empty string and skips empty pieces', () => {
      expect(parseParams('a=&&b=2&')).toEqual({ a: '', b: 2 });
    });

    it('keeps hostile-looking values as inert text', () => {
      expect(parseParams('a=process.exit()&b=${x}')).toEqual({ a: 'process.exit()', b: '${x}' });
    });
  });

  it('reads blank text as no parameters', () => {
    expect(parseParams('')).toEqual({});
    expect(parseParams('  \n ')).toEqual({});
    expect(parseParams('?')).toEqual({});
  });

  it('returns plain objects and arrays', () => {
    const result = parseParams(`{'a': {'b': [1]}}`);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(result.a)).toBe(Object.prototype);
    expect(Array.isArray((result.a as { b: unknown }).b)).toBe(true);
  });
});

describe('parseParams errors', () => {
  it('are ParamsErrors with a stable name and code', () => {
    const error = paramsError(() => parseParams('{'));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ParamsError');
    expect(error.code).toBe('EPARAMS');
    expect(Object.keys(error)).not.toContain('input');
  });

  it('show the input and a caret under the offending column', () => {
    const error = paramsError(() => parseParams("{'a': os.getcwd()}"));
    expect(error.message).toBe(
      `${EXPECTED_VALUE} but found the name 'os' (names are never evaluated) at column 7\n` +
        "  {'a': os.getcwd()}\n" +
        '        ^',
    );
    expect(error.column).toBe(7);
    expect(error.line).toBe(1);
    expect(error.reason).toContain(EXPECTED_VALUE);
  });

  it.each([
    ["{'a': 1 + 2}", "expected ',' or '}' but found '+'", 9],
    ["{'a': 1; 'b': 2}", "expected ',' or '}' but found ';'", 8],
    ["{'a': os.getcwd()}", `${EXPECTED_VALUE} but found the name 'os'`, 7],
    ["{'a': __import__('os')}", `${EXPECTED_VALUE} but found the name '__import__'`, 7],
    ["{'a': [x for x in y]}", `${EXPECTED_VALUE} but found the name 'x'`, 8],
    ["{'a': lambda: 1}", `${EXPECTED_VALUE} but found the name 'lambda'`, 7],
    ["{'a': f'{x}'}", "string prefix 'f' is not supported", 7],
    ["{'a': b'x'}", "string prefix 'b' is not supported", 7],
    ["{'a': `x`}", `${EXPECTED_VALUE} but found '\`'`, 7],
    ["{'a': ${x}}", `${EXPECTED_VALUE} but found '$'`, 7],
    ["{'a': 'x'.upper()}", "expected ',' or '}' but found '.'", 10],
    ["{'a': {1, 2}}", "expected a quoted key or '}' but found a number", 8],
    ['{regionId: 1}', "expected a quoted key or '}' but found the name 'regionId' (keys must be quoted", 2],
    ["{'a' 1}", "expected ':' after the key but found a number", 6],
    ["{'a': 1 'b': 2}", "expected ',' or '}' but found a string", 9],
    ["{'a': 1,, 'b': 2}", "expected a quoted key or '}' but found ','", 9],
    ["{'a': [1 2]}", "expected ',' or ']' but found a number", 10],
    ["{'a': (1 2)}", "expected ',' or ')' but found a number", 10],
    ["{'a': 1", "expected ',' or '}' but found the end of the input", 8],
    ["{'a': }", `${EXPECTED_VALUE} but found '}'`, 7],
    ["{'a': 'x}", "unterminated string (no closing ')", 7],
    ["{'a': 'x\ny'}", "unterminated string (no closing ')", 7],
    ["{'a': 'C:\\path'}", "unknown escape sequence '\\p' in a string", 10],
    ["{'a': '\\x4'}", 'invalid \\x escape (expected 2 hex digits)', 8],
    ["{'a': '\\U00110000'}", 'invalid \\U escape (no such character)', 8],
    ["{'a': 007}", 'leading zeros are not allowed in numbers', 7],
    ["{'a': 0x1F}", 'invalid number', 7],
    ["{'a': 1_000}", 'invalid number', 7],
    ["{'a': 1.2.3}", 'invalid number', 7],
    ["{'a': 1e}", 'invalid number', 7],
    ["{'a': 12345678901234567890}", 'integer 12345678901234567890 is too large to be exact', 7],
    ["{'a': 1e999}", 'number out of range', 7],
    ["{'a': -True}", `${EXPECTED_VALUE} but found '-'`, 7],
    ["{'a': NaN}", `${EXPECTED_VALUE} but found the name 'NaN'`, 7],
    ["{'a': 1} {'b': 2}", "unexpected '{' after the closing '}'", 10],
    ["{'a': 1} extra", "unexpected the name 'extra' after the closing '}'", 10],
    ["{'a': 1} # comment", "unexpected '#' after the closing '}'", 10],
    ['[1, 2]', "parameters must be a dict such as {'regionId': 19344}, not a list", 1],
    ['(1, 2)', "parameters must be a dict such as {'regionId': 19344}, not a tuple", 1],
    ['{"__proto__": {"polluted": 1}}', "the name '__proto__' is not allowed", 2],
    ["{'a': {'constructor': 1}}", "the name 'constructor' is not allowed", 8],
    ["{'prototype': 1}", "the name 'prototype' is not allowed", 2],
    ["{'a': 1, 'a': 2}", "'a' is given more than once", 10],
    ['__import__(\'os\').system(\'x\')', 'expected name=value', 1],
    ['process.exit()', 'expected name=value', 1],
    ["require('child_process')", 'expected name=value', 1],
    ['a=1&b', 'expected name=value', 5],
    ['a=1&=2', "expected a parameter name before '='", 5],
    ['a=%zz', "invalid percent-encoding (write %25 for a literal '%')", 3],
    ['a=%C3%28', 'invalid percent-encoding', 3],
    ['__proto__=1', "the name '__proto__' is not allowed", 1],
    ['a=1&a=2', "'a' is given more than once", 5],
    ['regionId = 5', 'expected a parameter name (letters, digits', 9],
    ["x.y = 'z'", 'expected a parameter name', 4],
    ['${x}=1', 'expected a parameter name', 1],
    ['a%20b=1', 'expected a parameter name', 1],
  ])('%s → %s (column %i)', (input, reason, column) => {
    const error = paramsError(() => parseParams(input));
    expect(error.message.split('\n')[0]).toContain(reason);
    expect(error.message.split('\n')[0]).toMatch(new RegExp(`at (line 1, )?column ${column}$`));
    expect(error.column).toBe(column);
    const [, excerpt, caret] = error.message.split('\n');
    expect(excerpt).toBe(`  ${input.split('\n')[0]}`);
    expect(caret).toBe(`${' '.repeat(column + 1)}^`);
  });

  it('name the line as well as the column for multi-line input', () => {
    const error = paramsError(() => parseParams('{\n  "a": 1,\n  "b": nope\n}'));
    expect(error.message).toBe(
      `${EXPECTED_VALUE} but found the name 'nope' (names are never evaluated) at line 3, column 8\n` +
        '    "b": nope\n' +
        '         ^',
    );
    expect([error.line, error.column]).toEqual([3, 8]);
  });

  it('count columns in characters, and keep the caret aligned after tabs and emoji', () => {
    const error = paramsError(() => parseParams("{'😀':\t@}"));
    expect(error.column).toBe(7);
    expect(error.message.split('\n').slice(1)).toEqual(["  {'😀': @}", '        ^']);
  });

  it('window the excerpt of a long input around the column', () => {
    const input = `{'a': '${'x'.repeat(200)}', 'b': oops, 'c': '${'y'.repeat(200)}'}`;
    const error = paramsError(() => parseParams(input));
    const [first, excerpt, caret] = error.message.split('\n');
    expect(first).toMatch(/found the name 'oops'.* at column 216$/);
    expect(excerpt.length).toBeLessThanOrEqual(2 + 72 + 2);
    expect(excerpt).toMatch(/^ {2}….*….?$/);
    expect(excerpt[caret.length - 1]).toBe('o');
    expect(excerpt.slice(caret.length - 1, caret.length + 3)).toBe('oops');
  });

  it(`refuse nesting deeper than ${MAX_PARAMS_DEPTH} levels`, () => {
    const ok = `${"{'a': ".repeat(MAX_PARAMS_DEPTH - 1)}{}${'}'.repeat(MAX_PARAMS_DEPTH - 1)}`;
    expect(() => parseParams(ok)).not.toThrow();
    const tooDeep = `{'a': ${'['.repeat(MAX_PARAMS_DEPTH)}${']'.repeat(MAX_PARAMS_DEPTH)}}`;
    const error = paramsError(() => parseParams(tooDeep));
    expect(error.reason).toBe(`nesting is deeper than ${MAX_PARAMS_DEPTH} levels`);
    expect(error.column).toBe(7 + MAX_PARAMS_DEPTH - 1);
  });

  it('refuse absurd nesting without overflowing the stack', () => {
    expect(() => parseParams(`{'a': ${'['.repeat(100_000)}`)).toThrow(ParamsError);
  });

  it(`refuse text longer than ${MAX_PARAMS_BYTES} bytes, measured in UTF-8`, () => {
    const fits = `{'a': '${'x'.repeat(MAX_PARAMS_BYTES - 9)}'}`;
    expect(Buffer.byteLength(fits)).toBe(MAX_PARAMS_BYTES);
    expect(parseParams(fits).a).toHaveLength(MAX_PARAMS_BYTES - 9);
    const error = paramsError(() => parseParams(`{'a': '${'é'.repeat(MAX_PARAMS_BYTES / 2)}'}`));
    expect(error.message).toBe(`parameters are too long (${MAX_PARAMS_BYTES + 9} bytes; the limit is ${MAX_PARAMS_BYTES})`);
    expect(error.column).toBeUndefined();
  });

  it('refuse values that are not text', () => {
    expect(() => parseParams(42 as unknown as string)).toThrow(ParamsError);
  });

  it('leave Object.prototype alone for __proto__ payloads', () => {
    expect(() => parseParams('{"__proto__": {"polluted": 1}}')).toThrow(ParamsError);
    expect(() => parseParams('__proto__[polluted]=1')).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('splitPathAndQuery', () => {
  it('splits a path from its inline query', () => {
    expect(splitPathAndQuery('infrastructure/Server?regionId=19344')).toEqual({
      path: 'infrastructure/Server',
      params: { regionId: 19344 },
    });
  });

  it('gives empty parameters without a query', () => {
    expect(splitPathAndQuery('infrastructure/Server/331810')).toEqual({ path: 'infrastructure/Server/331810', params: {} });
    expect(splitPathAndQuery('admin/Job?')).toEqual({ path: 'admin/Job', params: {} });
  });

  it('removes leading and trailing slashes from the path', () => {
    expect(splitPathAndQuery('/geography/Region/')).toEqual({ path: 'geography/Region', params: {} });
  });

  it('splits at the first ? only', () => {
    expect(splitPathAndQuery('a/B?q=what?&x=1')).toEqual({ path: 'a/B', params: { q: 'what?', x: 1 } });
  });

  it('point errors into the whole argument', () => {
    const error = paramsError(() => splitPathAndQuery('infrastructure/Server?regionId=1&active'));
    expect(error.column).toBe(34);
    expect(error.message.split('\n')[1]).toBe('  infrastructure/Server?regionId=1&active');
  });

  it('refuse a missing path', () => {
    expect(paramsError(() => splitPathAndQuery('?a=1')).reason).toBe('expected a resource path such as infrastructure/Server');
    expect(() => splitPathAndQuery(' / ')).toThrow(ParamsError);
  });
});
