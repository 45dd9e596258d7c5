/**
 * Printing. `util.inspect` (REPL echo, console.log) never fetches; `pprint()` loads first.
 * Equality and printing use identifiers.
 */
import { inspect, type InspectOptions } from 'node:util';
import type { ResourceMeta } from './registry.js';
import type { State } from './state.js';

function label(meta: ResourceMeta, state: State): string {
  return `${meta.name} <${state.id === undefined ? (meta.flat ? meta.type : 'new') : String(state.id)}>`;
}

/** One-line-per-attribute view: keys sorted, nested values as compact JSON. */
export function prettyText(meta: ResourceMeta, state: State): string {
  const lines = [label(meta, state)];
  const data: Record<string, unknown> = { ...(meta.idKey && state.id !== undefined ? { [meta.idKey]: state.id } : {}), ...state.data };
  const keys = Object.keys(data).sort();
  const width = Math.min(32, Math.max(0, ...keys.map((k) => k.length)));
  for (const key of keys) {
    const value = data[key];
    const text = value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
    lines.push(`  ${key.padEnd(width)}  ${text.length > 160 ? `${text.slice(0, 159)}…` : text}`);
  }
  if (state.changes && Object.keys(state.changes).length) {
    lines.push('  (unsaved changes)');
    for (const [key, value] of Object.entries(state.changes)) lines.push(`  ${key.padEnd(width)}  ${JSON.stringify(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function inspectText(meta: ResourceMeta, state: State, depth: number, options: InspectOptions): string {
  const head = label(meta, state);
  if (!state.data) return state.changes ? `${head} (not saved) ${inspect(state.changes, { ...options, depth: 1 })}` : `${head} (not loaded)`;
  if (depth < 0) return `${head}${state.complete ? '' : ' (partial)'}`;
  const body = inspect(state.data, { ...options, depth: options.depth === null ? null : Math.min(1, options.depth ?? 1) });
  return `${head}${state.complete ? '' : ' (partial)'} ${body}`;
}
