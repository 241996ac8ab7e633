/**
 * A token bucket per API key: `ratePerSecond` requests a second on average, bursts up to twice
 * that; a rate of 0 is unlimited. In-process: RequestThrottle keeps the buckets in Redis, shared
 * by every API process, and uses this one only while Redis cannot be reached.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait before retrying. */
  take(key: string): number {
    if (!(this.ratePerSecond > 0)) return 0; // unlimited
    const capacity = this.ratePerSecond * 2;
    const t = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = t;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.ratePerSecond);
  }
}
