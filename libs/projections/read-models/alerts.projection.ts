import { SqlExecutor } from '../../event-store/sql/sql-client';
import type {
  EscalatedToDutyManager,
  EscalatedToManager,
  SlaBreached,
  SlaClockPaused,
  SlaClockResumed,
  SlaWarningRaised,
  TriageAtRisk,
} from '../../domain/case/case.events';
import { isCaseEvent } from '../../events/event-parser';
import type { Stored, StoredEvent } from '../../events/stored-event';
import { domainProjection } from '../projection';
import { slaAlertsTotal } from '../../platform/metrics/command-metrics';
import type { JsonLogger } from '../../platform/logging/json-logger';

/**
 * paused/resumed: a clock stood still waiting on the partner, then ran again with its due moved.
 * unowned: an overdue case with nobody to escalate to (no engineer or no manager, nobody on duty).
 */
export type AlertKind = 'warning' | 'breach' | 'escalation' | 'paused' | 'resumed' | 'unowned';
export const ALERT_KINDS: readonly AlertKind[] = ['warning', 'breach', 'escalation', 'paused', 'resumed', 'unowned'];

/** The events that raise an alert. */
export type AlertEvent = Stored<
  | SlaWarningRaised
  | TriageAtRisk
  | SlaBreached
  | EscalatedToManager
  | EscalatedToDutyManager
  | SlaClockPaused
  | SlaClockResumed
>;

const KIND_OF: Record<AlertEvent['type'], AlertKind> = {
  SlaWarningRaised: 'warning',
  // A case left untriaged past the policy's triageWithin: at risk (clock "triage").
  TriageAtRisk: 'warning',
  SlaBreached: 'breach',
  EscalatedToManager: 'escalation',
  // To the duty manager; 'unowned' instead when nobody was on duty (see kindOf).
  EscalatedToDutyManager: 'escalation',
  SlaClockPaused: 'paused',
  SlaClockResumed: 'resumed',
};

export const isAlertEvent = (event: StoredEvent): event is AlertEvent => event.type in KIND_OF;

const kindOf = (event: AlertEvent): AlertKind =>
  event.type === 'EscalatedToDutyManager' && event.data.dutyManagerId === null ? 'unowned' : KIND_OF[event.type];

/**
 * The alert an event raises, as the feed, the stream and the webhooks show it. Each field comes
 * from the event types that carry it (`in` narrows the union); the others give null.
 */
export function alertOf(event: AlertEvent, context: { reference?: string | null; severity?: string | null } = {}) {
  const d = event.data;
  return {
    alertId: event.id,
    kind: kindOf(event),
    eventType: event.type,
    caseId: d.caseId,
    reference: context.reference ?? null,
    severity: ('severity' in d ? d.severity : null) ?? context.severity ?? null,
    clockId: ('clockId' in d ? d.clockId : null) ?? null,
    clock: ('clock' in d ? d.clock : null) ?? null,
    dueAt: ('dueAt' in d ? d.dueAt : null) ?? ('triageDueAt' in d ? d.triageDueAt : null) ?? null,
    engineerId: ('engineerId' in d ? d.engineerId : null) ?? null,
    managerId: ('managerId' in d ? d.managerId : null) ?? ('dutyManagerId' in d ? d.dutyManagerId : null) ?? null,
    reason: ('reason' in d ? d.reason : null) ?? null,
    automatic: ('automatic' in d ? d.automatic : null) ?? null,
    occurredAt: event.metadata.occurredAt,
    position: event.position,
  };
}
export type Alert = ReturnType<typeof alertOf>;

/** The domain log line of each alert kind. */
const LINE_OF: Record<AlertKind, { level: 'info' | 'warn'; msg: string }> = {
  warning: { level: 'warn', msg: 'SLA warning' },
  breach: { level: 'warn', msg: 'SLA breached' },
  escalation: { level: 'warn', msg: 'case escalated to the manager' },
  paused: { level: 'info', msg: 'SLA clock paused' },
  resumed: { level: 'info', msg: 'SLA clock resumed' },
  unowned: { level: 'warn', msg: 'overdue case with nobody to escalate to (unowned)' },
};

/**
 * The alerts `apply` just built (with their case's reference and severity), by event id, until
 * afterCommit logs them. Bounded: a batch whose transaction failed comes again and replaces them.
 */
const projected = new Map<string, Alert>();
const PROJECTED_LIMIT = 20_000;

/**
 * One log line and one count (casetrail_sla_alerts_total) per alert, once its row and checkpoint
 * are committed: exactly once per event while the process lives (a redelivered batch has nothing
 * new), at most once across a crash between commit and log.
 */
function logAlerts(events: readonly StoredEvent[], logger: JsonLogger): void {
  for (const event of events) {
    if (!isAlertEvent(event)) continue;
    const alert = projected.get(event.id) ?? alertOf(event);
    projected.delete(event.id);
    slaAlertsTotal.inc({ kind: alert.kind, severity: alert.severity ?? 'none' });
    const line = LINE_OF[alert.kind];
    // The line carries the alert as the feed shows it, plus the request that caused it.
    logger.event(
      line.level,
      line.msg,
      { domain: 'sla', ...alert, correlationId: event.metadata.correlationId ?? null },
      'Sla',
    );
  }
}

/**
 * SLA alerts for ops: warnings, breaches, escalations. `seq` grows in the order alerts are
 * projected (one projector at a time), so SSE clients resume after a Last-Event-ID.
 */
export const alertsProjection = domainProjection({
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
  async apply(tx: SqlExecutor, events: readonly StoredEvent[], s: string): Promise<void> {
    // The cases' reference and severity (for the alerts' context), folded in memory over the batch.
    const caseEvents = events.filter(isCaseEvent);
    const caseIds = [
      ...new Set(
        caseEvents
          .filter((e) => e.type === 'CaseSubmitted' || isAlertEvent(e) || e.type.startsWith('Severity'))
          .map((e) => e.data.caseId),
      ),
    ];
    const cases = new Map<string, { case_id: string; reference: string; severity: string | null }>();
    if (caseIds.length) {
      const rows = await tx.query<{ case_id: string; reference: string; severity: string | null }>(
        `select case_id, reference, severity from rm_alert_cases${s} where case_id = any($1)`,
        [caseIds],
      );
      for (const row of rows) cases.set(row.case_id, row);
    }
    const alerts: Alert[] = [];
    for (const event of caseEvents) {
      const caseId = event.data.caseId;
      const known = cases.get(caseId);
      if (event.type === 'CaseSubmitted') {
        if (!known) cases.set(caseId, { case_id: caseId, reference: event.data.reference, severity: null });
      } else if (event.type === 'SeverityAssigned') {
        if (known) cases.set(caseId, { ...known, severity: event.data.severity });
      } else if (event.type === 'SeverityLowered') {
        if (known) cases.set(caseId, { ...known, severity: event.data.to });
      } else if (isAlertEvent(event)) {
        alerts.push(alertOf(event, known ?? {}));
      }
    }
    if (cases.size) {
      await tx.query(
        `insert into rm_alert_cases${s} (case_id, reference, severity)
         select case_id, reference, severity from json_to_recordset($1::json) as x(case_id text, reference text, severity text)
         on conflict (case_id) do update set severity = excluded.severity`,
        [JSON.stringify([...cases.values()])],
      );
    }
    if (!s) {
      if (projected.size > PROJECTED_LIMIT) projected.clear();
      for (const alert of alerts) projected.set(alert.alertId, alert);
    }
    // In event order, so `seq` follows the alerts' order.
    for (const alert of alerts) {
      await tx.query(
        `insert into rm_alerts${s} (alert_id, kind, case_id, severity, occurred_at, alert) values ($1, $2, $3, $4, $5, $6::jsonb)
         on conflict (alert_id) do nothing`,
        [alert.alertId, alert.kind, alert.caseId, alert.severity, alert.occurredAt, JSON.stringify(alert)],
      );
    }
  },
  afterCommit: logAlerts,
});
