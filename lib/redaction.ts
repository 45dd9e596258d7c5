/**
 * Keeping the secret key and the request signatures out of everything a response leaves behind,
 * and refusing JSON too deep to print.
 *
 * The rule (README "Failure behaviour"):
 * - Before parsing, in the transport: the signature of every attempt, and a secret key of at least
 *   {@link MIN_RAW_SECRET} characters, are replaced by `[redacted]` in the body and the headers as
 *   received. A JSON body's escapes of ordinary characters (`\/`, `\u0041`) are first written out
 *   ({@link canonicalJsonEscapes}), so an escaped echo cannot slip past: what JSON.parse will
 *   produce is then exactly what was scrubbed.
 * - After parsing: every string value and member name of a JSON body, every message, excerpt and
 *   header an error keeps, has the secret key replaced, whatever its length: every occurrence of
 *   a key of {@link MIN_RAW_SECRET} characters or more; a shorter key wherever it stands alone
 *   (not inside a longer word or number: a key `sk` is replaced in `key sk` and `"sk"`, not in
 *   `skang`), since a few characters occur inside ordinary text by chance. A short key is never
 *   replaced in the raw body, where it could cut through the JSON syntax; numbers are not text
 *   and are never touched.
 * - The same walk over the parsed value refuses nesting deeper than {@link MAX_JSON_DEPTH}, which
 *   would otherwise overflow the stack later in `JSON.stringify`, `pprint()` or a CLI format.
 */

export const REDACTED_MARK = '[redacted]';

/** Shorter secret keys are not replaced in raw bodies (they could match JSON syntax); see above. */
export const MIN_RAW_SECRET = 8;

/**
 * Deepest nesting of arrays and objects accepted in a JSON body. DCM's envelopes nest a handful
 * of levels (envelope, item, embedded reference, its members); 64 leaves ample room.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Replaces each secret in a text (no regular expressions involved): every occurrence of one of
 * {@link MIN_RAW_SECRET} characters or more; a shorter one where it stands alone, i.e. not inside
 * a longer word or number (see {@link scrubStandalone}).
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || !out.includes(secret)) continue;
    out = secret.length >= MIN_RAW_SECRET ? out.split(secret).join(REDACTED_MARK) : scrubStandalone(out, secret);
  }
  return out;
}

const NO_SPELLINGS: readonly string[] = Object.freeze([]);
/** The spellings of the last secret key asked for: worked out once per key, not per request. */
let spellingsFor: { key: string; spellings: readonly string[] } | undefined;

/**
 * The spellings of a secret key to replace in text: JSON-escaped, then as is (one if they are the
 * same; none for no key). The escaped one goes first: it may hold the plain one (`\\b…` holds
 * `\b…`), and replacing the plain one first would leave a lone backslash in a JSON body.
 */
export function secretSpellings(secret: string): readonly string[] {
  if (!secret) return NO_SPELLINGS;
  if (spellingsFor?.key !== secret) {
    const escaped = JSON.stringify(secret).slice(1, -1);
    spellingsFor = { key: secret, spellings: Object.freeze(escaped === secret ? [secret] : [escaped, secret]) };
  }
  return spellingsFor.spellings;
}

function isWordChar(text: string, index: number): boolean {
  const c = text.charCodeAt(index);
  // 0-9, A-Z, a-z, _
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * A short secret (a few characters) occurs inside ordinary words by chance: `sk` in `skang`. It is
 * replaced where neither neighbour is a letter, digit or underscore — as a whole value, a word in
 * a message, a `key=value` — which is where an echo puts it.
 */
function scrubStandalone(text: string, secret: string): string {
  let out = '';
  let from = 0;
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
    if (at < from) continue;
    const end = at + secret.length;
    if ((at > 0 && isWordChar(text, at - 1)) || (end < text.length && isWordChar(text, end))) continue;
    out += text.slice(from, at) + REDACTED_MARK;
    from = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * A URL as it may be shown (a debug line, `lastRequest.url`, an error, an event): the secret key
 * replaced wherever it stands, in the path, a query value or a query member name, plainly,
 * JSON-escaped or percent-encoded (`%2F`, and `+` for a space in the query), as the server would
 * read it. A part that held it is shown percent-encoded around the mark. Only a URL that holds a
 * `%` or a `+` is decoded part by part.
 */
export function scrubUrl(url: string, secret: string): string {
  if (!secret) return url;
  const spellings = secretSpellings(secret);
  const out = scrub(url, spellings);
  if (!out.includes('%') && !out.includes('+')) return out;
  const query = out.indexOf('?');
  return out.replace(/[^/?&=#;]+/g, (part: string, offset: number) => {
    if (!part.includes('%') && !part.includes('+')) return part;
    const inQuery = query !== -1 && offset > query;
    let decoded: string;
    try {
      decoded = decodeURIComponent(inQuery ? part.replace(/\+/g, ' ') : part);
    } catch {
      return part;
    }
    const clean = scrub(decoded, spellings);
    return clean === decoded ? part : encodeURIComponent(clean).split(ENCODED_MARK).join(REDACTED_MARK);
  });
}

const ENCODED_MARK = encodeURIComponent(REDACTED_MARK);

/** Every header value with the secrets replaced. */
export function scrubHeaders<H extends Record<string, string | string[] | undefined>>(headers: H, secrets: readonly string[]): H {
  const out: Record<string, string | string[] | undefined> = {};
  // Object.keys, not Object.entries: no [name, value] pair per header.
  const names = Object.keys(headers);
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const value = headers[name];
    out[name] = typeof value === 'string' ? scrub(value, secrets) : Array.isArray(value) ? value.map((v) => scrub(v, secrets)) : value === undefined ? undefined : scrub(value, secrets);
  }
  return out as H;
}

const ESCAPE = /\\(u[0-9a-fA-F]{4}|[\s\S])/g;

/**
 * A JSON text with `\/` and the `\uXXXX` escapes of characters that need none written out: the
 * same JSON value, spelled so that a plain search finds a secret echoed in escaped form. Escapes
 * that JSON requires (quote, backslash, control characters) and surrogates are kept. Bodies that
 * do not start like JSON, or hold no backslash, are returned as they are.
 */
export function canonicalJsonEscapes(body: string): string {
  if (!body.includes('\\') || !/^\s*[[{]/.test(body)) return body;
  return body.replace(ESCAPE, (whole, escape: string) => {
    if (escape === '/') return '/';
    if (escape.length !== 5) return whole;
    const code = Number.parseInt(escape.slice(1), 16);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return whole;
    return String.fromCharCode(code);
  });
}

/** Why a parsed JSON value was refused by {@link checkParsed}. */
export class TooDeepError extends Error {
  constructor() {
    super(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/**
 * One pass over a freshly parsed JSON value: replaces each occurrence of `secret` in its strings
 * and member names (in place), and throws {@link TooDeepError} past {@link MAX_JSON_DEPTH} levels.
 * Returns the value (a top-level string is returned scrubbed).
 */
export function checkParsed(value: unknown, secret: string): unknown {
  if (typeof value === 'string') return secret && value.includes(secret) ? scrub(value, [secret]) : value;
  if (value !== null && typeof value === 'object') {
    if (secret) walkScrubbing(value as Container, secret);
    else walkDepth(value as Container);
  }
  return value;
}

type Container = Record<string, unknown> | unknown[];

/*
 * The walks are iterative: the containers still to visit wait on an explicit stack with their
 * depth, so nesting costs no native stack and a body nested 100,000 deep is refused at level 65
 * like any other. A container's depth is checked when it is found, before anything below it is
 * looked at. Only objects and arrays are pushed; strings are checked where they stand, numbers
 * and literals are passed over. for…in rather than Object.keys: no array per object.
 * (On 10,000 real-size servers, about two thirds of the time of the recursive walk it replaced.)
 */

/** Puts a container found at `depth` on the stack of both walks, refusing it past the limit. */
function enter(stack: Container[], depths: number[], item: Container, depth: number): void {
  if (depth > MAX_JSON_DEPTH) throw new TooDeepError();
  stack.push(item);
  depths.push(depth);
}

/** The depth check alone (no secret to look for). */
function walkDepth(root: Container): void {
  const stack: Container[] = [root];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const node = stack.pop() as Container;
    const depth = (depths.pop() as number) + 1;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (typeof item === 'object' && item !== null) enter(stack, depths, item as Container, depth);
      }
    } else {
      for (const key in node) {
        const item = node[key];
        if (typeof item === 'object' && item !== null) enter(stack, depths, item as Container, depth);
      }
    }
  }
}

/** The depth check, and the secret replaced in every string and member name (in place). */
function walkScrubbing(root: Container, secret: string): void {
  // A text shorter than the secret cannot hold it: most values and member names are, and skip the search.
  const min = secret.length;
  const stack: Container[] = [root];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const node = stack.pop() as Container;
    const depth = (depths.pop() as number) + 1;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (typeof item === 'string') {
          if (item.length >= min && item.includes(secret)) node[i] = scrub(item, [secret]);
        } else if (typeof item === 'object' && item !== null) enter(stack, depths, item as Container, depth);
      }
      continue;
    }
    let renames: string[] | undefined;
    for (const key in node) {
      const item = node[key];
      if (typeof item === 'string') {
        if (item.length >= min && item.includes(secret)) node[key] = scrub(item, [secret]);
      } else if (typeof item === 'object' && item !== null) enter(stack, depths, item as Container, depth);
      if (key.length >= min && key.includes(secret)) (renames ??= []).push(key);
    }
    // Renamed after the loop: properties added while for…in runs may or may not be visited.
    if (renames) {
      for (const key of renames) {
        const renamed = scrub(key, [secret]);
        if (renamed === key) continue;
        Object.defineProperty(node, renamed, { value: node[key], enumerable: true, writable: true, configurable: true });
        delete node[key];
      }
    }
  }
}

/** The proxy URL as it may be shown: without its user name and password. */
export function shownProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (!url.username && !url.password) return url.origin;
    return `${url.protocol}//[credentials]@${url.host}`;
  } catch {
    return '[proxy]';
  }
}

/** `text` without the proxy's password and user name (a message may quote the proxy URL). */
export function scrubProxy(text: string, proxy: string | undefined): string {
  if (!proxy) return text;
  let out = text.split(proxy).join(shownProxy(proxy));
  try {
    const url = new URL(proxy);
    for (const part of [url.password, url.username]) {
      if (part.length >= 3) {
        out = out.split(part).join(REDACTED_MARK);
        const decoded = decodeURIComponent(part);
        if (decoded !== part) out = out.split(decoded).join(REDACTED_MARK);
      }
    }
  } catch {
    /* not a URL: nothing more to find */
  }
  return out;
}
