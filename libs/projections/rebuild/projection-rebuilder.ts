import { compareCheckpoints } from '../../event-store/checkpoint';
import { AllEventsPage, Checkpoint, EventStore, RecordedEvent } from '../../event-store/event-store';
import { SqlClient, SqlExecutor } from '../../event-store/sql/sql-client';
import { SqlEventStore } from '../../event-store/sql/sql-event-store';
import { Projection } from '../projection';
import { PROJECTION_CHECKPOINTS_SQL, saveProjectionCheckpoints } from '../projection-checkpoints';

export interface RebuildProgress {
  readonly projection: string;
  /** `catching-up`: filling the new tables beside the live ones; `switched`: done. */
  readonly phase: 'started' | 'catching-up' | 'switching' | 'switched';
  /** Events applied to the new tables so far (every event counts, relevant to the projection or not). */
  readonly applied: number;
  /** Average since the rebuild of this projection started. */
  readonly eventsPerSecond: number;
  readonly elapsedMs: number;
  /** The global position of the last event applied. */
  readonly position: string | null;
}

export interface RebuildResult {
  readonly projection: string;
  /** Every event from the first one up to the switch-over. */
  readonly events: number;
  /** Of those, the events applied inside the switch-over transaction (written while it caught up). */
  readonly eventsAtSwitch: number;
  /** The live checkpoint before and after the switch-over. */
  readonly previousCheckpoint: Checkpoint | null;
  readonly checkpoint: Checkpoint | null;
  readonly position: string | null;
  readonly durationMs: number;
  /** How long the live projection was paused (the switch-over transaction). */
  readonly switchMs: number;
}

export interface ProjectionRebuilderOptions {
  /** Events per transaction while catching up (and per read inside the switch-over). */
  readonly batchSize?: number;
  /** The new tables' suffix (letters, digits, `_`; starts with `_`). */
  readonly suffix?: string;
  /** Called at each phase change and at most every `progressIntervalMs` while catching up. */
  readonly onProgress?: (progress: RebuildProgress) => void;
  readonly progressIntervalMs?: number;
  /**
   * The catch-up ends when a read returns less than a batch (the rebuild is at the head), or after
   * this long (default 60 s) if writers keep outpacing it: the switch-over then applies the rest
   * while the live projection waits (bounded: events written after its lock are left to the live
   * runner).
   */
  readonly maxCatchUpMs?: number;
}

/** A rebuild of this projection is already running (in this process or, on PostgreSQL, another one). */
export class RebuildInProgressError extends Error {
  constructor(readonly projection: string) {
    super(`a rebuild of the ${projection} projection is already running`);
    this.name = 'RebuildInProgressError';
  }
}

export class UnknownProjectionError extends Error {
  constructor(
    readonly projection: string,
    readonly known: readonly string[],
  ) {
    super(`unknown projection "${projection}" (known: ${known.join(', ')})`);
    this.name = 'UnknownProjectionError';
  }
}

/** Rebuilds running in this process (PGlite's exclusive lock is a no-op: it is one process). */
const RUNNING = new Set<string>();

/**
 * Rebuilds read models from the first event while the live ones keep serving, then switches over
 * atomically. Used by `npm run cli -- rebuild` and meant for an admin HTTP route too.
 *
 * 1. Catch-up: fresh tables `<table><suffix>` (the projection's own DDL with a suffix) are filled
 *    from the first event in batches, each batch in one transaction with its checkpoint stored
 *    under `<name><suffix>` in ct_projections, exactly as the live runner does. The live
 *    projection is untouched meanwhile.
 * 2. Switch-over, ONE transaction:
 *    a. `select ... for update` of the live checkpoint row. The live runner's applyBatch takes the
 *       same row lock before it writes, so from here on it cannot apply anything: a batch it was
 *       applying has committed (we waited for it), the next one waits for us.
 *    b. Apply, to the new tables, every event after the rebuild's checkpoint up to the head (the
 *       events written while it caught up).
 *    c. Drop the live tables, rename the new ones (and their indexes, sequences, constraints) to
 *       the live names.
 *    d. Set the live checkpoint to the rebuild's (the last event applied in b).
 *    On commit the live runner's waiting batch re-reads the checkpoint row, skips every event at
 *    or before the new checkpoint (they are in the new tables already) and applies the rest to
 *    the tables that now carry the live names. Any error rolls everything back: the live tables
 *    and checkpoint are as before.
 *
 * Why nothing is lost or applied twice: the new tables hold exactly the events up to checkpoint C
 * (from the first event, in the store's all-events order, each once: batches are applied with
 * their checkpoint in one transaction); the live checkpoint becomes C in the same transaction;
 * every later event has a checkpoint > C and the live runner applies exactly those (it filters
 * by the stored checkpoint under the row lock). The order of reads never skips a late committer
 * (see the event store schema), so "every event up to C" is well defined when C is read. The live
 * checkpoint cannot be ahead of C: whatever the runner committed before we locked was readable
 * before our read of the head, which is checked anyway (the switch aborts if it ever were).
 */
export class ProjectionRebuilder {
  private readonly batchSize: number;
  private readonly suffix: string;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRebuilderOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 2000;
    this.suffix = options.suffix ?? '_rebuild';
    if (!/^_[a-z0-9_]{1,20}$/.test(this.suffix)) throw new Error(`invalid rebuild suffix "${this.suffix}"`);
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new Error('batchSize must be a positive integer');
  }

  get names(): string[] {
    return this.projections.map((p) => p.name);
  }

  /** The projection of that name; throws UnknownProjectionError otherwise. */
  projection(name: string): Projection {
    const found = this.projections.find((p) => p.name === name);
    if (!found) throw new UnknownProjectionError(name, this.names);
    return found;
  }

  /** Rebuilds one projection by name, or every projection (one after the other) when no name is given. */
  async rebuild(name?: string): Promise<RebuildResult[]> {
    const targets = name === undefined ? [...this.projections] : [this.projection(name)];
    const results: RebuildResult[] = [];
    for (const projection of targets) results.push(await this.rebuildOne(projection));
    return results;
  }

  async rebuildOne(projection: Projection): Promise<RebuildResult> {
    if (RUNNING.has(projection.name)) throw new RebuildInProgressError(projection.name);
    RUNNING.add(projection.name);
    try {
      const release = await this.sql.tryExclusiveLock(`projection-rebuild:${projection.name}`);
      if (!release) throw new RebuildInProgressError(projection.name);
      try {
        return await this.run(projection);
      } finally {
        await release();
      }
    } finally {
      RUNNING.delete(projection.name);
    }
  }

  private async run(projection: Projection): Promise<RebuildResult> {
    const suffix = this.suffix;
    const key = projection.name + suffix;
    const started = Date.now();
    let applied = 0;
    let checkpoint: Checkpoint | null = null;
    let position: string | null = null;
    let lastReport = 0;
    const report = (phase: RebuildProgress['phase'], force = true) => {
      const now = Date.now();
      if (!this.options.onProgress || (!force && now - lastReport < (this.options.progressIntervalMs ?? 1000))) return;
      lastReport = now;
      const elapsedMs = now - started;
      this.options.onProgress({
        projection: projection.name,
        phase,
        applied,
        eventsPerSecond: elapsedMs > 0 ? Math.round((applied * 1000) / elapsedMs) : 0,
        elapsedMs,
        position,
      });
    };

    // Fresh tables: whatever an interrupted rebuild left behind goes first.
    await this.sql.exec(PROJECTION_CHECKPOINTS_SQL);
    await this.sql.transaction(async (tx) => {
      for (const table of projection.tables) await tx.query(`drop table if exists ${ident(table + suffix)}`);
      await tx.query('delete from ct_projections where name = $1', [key]);
    });
    await this.sql.exec(projection.schema(suffix));
    report('started');

    // 1. Catch up beside the live tables, one transaction per batch, until a short page.
    // The next page is read while this one is applied (see CatchUpSubscription).
    let ahead: Promise<AllEventsPage> | null = null;
    for (;;) {
      const page: AllEventsPage = await (ahead ?? this.store.readAll({ after: checkpoint, maxCount: this.batchSize }));
      ahead = null;
      if (page.events.length === 0) break;
      if (page.events.length === this.batchSize) {
        ahead = this.store.readAll({ after: page.checkpoint, maxCount: this.batchSize });
        ahead.catch(() => undefined); // seen when awaited
      }
      await this.sql.transaction(async (tx) => {
        await projection.apply(tx, page.events, suffix);
        const last = page.events[page.events.length - 1];
        await saveProjectionCheckpoints(tx, [
          { name: key, checkpoint: last.checkpoint, position: last.position, count: page.events.length },
        ]);
      });
      ({ checkpoint, position } = lastOf(page.events));
      applied += page.events.length;
      report('catching-up', false);
      if (page.events.length < this.batchSize) break;
      if (Date.now() - started > (this.options.maxCatchUpMs ?? 60_000)) break;
      // Let the process breathe between batches: the embedded PGlite runs on this thread and its
      // promises resolve without reaching the timers phase, which would starve a serving process.
      await new Promise((resolve) => setImmediate(resolve));
    }

    // 2. Switch over in one transaction.
    report('switching');
    const switchStarted = Date.now();
    let eventsAtSwitch = 0;
    let previousCheckpoint: Checkpoint | null = null;
    await this.sql.transaction(async (tx) => {
      // a. The live runner's applyBatch locks this row before writing: it pauses until we commit.
      await tx.query('insert into ct_projections (name) values ($1) on conflict do nothing', [projection.name]);
      const live = await tx.query<{ checkpoint: string | null }>(
        'select checkpoint from ct_projections where name = $1 for update',
        [projection.name],
      );
      previousCheckpoint = live[0]?.checkpoint ?? null;

      // b. The events written meanwhile, up to the head, into the new tables.
      const events = this.tailReader(tx);
      for (;;) {
        const page = await events.readAll({ after: checkpoint, maxCount: this.batchSize });
        if (page.events.length === 0) break;
        await projection.apply(tx, page.events, suffix);
        ({ checkpoint, position } = lastOf(page.events));
        applied += page.events.length;
        eventsAtSwitch += page.events.length;
      }
      if (compareCheckpoints(previousCheckpoint, checkpoint) > 0) {
        throw new Error(
          `the live ${projection.name} projection (at ${previousCheckpoint}) is ahead of its rebuild (at ${checkpoint}); nothing was switched`,
        );
      }

      // c. The new tables take the live names.
      for (const table of projection.tables) {
        await tx.query(`drop table if exists ${ident(table)}`);
        await tx.query(`alter table ${ident(table + suffix)} rename to ${ident(table)}`);
        await renameDependents(tx, table, suffix);
      }

      // d. The live checkpoint becomes the rebuild's, in the same transaction.
      await tx.query(
        `update ct_projections set checkpoint = $2, position = $3, events_applied = $4, updated_at = now() where name = $1`,
        [projection.name, checkpoint, position, applied],
      );
      await tx.query('delete from ct_projections where name = $1', [key]);
    });
    const switchMs = Date.now() - switchStarted;
    // Fresh tables have no statistics yet: without them the planner picks scans and sorts over
    // the list indexes until autovacuum gets round to them.
    for (const table of projection.tables) await this.sql.exec(`analyze ${table}`);
    report('switched');
    return {
      projection: projection.name,
      events: applied,
      eventsAtSwitch,
      previousCheckpoint,
      checkpoint,
      position,
      durationMs: Date.now() - started,
      switchMs,
    };
  }

  /**
   * Where the switch-over reads the last events. When the events live in the read models' own
   * database connection (the embedded PGlite is ONE connection, held by our transaction), through
   * that transaction; otherwise through the store, whose readers only see transactions older than
   * every running one: ours holds the row lock, so what it reads is complete up to its head.
   */
  private tailReader(tx: SqlExecutor): Pick<EventStore, 'readAll'> {
    if (this.store instanceof SqlEventStore && this.store.sql === this.sql) {
      return new SqlEventStore(this.store.kind, inTransaction(tx), 'the rebuild switch-over transaction');
    }
    return this.store;
  }
}

function lastOf(events: RecordedEvent[]): { checkpoint: Checkpoint; position: string } {
  const last = events[events.length - 1];
  return { checkpoint: last.checkpoint, position: last.position };
}

/** A SqlClient whose every query runs in an open transaction (to reuse the SQL store's reads). */
function inTransaction(tx: SqlExecutor): SqlClient {
  return {
    query: (sql, params) => tx.query(sql, params),
    concurrentTransactions: false,
    transaction: (work) => work(tx),
    exec: async (sql) => {
      await tx.query(sql);
    },
    tryExclusiveLock: async () => async () => undefined,
    close: async () => undefined,
  };
}

/**
 * After `<table><suffix>` became `<table>`: its indexes (primary key and unique constraints
 * included), owned sequences and other constraints named after the suffixed table get the live
 * names back, so the next rebuild's `create index if not exists <name><suffix>` creates them anew.
 */
async function renameDependents(tx: SqlExecutor, table: string, suffix: string): Promise<void> {
  const rows = await tx.query<{ kind: 'index' | 'sequence' | 'constraint'; name: string; namespace: string }>(
    `select 'index' as kind, c.relname::text as name, c.relnamespace::text as namespace
       from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = $1::regclass
     union all
     select 'sequence', c.relname::text, c.relnamespace::text
       from pg_depend d join pg_class c on c.oid = d.objid
      where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass and d.refobjid = $1::regclass
        and d.deptype in ('a', 'i') and c.relkind = 'S'
     union all
     select 'constraint', conname::text, connamespace::text
       from pg_constraint where conrelid = $1::regclass and contype not in ('p', 'u', 'x')`,
    [table],
  );
  for (const row of rows) {
    const renamed = liveName(row.name, table, suffix);
    if (!renamed || renamed === row.name) continue;
    if (row.kind === 'constraint') {
      await tx.query(`alter table ${ident(table)} rename constraint ${ident(row.name)} to ${ident(renamed)}`);
      continue;
    }
    // Index and sequence names are unique per schema: leave a name alone if the live one is taken.
    const taken = await tx.query('select 1 from pg_class where relname = $1 and relnamespace = $2::oid', [
      renamed,
      row.namespace,
    ]);
    if (taken.length > 0) continue;
    await tx.query(
      `alter ${row.kind === 'index' ? 'index' : 'sequence'} ${ident(row.name)} rename to ${ident(renamed)}`,
    );
  }
}

function liveName(name: string, table: string, suffix: string): string | null {
  if (name.includes(table + suffix)) return name.replace(table + suffix, table);
  if (name.endsWith(suffix)) return name.slice(0, -suffix.length);
  return null;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
