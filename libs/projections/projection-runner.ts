import { CatchUpSubscription } from '../event-store/catch-up-subscription';
import { compareCheckpoints, parseCheckpoint } from '../event-store/checkpoint';
import { Checkpoint, EventStore, RecordedEvent } from '../event-store/event-store';
import { SqlClient, SqlExecutor } from '../event-store/sql/sql-client';
import { JsonLogger } from '../platform/logging/json-logger';
import { asDependencyUnavailable } from '../platform/health/dependency-unavailable';
import { Projection } from './projection';
import { ProjectionCache } from './projection-cache';
import { Consumer, isReactor, Reactor } from './reactor';
import { PROJECTION_CHECKPOINTS_SQL, ProjectionProgress, saveProjectionCheckpoints } from './projection-checkpoints';

/** Batches this large are applied by each projection in its own transaction, concurrently. */
const PARALLEL_BATCH_SIZE = 200;

/**
 * Runs a group of consumers from ONE checkpointed subscription (events are read once for all of
 * them): the one wiring for read models and side effects alike.
 * - Projections: each batch is applied in one transaction that also stores every projection's
 *   checkpoint; each projection skips events at or before its own stored checkpoint, so a
 *   redelivered batch changes nothing and a projection reset for a rebuild catches up on its own.
 * - Reactors: then, in order, each one reacts to the batch's events after its own checkpoint,
 *   which is stored once it returned (at least once: after a failure the batch comes again and
 *   the projections skip it). A reactor therefore sees the rows the batch's projections wrote.
 * With several worker processes on one PostgreSQL, a session advisory lock lets one process run
 * the group; the others stand by and take over when it dies.
 */
export class ProjectionRunner {
  private subscription: CatchUpSubscription | null = null;
  private release: (() => Promise<void>) | null = null;
  private standbyTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private takingOver: Promise<void> | null = null;
  /** The error being retried (its message), false while all is well: logged once, not per retry. */
  private failing: string | false = false;
  private readonly projections: Projection[];
  private readonly reactors: Reactor[];
  /** Each projection's rows kept between batches (by key): see ProjectionCache. */
  private readonly caches = new Map<string, ProjectionCache>();
  /** Each reactor's checkpoint (by key), loaded when this runner takes the group's lock. */
  private readonly reacted = new Map<string, Checkpoint | null>();

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly consumers: readonly Consumer[],
    private readonly logger: JsonLogger,
    private readonly options: {
      batchSize?: number;
      pollIntervalMs?: number;
      fallbackPollIntervalMs?: number;
      /** See CatchUpSubscriptionOptions.restAfterBatchMs. */
      restAfterBatchMs?: number;
      suffix?: string;
    } = {},
  ) {
    this.projections = consumers.filter((c): c is Projection => !isReactor(c));
    this.reactors = consumers.filter(isReactor);
  }

  /** The names of the consumers this runner runs (their checkpoints' keys without suffix). */
  get names(): string[] {
    return this.consumers.map((c) => c.name);
  }

  /**
   * Watches for projection progress in any process (a 'projected' signal, see SqlSignals), so
   * that `consistentWith` reads are woken instead of polling the checkpoints. Subscribed from the
   * start: a batch committed while the caller was checking is not missed. `next(pollMs,
   * notifiedPollMs)` resolves at once if progress was signalled since the previous call, else at
   * the next signal or after the poll (`notifiedPollMs` while signals arrive: a fallback).
   */
  watchProgress(): { next(pollMs: number, notifiedPollMs: number): Promise<void>; close(): void } {
    const signals = this.sql.signals;
    let signalled = false;
    let wake: (() => void) | null = null;
    const unsubscribe = signals?.subscribe('projected', () => {
      signalled = true;
      wake?.();
    });
    return {
      next: (pollMs, notifiedPollMs) => {
        if (signalled) {
          signalled = false;
          return Promise.resolve();
        }
        return new Promise<void>((resolve) => {
          const timer = setTimeout(done, signals?.healthy('projected') ? notifiedPollMs : pollMs);
          function done() {
            clearTimeout(timer);
            wake = null;
            signalled = false;
            resolve();
          }
          wake = done;
        });
      },
      close: () => {
        wake?.();
        unsubscribe?.();
      },
    };
  }

  /** Creates the tables (also for API-only processes, which read them). */
  async migrate(): Promise<void> {
    await this.sql.exec(PROJECTION_CHECKPOINTS_SQL);
    for (const projection of this.projections) await this.sql.exec(projection.schema(this.suffix));
  }

  async start(): Promise<void> {
    await this.migrate();
    await this.takeOver();
    // Standbys retry now and then: when the active process dies, its lock goes with its connection.
    // After a lost lock (the database restarted), the same timer takes it again.
    this.standbyTimer = setInterval(() => void this.takeOver(), 2000);
    this.standbyTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.standbyTimer) clearInterval(this.standbyTimer);
    await this.takingOver;
    await this.subscription?.stop();
    await this.release?.();
    this.subscription = null;
    this.release = null;
  }

  /** The checkpoint each consumer has stored (read from the database: any process can answer). */
  async checkpoints(names: string[] = this.names): Promise<Map<string, Checkpoint | null>> {
    const rows = await this.sql.query<{ name: string; checkpoint: string | null }>(
      'select name, checkpoint from ct_projections where name = any($1)',
      [names.map((name) => name + this.suffix)],
    );
    const stored = new Map(rows.map((r) => [r.name, r.checkpoint]));
    return new Map(names.map((name) => [name, stored.get(name + this.suffix) ?? null]));
  }

  /** True once every named consumer has processed the event at `checkpoint`. */
  async hasReached(checkpoint: Checkpoint, names: string[] = this.names): Promise<boolean> {
    const stored = await this.checkpoints(names);
    return names.every((name) => compareCheckpoints(stored.get(name) ?? null, checkpoint) >= 0);
  }

  private get suffix(): string {
    return this.options.suffix ?? '';
  }

  private cacheOf(key: string): ProjectionCache {
    let cache = this.caches.get(key);
    if (!cache) this.caches.set(key, (cache = new ProjectionCache()));
    return cache;
  }

  private key(consumer: Consumer): string {
    return consumer.name + this.suffix;
  }

  private takeOver(): Promise<void> {
    this.takingOver ??= this.tryTakeOver()
      .catch((error) => this.failed('projections could not start; retrying', error))
      .finally(() => (this.takingOver = null));
    return this.takingOver;
  }

  private async tryTakeOver(): Promise<void> {
    if (this.stopped || this.subscription) return;
    const group = this.group;
    const release = await this.sql
      .tryExclusiveLock(`projections:${group}`, (error) => void this.lockLost(error))
      .catch((error) => {
        this.failed('projections could not take their lock; retrying', error);
        return null;
      });
    if (!release) return;
    if (this.stopped) {
      await release();
      return;
    }
    // Start at the least advanced consumer; the others skip what they already have.
    let stored: Map<string, Checkpoint | null>;
    try {
      stored = await this.checkpoints();
      await this.startNewReactorsAtHead(stored);
    } catch (error) {
      await release();
      throw error;
    }
    const least = (checkpoints: Array<Checkpoint | null>) =>
      checkpoints.reduce<Checkpoint | null | undefined>(
        (min, c) => (min === undefined || compareCheckpoints(c, min) < 0 ? c : min),
        undefined,
      ) ?? null;
    const projected = least(this.projections.map((p) => stored.get(p.name) ?? null));
    this.reacted.clear();
    for (const reactor of this.reactors) {
      const at = stored.get(reactor.name) ?? null;
      this.reacted.set(this.key(reactor), at === null && reactor.followsProjections ? projected : at);
    }
    const from = least([...this.projections.map((p) => stored.get(p.name) ?? null), ...this.reacted.values()]);
    this.release = release;
    this.subscription = new CatchUpSubscription(this.store, {
      from,
      batchSize: this.options.batchSize ?? 1000,
      pollIntervalMs: this.options.pollIntervalMs ?? 100,
      fallbackPollIntervalMs: this.options.fallbackPollIntervalMs,
      restAfterBatchMs: this.options.restAfterBatchMs,
      handle: async (events) => {
        if (this.projections.length) {
          await this.handleBatch(events);
          // Committed: wake the `consistentWith` reads waiting in any process.
          this.sql.signals?.publish('projected');
        }
        await this.react(events);
      },
      onError: (error) => this.failed('projection batch failed; retrying', error),
      onRecovered: () => this.recovered(),
    }).start();
    this.failing = false;
    this.logger.event('info', 'projections running', { projections: group, from }, 'Projections');
  }

  /** See Reactor.startsAtHead: stores the head as the checkpoint of each such reactor that has none, and puts it in `stored`. */
  private async startNewReactorsAtHead(stored: Map<string, Checkpoint | null>): Promise<void> {
    const fresh = this.reactors.filter((r) => r.startsAtHead && (stored.get(r.name) ?? null) === null);
    const head = fresh.length ? ((await this.store.headCheckpoint?.()) ?? null) : null;
    if (head === null) return;
    // The checkpoint's minor part is the global position on the SQL stores (the only ones with a head).
    const position = String(parseCheckpoint(head)[1]);
    await saveProjectionCheckpoints(
      this.sql,
      fresh.map((r) => ({ name: this.key(r), checkpoint: head, position, count: 0 })),
    );
    for (const reactor of fresh) stored.set(reactor.name, head);
  }

  /**
   * The lock's connection ended (the database restarted): another process may hold the lock now,
   * so this one stops projecting; the standby timer takes the lock again once the database is
   * back, and the subscription resumes from the stored checkpoints.
   */
  private async lockLost(error: Error): Promise<void> {
    const subscription = this.subscription;
    const release = this.release;
    if (!subscription) return;
    this.subscription = null;
    this.release = null;
    this.failed('projections lost their lock with its connection; stopped until they can take it again', error);
    await subscription.stop();
    await release?.();
  }

  private get group(): string {
    return this.consumers.map((c) => this.key(c)).join(',');
  }

  /** One error line when a failure begins (and when it changes); the retries that follow are quiet. */
  private failed(message: string, error: unknown): void {
    const detail = (error as Error)?.message ?? String(error);
    // By message and error: a lost lock after a failed batch often carries the same error text
    // ("Connection terminated unexpectedly"), and it is a different event worth its own line.
    if (this.failing === `${message}: ${detail}`) return;
    this.failing = `${message}: ${detail}`;
    this.logger.event(
      'error',
      message,
      {
        projections: this.group,
        error: detail,
        dependencyUnavailable: asDependencyUnavailable(error)?.dependency ?? null,
      },
      'Projections',
    );
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.event('info', 'projections resumed', { projections: this.group }, 'Projections');
  }

  /**
   * A live batch (a few events) is applied in one transaction: the fewest statements per command.
   * A large one (catching up, a rebuild from the first event) is applied by each projection in its
   * own transaction, all at once: the database and this process then work on several projections
   * at the same time instead of taking turns. Both are safe because every projection stores its
   * own checkpoint with its own rows: after a failure, the batch comes again and each projection
   * skips what it committed.
   */
  private handleBatch(events: RecordedEvent[]): Promise<void> {
    if (events.length < PARALLEL_BATCH_SIZE || this.projections.length === 1 || !this.sql.concurrentTransactions) {
      return this.sql
        .transaction((tx) => this.applyBatch(tx, events, this.projections))
        .then((applied) => this.committed(applied));
    }
    return Promise.all(
      this.projections.map((projection) =>
        this.sql
          .transaction((tx) => this.applyBatch(tx, events, [projection]))
          .then((applied) => this.committed(applied)),
      ),
    ).then(() => undefined);
  }

  /**
   * Hands the batch to each reactor (after the projections committed it): the events after its
   * own checkpoint, which is stored once it returned. If it throws, the batch comes again.
   */
  private async react(events: RecordedEvent[]): Promise<void> {
    for (const reactor of this.reactors) {
      const key = this.key(reactor);
      const at = this.reacted.get(key) ?? null;
      const fresh = at === null ? events : events.filter((e) => compareCheckpoints(e.checkpoint, at) > 0);
      if (fresh.length === 0) continue;
      await reactor.react(fresh);
      const last = fresh[fresh.length - 1];
      await saveProjectionCheckpoints(this.sql, [
        { name: key, checkpoint: last.checkpoint, position: last.position, count: fresh.length },
      ]);
      this.reacted.set(key, last.checkpoint);
    }
  }

  /** Runs each projection's afterCommit hook on what it just committed; a failing hook is logged, never retried. */
  private committed(applied: Array<{ projection: Projection; events: RecordedEvent[] }>): void {
    if (this.suffix) return;
    for (const { projection, events } of applied) {
      if (!projection.afterCommit) continue;
      try {
        projection.afterCommit(events, this.logger);
      } catch (error) {
        this.logger.event(
          'error',
          'projection afterCommit failed',
          { projection: projection.name, error: (error as Error)?.message },
          'Projections',
        );
      }
    }
  }

  /** Applies the batch's new events to each projection; returns what each applied. */
  private async applyBatch(
    tx: SqlExecutor,
    events: RecordedEvent[],
    projections: Projection[],
  ): Promise<Array<{ projection: Projection; events: RecordedEvent[] }>> {
    const names = projections.map((p) => this.key(p)).sort();
    // Lock the checkpoint rows (in name order: no deadlock with a rebuild's switch-over) and skip
    // what each one already covers: redelivery changes nothing. Missing rows (first run, or a
    // reset) are created first, so that they are locked too.
    const lockRows = () =>
      tx.query<{ name: string; checkpoint: string | null }>(
        'select name, checkpoint from ct_projections where name = any($1) order by name for update',
        [names],
      );
    let rows = await lockRows();
    if (rows.length < names.length) {
      await tx.query('insert into ct_projections (name) select unnest($1::text[]) on conflict do nothing', [names]);
      rows = await lockRows();
    }
    const stored = new Map(rows.map((r) => [r.name, r.checkpoint]));
    const progress: ProjectionProgress[] = [];
    const applied: Array<{ projection: Projection; events: RecordedEvent[] }> = [];
    for (const projection of projections) {
      const name = this.key(projection);
      const checkpoint = stored.get(name) ?? null;
      const fresh =
        checkpoint === null ? events : events.filter((e) => compareCheckpoints(e.checkpoint, checkpoint) > 0);
      if (fresh.length === 0) continue;
      const last = fresh[fresh.length - 1];
      const cache = this.cacheOf(name);
      cache.begin(checkpoint);
      await projection.apply(tx, fresh, this.suffix, cache);
      cache.end(last.checkpoint);
      applied.push({ projection, events: fresh });
      progress.push({ name, checkpoint: last.checkpoint, position: last.position, count: fresh.length });
    }
    await saveProjectionCheckpoints(tx, progress);
    return applied;
  }
}
