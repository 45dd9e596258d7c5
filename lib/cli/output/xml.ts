/**
 * `--xml` output: a well-formed XML 1.0 document, one `<item>` per record.
 *
 *     <?xml version="1.0" encoding="UTF-8"?>
 *     <root>
 *       <item>
 *         <serverId>331810</serverId>
 *         <region>
 *           <regionId>19344</regionId>
 *         </region>
 *         <tags>
 *           <item>a</item>
 *         </tags>
 *         <terminated/>
 *       </item>
 *     </root>
 *
 * Rules: members in the record's own order; nested objects become nested elements; array items
 * become `<item>` children; null/undefined become an empty element. A key that is not a valid XML
 * name (`2fa`, `a b`, `xmlThing`, `é:x`) is sanitised — invalid characters become `_`, and `_` is
 * prefixed where a name may not start that way or would start with the reserved `xml` — and the
 * original key is kept in a `key="…"` attribute. Text is escaped; characters XML 1.0 cannot carry
 * at all (most control characters, lone surrogates) become U+FFFD.
 */

const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// The combining-mark range U+0300–U+036F is part of XML's NameChar; listing it is intended.
// eslint-disable-next-line no-misleading-character-class
const NOT_NAME_CHAR = new RegExp(`[^${NAME_CHAR}]`, 'gu');
const STARTS_WELL = new RegExp(`^[${NAME_START}]`, 'u');
/** Characters XML 1.0 cannot carry: C0 controls except tab/LF/CR, lone surrogates, U+FFFE/F. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML_CHAR = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|\p{Cs}/gu;

/**
 * Formats `records` as an XML document. `rootName` and `itemName` are sanitised like keys.
 * Returns text ending in a newline.
 */
export function formatXml(records: readonly unknown[], rootName = 'root', itemName = 'item'): string {
  const root = xmlName(rootName).name;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (records.length === 0) {
    lines.push(`<${root}/>`);
  } else {
    lines.push(`<${root}>`);
    for (const record of records) element(lines, itemName, record, 1, []);
    lines.push(`</${root}>`);
  }
  return `${lines.join('\n')}\n`;
}

/** A valid XML element name for `key`, and whether it had to change. */
export function xmlName(key: string): { name: string; changed: boolean } {
  let name = key.replace(NOT_NAME_CHAR, '_');
  if (name === '' || !STARTS_WELL.test(name) || /^xml/i.test(name)) name = `_${name}`;
  return { name, changed: name !== key };
}

/** Escapes text content and attribute values (quotes included, so one function serves both). */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;');
}

function element(lines: string[], key: string, value: unknown, depth: number, stack: object[]): void {
  const indent = '  '.repeat(depth);
  const { name, changed } = xmlName(key);
  const open = changed ? `${name} key="${escapeXml(key)}"` : name;
  const data = toData(value);
  if (data === null || data === undefined) {
    lines.push(`${indent}<${open}/>`);
    return;
  }
  if (typeof data !== 'object') {
    lines.push(`${indent}<${open}>${escapeXml(String(data))}</${name}>`);
    return;
  }
  if (stack.includes(data)) throw new TypeError(`formatXml: circular reference under <${name}>`);
  const children: [string, unknown][] = Array.isArray(data)
    ? data.map((item) => ['item', item])
    : Object.entries(data as Record<string, unknown>);
  if (children.length === 0) {
    lines.push(`${indent}<${open}/>`);
    return;
  }
  lines.push(`${indent}<${open}>`);
  stack.push(data);
  for (const [childKey, child] of children) element(lines, childKey, child, depth + 1, stack);
  stack.pop();
  lines.push(`${indent}</${name}>`);
}

/** Honours `toJSON()` (dates, resource objects); bigints become their digits. */
function toData(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object') {
    const withToJson = value as { toJSON?: unknown };
    if (typeof withToJson.toJSON === 'function') return (withToJson.toJSON as () => unknown).call(value);
  }
  return value;
}
