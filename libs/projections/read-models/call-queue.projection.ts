import { SqlExecutor } from '../../event-store/sql/sql-client';
import type { StoredEvent } from '../../events/stored-event';
import { domainProjection } from '../projection';

/**
 * The support team's call queue: one row per call on a severity B/C case (CallQueued), until an
 * engineer takes it (QueuedCallTaken). Rows and checkpoint are written in one transaction.
 */
export const callQueueProjection = domainProjection({
  name: 'call-queue',
  tables: ['rm_call_queue'],
  schema: (s) => `
    create table if not exists rm_call_queue${s} (
      call_id text primary key,
      case_id text not null,
      reference text not null,
      severity text,
      caller text not null,
      queued_by text not null,
      queued_at timestamptz not null,
      taken_by text,
      taken_at timestamptz
    );
    create index if not exists rm_call_queue_waiting${s} on rm_call_queue${s} (queued_at, call_id) where taken_at is null;
  `,
  async apply(tx: SqlExecutor, events: readonly StoredEvent[], s: string): Promise<void> {
    for (const event of events) {
      switch (event.type) {
        case 'CallQueued': {
          const d = event.data;
          await tx.query(
            `insert into rm_call_queue${s} (call_id, case_id, reference, severity, caller, queued_by, queued_at)
             values ($1, $2, $3, $4, $5, $6, $7) on conflict (call_id) do nothing`,
            [d.callId, d.caseId, d.reference, d.severity, d.caller, d.by, d.at],
          );
          break;
        }
        case 'QueuedCallTaken':
          await tx.query(`update rm_call_queue${s} set taken_by = $2, taken_at = $3 where call_id = $1`, [
            event.data.callId,
            event.data.engineerId,
            event.data.at,
          ]);
          break;
        default:
          break; // every other event leaves the queue as it is
      }
    }
  },
});
