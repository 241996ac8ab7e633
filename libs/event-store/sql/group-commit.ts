import { AppendResult, ExpectedRevision, NewEvent } from '../event-store';
import { SqlClient } from './sql-client';

/** One append waiting for its turn. */
interface PendingAppend {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  /** The events as ct_append takes them (JSON text), made once. */
  readonly payload: string;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** What ct_append_locked answers for one append of a batch. */
interface BatchRow extends Record<string, unknown> {
  idx: number;
  status: 'ok' | 'conflict' | 'duplicate_id';
  next_revision: string | null;
  last_position: string | null;
  duplicate: boolean | null;
  detail: string | null;
}

/** The failure of one append, in the database's own terms; SqlEventStore turns it into its typed error. */
export class AppendRefused extends Error {
  constructor(
    readonly code: 'CT409' | 'CT002',
    readonly detail: string,
  ) {
    super(code === 'CT409' ? 'wrong expected revision' : 'duplicate event id');
  }
}

/** Most appends one statement carries (and most event JSON, roughly), so that no batch grows unbounded. */
const MAX_APPENDS_PER_BATCH = 64;
const MAX_BATCH_CHARS = 1 << 20;

/**
 * Group commit. At most `maxInFlight` append statements run at once; an append that arrives while
 * they are all busy waits, and everything that waited goes in the next statement together
 * (ct_append_batch: one round trip, one transaction, one WAL flush), each append still answered on
 * its own. There is no timer: an append that finds a free slot goes at once, alone, through
 * ct_append, so a quiet store answers as fast as before, and a busy one writes more per commit.
 * Per-append checks are unchanged (expected revision, retried ids, hash chain: ct_append_locked).
 */
export class GroupCommit {
  private readonly queue: PendingAppend[] = [];
  private inFlight = 0;

  constructor(
    private readonly sql: SqlClient,
    private readonly maxInFlight: number,
    /** Called after a statement that wrote something (not only retried appends). */
    private readonly onWritten: () => void,
  ) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error('maxInFlight must be a whole number ≥ 1');
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const payload = JSON.stringify(events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, expected, payload, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.inFlight++;
      void (batch.length === 1 ? this.one(batch[0]) : this.many(batch)).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private takeBatch(): PendingAppend[] {
    let count = 0;
    let chars = 0;
    while (
      count < this.queue.length &&
      count < MAX_APPENDS_PER_BATCH &&
      (count === 0 || chars + this.queue[count].payload.length <= MAX_BATCH_CHARS)
    ) {
      chars += this.queue[count].payload.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  /** A lone append: ct_append, which raises its refusals. */
  private async one(item: PendingAppend): Promise<void> {
    try {
      const rows = await this.sql.query<{ next_revision: string; last_position: string; duplicate: boolean }>(
        'select next_revision::text as next_revision, last_position::text as last_position, duplicate from ct_append($1, $2, $3::jsonb)',
        [item.streamId, String(item.expected), item.payload],
      );
      const row = rows[0];
      if (!row.duplicate) this.onWritten();
      item.resolve({ nextRevision: Number(row.next_revision), position: row.last_position, duplicate: row.duplicate });
    } catch (error) {
      const pg = error as { code?: string; detail?: string };
      item.reject(pg.code === 'CT409' || pg.code === 'CT002' ? new AppendRefused(pg.code, pg.detail ?? '') : error);
    }
  }

  /**
   * Several appends in one statement. If the statement itself fails (a unique violation on an
   * event id other than an append's first, a lost connection), every append is tried again alone,
   * so that each gets its own answer or error: the failed transaction wrote nothing, or (a
   * connection lost after the commit) everything, and a retried append is recognised by its ids.
   */
  private async many(batch: PendingAppend[]): Promise<void> {
    let rows: BatchRow[];
    try {
      rows = await this.sql.query<BatchRow>(
        `select idx, status, next_revision::text as next_revision, last_position::text as last_position, duplicate, detail
           from ct_append_batch($1::jsonb)`,
        [
          `[${batch.map((item) => `{"s":${JSON.stringify(item.streamId)},"x":"${String(item.expected)}","e":${item.payload}}`).join(',')}]`,
        ],
      );
      if (rows.length !== batch.length)
        throw new Error(`ct_append_batch answered ${rows.length} of ${batch.length} appends`);
    } catch {
      await Promise.all(batch.map((item) => this.one(item)));
      return;
    }
    if (rows.some((row) => row.status === 'ok' && !row.duplicate)) this.onWritten();
    for (const row of rows) {
      const item = batch[row.idx];
      if (row.status === 'ok') {
        item.resolve({
          nextRevision: Number(row.next_revision),
          position: row.last_position!,
          duplicate: row.duplicate === true,
        });
      } else {
        item.reject(new AppendRefused(row.status === 'conflict' ? 'CT409' : 'CT002', row.detail ?? ''));
      }
    }
  }
}
