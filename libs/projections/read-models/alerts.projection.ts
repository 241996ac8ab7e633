import { RecordedEvent } from '../../event-store/event-store';
import { SqlExecutor } from '../../event-store/sql/sql-client';
import { Projection } from '../projection';

export type AlertKind = 'warning' | 'breach' | 'escalation';

const KIND_OF: Record<string, AlertKind> = {
  SlaWarningRaised: 'warning',
  SlaBreached: 'breach',
  EscalatedToManager: 'escalation',
};

export const isAlertEvent = (event: RecordedEvent): boolean => event.type in KIND_OF;

/** The alert an event raises, as the feed, the stream and the webhooks show it. */
export function alertOf(event: RecordedEvent, context: { reference?: string | null; severity?: string | null } = {}) {
  const d = event.data as Record<string, any>;
  return {
    alertId: event.id,
    kind: KIND_OF[event.type],
    eventType: event.type,
    caseId: d.caseId as string,
    reference: context.reference ?? null,
    severity: (d.severity as string | undefined) ?? context.severity ?? null,
    clockId: (d.clockId as string | null | undefined) ?? null,
    clock: (d.clock as string | undefined) ?? null,
    dueAt: (d.dueAt as string | undefined) ?? null,
    engineerId: (d.engineerId as string | null | undefined) ?? null,
    managerId: (d.managerId as string | null | undefined) ?? null,
    reason: (d.reason as string | undefined) ?? null,
    automatic: d.automatic ?? null,
    occurredAt: event.metadata.occurredAt,
    position: event.position,
  };
}
export type Alert = ReturnType<typeof alertOf>;

/**
 * SLA alerts for ops: warnings, breaches, escalations. `seq` grows in the order alerts are
 * projected (one projector at a time), so SSE clients resume after a Last-Event-ID.
 */
export const alertsProjection: Projection = {
  name: 'alerts',
  tables: ['rm_alerts', 'rm_alert_cases'],
  schema: (s) => `
    create table if not exists rm_alerts${s} (
      seq bigserial primary key,
      alert_id text not null unique,
      kind text not null,
      case_id text not null,
      severity text,
      occurred_at timestamptz not null,
      alert jsonb not null
    );
    create index if not exists rm_alerts_time${s} on rm_alerts${s} (occurred_at desc, seq desc);
    create index if not exists rm_alerts_kind${s} on rm_alerts${s} (kind, occurred_at desc, seq desc);
    create table if not exists rm_alert_cases${s} (
      case_id text primary key,
      reference text not null,
      severity text
    );
  `,
  async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
    for (const event of events) {
      const d = event.data as Record<string, any>;
      if (event.type === 'CaseSubmitted') {
        await tx.query(`insert into rm_alert_cases${s} (case_id, reference) values ($1, $2) on conflict do nothing`, [d.caseId, d.reference]);
      } else if (event.type === 'SeverityAssigned' || event.type === 'SeverityLowered') {
        await tx.query(`update rm_alert_cases${s} set severity = $2 where case_id = $1`, [d.caseId, d.severity ?? d.to]);
      } else if (isAlertEvent(event)) {
        const rows = await tx.query<{ reference: string; severity: string | null }>(
          `select reference, severity from rm_alert_cases${s} where case_id = $1`,
          [d.caseId],
        );
        const alert = alertOf(event, rows[0] ?? {});
        await tx.query(
          `insert into rm_alerts${s} (alert_id, kind, case_id, severity, occurred_at, alert) values ($1, $2, $3, $4, $5, $6::jsonb)
           on conflict (alert_id) do nothing`,
          [alert.alertId, alert.kind, alert.caseId, alert.severity, alert.occurredAt, JSON.stringify(alert)],
        );
      }
    }
  },
};
