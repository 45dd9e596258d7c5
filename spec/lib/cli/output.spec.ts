import {
  cellText,
  csvField,
  displayWidth,
  escapeXml,
  formatCsv,
  formatDescribe,
  formatJson,
  formatTable,
  formatXml,
  referenceId,
  xmlName,
} from '../../../lib/cli/output.js';

/** Trimmed excerpt of a server listing item (extended detail) from the reference fixtures. */
const SERVER = {
  serverId: 331810,
  name: 'web-1',
  agentVersion: 17,
  budget: 10287,
  dataCenter: {
    dataCenterId: 64716,
    description: 'ap-southeast-2a',
    name: 'ap-southeast-2a',
    providerId: 'ap-southeast-2a',
    region: { regionId: 19556 },
    status: 'ACTIVE',
  },
  region: { regionId: 19556 },
  firewalls: [{ firewallId: 119182, name: 'default', providerId: 'sg-39930503', cloud: { cloudId: 1 } }],
  owningGroups: [{ groupId: 9465 }, { groupId: 9466 }],
  privateIpAddresses: ['10.0.0.1', '10.0.0.2'],
  publicIpAddress: null,
  description: 'For developing\na new agent.',
  terminated: false,
};

describe('cellText', () => {
  const table = { empty: '-', singleLine: true };

  it.each([
    [null, '-'],
    [undefined, '-'],
    ['', ''],
    [0, '0'],
    [false, 'false'],
    [12n, '12'],
    [new Date(Date.UTC(2015, 4, 25)), '2015-05-25T00:00:00.000Z'],
    [[], '-'],
    [{}, '-'],
    [['a', 'b'], 'a, b'],
    [[{ groupId: 1 }, { groupId: 2 }], '1, 2'],
    [{ regionId: 19344 }, '19344'],
    [{ id: 5, name: 'x' }, '5'],
    [{ currency: 'USD', value: 0.12 }, '{"currency":"USD","value":0.12}'],
    [{ b: 1, a: { d: 1, c: 2 } }, '{"a":{"c":2,"d":1},"b":1}'],
    ['tab\there\r\nand\u2028there\u0007', 'tab here and there'],
  ])('%p → %p', (value, expected) => {
    expect(cellText(value, table)).toBe(expected);
  });

  it('keeps line breaks when asked to (CSV)', () => {
    expect(cellText('a\nb', { empty: '', singleLine: false })).toBe('a\nb');
  });
});

describe('referenceId', () => {
  it('prefers the member named after the column, then id, then the one *Id member', () => {
    expect(referenceId(SERVER.dataCenter, 'dataCenter')).toBe(64716);
    expect(referenceId(SERVER.dataCenter)).toBe(64716); // providerId is not an identifier of ours
    expect(referenceId(SERVER.firewalls[0], 'firewalls')).toBe(119182);
    expect(referenceId({ data_center_id: 3, provider_id: 'x', name: 'n' }, 'data_center')).toBe(3);
    expect(referenceId({ id: 9, userId: 3 })).toBe(9);
    expect(referenceId({ userId: 3, groupId: 4, name: 'x' })).toBeUndefined();
    expect(referenceId({ nested: { regionId: 1 } })).toBeUndefined();
  });
});

describe('displayWidth', () => {
  it('counts wide characters twice and combining marks not at all', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('東京')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('😀')).toBe(2);
  });
});

describe('formatTable', () => {
  it('prints a left-aligned table with a header, widths from content and references as ids', () => {
    const rows = [SERVER, { ...SERVER, serverId: 7, name: 'db', region: { regionId: 1 }, owningGroups: [], publicIpAddress: '1.2.3.4' }];
    const text = formatTable(rows, [
      { key: 'serverId', header: 'ID' },
      { key: 'name', header: 'Name' },
      { key: 'region', header: 'Region' },
      { key: 'dataCenter', header: 'Data Center' },
      { key: 'owningGroups', header: 'Groups' },
      { key: 'publicIpAddress', header: 'Public IP' },
    ]);
    expect(text).toBe(
      [
        'ID      Name   Region  Data Center  Groups      Public IP',
        '331810  web-1  19556   64716        9465, 9466  -',
        '7       db     1       64716        -           1.2.3.4',
        '',
      ].join('\n'),
    );
  });

  it('derives the columns from the rows when none are given, in first-seen order', () => {
    expect(formatTable([{ a: 1 }, { b: 'x', a: 2 }])).toBe('a  b\n1  -\n2  x\n');
  });

  it('reads dotted paths and computed values', () => {
    const text = formatTable([SERVER], [
      { key: 'dataCenter.region', header: 'DC region' },
      { key: 'ips', header: 'IPs', value: (row) => (row.privateIpAddresses as string[]).length },
    ]);
    expect(text).toBe('DC region  IPs\n19556      2\n');
  });

  it('prints only the header for no rows, and nothing for no columns', () => {
    expect(formatTable([], ['ID', 'Name'])).toBe('ID  Name\n');
    expect(formatTable([])).toBe('');
  });

  it('keeps every row on one line and leaves no trailing spaces', () => {
    const text = formatTable([SERVER], ['description', 'publicIpAddress', 'terminated']);
    expect(text.split('\n')).toEqual(['description                  publicIpAddress  terminated', 'For developing a new agent.  -                false', '']);
    for (const line of text.split('\n')) expect(line).toBe(line.trimEnd());
  });

  it('aligns columns containing wide characters', () => {
    const text = formatTable([{ name: '東京', id: 1 }, { name: 'ab', id: 2 }]);
    expect(text).toBe('name  id\n東京  1\nab    2\n');
  });

  it('never reads from the prototype', () => {
    expect(formatTable([{ a: 1 }], ['constructor', 'toString', '__proto__'])).toBe('constructor  toString  __proto__\n-            -         -\n');
  });
});

describe('formatDescribe', () => {
  it('prints a Field/Value view in the order given', () => {
    const text = formatDescribe(SERVER, [
      { key: 'serverId', header: 'Server ID' },
      { key: 'name', header: 'Name' },
      { key: 'privateIpAddresses', header: 'Private IPs' },
      { key: 'dataCenter', header: 'Data Center' },
      { key: 'publicIpAddress', header: 'Public IP' },
    ]);
    expect(text).toBe(
      [
        'Field        Value',
        'Server ID    331810',
        'Name         web-1',
        'Private IPs  10.0.0.1, 10.0.0.2',
        'Data Center  64716',
        'Public IP    -',
        '',
      ].join('\n'),
    );
  });

  it('shows every field when none are given', () => {
    expect(formatDescribe({ a: 1, b: { regionId: 2 } })).toBe('Field  Value\na      1\nb      2\n');
  });
});

describe('formatJson', () => {
  it('indents by 2, sorts keys at every level and ends with a newline', () => {
    expect(formatJson([{ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } }])).toBe(
      '[\n  {\n    "a": {\n      "c": null,\n      "d": [\n        3,\n        {\n          "e": 2,\n          "f": 1\n        }\n      ]\n    },\n    "b": 1\n  }\n]\n',
    );
  });

  it('is stable: key order of the input does not matter', () => {
    expect(formatJson({ z: 1, a: 2, m: { y: 1, b: 2 } })).toBe(formatJson({ m: { b: 2, y: 1 }, a: 2, z: 1 }));
  });

  it('follows JSON rules for undefined, non-finite numbers, dates and bigints', () => {
    expect(JSON.parse(formatJson({ u: undefined, n: NaN, d: new Date(0), big: 2n ** 64n }))).toEqual({
      n: null,
      d: '1970-01-01T00:00:00.000Z',
      big: '18446744073709551616',
    });
    expect(formatJson(undefined)).toBe('null\n');
    expect(formatJson('x')).toBe('"x"\n');
  });

  it('honours toJSON()', () => {
    const model = { secret: 1, toJSON: () => ({ b: 2, a: 1 }) };
    expect(formatJson({ model })).toBe('{\n  "model": {\n    "a": 1,\n    "b": 2\n  }\n}\n');
  });

  it('keeps a __proto__ member as data', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as unknown;
    expect(JSON.parse(formatJson(value))).toEqual(value);
    expect(formatJson(value)).toContain('"__proto__"');
  });

  it('names where a circular structure closes', () => {
    const a: Record<string, unknown> = { b: {} };
    (a.b as Record<string, unknown>).back = a;
    expect(() => formatJson(a)).toThrow('formatJson: circular reference at $.b.back');
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(JSON.parse(formatJson({ a: shared, b: shared }))).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });
});

/** A small well-formedness check: balanced tags, valid names, nothing unescaped in text. */
function assertWellFormed(xml: string): void {
  const [declaration, ...rest] = xml.split('\n');
  expect(declaration).toBe('<?xml version="1.0" encoding="UTF-8"?>');
  const body = rest.join('\n');
  const stack: string[] = [];
  const tag = /<(\/?)([^\s/>]+)((?:\s+[^\s=]+="[^"<&]*(?:&(?:amp|lt|gt|quot|#\d+);[^"<&]*)*")*)\s*(\/?)>/g;
  let last = 0;
  let roots = 0;
  for (const match of body.matchAll(tag)) {
    const text = body.slice(last, match.index);
    expect(text).not.toMatch(/[<>]|&(?!(?:amp|lt|gt|quot|#\d+);)/);
    const [, closing, name, , selfClosing] = match;
    expect(xmlName(name).changed).toBe(false);
    if (stack.length === 0) roots++;
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) stack.push(name);
    last = match.index + match[0].length;
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

describe('formatXml', () => {
  it('prints one <item> per record with nested elements', () => {
    const xml = formatXml([{ serverId: 1, region: { regionId: 19344 }, tags: ['a', 'b'], gone: null, empty: [] }]);
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<root>',
        '  <item>',
        '    <serverId>1</serverId>',
        '    <region>',
        '      <regionId>19344</regionId>',
        '    </region>',
        '    <tags>',
        '      <item>a</item>',
        '      <item>b</item>',
        '    </tags>',
        '    <gone/>',
        '    <empty/>',
        '  </item>',
        '</root>',
        '',
      ].join('\n'),
    );
    assertWellFormed(xml);
  });

  it('uses the given root and item names', () => {
    expect(formatXml([1], 'servers', 'server')).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<servers>\n  <server>1</server>\n</servers>\n');
  });

  it('prints an empty root for no records', () => {
    expect(formatXml([])).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<root/>\n');
  });

  it('escapes text and attribute values', () => {
    const xml = formatXml([{ s: `<a href="x">&'</a>`, 'a"b': 1 }]);
    expect(xml).toContain('<s>&lt;a href=&quot;x&quot;&gt;&amp;\'&lt;/a&gt;</s>');
    expect(xml).toContain('<a_b key="a&quot;b">1</a_b>');
    assertWellFormed(xml);
  });

  it('replaces characters XML cannot carry and keeps carriage returns', () => {
    expect(escapeXml('a\u0000b\u0008c\uFFFEd\uD800e\tf\r\n😀')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\tf&#13;\n😀');
  });

  it.each([
    ['serverId', 'serverId', false],
    ['data_center', 'data_center', false],
    ['2fa', '_2fa', true],
    ['a b', 'a_b', true],
    ['ns:name', 'ns_name', true],
    ['xmlThing', '_xmlThing', true],
    ['XML', '_XML', true],
    ['', '_', true],
    ['-x', '_-x', true],
    ['été', 'été', false],
    ['a\u0000b', 'a_b', true],
    ['<script>', '_script_', true],
  ])('sanitises element name %p → %p', (key, name, changed) => {
    expect(xmlName(key)).toEqual({ name, changed });
  });

  it('stays well-formed for awkward records', () => {
    const record = JSON.parse('{"__proto__": 1, "": 2, "1": [[1, [2]], {"<": ">"}], "x y": {"z&": "\\u0001"}}') as unknown;
    const xml = formatXml([record, 'plain', null, 5]);
    assertWellFormed(xml);
    expect(xml).toContain('<__proto__>1</__proto__>');
    expect(xml).toContain('<_1 key="1">');
  });

  it('refuses a circular structure', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => formatXml([a])).toThrow('circular reference');
  });
});

/** Minimal RFC 4180 reader, to check that what formatCsv writes reads back. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('formatCsv', () => {
  it('quotes only when needed, doubles embedded quotes and ends lines with CRLF', () => {
    const text = formatCsv([{ a: 'plain', b: 'with,comma', c: 'say "hi"', d: 'two\nlines', e: ' padded' }]);
    expect(text).toBe('a,b,c,d,e\r\nplain,"with,comma","say ""hi""","two\nlines"," padded"\r\n');
  });

  it('prints null/undefined as empty fields, references as ids, arrays joined, other objects as JSON', () => {
    const text = formatCsv([SERVER], ['serverId', 'publicIpAddress', 'region', 'dataCenter', 'owningGroups', 'price']);
    expect(text).toBe('serverId,publicIpAddress,region,dataCenter,owningGroups,price\r\n331810,,19556,64716,"9465, 9466",\r\n');
    const price = formatCsv([{ price: { value: 0.12, currency: 'USD' } }]);
    expect(readCsv(price)).toEqual([['price'], ['{"currency":"USD","value":0.12}']]);
  });

  it('uses the union of keys as the header when no columns are given', () => {
    expect(formatCsv([{ a: 1 }, { b: 2 }])).toBe('a,b\r\n1,\r\n,2\r\n');
  });

  it('uses column headers', () => {
    expect(formatCsv([{ serverId: 1 }], [{ key: 'serverId', header: 'Server, ID' }])).toBe('"Server, ID"\r\n1\r\n');
  });

  it('reads back to the same fields', () => {
    const rows = [
      { a: 'x', b: '"', c: '""', d: ',\r\n', e: '' },
      { a: 'é😀', b: ' ', c: 'a"b,c', d: '\n', e: 'last' },
    ];
    expect(readCsv(formatCsv(rows))).toEqual([['a', 'b', 'c', 'd', 'e'], ...rows.map((r) => Object.values(r))]);
  });

  it('prints nothing without columns', () => {
    expect(formatCsv([])).toBe('');
  });

  it.each([
    ['', ''],
    ['a', 'a'],
    ['a"', '"a"""'],
    ['a\rb', '"a\rb"'],
    ['trailing ', '"trailing "'],
  ])('csvField(%p) → %p', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });
});
