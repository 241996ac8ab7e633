import {
  AllEventsPage,
  AppendResult,
  Checkpoint,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store';
import { DuplicateEventIdError, EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import { makeCheckpoint, parseCheckpoint } from '../checkpoint';
import { AppendNotifier } from '../append-notifier';
import { SqlClient } from './sql-client';
import { EVENT_STORE_SCHEMA_SQL } from './sql-event-store.schema';

interface EventRow extends Record<string, unknown> {
  global_position: string;
  tx: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
}

const EVENT_COLUMNS = `global_position::text as global_position, tx_id::text as tx, stream_id, revision::text as revision,
  event_id::text as event_id, type, data, metadata`;

/** The event store on PostgreSQL or PGlite: same SQL, see sql-event-store.schema.ts for the design. */
export class SqlEventStore implements EventStore {
  private readonly notifier = new AppendNotifier();

  constructor(
    readonly kind: 'embedded' | 'postgres',
    readonly sql: SqlClient,
    /** Names the database in error messages ("PostgreSQL at ...", "embedded store in ./data"). */
    private readonly describe: string,
  ) {}

  async migrate(): Promise<void> {
    await this.sql.exec(EVENT_STORE_SCHEMA_SQL);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const payload = JSON.stringify(
      events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
    );
    let rows: Array<{ next_revision: string; last_position: string; duplicate: boolean }>;
    try {
      rows = await this.sql.query(
        'select next_revision::text as next_revision, last_position::text as last_position, duplicate from ct_append($1, $2, $3::jsonb)',
        [streamId, String(expected), payload],
      );
    } catch (error) {
      throw this.translate(error, streamId, expected, events);
    }
    const row = rows[0];
    const result = { nextRevision: Number(row.next_revision), position: row.last_position, duplicate: row.duplicate };
    if (!result.duplicate) this.notifier.notify();
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const rows = await this.sql.query<EventRow>(
      `select ${EVENT_COLUMNS} from ct_events
        where stream_id = $1 and revision ${backwards ? '<=' : '>='} $2
        order by revision ${backwards ? 'desc' : 'asc'} limit $3`,
      [streamId, from, options.maxCount ?? null],
    );
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<AllEventsPage> {
    const [tx, position] = options.after ? parseCheckpoint(options.after) : [0n, 0n];
    // Only rows of transactions below the snapshot's xmin: all of them have finished (see schema).
    const rows = await this.sql.query<EventRow>(
      `select ${EVENT_COLUMNS} from ct_events
        where (tx_id, global_position) > ($1::text::xid8, $2::bigint)
          and tx_id < pg_snapshot_xmin(pg_current_snapshot())
        order by tx_id, global_position limit $3`,
      [tx.toString(), position.toString(), options.maxCount ?? 1000],
    );
    const events = rows.map(toRecorded);
    return { events, checkpoint: events.length ? events[events.length - 1].checkpoint : (options.after ?? null) };
  }

  async checkpointOfPosition(position: string): Promise<Checkpoint | null> {
    if (!/^\d+$/.test(position)) return null;
    const rows = await this.sql.query<{ tx: string }>(
      'select tx_id::text as tx from ct_events where global_position = $1',
      [position],
    );
    return rows.length ? makeCheckpoint(rows[0].tx, position) : null;
  }

  onAppended(listener: () => void): () => void {
    return this.notifier.subscribe(listener);
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
    if (pgError.code === 'CT409') return new WrongExpectedRevisionError(streamId, expected, Number(pgError.detail));
    if (pgError.code === 'CT002') return new DuplicateEventIdError(events[0].id, streamId);
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
    revision: Number(row.revision),
    position: row.global_position,
    checkpoint: makeCheckpoint(row.tx, row.global_position),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
  };
}
