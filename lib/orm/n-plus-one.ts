/**
 * N+1 detection: many single-object loads of one type in a short window usually mean a loop over
 * lazy objects that one `all()` or `loadMany()` would serve. The warning names the type, the
 * count, the window and the place in the calling code; it goes to the debug logger and to
 * `on('nPlusOne', …)` listeners, once per type and call site (a new loop elsewhere warns again).
 * With neither a debug logger nor a listener nobody would see it, so loads past the threshold are
 * counted but no call site is looked for (a stack capture per load, the largest cost of a
 * `get()` in a loop) and nothing is marked as warned.
 */
import type { Settings } from '../config/resolve.js';
import type { ResourceMeta } from './registry.js';
import { emit, listening } from '../events.js';
import { callSite } from '../callsite.js';
import { callSiteKey } from '../callsite.js';

interface Window {
  start: number;
  count: number;
}

const windows = new Map<string, Window>();
/** `Type@file:line:column` already warned about. */
const warned = new Set<string>();

export function noteSingleLoad(meta: ResourceMeta, settings: Settings, via?: { type: string; attribute: string }): void {
  const now = performance.now();
  const { threshold, windowMs } = settings.nPlusOne;
  let w = windows.get(meta.name);
  if (!w || now - w.start > windowMs) {
    w = { start: now, count: 0 };
    windows.set(meta.name, w);
  }
  w.count += 1;
  if (w.count <= threshold) return;
  if (!settings.debug && !listening('nPlusOne')) return;
  // Every load past the threshold asks where it comes from, so the cheap key decides; the
  // formatted place is made only for a warning.
  const key = `${meta.name}@${callSiteKey() ?? '?'}`;
  if (warned.has(key)) return;
  warned.add(key);
  const site = callSite();
  // Loads of objects that another type refers to are served by listing that type with an include.
  const suggestion = via ? `${via.type}.all({ include: ['${via.attribute}'] }) (or ${via.type}.get(id, { include: ['${via.attribute}'] }))` : `${meta.name}.all({...}) or Resource.loadMany(objects)`;
  settings.debug?.(
    `warning: ${w.count} single ${meta.name} loads within ${windowMs} ms (N+1 pattern)${site ? ` at ${site}` : ''}; load them with one request: ${suggestion}`,
  );
  emit('nPlusOne', { type: meta.name, count: w.count, windowMs, callSite: site, suggestion });
}

/** Forgets the counts and warnings (for specs). */
export function resetNPlusOne(): void {
  windows.clear();
  warned.clear();
}
