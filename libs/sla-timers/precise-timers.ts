/**
 * Timers held in this process beside their durable copy in Redis, to fire them on time.
 *
 * BullMQ runs a delayed job when the worker's blocking wait for the next one times out, and Redis
 * checks blocked clients' timeouts `hz` times a second: at Redis's default `hz 10` a timer ran up
 * to ~100 ms late (BENCHMARKS.md, issue 18). A job armed by this process is therefore also held
 * here with `setTimeout`, and at its instant it is promoted (moved from delayed to waiting), which
 * wakes the worker at once. The job itself stays the one durable, exactly-once path: promoting a
 * job that already ran, or that another process promoted, fails and is ignored; a process that
 * stops loses only the precision of the timers it held, never a timer.
 *
 * Only timers due within `windowMs` are held (the arming horizon: the service arms nothing later).
 * A timer due further ahead would sit in memory for days, and enough of them filled the bound, so
 * that the timers due next were no longer held and ran at BullMQ's precision (the benchmark at
 * 100,000 pending jobs: p99 91 ms at hz 10); one due beyond setTimeout's range (~24.8 days) fired
 * after 1 ms.
 */
export class PreciseTimers {
  private readonly held = new Map<string, NodeJS.Timeout>();
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(options: { windowMs: number; limit?: number }) {
    this.windowMs = Math.min(options.windowMs, MAX_TIMEOUT_MS);
    this.limit = options.limit ?? 50_000;
  }

  /**
   * Calls `fire` after `delayMs` (once per id while held). Returns false when the timer is not
   * held: due beyond the window, already held, or `limit` (the memory bound) reached; it then
   * fires at BullMQ's own precision.
   */
  hold(id: string, delayMs: number, fire: () => Promise<unknown>): boolean {
    if (delayMs > this.windowMs || this.held.has(id) || this.held.size >= this.limit) return false;
    // One millisecond after the instant: a command that runs before it is put back until then.
    const timer = setTimeout(
      () => {
        this.held.delete(id);
        fire().catch(() => undefined);
      },
      Math.max(0, delayMs) + 1,
    );
    timer.unref();
    this.held.set(id, timer);
    return true;
  }

  get size(): number {
    return this.held.size;
  }

  clear(): void {
    for (const timer of this.held.values()) clearTimeout(timer);
    this.held.clear();
  }
}

/** setTimeout's largest delay (a signed 32-bit count of ms); a longer one fires after 1 ms. */
const MAX_TIMEOUT_MS = 2 ** 31 - 2;
