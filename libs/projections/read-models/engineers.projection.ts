import { RecordedEvent } from '../../event-store/event-store';
import { SqlExecutor } from '../../event-store/sql/sql-client';
import { Projection } from '../projection';

interface CaseRow extends Record<string, unknown> {
  case_id: string;
  engineer_id: string | null;
  severity: string | null;
  open: boolean;
}

/** The case events that change what this projection keeps of a case. */
const CASE_FIELDS_EVENTS = new Set([
  'CaseSubmitted',
  'CaseRouted',
  'CaseRejected',
  'CaseResolved',
  'CaseClosed',
  'CaseReopened',
  'SeverityAssigned',
  'SeverityLowered',
  'EngineerAssigned',
  'TransferredOnSeverityACall',
]);

/**
 * Engineers with their availability, and which open case each engineer holds at which severity
 * (for GET /v1/engineers and the severity-A transfer's "fewest open severity-A cases").
 */
export const engineersProjection: Projection = {
  name: 'engineers',
  tables: ['rm_engineers', 'rm_engineer_cases'],
  schema: (s) => `
    create table if not exists rm_engineers${s} (
      engineer_id text primary key,
      name text not null,
      email text not null,
      manager_id text,
      time_zone text not null,
      availability text not null,
      registered_at timestamptz not null,
      updated_at timestamptz not null
    );
    create table if not exists rm_engineer_cases${s} (
      case_id text primary key,
      engineer_id text,
      severity text,
      open boolean not null default true
    );
    create index if not exists rm_engineer_cases_engineer${s} on rm_engineer_cases${s} (engineer_id) where open;
  `,
  async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
    // Cases' engineer, severity and openness: folded in memory over the batch (one read, one
    // write), since most events of a busy store are case events.
    const caseIds = [...new Set(events.filter((e) => CASE_FIELDS_EVENTS.has(e.type)).map((e) => (e.data as { caseId: string }).caseId))];
    const cases = new Map<string, CaseRow>();
    if (caseIds.length) {
      const rows = await tx.query<CaseRow>(`select case_id, engineer_id, severity, open from rm_engineer_cases${s} where case_id = any($1)`, [caseIds]);
      for (const row of rows) cases.set(row.case_id, row);
    }
    const patch = (caseId: string, change: Partial<CaseRow>) => {
      const row = cases.get(caseId);
      if (row) cases.set(caseId, { ...row, ...change });
    };
    for (const event of events) {
      const d = event.data as Record<string, any>;
      switch (event.type) {
        case 'EngineerRegistered':
          await tx.query(
            `insert into rm_engineers${s} (engineer_id, name, email, manager_id, time_zone, availability, registered_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $7) on conflict (engineer_id) do nothing`,
            [d.engineerId, d.name, d.email, d.managerId ?? null, d.timeZone, d.availability ?? 'off-shift', event.metadata.occurredAt],
          );
          break;
        case 'EngineerAvailabilityChanged':
          await tx.query(`update rm_engineers${s} set availability = $2, updated_at = $3 where engineer_id = $1`, [
            d.engineerId,
            d.status,
            event.metadata.occurredAt,
          ]);
          break;
        case 'CaseSubmitted':
          if (!cases.has(d.caseId)) cases.set(d.caseId, { case_id: d.caseId, engineer_id: null, severity: null, open: true });
          break;
        case 'CaseRouted':
        case 'CaseRejected':
        case 'CaseResolved':
        case 'CaseClosed':
          patch(d.caseId, { open: false });
          break;
        case 'CaseReopened':
          patch(d.caseId, { open: true });
          break;
        case 'SeverityAssigned':
          patch(d.caseId, { severity: d.severity });
          break;
        case 'SeverityLowered':
          patch(d.caseId, { severity: d.to });
          break;
        case 'EngineerAssigned':
          patch(d.caseId, { engineer_id: d.engineerId });
          break;
        case 'TransferredOnSeverityACall':
          patch(d.caseId, { engineer_id: d.toEngineerId });
          break;
      }
    }
    if (cases.size) {
      await tx.query(
        `insert into rm_engineer_cases${s} (case_id, engineer_id, severity, open)
         select case_id, engineer_id, severity, open from json_to_recordset($1::json) as x(case_id text, engineer_id text, severity text, open boolean)
         on conflict (case_id) do update set engineer_id = excluded.engineer_id, severity = excluded.severity, open = excluded.open`,
        [JSON.stringify([...cases.values()])],
      );
    }
  },
};
