import {
  AllEventsPage,
  AppendResult,
  Checkpoint,
  EventStore,
  ExpectedRevision,
  IntegrityBreak,
  IntegrityReport,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store';
import { DuplicateEventIdError, EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import { makeCheckpoint, parseCheckpoint } from '../checkpoint';
import { AppendNotifier } from '../append-notifier';
import { SqlClient } from './sql-client';
import { AppendRefused, GroupCommit } from './group-commit';
import { EVENT_STORE_SCHEMA_SQL, VERIFY_CHAIN_HEADS_SQL, VERIFY_CHAIN_PAGE_SQL } from './sql-event-store.schema';

/**
 * Append statements in flight at once on PostgreSQL (group commit). Measured at 32 writers
 * (BENCHMARKS.md): 2 gave the most single-event appends per second (one statement per core, each
 * carrying what arrived meanwhile); 4 and 8 made smaller batches for no gain.
 */
const DEFAULT_APPEND_CONCURRENCY = 2;

interface EventRow extends Record<string, unknown> {
  position_text: string;
  tx: string;
  stream_id: string;
  revision_text: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
}

/** readStream's JSON row per event: position, tx id, revision, event id, type, data, metadata. */
type StreamEventTuple = [string, string, number, string, string, Record<string, unknown>, RecordedEvent['metadata']];

/** Where a verification page ended: the next page starts after it. */
interface ChainKey {
  stream_id: string;
  revision: number;
  hash: string;
}

interface VerifyPageRow extends Record<string, unknown> {
  checked: number;
  streams: number;
  last: ChainKey | null;
  broken: { stream_id: string; revision: number; position: string; event_id: string; reason: string } | null;
}

// Output names differ from the columns on purpose: ORDER BY a bare name would pick the TEXT alias
// and sort '10' before '9'. Queries qualify columns as e.<column>.
const EVENT_COLUMNS = `e.global_position::text as position_text, e.tx_id::text as tx, e.stream_id, e.revision::text as revision_text,
  e.event_id::text as event_id, e.type, e.data, e.metadata`;

/** The event store on PostgreSQL or PGlite: same SQL, see sql-event-store.schema.ts for the design. */
export class SqlEventStore implements EventStore {
  private readonly notifier = new AppendNotifier();
  private readonly appends: GroupCommit;
  /** Appends of other processes and threads wake this store's listeners too (from the first onAppended). */
  private remoteAppends: (() => void) | null = null;

  constructor(
    readonly kind: 'embedded' | 'postgres',
    readonly sql: SqlClient,
    /** Names the database in error messages ("PostgreSQL at ...", "embedded store in ./data"). */
    private readonly describe: string,
    /**
     * Append statements running at once (group commit, see GroupCommit). One connection (PGlite)
     * runs one at a time anyway.
     */
    appendConcurrency = sql.concurrentTransactions ? DEFAULT_APPEND_CONCURRENCY : 1,
  ) {
    this.appends = new GroupCommit(sql, appendConcurrency, () => {
      // Once subscribed to the signal, publishing it wakes this store's listeners too.
      if (!this.remoteAppends) this.notifier.notify();
      // After the commit, for the other processes and threads (see PgSignals: why not in ct_append).
      this.sql.signals?.publish('appended');
    });
  }

  async migrate(): Promise<void> {
    await this.sql.exec(EVENT_STORE_SCHEMA_SQL);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    try {
      return await this.appends.append(streamId, events, expected);
    } catch (error) {
      throw this.translate(error, streamId, expected, events);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const order = backwards ? 'desc' : 'asc';
    // The stream comes back as ONE row holding a JSON array (one JSON.parse) rather than one
    // protocol row per event: a command reads its whole stream, and per-row decoding was most of
    // the client's cost of the read (half the CPU with pg, 40 % less time with PGlite; BENCHMARKS.md).
    const rows = await this.sql.query<{ events: string | null }>(
      `select json_agg(json_build_array(e.global_position::text, e.tx_id::text, e.revision, e.event_id, e.type, e.data, e.metadata)
                       order by e.revision ${order})::text as events
         from (select global_position, tx_id, revision, event_id, type, data, metadata from ct_events
                where stream_id = $1 and revision ${backwards ? '<=' : '>='} $2
                order by revision ${order} limit $3) e`,
      [streamId, from, options.maxCount ?? null],
    );
    const text = rows[0]?.events;
    if (!text) return [];
    return (JSON.parse(text) as StreamEventTuple[]).map(([position, tx, revision, id, type, data, metadata]) => ({
      id,
      streamId,
      revision: Number(revision),
      position,
      checkpoint: `${tx}:${position}`,
      type,
      data,
      metadata,
    }));
  }

  async readAll(options: ReadAllOptions = {}): Promise<AllEventsPage> {
    const [tx, position] = options.after ? parseCheckpoint(options.after) : [0n, 0n];
    // Only rows of transactions below the snapshot's xmin: all of them have finished (see schema).
    // Rows, not one JSON array as for streams: for pages of 1,000 PostgreSQL's json_agg costs
    // more than the client saves (65-78k vs 113-121k events/s at 100k, measured side by side).
    const rows = await this.sql.query<EventRow>(
      `select ${EVENT_COLUMNS} from ct_events e
        where (e.tx_id, e.global_position) > ($1::text::xid8, $2::bigint)
          and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
        order by e.tx_id, e.global_position limit $3`,
      [tx.toString(), position.toString(), options.maxCount ?? 1000],
    );
    const events = rows.map(toRecorded);
    return { events, checkpoint: events.length ? events[events.length - 1].checkpoint : (options.after ?? null) };
  }

  async headCheckpoint(): Promise<Checkpoint | null> {
    const rows = await this.sql.query<{ tx: string; position: string }>(
      'select tx_id::text as tx, global_position::text as position from ct_events order by tx_id desc, global_position desc limit 1',
    );
    return rows.length ? makeCheckpoint(rows[0].tx, rows[0].position) : null;
  }

  async checkpointOfPosition(position: string): Promise<Checkpoint | null> {
    if (!/^\d+$/.test(position)) return null;
    const rows = await this.sql.query<{ tx: string }>(
      'select tx_id::text as tx from ct_events where global_position = $1',
      [position],
    );
    return rows.length ? makeCheckpoint(rows[0].tx, position) : null;
  }

  /**
   * Recomputes every hash chain in pages of `pageSize` events in (stream, revision) order (the
   * unique index's order: a keyset scan, constant memory), then checks each stream's head row.
   * Reports the break with the lowest global position; see VERIFY_CHAIN_PAGE_SQL for the checks.
   */
  async verifyIntegrity(onProgress?: (checked: number) => void, pageSize = 5000): Promise<IntegrityReport> {
    let checked = 0;
    let streams = 0;
    let broken: (IntegrityBreak & { rank: bigint }) | null = null;
    const consider = (candidate: IntegrityBreak & { rank: bigint }) => {
      if (!broken || candidate.rank < broken.rank) broken = candidate;
    };
    let last: ChainKey | null = null;
    for (;;) {
      const rows: VerifyPageRow[] = await this.sql.query<VerifyPageRow>(VERIFY_CHAIN_PAGE_SQL, [
        last !== null,
        last?.stream_id ?? '',
        last?.revision ?? -1,
        last?.hash ?? '',
        pageSize,
      ]);
      const page: VerifyPageRow | undefined = rows[0];
      if (!page || Number(page.checked) === 0) break;
      checked += Number(page.checked);
      streams += Number(page.streams);
      if (page.broken) {
        const b = page.broken;
        consider({
          streamId: b.stream_id,
          revision: Number(b.revision),
          eventId: b.event_id,
          position: b.position,
          reason: b.reason,
          rank: BigInt(b.position),
        });
      }
      last = page.last;
      onProgress?.(checked);
      if (Number(page.checked) < pageSize) break;
    }
    // Each stream's head (ct_streams) must name its last event: catches a truncated or rewritten tail.
    const heads = await this.sql.query<{
      stream_id: string;
      head_revision: string;
      last_revision: string | null;
      position: string | null;
      event_id: string | null;
      same_hash: boolean | null;
    }>(VERIFY_CHAIN_HEADS_SQL);
    if (heads[0]) {
      const h = heads[0];
      const head = Number(h.head_revision);
      const rank = h.position === null ? BigInt(Number.MAX_SAFE_INTEGER) ** 2n : BigInt(h.position);
      if (h.last_revision === null) {
        consider({
          streamId: h.stream_id,
          revision: 0,
          eventId: null,
          position: null,
          reason: `the stream's head is at revision ${head} but none of its events is stored`,
          rank,
        });
      } else if (Number(h.last_revision) < head) {
        const missing = Number(h.last_revision) + 1;
        consider({
          streamId: h.stream_id,
          revision: missing,
          eventId: null,
          position: null,
          reason: `revision${missing === head ? ` ${head} is` : `s ${missing}..${head} are`} missing: the stream's head is at revision ${head}, its last stored event at ${h.last_revision}`,
          rank,
        });
      } else if (Number(h.last_revision) > head) {
        consider({
          streamId: h.stream_id,
          revision: Number(h.last_revision),
          eventId: h.event_id,
          position: h.position,
          reason: `stored events go beyond the stream's head (revision ${head})`,
          rank,
        });
      } else {
        consider({
          streamId: h.stream_id,
          revision: head,
          eventId: h.event_id,
          position: h.position,
          reason: "the last event's hash differs from the hash recorded in the stream's head",
          rank,
        });
      }
    }
    if (!broken) return { checked, streams, broken: null };
    const { rank: _rank, ...found } = broken as IntegrityBreak & { rank: bigint };
    return { checked, streams, broken: found };
  }

  onAppended(listener: () => void): () => void {
    this.remoteAppends ??= this.sql.signals?.subscribe('appended', () => this.notifier.notify()) ?? null;
    return this.notifier.subscribe(listener);
  }

  wakesAcrossProcesses(): boolean {
    return this.sql.signals?.healthy('appended') ?? false;
  }

  async ping(): Promise<void> {
    try {
      await this.sql.query('select 1 from ct_streams limit 1');
    } catch (error) {
      throw new EventStoreUnavailableError(`${this.describe} is unreachable: ${(error as Error).message}`, error);
    }
  }

  async close(): Promise<void> {
    await this.sql.close();
  }

  private translate(error: unknown, streamId: string, expected: ExpectedRevision, events: readonly NewEvent[]): Error {
    const pgError = error as { code?: string; detail?: string; constraint?: string };
    if (error instanceof AppendRefused) {
      return error.code === 'CT409'
        ? new WrongExpectedRevisionError(streamId, expected, Number(error.detail))
        : new DuplicateEventIdError(events[0].id, streamId);
    }
    // Two writers racing to create one stream or to insert the same ids: report as a conflict.
    if (pgError.code === '23505') {
      if (pgError.constraint === 'ct_events_event_id') return new DuplicateEventIdError(events[0].id, streamId);
      return new WrongExpectedRevisionError(streamId, expected, null);
    }
    return error as Error;
  }
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.revision_text),
    position: row.position_text,
    // Both are PostgreSQL's canonical decimal text (xid8, bigint): no BigInt round trip per row.
    checkpoint: `${row.tx}:${row.position_text}`,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
  };
}
