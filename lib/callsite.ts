/**
 * The caller's place in the user's code (`file:line:column`), for warnings and request events:
 * the first stack frame outside this package and outside Node's own modules.
 */
import { fileURLToPath } from 'node:url';

/** This package's root folder (the source tree, or `dist/` when built), as path and as URL. */
const ROOT_URL = new URL('../', import.meta.url).href;
const ROOT_PATH = fileURLToPath(ROOT_URL);
/** Its code: the sources or their compiled copies, and the bundled entries (`dist/bundle/`). */
const OWN = ['lib/', 'resources/', 'bundle/'].flatMap((dir) => [`${ROOT_PATH}${dir}`, `${ROOT_URL}${dir}`]);

function location(frame: string): string | undefined {
  const inParens = /\((.*)\)\s*$/.exec(frame);
  const text = (inParens ? inParens[1] : frame.replace(/^\s*at\s+/, '')).trim();
  return /:\d+:\d+$/.test(text) ? text : undefined;
}

function isOwn(place: string): boolean {
  return OWN.some((prefix) => place.startsWith(prefix)) || place.startsWith('node:') || place.includes('/node_modules/') || place.startsWith('internal/');
}

/** Frames of the first, short capture: the user's frame is usually among them. */
const SHORT_STACK = 7;

/**
 * A key for the caller's place: the first frame outside this package from the structured stack,
 * as generated code positions (no source map applied, no stack text formatted), several times
 * cheaper than {@link callSite}. One place always gives the same key and two places two keys, so
 * it serves to tell call sites apart; {@link callSite} gives the text to show.
 */
export function callSiteKey(): string | undefined {
  // A short capture first, the long one only when the short one was all this package.
  const frames = structuredStack(SHORT_STACK);
  return firstOutside(frames) ?? (frames.length < SHORT_STACK ? undefined : firstOutside(structuredStack(50)));
}

function structuredStack(depth: number): NodeJS.CallSite[] {
  const holder: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = depth;
  Error.prepareStackTrace = (_error, structured) => structured;
  try {
    Error.captureStackTrace(holder, structuredStack);
    return (holder.stack as NodeJS.CallSite[] | undefined) ?? [];
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
}

function firstOutside(frames: readonly NodeJS.CallSite[]): string | undefined {
  for (const frame of frames) {
    const file = frame.getFileName();
    if (!file) continue;
    const place = `${file}:${frame.getLineNumber()}:${frame.getColumnNumber()}`;
    if (!isOwn(place)) return place;
  }
  return undefined;
}

/** `file:line:column` of the first frame in the user's code, or undefined when there is none. */
export function callSite(): string | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  Error.captureStackTrace(holder, callSite);
  Error.stackTraceLimit = limit;
  for (const frame of (holder.stack ?? '').split('\n').slice(1)) {
    const place = location(frame);
    if (place !== undefined && !isOwn(place)) return place.startsWith('file://') ? fileURLToPath(place.replace(/:\d+:\d+$/, '')) + place.slice(place.search(/:\d+:\d+$/)) : place;
  }
  return undefined;
}
