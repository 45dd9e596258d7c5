/**
 * Key casing for CLI output parity (REFERENCE §3.2).
 *
 * The API speaks camelCase; the original CLI printed `--json/--xml/--csv` records with snake_case
 * keys. These two functions reproduce the original `uncamel`/`camelize` exactly — including their
 * acronym quirks (`computePKCS12PasswordLabel` → `compute_pkc_s12_password_label`) and the lossy
 * round trip (`hasCloudAPIAccess` → `has_cloud_api_access` → `hasCloudApiAccess`). The raw camelCase
 * JSON stays the source of truth; use these only where output compatibility is wanted.
 */

const isUpper = (ch: string | undefined): boolean => ch !== undefined && ch >= 'A' && ch <= 'Z';
const isLower = (ch: string | undefined): boolean => ch !== undefined && ch >= 'a' && ch <= 'z';

/**
 * camelCase → snake_case. Inserts `_` before an ASCII capital that follows a lower-case letter,
 * or that is not followed by another capital or the end (the last capital of an acronym run);
 * then lower-cases and strips leading/trailing `_`. Digits are untouched.
 * (Original: `re.sub('(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))', '_\\1', s).lower().strip('_')`.)
 */
export function camelToSnake(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (isUpper(ch) && (isLower(name[i - 1]) || (i + 1 < name.length && !isUpper(name[i + 1])))) out += '_';
    out += ch;
  }
  return out.toLowerCase().replace(/^_+|_+$/g, '');
}

/**
 * snake_case → camelCase. Splits on `_`, title-cases each piece the way Python's `str.title()` does
 * (a letter after a non-letter is upper-cased, every other letter lower-cased — so `x509cert`
 * becomes `X509Cert`), joins, and lower-cases the first character.
 * (Original: `s = ''.join(t.title() for t in val.split('_')); s[0].lower() + s[1:]`.)
 */
export function snakeToCamel(name: string): string {
  const joined = name.split('_').map(pythonTitle).join('');
  return joined.length === 0 ? joined : joined[0].toLowerCase() + joined.slice(1);
}

/** Python's `str.title()`: "cased" characters are those with distinct upper and lower forms. */
function pythonTitle(piece: string): string {
  let out = '';
  let previousCased = false;
  for (const ch of piece) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    const cased = lower !== upper;
    out += cased ? (previousCased ? lower : upper) : ch;
    previousCased = cased;
  }
  return out;
}

/**
 * Returns a copy of `value` with every object key converted by `convert`, recursively through
 * objects and arrays (the original skipped arrays nested directly in arrays; descending there too
 * only matters for shapes the API does not produce). Scalars are returned as they are.
 * Keys are defined, not assigned, so a `__proto__` key stays an ordinary key.
 */
export function convertKeys(value: unknown, convert: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => convertKeys(item, convert));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, convert(key), {
      value: convertKeys(item, convert),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** `convertKeys(value, camelToSnake)`: the snake_case view of an API record. */
export function snakeKeys(value: unknown): unknown {
  return convertKeys(value, camelToSnake);
}

/** `convertKeys(value, snakeToCamel)`: builds camelCase payloads from snake_case input. */
export function camelKeys(value: unknown): unknown {
  return convertKeys(value, snakeToCamel);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
