/**
 * Composite builds on the apply engine: one `Server.launch()` that also creates new volumes (and
 * attaches them) and new firewalls with their rules, all-or-nothing where the API allows it.
 *
 *   await Server.launch({ name, description, budget, providerProductId, machineImage, dataCenter,
 *     volumes: [{ name: 'data', sizeInGb: 20 }],
 *     firewalls: ['@web-fw', 119182] },
 *   { wait: true, allowIrreversible: true,
 *     define: { 'web-fw': { name: 'web', description: 'web tier', region: 19344, rules: [{ … }] } } });
 *
 * A new volume takes the server's data center and billing code unless it names its own. A new
 * firewall takes the server's billing code unless it names its own; its region is required.
 * A firewall cannot be deleted through the API: its creation is not undone when a later step fails,
 * so (as with apply) `allowIrreversible` must be given to accept that.
 */
import { ValidationError } from '../errors.js';
import { apply, type ApplyOptions, type ApplyResult } from './apply.js';
import type { ApplyRecord } from './plan.js';

/** A new volume of a composite launch. */
export interface NewVolume {
  name: string;
  sizeInGb: number;
  /** Default: `<name> of <server name>`. */
  description?: string;
  /** Default: the server's. */
  budget?: number;
  /** Default: the server's. */
  dataCenter?: unknown;
  deviceId?: string;
  label?: string;
}

/** A new firewall of a composite launch, with its rules. */
export interface NewFirewall {
  name: string;
  description: string;
  region: unknown;
  /** Default: the server's. */
  budget?: number;
  label?: string;
  rules?: Array<Record<string, unknown>>;
}

/** The options of a composite `Server.launch()`: those of `apply()`, and the new firewalls it defines. */
export interface CompositeLaunchOptions extends Omit<ApplyOptions, 'dryRun'> {
  /** New firewalls, by the local name the server's `firewalls` refer to as `@name`. */
  define?: Record<string, NewFirewall>;
}

/** Whether a launch needs the composite path (new volumes, or `@name` firewalls). */
export function isComposite(attributes: Record<string, unknown>, options: Record<string, unknown>): boolean {
  const firewalls = attributes.firewalls;
  return attributes.volumes !== undefined || options.define !== undefined || (Array.isArray(firewalls) && firewalls.some((f) => typeof f === 'string' && f.startsWith('@')));
}

/** The records of a composite launch (the server is `@server`). */
export function compositeRecords(attributes: Record<string, unknown>, define: Record<string, NewFirewall> = {}): ApplyRecord[] {
  const { volumes, ...server } = attributes;
  const problems: string[] = [];
  const records: ApplyRecord[] = [];
  if (define === null || typeof define !== 'object' || Array.isArray(define)) throw new ValidationError({ message: 'Server.launch(): define must map local names to new firewalls' });
  for (const [ref, firewall] of Object.entries(define)) {
    if (firewall === null || typeof firewall !== 'object') {
      problems.push(`define["${ref}"] must be a firewall ({ name, description, region, rules })`);
      continue;
    }
    const { rules, ...rest } = firewall;
    records.push({ type: 'Firewall', ref, budget: server.budget, ...rest });
    if (rules !== undefined && !Array.isArray(rules)) problems.push(`define["${ref}"].rules must be a list of rules`);
    for (const rule of Array.isArray(rules) ? rules : []) records.push({ type: 'FirewallRule', ...rule, firewall: `@${ref}` });
  }
  if (volumes !== undefined && !Array.isArray(volumes)) problems.push('volumes must be a list of { name, sizeInGb }');
  const serverName = typeof server.name === 'string' ? server.name : 'the server';
  for (const [i, volume] of (Array.isArray(volumes) ? volumes : []).entries()) {
    if (volume === null || typeof volume !== 'object' || Array.isArray(volume)) {
      problems.push(`volumes[${i}] must be { name, sizeInGb }`);
      continue;
    }
    const v = volume as Record<string, unknown>;
    records.push({ type: 'Volume', description: `${String(v.name)} of ${serverName}`, budget: server.budget, dataCenter: server.dataCenter, ...v, server: '@server' });
  }
  if (problems.length) throw new ValidationError({ message: `Server.launch(): ${problems.join('; ')}`, problems });
  records.push({ type: 'Server', ref: 'server', ...server });
  return records;
}

/** Plans and applies a composite launch; resolves with the apply result (the server's record last). */
export async function launchComposite(attributes: Record<string, unknown>, options: CompositeLaunchOptions = {}): Promise<ApplyResult> {
  const { define, ...rest } = options;
  return apply(compositeRecords(attributes, define), rest);
}
