/**
 * Fuzz spec for the parameter parser: 10,000 deterministic inputs (seeded PRNG) mixing random
 * characters, mutations of valid inputs, hostile payloads and generated valid structures.
 *
 * For every input: the parser either returns plain data or throws a ParamsError — nothing else,
 * no evaluation (process.exit is never called, a global canary is never touched, the global eval
 * is never called) and no prototype pollution.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { ParamsError, parseParams, type ParamValue } from '../../../lib/cli/params/index.js';

const TOTAL = 10_000;
const SEED = 0x6d697863; // "mixc"

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)];

const CANARY = '__mixcoatlFuzzCanary';
const CANARY_TOKEN = `canary-${SEED}`;

/** Payloads that would do something if anything evaluated them. */
const HOSTILE: readonly string[] = [
  "__import__('os').system('touch /tmp/pwned')",
  "__import__('os')",
  'process.exit()',
  'process.exit(3)',
  "require('child_process').execSync('id')",
  "require('child_process')",
  '${process.exit(1)}',
  `\${globalThis.${CANARY} = 'touched'}`,
  `globalThis.${CANARY} = 'touched'`,
  "constructor.constructor('process.exit(4)')()",
  "({}).constructor.constructor('return process')().exit(5)",
  "eval('process.exit(6)')",
  "Function('process.exit(7)')()",
  "import('node:child_process')",
  "os.getcwd()",
  "exec('import os')",
  "open('/etc/passwd').read()",
  "[c for c in ().__class__.__base__.__subclasses__()]",
  "lambda: 1",
  "1 + 2",
  "f'{__import__(\"os\")}'",
  '`id`',
  "$(id)",
  '; rm -rf /',
  "globals()['__builtins__']",
  "__builtins__.__dict__['eval']('1')",
  "type('X', (), {})",
  "getattr(os, 'system')('id')",
];

/** Hostile payloads in positions where a dict literal must refuse them. */
const HOSTILE_TEMPLATES: readonly ((p: string) => string)[] = [
  (p) => p,
  (p) => `{'a': ${p}}`,
  (p) => `{"a": ${p}}`,
  (p) => `{'a': [1, ${p}]}`,
  (p) => `{'a': {'b': ${p}}}`,
  (p) => `{'a': (${p},)}`,
  (p) => `{${p}: 1}`,
  (p) => `{'a': 1, **${p}}`,
  (p) => `{'a': 'x' + ${p}}`,
  (p) => `{'a': 1}; ${p}`,
  (p) => `{'a': 1} if ${p} else {}`,
];

const VALID: readonly string[] = [
  `{'regionId':19344, 'active': True, 'name': "x", 'n': None, 'tags': ['a','b'], 'nested': {'k': 1.5}}`,
  '{"regionId": 19344, "name": "x", "active": true, "n": null, "tags": ["a", "b"]}',
  "{u'name': u'web-1', 'ids': (1, 2, 3,), 'esc': 'a\\'b\\n\\x41\\u00e9'}",
  'regionId=19344&active=true&name=a%20b+c',
  '?dataCenterId=64716&keys=007&q=a=b',
  "{'a': -1.5e3, 'b': [[], {}, ()], 'c': {'d': {'e': [None]}}}",
  '{"__proto__": {"polluted": 1}}',
  '{"constructor": {"prototype": {"polluted": 1}}}',
  '__proto__[polluted]=1&constructor[prototype][polluted]=1',
];

const ALPHABET =
  '{}[]():,\'"\\=&?%+-._ \t\n0123456789eExXuUabcdefTrueFalseNonetruefalsenull$`;#@!*/<>|~^' +
  'é€😀\u0000\u0001\u007f\u2028\uFEFF\uD800';
const TOKENS: readonly string[] = [
  '{', '}', '[', ']', '(', ')', ':', ',', "'", '"', '\\', 'True', 'None', 'null', '1e999', '-',
  '__proto__', "'__proto__'", '"constructor"', '=', '&', '%', '%zz', '\\x', '\\u12', '0x', '007',
  ...HOSTILE.slice(0, 8),
];

function randomChars(rng: Rng): string {
  const chars = Array.from(ALPHABET);
  let out = '';
  const length = int(rng, 40);
  for (let i = 0; i < length; i++) out += pick(rng, chars);
  return rng() < 0.5 ? `{${out}` : out;
}

function mutate(rng: Rng, base: string): string {
  let text = base;
  const rounds = 1 + int(rng, 3);
  for (let r = 0; r < rounds; r++) {
    const at = int(rng, text.length + 1);
    switch (int(rng, 5)) {
      case 0: // delete a span
        text = text.slice(0, at) + text.slice(at + 1 + int(rng, 4));
        break;
      case 1: // insert a character
        text = text.slice(0, at) + pick(rng, Array.from(ALPHABET)) + text.slice(at);
        break;
      case 2: // insert a token
        text = text.slice(0, at) + pick(rng, TOKENS) + text.slice(at);
        break;
      case 3: // duplicate a span
        text = text.slice(0, at) + text.slice(at, at + 1 + int(rng, 8)) + text.slice(at);
        break;
      default: // truncate
        text = text.slice(0, at);
        break;
    }
  }
  return text;
}

function randomValue(rng: Rng, depth: number): ParamValue {
  const kind = int(rng, depth > 3 ? 5 : 8);
  switch (kind) {
    case 0:
      return pick(rng, ['', 'x', "it's", 'say "hi"', 'back\\slash', 'new\nline', 'é€😀', '__proto__', '=&?%']);
    case 1:
      return int(rng, 2_000_000) - 1_000_000;
    case 2:
      return Math.round((rng() - 0.5) * 1e6) / 1e3;
    case 3:
      return rng() < 0.5;
    case 4:
      return null;
    case 5:
    case 6: {
      const items: ParamValue[] = [];
      for (let i = int(rng, 4); i > 0; i--) items.push(randomValue(rng, depth + 1));
      return items;
    }
    default:
      return randomObject(rng, depth + 1);
  }
}

function randomObject(rng: Rng, depth: number): { [key: string]: ParamValue } {
  const result: { [key: string]: ParamValue } = {};
  for (let i = int(rng, 4); i > 0; i--) result[`k${int(rng, 1000)}${pick(rng, ['', 'Id', ' x', "'", '"'])}`] = randomValue(rng, depth);
  return result;
}

/** Python literal spelling of a value (the JSON spelling is JSON.stringify). */
function toPython(value: ParamValue, rng: Rng): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const quote = rng() < 0.5 ? "'" : '"';
    const body = value
      .replaceAll('\\', '\\\\')
      .replaceAll('\n', '\\n')
      .replaceAll(quote, `\\${quote}`);
    return `${rng() < 0.2 ? 'u' : ''}${quote}${body}${quote}`;
  }
  const comma = rng() < 0.3 ? ',' : '';
  if (Array.isArray(value)) {
    const items = value.map((v) => toPython(v, rng));
    if (rng() < 0.3) return `(${items.join(', ')}${items.length === 1 ? ',' : items.length > 0 ? comma : ''})`;
    return `[${items.join(', ')}${items.length > 0 ? comma : ''}]`;
  }
  const entries = Object.entries(value).map(([k, v]) => `${toPython(k, rng)}: ${toPython(v, rng)}`);
  return `{${entries.join(', ')}${entries.length > 0 ? comma : ''}}`;
}

interface Case {
  kind: 'random' | 'mutation' | 'hostile' | 'valid';
  input: string;
  /** For generated valid structures: what the parser must return. */
  expected?: ParamValue;
}

function corpus(seed: number): Case[] {
  const rng = prng(seed);
  const cases: Case[] = [];
  for (const p of HOSTILE) for (const t of HOSTILE_TEMPLATES) cases.push({ kind: 'hostile', input: t(p) });
  while (cases.length < TOTAL) {
    const roll = rng();
    if (roll < 0.3) cases.push({ kind: 'random', input: randomChars(rng) });
    else if (roll < 0.7) cases.push({ kind: 'mutation', input: mutate(rng, pick(rng, VALID)) });
    else if (roll < 0.8) cases.push({ kind: 'hostile', input: pick(rng, HOSTILE_TEMPLATES.slice(1))(pick(rng, HOSTILE)) });
    else {
      const value = randomObject(rng, 1);
      const input = rng() < 0.5 ? JSON.stringify(value) : toPython(value, rng);
      cases.push({ kind: 'valid', input, expected: value });
    }
  }
  return cases;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Fails unless `value` is plain data: strings, finite numbers, booleans, null, arrays, plain objects. */
function assertPlainData(value: unknown, path = '$'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path}: non-finite number`);
    return;
  }
  if (typeof value !== 'object') throw new Error(`${path}: ${typeof value} is not plain data`);
  if (Object.getOwnPropertySymbols(value).length > 0) throw new Error(`${path}: symbol keys`);
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) throw new Error(`${path}: array with a foreign prototype`);
    value.forEach((item, i) => assertPlainData(item, `${path}[${i}]`));
    return;
  }
  if (proto !== Object.prototype) throw new Error(`${path}: object with a foreign prototype`);
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    if (FORBIDDEN.has(key)) throw new Error(`${path}: forbidden key ${key}`);
    if (!('value' in descriptor)) throw new Error(`${path}.${key}: accessor property`);
    assertPlainData(descriptor.value, `${path}.${key}`);
  }
}

describe('parseParams fuzz', () => {
  const globals = globalThis as Record<string, unknown>;
  const protoNames = (o: object): string[] => Object.getOwnPropertyNames(o).sort();
  const objectProtoBefore = protoNames(Object.prototype);
  const arrayProtoBefore = protoNames(Array.prototype);
  const realEval = globals.eval;
  const exitSpy = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`process.exit(${String(code)}) was called`);
  }) as typeof process.exit);
  let evalCalls = 0;

  beforeAll(() => {
    globals[CANARY] = CANARY_TOKEN;
    globals.eval = () => {
      evalCalls++;
      throw new Error('eval was called');
    };
  });

  afterAll(() => {
    globals.eval = realEval;
    delete globals[CANARY];
    exitSpy.mockRestore();
  });

  const cases = corpus(SEED);

  it('generates the same 10,000 inputs for the same seed', () => {
    expect(cases).toHaveLength(TOTAL);
    expect(corpus(SEED).map((c) => c.input)).toEqual(cases.map((c) => c.input));
    const kinds = new Set(cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['hostile', 'mutation', 'random', 'valid']);
  });

  it('returns plain data or throws a ParamsError, and never evaluates anything', () => {
    const failures: string[] = [];
    let parsed = 0;
    let refused = 0;
    for (const { kind, input, expected } of cases) {
      try {
        const result = parseParams(input);
        parsed++;
        assertPlainData(result);
        if (kind === 'hostile') failures.push(`hostile payload accepted: ${JSON.stringify(input)}`);
        if (expected !== undefined) expect(result).toEqual(expected);
      } catch (error) {
        if (!(error instanceof ParamsError) || error.name !== 'ParamsError' || error.code !== 'EPARAMS') {
          failures.push(`${JSON.stringify(input)} threw ${String(error)}`);
          continue;
        }
        refused++;
        if (kind === 'valid') failures.push(`valid input refused: ${JSON.stringify(input)}: ${error.message}`);
        if (error.column !== undefined && !/\n {2}.*\n {2} *\^$/.test(error.message)) {
          failures.push(`no caret excerpt for ${JSON.stringify(input)}: ${error.message}`);
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(parsed + refused).toBe(TOTAL);
    // Sanity: the corpus exercises both outcomes substantially.
    expect(parsed).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(3000);
    expect(exitSpy).not.toHaveBeenCalled();
    expect(evalCalls).toBe(0);
    expect(globals[CANARY]).toBe(CANARY_TOKEN);
  });

  it('leaves Object.prototype and Array.prototype untouched', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(protoNames(Object.prototype)).toEqual(objectProtoBefore);
    expect(protoNames(Array.prototype)).toEqual(arrayProtoBefore);
  });

  it('refuses every hostile payload in dict position as text, with a ParamsError', () => {
    for (const payload of HOSTILE) {
      for (const template of HOSTILE_TEMPLATES) {
        expect(() => parseParams(template(payload))).toThrow(ParamsError);
      }
    }
  });

  it('keeps hostile payloads in query values as the literal text', () => {
    for (const payload of HOSTILE) {
      if (payload.includes('&') || payload.includes('%')) continue;
      const expected = payload.replaceAll('+', ' ');
      expect(parseParams(`a=${payload}`)).toEqual({ a: /^[0-9]+$/.test(expected) ? Number(expected) : expected });
    }
    expect(globals[CANARY]).toBe(CANARY_TOKEN);
  });

  it('has no evaluating construct in the parser sources', () => {
    const dir = new URL('../../../lib/cli/', import.meta.url).pathname;
    const files = readdirSync(join(dir, 'params')).map((f) => join('params', f));
    expect(files).toContain(join('params', 'index.ts'));
    for (const file of files) {
      const source = readFileSync(join(dir, file), 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '');
      expect({ file, hits: source.match(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(|\brequire\s*\(|\bimport\s*\(|\bvm\./g) }).toEqual({
        file,
        hits: null,
      });
    }
  });
});
