/**
 * Fault injection (off by default). Rules match the resource path (`infrastructure/Server/42`)
 * by glob or regex, and optionally the method. For each API request every matching rule adds its
 * latency; then, in rule order, the first rule whose status/reset fires (a draw from the seeded
 * PRNG against `rate`, within its `times` budget) decides the outcome. `phase: 'after'` lets the
 * request be applied first — a POST really creates — and then replaces the response, which is how
 * a reliability suite proves a client never retries a POST.
 */
import { ApiError } from './api-error.js';
import { Prng, deriveSeed } from './prng.js';
import type { FaultRule } from './types.js';

/** What the faults decided for one request. */
export interface FaultPlan {
  latencyMs: number;
  /** Labels for the request log. */
  labels: string[];
  /** The failure to inject, if any. */
  failure?: { rule: FaultRule; label: string; phase: 'before' | 'after' };
}

interface CompiledRule {
  rule: FaultRule;
  test: (path: string) => boolean;
  methods?: Set<string>;
  fired: number;
  label: string;
  /** `METHOD path` → failures in a row, for `maxConsecutive` (entries dropped when a request passes). */
  streaks: Map<string, number>;
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') { out += '.*'; i++; }
    else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Check rules coming from options or the control route; throws a 400 ApiError naming the problem. */
export function validateFaults(rules: unknown): FaultRule[] {
  if (!Array.isArray(rules)) throw ApiError.badRequest('faults must be a JSON array of rules');
  rules.forEach((r, i) => {
    const at = `faults[${i}]`;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw ApiError.badRequest(`${at} must be an object`);
    const known = ['path', 'pathRegex', 'methods', 'latencyMs', 'status', 'retryAfter', 'message', 'reset', 'rate', 'phase', 'times', 'maxConsecutive', 'name'];
    for (const k of Object.keys(r)) if (!known.includes(k)) throw ApiError.badRequest(`${at}.${k} is not a fault-rule member; expected some of: ${known.join(', ')}`);
    const nonNeg = (k: string) => {
      if (r[k] !== undefined && (typeof r[k] !== 'number' || !(r[k] >= 0))) throw ApiError.badRequest(`${at}.${k} must be a non-negative number`);
    };
    ['latencyMs', 'retryAfter', 'times'].forEach(nonNeg);
    if (r.maxConsecutive !== undefined && (!Number.isInteger(r.maxConsecutive) || r.maxConsecutive < 1)) throw ApiError.badRequest(`${at}.maxConsecutive must be a positive integer`);
    if (r.rate !== undefined && (typeof r.rate !== 'number' || r.rate < 0 || r.rate > 1)) throw ApiError.badRequest(`${at}.rate must be a number in [0, 1]`);
    if (r.status !== undefined && (!Number.isInteger(r.status) || r.status < 400 || r.status > 599)) throw ApiError.badRequest(`${at}.status must be an HTTP error status (400-599)`);
    if (r.phase !== undefined && r.phase !== 'before' && r.phase !== 'after') throw ApiError.badRequest(`${at}.phase must be "before" or "after"`);
    if (r.path !== undefined && typeof r.path !== 'string') throw ApiError.badRequest(`${at}.path must be a glob string`);
    if (r.pathRegex !== undefined) {
      try { new RegExp(r.pathRegex); } catch (e) { throw ApiError.badRequest(`${at}.pathRegex is not a valid regular expression: ${(e as Error).message}`); }
    }
    if (r.methods !== undefined && (!Array.isArray(r.methods) || r.methods.some((m: unknown) => typeof m !== 'string'))) throw ApiError.badRequest(`${at}.methods must be an array of method names`);
  });
  return rules as FaultRule[];
}

/** The `dcm sim --fault` syntax, for messages. */
export const FAULT_SYNTAX = 'PATH:STATUS|reset|latency=MS[:RATE], e.g. \'infrastructure/**:503:0.2\'';

/**
 * One rule in the command-line form `PATH:ACTION[:RATE]`: PATH a glob on the resource path (as
 * `path` of a rule), ACTION an HTTP error status, `reset` or `latency=MS`, RATE the probability in
 * [0, 1] that a status or reset fires (default 1; latency applies to every matching request).
 * Throws an Error naming the rule and the problem.
 */
export function parseFaultRule(text: string): FaultRule {
  const bad = (problem: string) => new Error(`fault rule '${text}': ${problem}`);
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) throw bad(`expected ${FAULT_SYNTAX}`);
  const [path, action, rateText] = parts.map((p) => p.trim());
  if (path === '') throw bad('the path glob is empty; use ** for every path');
  const rule: FaultRule = { name: text, path };
  const latency = /^latency=(.*)$/.exec(action);
  if (latency) {
    if (!/^\d+$/.test(latency[1])) throw bad(`latency must be whole milliseconds, got "${latency[1]}"`);
    rule.latencyMs = Number(latency[1]);
    if (rateText !== undefined) throw bad('a rate applies to a status or reset; latency is added to every matching request');
    return rule;
  }
  if (action === 'reset') rule.reset = true;
  else if (/^\d+$/.test(action)) {
    const status = Number(action);
    if (status < 400 || status > 599) throw bad(`status must be an HTTP error status (400-599), got ${status}`);
    rule.status = status;
  } else throw bad(`"${action}" is not a status (400-599), "reset" or "latency=MS"`);
  if (rateText !== undefined) {
    const rate = Number(rateText);
    if (rateText === '' || !Number.isFinite(rate) || rate < 0 || rate > 1) throw bad(`rate must be a number from 0 to 1, got "${rateText}"`);
    rule.rate = rate;
  }
  return rule;
}

export class Faults {
  private compiled: CompiledRule[] = [];
  private rng: Prng;

  constructor(private readonly seed: number, rules: FaultRule[] = []) {
    this.rng = new Prng(deriveSeed(seed, 'faults'));
    this.set(rules);
  }

  /** Bumped by every set(), so a watcher can tell the rules changed. */
  version = 0;

  /** Replace the rules; draws restart from the seed so a rule set behaves the same every time it is set. */
  set(rules: FaultRule[]): void {
    validateFaults(rules);
    this.version++;
    this.rng = new Prng(deriveSeed(this.seed, 'faults'));
    this.compiled = rules.map((rule, i) => {
      const re = rule.pathRegex !== undefined ? new RegExp(rule.pathRegex) : rule.path !== undefined ? globToRegExp(rule.path.replace(/^\/+/, '')) : undefined;
      return {
        rule,
        test: re ? (p: string) => re.test(p) : () => true,
        methods: rule.methods ? new Set(rule.methods.map((m) => m.toUpperCase())) : undefined,
        fired: 0,
        label: rule.name ?? `rule${i}`,
        streaks: new Map(),
      };
    });
  }

  rules(): FaultRule[] {
    return this.compiled.map((c) => c.rule);
  }

  get size(): number {
    return this.compiled.length;
  }

  plan(method: string, resourcePath: string): FaultPlan | undefined {
    if (this.compiled.length === 0) return undefined;
    let plan: FaultPlan | undefined;
    for (const c of this.compiled) {
      if (c.methods && !c.methods.has(method)) continue;
      if (!c.test(resourcePath)) continue;
      plan ??= { latencyMs: 0, labels: [] };
      if (c.rule.latencyMs) {
        plan.latencyMs += c.rule.latencyMs;
        plan.labels.push(`${c.label}:latency:${c.rule.latencyMs}`);
      }
      if (plan.failure || (c.rule.status === undefined && !c.rule.reset)) continue;
      if (c.rule.times !== undefined && c.fired >= c.rule.times) continue;
      // Draw even when rate is 1 so the sequence of draws does not depend on the rates chosen.
      const fires = this.rng.next() < (c.rule.rate ?? 1);
      const key = `${method} ${resourcePath}`;
      const streak = c.streaks.get(key) ?? 0;
      if (!fires || (c.rule.maxConsecutive !== undefined && streak >= c.rule.maxConsecutive)) {
        c.streaks.delete(key);
        continue;
      }
      c.streaks.set(key, streak + 1);
      c.fired++;
      const label = `${c.label}:${c.rule.reset ? 'reset' : `status:${c.rule.status}`}${c.rule.phase === 'after' ? ':after' : ''}`;
      plan.failure = { rule: c.rule, label, phase: c.rule.phase ?? 'before' };
      plan.labels.push(label);
    }
    return plan;
  }
}
