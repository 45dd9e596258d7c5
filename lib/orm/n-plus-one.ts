/**
 * N+1 detection: many single-object loads of one type in a short window usually mean a loop over
 * lazy objects that one `all()` or `loadMany()` would serve. Warns once per type, through the
 * debug logger.
 */
import type { Settings } from '../config/resolve.js';
import type { ResourceMeta } from './registry.js';

interface Window {
  start: number;
  count: number;
  warned: boolean;
}

const windows = new Map<string, Window>();

export function noteSingleLoad(meta: ResourceMeta, settings: Settings): void {
  const now = performance.now();
  const { threshold, windowMs } = settings.nPlusOne;
  let w = windows.get(meta.name);
  if (!w || now - w.start > windowMs) {
    w = { start: now, count: 0, warned: w?.warned ?? false };
    windows.set(meta.name, w);
  }
  w.count += 1;
  if (w.count > threshold && !w.warned) {
    w.warned = true;
    settings.debug?.(
      `warning: ${w.count} single ${meta.name} loads within ${windowMs} ms (N+1 pattern); load them with one request: ${meta.name}.all({...}) or Resource.loadMany(objects)`,
    );
  }
}

/** Forgets the counts and warnings (for specs). */
export function resetNPlusOne(): void {
  windows.clear();
}
