import { Inject, Injectable } from '@nestjs/common';
import { SqlClient } from '../event-store/sql/sql-client';
import { READ_MODEL_SQL } from '../platform/tokens';
import { Alert } from '../projections/read-models/alerts.projection';

export interface StoredAlert {
  seq: number;
  alert: Alert;
}

/** Reads of the alerts read model. */
@Injectable()
export class AlertsQueryService {
  constructor(@Inject(READ_MODEL_SQL) private readonly sql: SqlClient) {}

  /** Newest first. */
  async list(filter: { since?: string; kind?: string; limit?: number }): Promise<Alert[]> {
    const rows = await this.sql.query<{ alert: Alert }>(
      `select alert from rm_alerts
        where ($1::timestamptz is null or occurred_at >= $1::timestamptz) and ($2::text is null or kind = $2)
        order by occurred_at desc, seq desc limit $3`,
      [filter.since ?? null, filter.kind ?? null, filter.limit ?? 100],
    );
    return rows.map((r) => r.alert);
  }

  /** Alerts after a stream position (`seq`), oldest first: what an SSE client has not seen. */
  async after(seq: number, kind: string | undefined, limit = 500): Promise<StoredAlert[]> {
    const rows = await this.sql.query<{ seq: string; alert: Alert }>(
      `select seq::text as seq, alert from rm_alerts where seq > $1 and ($2::text is null or kind = $2) order by seq limit $3`,
      [seq, kind ?? null, limit],
    );
    return rows.map((r) => ({ seq: Number(r.seq), alert: r.alert }));
  }

  async lastSeq(): Promise<number> {
    const rows = await this.sql.query<{ seq: string | null }>('select max(seq)::text as seq from rm_alerts');
    return Number(rows[0]?.seq ?? 0);
  }
}
