import { Inject, Injectable } from '@nestjs/common';
import { SqlClient } from '../event-store/sql/sql-client';
import { Clock } from '../platform/clock/clock';
import { READ_MODEL_SQL } from '../platform/tokens';

export interface QueuedCallView {
  callId: string;
  caseId: string;
  reference: string;
  severity: string | null;
  caller: string;
  queuedBy: string;
  queuedAt: string;
  /** How long it has waited, at the read (whole seconds). */
  waitingSeconds: number;
}

type Row = {
  call_id: string;
  case_id: string;
  reference: string;
  severity: string | null;
  caller: string;
  queued_by: string;
  queued_at: Date | string;
};

/** Reads of the call-queue projection (calls waiting for an engineer, oldest first). */
@Injectable()
export class CallQueueQuery {
  constructor(
    @Inject(READ_MODEL_SQL) private readonly sql: SqlClient,
    private readonly clock: Clock,
  ) {}

  async waiting(): Promise<QueuedCallView[]> {
    const rows = await this.sql.query<Row>(
      `select call_id, case_id, reference, severity, caller, queued_by, queued_at
         from rm_call_queue where taken_at is null order by queued_at, call_id`,
    );
    const now = this.clock.now().getTime();
    return rows.map((r) => {
      const queuedAt = new Date(r.queued_at).toISOString();
      return {
        callId: r.call_id,
        caseId: r.case_id,
        reference: r.reference,
        severity: r.severity,
        caller: r.caller,
        queuedBy: r.queued_by,
        queuedAt,
        waitingSeconds: Math.max(0, Math.floor((now - Date.parse(queuedAt)) / 1000)),
      };
    });
  }

  /** The case a queued call belongs to (taken or not); null: no such call in the read model. */
  async caseOf(callId: string): Promise<string | null> {
    const rows = await this.sql.query<{ case_id: string }>(`select case_id from rm_call_queue where call_id = $1`, [
      callId,
    ]);
    return rows[0]?.case_id ?? null;
  }
}
