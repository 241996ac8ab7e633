import { CatchUpSubscription } from '../event-store/catch-up-subscription';
import { compareCheckpoints } from '../event-store/checkpoint';
import { Checkpoint, EventStore, RecordedEvent } from '../event-store/event-store';
import { SqlClient } from '../event-store/sql/sql-client';
import { JsonLogger } from '../platform/logging/json-logger';
import { Projection } from './projection';
import { PROJECTION_CHECKPOINTS_SQL, readProjectionCheckpoint, saveProjectionCheckpoint } from './projection-checkpoints';

interface Running {
  projection: Projection;
  subscription: CatchUpSubscription | null;
  release: (() => Promise<void>) | null;
  checkpoint: Checkpoint | null;
  lastEventAt: string | null;
}

/**
 * Runs projections from checkpointed subscriptions. Each batch is applied in one transaction
 * together with its checkpoint; events at or before the stored checkpoint are skipped, so a
 * redelivered batch changes nothing. With several worker processes on one PostgreSQL, a session
 * advisory lock lets only one run a given projection; the others wait as standbys.
 */
export class ProjectionRunner {
  private readonly running = new Map<string, Running>();
  private standbyTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly projections: Projection[],
    private readonly logger: JsonLogger,
    private readonly options: { batchSize?: number; pollIntervalMs?: number; suffix?: string } = {},
  ) {}

  /** Creates the tables (also for API-only processes, which read them). */
  async migrate(): Promise<void> {
    await this.sql.exec(PROJECTION_CHECKPOINTS_SQL);
    for (const projection of this.projections) await this.sql.exec(projection.schema(this.suffix));
  }

  async start(): Promise<void> {
    await this.migrate();
    await this.takeOver();
    // Standbys retry now and then: when the active process dies, its lock goes with its connection.
    this.standbyTimer = setInterval(() => void this.takeOver(), 2000);
    this.standbyTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.standbyTimer) clearInterval(this.standbyTimer);
    for (const run of this.running.values()) {
      await run.subscription?.stop();
      await run.release?.();
    }
    this.running.clear();
  }

  /** The checkpoint each projection has stored (read from the database: any process can answer). */
  async checkpoints(): Promise<Map<string, Checkpoint | null>> {
    const result = new Map<string, Checkpoint | null>();
    for (const projection of this.projections) {
      result.set(projection.name, await readProjectionCheckpoint(this.sql, this.key(projection)));
    }
    return result;
  }

  /** True once every named projection has processed the event at `checkpoint`. */
  async hasReached(checkpoint: Checkpoint, names: string[] = this.projections.map((p) => p.name)): Promise<boolean> {
    const stored = await this.checkpoints();
    return names.every((name) => compareCheckpoints(stored.get(name) ?? null, checkpoint) >= 0);
  }

  private get suffix(): string {
    return this.options.suffix ?? '';
  }

  private key(projection: Projection): string {
    return projection.name + this.suffix;
  }

  private async takeOver(): Promise<void> {
    for (const projection of this.projections) {
      if (this.stopped || this.running.has(projection.name)) continue;
      const release = await this.sql.tryExclusiveLock(`projection:${this.key(projection)}`).catch(() => null);
      if (!release) continue;
      if (this.stopped) {
        await release();
        return;
      }
      const from = await readProjectionCheckpoint(this.sql, this.key(projection));
      const run: Running = { projection, subscription: null, release, checkpoint: from, lastEventAt: null };
      run.subscription = new CatchUpSubscription(this.store, {
        from,
        batchSize: this.options.batchSize ?? 500,
        pollIntervalMs: this.options.pollIntervalMs ?? 100,
        handle: (events) => this.applyBatch(run, events),
        onError: (error) =>
          this.logger.event('error', 'projection batch failed; retrying', { projection: projection.name, error: (error as Error).message }, 'Projections'),
      }).start();
      this.running.set(projection.name, run);
      this.logger.event('info', 'projection running', { projection: projection.name, from }, 'Projections');
    }
  }

  private async applyBatch(run: Running, events: RecordedEvent[]): Promise<void> {
    const name = this.key(run.projection);
    await this.sql.transaction(async (tx) => {
      // Lock the checkpoint row and skip what it already covers: redelivery changes nothing.
      await tx.query('insert into ct_projections (name) values ($1) on conflict do nothing', [name]);
      const rows = await tx.query<{ checkpoint: string | null }>('select checkpoint from ct_projections where name = $1 for update', [name]);
      const stored = rows[0]?.checkpoint ?? null;
      const fresh = events.filter((e) => compareCheckpoints(e.checkpoint, stored) > 0);
      if (fresh.length === 0) return;
      await run.projection.apply(tx, fresh, this.suffix);
      const last = fresh[fresh.length - 1];
      await saveProjectionCheckpoint(tx, name, last.checkpoint, last.position, fresh.length);
    });
    run.checkpoint = events[events.length - 1].checkpoint;
    run.lastEventAt = events[events.length - 1].metadata.occurredAt;
  }
}
