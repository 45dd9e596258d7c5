import { canonicalJsonEscapes, checkParsed, MAX_JSON_DEPTH, MIN_RAW_SECRET, scrub, TooDeepError } from '../../../lib/http/redaction.js';

describe('scrub', () => {
  it(`replaces every occurrence of a secret of ${MIN_RAW_SECRET} characters or more, even inside words`, () => {
    expect(scrub('aLongSecret1 xaLongSecret1x', ['aLongSecret1'])).toBe('[redacted] x[redacted]x');
  });

  it('replaces a shorter secret where it stands alone, not inside a longer word or number', () => {
    expect(scrub('sk', ['sk'])).toBe('[redacted]');
    expect(scrub('key sk, "sk" k=sk&x sk/', ['sk'])).toBe('key [redacted], "[redacted]" k=[redacted]&x [redacted]/');
    expect(scrub('skang-debug ask sk_1 sk9 ssk', ['sk'])).toBe('skang-debug ask sk_1 sk9 ssk');
    expect(scrub('k/Q9z:k/Q9zk/Q9z', ['k/Q9z'])).toBe('[redacted]:k/Q9zk/Q9z');
    expect(scrub('aaa', ['aa'])).toBe('aaa');
  });
});

describe('canonicalJsonEscapes', () => {
  it('writes out \\/ and the \\u escapes of ordinary characters, giving the same JSON value', () => {
    const text = String.raw`{"a":"s\/e\u0063r\u00e9t","b":["\u0041\/"]}`;
    const out = canonicalJsonEscapes(text);
    expect(out).toBe('{"a":"s/ecrét","b":["A/"]}');
    expect(JSON.parse(out)).toEqual(JSON.parse(text));
  });

  it('keeps the escapes JSON needs: quote, backslash, control characters, surrogates, and escaped backslashes', () => {
    const text = String.raw`{"q":"\u0022\"\\u0041\\\/\u005c\u000a\n\ud83d\ude00"}`;
    const out = canonicalJsonEscapes(text);
    expect(out).toBe(String.raw`{"q":"\u0022\"\\u0041\\/\u005c\u000a\n\ud83d\ude00"}`);
    expect(JSON.parse(out)).toEqual(JSON.parse(text));
  });

  it('leaves bodies that are not JSON, or hold no backslash, as they are', () => {
    expect(canonicalJsonEscapes(String.raw`<p>\u0041\/</p>`)).toBe(String.raw`<p>\u0041\/</p>`);
    const plain = '{"a":"b"}';
    expect(canonicalJsonEscapes(plain)).toBe(plain);
  });
});

describe('checkParsed', () => {
  it('replaces the secret in strings and member names at any depth, whatever its length', () => {
    const value = JSON.parse('{"a":"x/k9/x","list":[["k9"],{"k9":"k9 k9","n":19}],"k":"xk9"}');
    expect(checkParsed(value, 'k9')).toEqual({ a: 'x/[redacted]/x', list: [['[redacted]'], { '[redacted]': '[redacted] [redacted]', n: 19 }], k: 'xk9' });
    expect(checkParsed('k9 alone', 'k9')).toBe('[redacted] alone');
    expect(checkParsed(JSON.parse('{"a":"xLongSecret9x"}'), 'LongSecret9')).toEqual({ a: 'x[redacted]x' });
    expect(checkParsed(JSON.parse('{"sizeInGb":850,"b":1}'), 'b')).toEqual({ sizeInGb: 850, '[redacted]': 1 });
  });

  it('with no secret only checks the depth, and leaves the value as it is', () => {
    const value = { a: ['b'] };
    expect(checkParsed(value, '')).toBe(value);
    expect(value).toEqual({ a: ['b'] });
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    const nest = (levels: number) => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
    expect(() => checkParsed(nest(MAX_JSON_DEPTH), 's')).not.toThrow();
    expect(() => checkParsed(nest(MAX_JSON_DEPTH + 1), 's')).toThrow(TooDeepError);
    expect(() => checkParsed(nest(100_000), '')).toThrow(TooDeepError);
  });
});
