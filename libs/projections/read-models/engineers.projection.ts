import { SqlExecutor } from '../../event-store/sql/sql-client';
import { CaseEventType } from '../../domain/case/case.events';
import { isCaseEvent } from '../../events/event-parser';
import { StoredEvent } from '../../events/stored-event';
import { domainProjection } from '../projection';

interface CaseRow extends Record<string, unknown> {
  case_id: string;
  engineer_id: string | null;
  severity: string | null;
  open: boolean;
}

/** The case events that change what this projection keeps of a case. */
const CASE_FIELDS_EVENTS = new Set<CaseEventType>([
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
export const engineersProjection = domainProjection({
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
    alter table rm_engineers${s} add column if not exists backup_engineer_id text;
    create table if not exists rm_engineer_cases${s} (
      case_id text primary key,
      engineer_id text,
      severity text,
      open boolean not null default true
    );
    create index if not exists rm_engineer_cases_engineer${s} on rm_engineer_cases${s} (engineer_id) where open;
  `,
  async apply(tx: SqlExecutor, events: readonly StoredEvent[], s: string): Promise<void> {
    // Cases' engineer, severity and openness: folded in memory over the batch (one read, one
    // write), since most events of a busy store are case events.
    const caseIds = [
      ...new Set(
        events
          .filter(isCaseEvent)
          .filter((e) => CASE_FIELDS_EVENTS.has(e.type))
          .map((e) => e.data.caseId),
      ),
    ];
    const cases = new Map<string, CaseRow>();
    if (caseIds.length) {
      const rows = await tx.query<CaseRow>(
        `select case_id, engineer_id, severity, open from rm_engineer_cases${s} where case_id = any($1)`,
        [caseIds],
      );
      for (const row of rows) cases.set(row.case_id, row);
    }
    const patch = (caseId: string, change: Partial<CaseRow>) => {
      const row = cases.get(caseId);
      if (row) cases.set(caseId, { ...row, ...change });
    };
    for (const event of events) {
      switch (event.type) {
        case 'EngineerRegistered': {
          const d = event.data;
          // Registered engineers start off shift (the engineer decider's initial availability).
          await tx.query(
            `insert into rm_engineers${s} (engineer_id, name, email, manager_id, time_zone, availability, registered_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $7) on conflict (engineer_id) do nothing`,
            [d.engineerId, d.name, d.email, d.managerId ?? null, d.timeZone, 'off-shift', event.metadata.occurredAt],
          );
          break;
        }
        case 'BackupEngineerNamed':
          await tx.query(
            `update rm_engineers${s} set backup_engineer_id = $2, updated_at = $3 where engineer_id = $1`,
            [event.data.engineerId, event.data.backupEngineerId, event.metadata.occurredAt],
          );
          break;
        case 'EngineerAvailabilityChanged':
          await tx.query(`update rm_engineers${s} set availability = $2, updated_at = $3 where engineer_id = $1`, [
            event.data.engineerId,
            event.data.status,
            event.metadata.occurredAt,
          ]);
          break;
        case 'CaseSubmitted': {
          const caseId = event.data.caseId;
          if (!cases.has(caseId)) cases.set(caseId, { case_id: caseId, engineer_id: null, severity: null, open: true });
          break;
        }
        case 'CaseRouted':
        case 'CaseRejected':
        case 'CaseResolved':
        case 'CaseClosed':
          patch(event.data.caseId, { open: false });
          break;
        case 'CaseReopened':
          patch(event.data.caseId, { open: true });
          break;
        case 'SeverityAssigned':
          patch(event.data.caseId, { severity: event.data.severity });
          break;
        case 'SeverityLowered':
          patch(event.data.caseId, { severity: event.data.to });
          break;
        case 'EngineerAssigned':
          patch(event.data.caseId, { engineer_id: event.data.engineerId });
          break;
        case 'TransferredOnSeverityACall':
          patch(event.data.caseId, { engineer_id: event.data.toEngineerId });
          break;
        default:
          break; // the other events change no engineer row
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
});
