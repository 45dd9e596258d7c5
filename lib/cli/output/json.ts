/**
 * `--json` output: 2-space indentation and sorted keys, so the same data always prints the same
 * way and diffs between two runs are meaningful.
 *
 * `toJSON()` is honoured (resource objects and errors decide what they expose), bigints print as
 * strings, non-finite numbers as null and undefined members are left out — JSON's own rules. A
 * circular structure is a TypeError naming where the cycle closes.
 */

export function formatJson(value: unknown): string {
  const text = JSON.stringify(normalize(value, '$', []), null, 2);
  // JSON.stringify gives undefined for undefined/functions at the top level.
  return `${text ?? 'null'}\n`;
}

function normalize(value: unknown, path: string, stack: object[]): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') {
    return normalize((withToJson.toJSON as () => unknown).call(value), path, stack);
  }
  if (stack.includes(value)) throw new TypeError(`formatJson: circular reference at ${path}`);
  stack.push(value);
  try {
    if (Array.isArray(value)) return value.map((item, i) => normalize(item, `${path}[${i}]`, stack));
    // A null-prototype object keeps a `__proto__` key an ordinary key.
    const sorted: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(value).sort()) {
      sorted[key] = normalize((value as Record<string, unknown>)[key], `${path}.${key}`, stack);
    }
    return sorted;
  } finally {
    stack.pop();
  }
}
