import { canonicalJsonEscapes, checkParsed, MAX_JSON_DEPTH, MIN_RAW_SECRET, scrub, scrubUrl, TooDeepError } from '../../lib/redaction.js';

describe('scrubUrl', () => {
  const base = 'http://127.0.0.1:9/api/enstratus/2015-05-25';
  const secret = 'url-secret/Kq8+Zr3=Wm5';

  it('replaces the key in a path, a query value and a member name, in every spelling', () => {
    expect(scrubUrl(`${base}/infrastructure/Volume/${secret}`, secret)).toBe(`${base}/infrastructure/Volume/[redacted]`);
    const query = new URLSearchParams({ [secret]: secret, note: `key ${secret}!` }).toString();
    expect(scrubUrl(`${base}/infrastructure/Server?${query}&regionId=1`, secret)).toBe(`${base}/infrastructure/Server?[redacted]=[redacted]&note=key%20[redacted]!&regionId=1`);
    expect(scrubUrl(`${base}/x/${encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())}`, secret)).toBe(`${base}/x/[redacted]`);
    expect(scrubUrl(`${base}/x/${JSON.stringify(secret).slice(1, -1)}`, secret)).toBe(`${base}/x/[redacted]`);
  });

  it('leaves other URLs as they are, a plus in a path included, and a short key inside a word', () => {
    const url = `${base}/infrastructure/Server?name=a%20b+c&q=%E2%82%AC&bad=%E2%8`;
    expect(scrubUrl(url, secret)).toBe(url);
    expect(scrubUrl(`${base}/a+b/x`, 'a b')).toBe(`${base}/a+b/x`);
    expect(scrubUrl(`${base}/Server?skip=sk&q=xsk%2B`, 'sk')).toBe(`${base}/Server?skip=[redacted]&q=xsk%2B`);
    expect(scrubUrl(url, '')).toBe(url);
  });
});

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

  it(`counts objects and arrays alike, empty ones included, with or without a secret`, () => {
    // Alternating objects and arrays: {"a":[{"a":[…]}]} with `levels` containers in all.
    const mixed = (levels: number, leaf: string) => {
      let text = leaf;
      for (let level = levels; level >= 1; level--) text = level % 2 ? `{"a":${text}}` : `[${text}]`;
      return text;
    };
    for (const secret of ['', 's', 'aLongSecret1']) {
      expect(() => checkParsed(JSON.parse(mixed(MAX_JSON_DEPTH, '1')), secret)).not.toThrow();
      expect(() => checkParsed(JSON.parse(mixed(MAX_JSON_DEPTH - 1, '{}')), secret)).not.toThrow();
      expect(() => checkParsed(JSON.parse(mixed(MAX_JSON_DEPTH, '{}')), secret)).toThrow(TooDeepError);
      expect(() => checkParsed(JSON.parse(mixed(MAX_JSON_DEPTH, '[]')), secret)).toThrow(TooDeepError);
    }
  });

  it('finds the one branch too deep wherever it stands among wide, shallow siblings', () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH - 2)}${']'.repeat(MAX_JSON_DEPTH - 2)}`;
    const wide = (at: number) => `{"servers":[${Array.from({ length: 50 }, (_, i) => (i === at ? `{"id":${i},"tags":${deep}}` : `{"id":${i},"tags":[]}`)).join(',')}]}`;
    for (const at of [0, 25, 49]) {
      expect(() => checkParsed(JSON.parse(wide(at)), '')).toThrow(TooDeepError);
      expect(() => checkParsed(JSON.parse(wide(at)), 'k9')).toThrow(TooDeepError);
    }
    expect(() => checkParsed(JSON.parse(wide(-1)), 'k9')).not.toThrow();
  });

  it('replaces the secret in every item of a wide listing, in values, member names and arrays, first to last', () => {
    const secret = 'aLongSecret1';
    const items = Array.from({ length: 200 }, (_, i) => ({ id: i, note: i % 50 === 0 ? `x${secret}x` : 'plain', [i === 199 ? `k-${secret}` : 'k']: [[`${secret}`], { deeper: { still: i === 0 ? secret : 'no' } }] }));
    const out = checkParsed(JSON.parse(JSON.stringify({ servers: items })), secret) as { servers: Array<Record<string, unknown>> };
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(out.servers[0]).toEqual({ id: 0, note: 'x[redacted]x', k: [['[redacted]'], { deeper: { still: '[redacted]' } }] });
    expect(out.servers[199]).toEqual({ id: 199, note: 'plain', 'k-[redacted]': [['[redacted]'], { deeper: { still: 'no' } }] });
  });

  it('looks at strings of the secret\'s length and longer, and only there', () => {
    const secret = 'k/Q9z';
    const out = checkParsed(JSON.parse('{"exact":"k/Q9z","k/Q9z":"k/Q9","short":["k/Q","k/Q9"],"around":"(k/Q9z)"}'), secret);
    expect(out).toEqual({ exact: '[redacted]', '[redacted]': 'k/Q9', short: ['k/Q', 'k/Q9'], around: '([redacted])' });
  });

  it('keeps the value it is given, and leaves no trace of it behind between calls', () => {
    const first = JSON.parse('{"a":[{"b":"k9"}]}');
    expect(checkParsed(first, 'k9')).toBe(first);
    expect(() => checkParsed(JSON.parse(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`), 'k9')).toThrow(TooDeepError);
    // A refusal midway leaves nothing pending that a later call would visit.
    const second = JSON.parse('{"c":["k9"]}');
    expect(checkParsed(second, 'k9')).toEqual({ c: ['[redacted]'] });
  });
});
