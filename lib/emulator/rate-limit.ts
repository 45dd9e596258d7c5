/**
 * The emulator's rate limit (`rateLimit`, `dcm sim --rate-limit N`): N requests per second per
 * access key, as a token bucket holding at most one second's worth (N). A request finding the
 * bucket empty is answered 429 with `Retry-After` in whole seconds (at least 1), the way an API
 * gateway answers; it is not applied and takes no token. Off (undefined) by default.
 */

/** One bucket per access key: tokens left and when they were last counted. */
interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimit {
  private readonly buckets = new Map<string, Bucket>();

  /** @param perSecond requests allowed per second and access key (and the burst allowed at once). */
  constructor(readonly perSecond: number) {}

  /**
   * Takes one token for `key` at `now` (ms): undefined when the request may pass, else the
   * milliseconds until a token is available again.
   */
  take(key: string, now: number): number | undefined {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.perSecond, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.perSecond, bucket.tokens + ((now - bucket.at) * this.perSecond) / 1000);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.ceil(((1 - bucket.tokens) * 1000) / this.perSecond);
  }

  /** Forgets every bucket (the emulator's reset). */
  clear(): void {
    this.buckets.clear();
  }
}

/** The `Retry-After` header value for a wait of `ms`: whole seconds, at least 1. */
export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
