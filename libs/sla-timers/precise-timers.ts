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
 */
export class PreciseTimers {
  private readonly held = new Map<string, NodeJS.Timeout>();

  /** `limit` bounds the memory: beyond it timers fire at BullMQ's own precision. */
  constructor(private readonly limit = 50_000) {}

  /** Calls `fire` after `delayMs` (once per id while held). */
  hold(id: string, delayMs: number, fire: () => Promise<unknown>): void {
    if (this.held.has(id) || this.held.size >= this.limit) return;
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
  }

  get size(): number {
    return this.held.size;
  }

  clear(): void {
    for (const timer of this.held.values()) clearTimeout(timer);
    this.held.clear();
  }
}
