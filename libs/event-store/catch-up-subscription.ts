import { Checkpoint, EventStore, AllEventsPage, RecordedEvent } from './event-store';
import { compareCheckpoints } from './checkpoint';

/**
 * After a wake-up whose read found nothing although the store holds more (an older transaction
 * still hides it), the read is repeated every `minReadIntervalMs` this many times at most (~500 ms
 * at the default 10 ms), then the poll takes over: a transaction left open does not make a
 * subscriber spin.
 */
const MAX_HIDDEN_RETRIES = 50;

export interface CatchUpSubscriptionOptions {
  /** Resume after this checkpoint (null: from the first event). The consumer stores checkpoints itself. */
  readonly from: Checkpoint | null;
  /**
   * Handles a batch in order. It should store `events[events.length - 1].checkpoint` together with
   * its own writes; if it throws, the same batch is delivered again (at-least-once).
   */
  readonly handle: (events: RecordedEvent[]) => Promise<void>;
  readonly batchSize?: number;
  /** How often to look for events written by other processes when nothing wakes us (default 100 ms). */
  readonly pollIntervalMs?: number;
  /**
   * The poll while the store's wake-ups across processes work (`wakesAcrossProcesses`; default
   * 1 s): a fallback for a lost hint (a process that died between its commit and its NOTIFY), so
   * it delays such an event by at most this, and costs an idle subscriber one read a second.
   */
  readonly fallbackPollIntervalMs?: number;
  /**
   * The gather interval: the shortest time between two reads when caught up (default 10 ms).
   * However many append hints arrive meanwhile, they make one read: under a stream of appends the
   * subscription takes them in batches instead of one read (and transaction) per append.
   */
  readonly minReadIntervalMs?: number;
  /**
   * A rest after each batch before the next read when caught up (default 0): hints that arrive
   * meanwhile wait for its end. The gather interval counts from the read, so a consumer whose
   * batches take longer than it reads again as soon as a batch ends; a rest makes it yield the
   * store between batches instead (larger batches, fewer of them), at the price of up to this much
   * more lag. The embedded store, where one PGlite thread runs every statement, uses one
   * (CONSUMER_BATCH_REST_MS).
   */
  readonly restAfterBatchMs?: number;
  /** Called when a read or the handler fails; the subscription retries after a back-off. */
  readonly onError?: (error: unknown) => void;
  /** Called when a read and its handling succeed again after a failure. */
  readonly onRecovered?: () => void;
}

/**
 * A catch-up subscription to all events: reads pages after its checkpoint, hands them to the
 * consumer, and waits for an append signal (of this process, or of others where the store relays
 * them) or the poll interval when it is caught up.
 * It works on every adapter because it only uses `readAll`, whose order never skips an event.
 */
export class CatchUpSubscription {
  private checkpointValue: Checkpoint | null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private signalled = false;
  private lastSignalAt = Number.NEGATIVE_INFINITY;
  private lastReadAt = Number.NEGATIVE_INFINITY;
  /** When the last batch's handling ended (for restAfterBatchMs). */
  private lastBatchEndAt = Number.NEGATIVE_INFINITY;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly options: CatchUpSubscriptionOptions,
  ) {
    this.checkpointValue = options.from;
  }

  /** The checkpoint after the last batch the handler accepted. */
  get checkpoint(): Checkpoint | null {
    return this.checkpointValue;
  }

  start(): this {
    if (this.running) return this;
    this.running = true;
    this.unsubscribe = this.store.onAppended(() => this.signal());
    this.loop = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.signal();
    await this.loop;
  }

  /**
   * The usual poll, or the slow fallback while wake-ups across processes work. Not for a while
   * after a wake-up, though: on PostgreSQL a woken read may not see the event yet (an older
   * transaction, one that notifies nobody, still holds the visibility horizon back: see the
   * schema), and then only the poll finds it. So the fallback applies to an idle store only.
   */
  private pollInterval(): number {
    const poll = this.options.pollIntervalMs ?? 100;
    const fallback = this.options.fallbackPollIntervalMs ?? 1000;
    if (!this.store.wakesAcrossProcesses?.()) return poll;
    return performance.now() - this.lastSignalAt < fallback ? Math.min(poll, fallback) : fallback;
  }

  /** Whether the store holds events after our checkpoint that its reads do not return yet. */
  private async storedBeyondCheckpoint(): Promise<boolean> {
    if (!this.store.headCheckpoint) return false;
    return compareCheckpoints(await this.store.headCheckpoint(), this.checkpointValue) > 0;
  }

  private signal(): void {
    this.lastSignalAt = performance.now();
    this.signalled = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    let failures = 0;
    let hiddenRetries = 0;
    const minInterval = this.options.minReadIntervalMs ?? 10;
    const rest = this.options.restAfterBatchMs ?? 0;
    // While catching up (full pages), the next page is read while the handler applies this one:
    // the store and the handler then work at the same time instead of taking turns. The read-ahead
    // starts after the page it follows, so it is valid whether or not the handler succeeds; on a
    // failure it is dropped and the page is read again.
    let ahead: { after: Checkpoint | null; page: Promise<AllEventsPage> } | null = null;
    while (this.running) {
      try {
        // Coalesce: when caught up, the hints of the gather interval (and of the rest after a
        // batch) wait for its end and make one read (a read-ahead, while catching up, is never
        // held back).
        const gather = Math.max(this.lastReadAt + minInterval, this.lastBatchEndAt + rest) - performance.now();
        if (!ahead && gather > 0) await new Promise((resolve) => setTimeout(resolve, gather));
        if (!this.running) break;
        const woken = this.signalled || hiddenRetries > 0;
        this.signalled = false;
        this.lastReadAt = performance.now();
        const page: AllEventsPage =
          ahead && ahead.after === this.checkpointValue
            ? await ahead.page
            : await this.store.readAll({ after: this.checkpointValue, maxCount: batchSize });
        ahead = null;
        if (page.events.length > 0) {
          if (page.events.length === batchSize) {
            const next = this.store.readAll({ after: page.checkpoint, maxCount: batchSize });
            next.catch(() => undefined); // awaited (and its error seen) only when it is used
            ahead = { after: page.checkpoint, page: next };
          }
          await this.options.handle(page.events);
          this.lastBatchEndAt = performance.now();
          this.checkpointValue = page.checkpoint;
          if (failures > 0) this.options.onRecovered?.();
          failures = 0;
          if (page.events.length === batchSize) continue;
        }
        if (failures > 0) this.options.onRecovered?.();
        failures = 0;
        // A wake-up whose read found nothing: the event may be stored but not readable yet (see
        // pollInterval). Look again soon (at the end of the gather interval), a bounded number of
        // times, rather than at the next poll. Not while appends keep coming, though: a hint
        // that arrived meanwhile brings that read anyway, without asking the store for its head.
        if (
          page.events.length === 0 &&
          woken &&
          !this.signalled &&
          hiddenRetries < MAX_HIDDEN_RETRIES &&
          (await this.storedBeyondCheckpoint())
        ) {
          hiddenRetries++;
          continue;
        }
        hiddenRetries = 0;
        // Caught up: wait for a hint or the poll interval (the gather happens before the read).
        await this.idle(this.pollInterval());
      } catch (error) {
        ahead = null;
        this.options.onError?.(error);
        failures++;
        await this.idle(Math.min(100 * 2 ** failures, 5000));
      }
    }
  }

  /** Sleeps until the poll interval ends or an append is signalled (whichever comes first). */
  private idle(ms: number): Promise<void> {
    if (this.signalled || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
