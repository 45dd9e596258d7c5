/** The request log: a bounded list of served API requests, read by tests in-process or over HTTP. */
import type { RequestLogEntry } from './types.js';

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly limit: number) {}

  nextSeq(): number {
    return ++this.seq;
  }

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    // Drop in chunks so a long-running emulator does not shift the array on every request.
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit + Math.ceil(this.limit / 10));
  }

  /** The newest `n` entries, oldest first. */
  recent(n: number): RequestLogEntry[] {
    return this.entries.slice(-n);
  }

  list(): RequestLogEntry[] {
    return this.entries.slice();
  }

  clear(): void {
    this.entries = [];
  }

  get size(): number {
    return this.entries.length;
  }
}
