/**
 * The bodies of the most recent API requests and their answers, for the dashboard's request
 * details. Bounded twice: only the last CAPTURED requests are kept, each body cut at BODY_CUT
 * characters. Bodies are kept as sent and redacted when shown (./redact.ts), so the cost per
 * request is two string references.
 */
import type { RequestLogEntry } from '../types.js';

/** Requests whose bodies are kept. */
export const CAPTURED = 500;
/** Characters kept of one body. */
export const BODY_CUT = 64 * 1024;

/** The bodies of one request, as sent and answered (cut at BODY_CUT). */
export interface CapturedBodies {
  entry: RequestLogEntry;
  request: string;
  response: string;
  /** True when either body was longer than BODY_CUT. */
  cut: boolean;
}

/**
 * The first BODY_CUT characters as a string of their own: V8 makes a long slice a view of the
 * whole string, which would keep a multi-megabyte listing alive for as long as its cut is kept.
 */
function cutCopy(text: string): string {
  return text.length > BODY_CUT ? Buffer.from(text.slice(0, BODY_CUT), 'utf8').toString('utf8') : text;
}

export class BodyCapture {
  private readonly bodies = new Map<number, CapturedBodies>();

  add(entry: RequestLogEntry, request: string, response: string): void {
    const cut = request.length > BODY_CUT || response.length > BODY_CUT;
    this.bodies.set(entry.seq, { entry, request: cutCopy(request), response: cutCopy(response), cut });
    // A Map iterates in insertion order: the first key is the oldest.
    if (this.bodies.size > CAPTURED) this.bodies.delete(this.bodies.keys().next().value as number);
  }

  get(seq: number): CapturedBodies | undefined {
    return this.bodies.get(seq);
  }

  clear(): void {
    this.bodies.clear();
  }
}
