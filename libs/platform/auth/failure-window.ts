/**
 * Failed authentications per client address in fixed windows: the `limit`+1st failure inside a
 * window and every later one get the seconds left in it. In-process: the fallback of
 * RequestThrottle while Redis cannot be reached (then each API process counts on its own).
 */
export class FailureWindow {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
    /** Addresses tracked at most: past it, finished windows are dropped (a spray of addresses must not grow memory). */
    private readonly maxTracked = 10_000,
  ) {}

  /** Counts one failure; returns 0 while under the limit, else the seconds until the window ends. */
  fail(address: string): number {
    if (!(this.limit > 0)) return 0;
    const t = this.now();
    let window = this.windows.get(address);
    if (!window || window.resetAt <= t) {
      if (this.windows.size >= this.maxTracked) this.prune(t);
      window = { count: 0, resetAt: t + this.windowMs };
      this.windows.set(address, window);
    }
    window.count += 1;
    return window.count > this.limit ? Math.max(1, Math.ceil((window.resetAt - t) / 1000)) : 0;
  }

  private prune(t: number): void {
    for (const [address, window] of this.windows) if (window.resetAt <= t) this.windows.delete(address);
    // Still full: forget the oldest (Map keeps insertion order) rather than grow without bound.
    for (const address of this.windows.keys()) {
      if (this.windows.size < this.maxTracked) break;
      this.windows.delete(address);
    }
  }
}
