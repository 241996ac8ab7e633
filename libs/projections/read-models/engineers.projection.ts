import { RecordedEvent } from '../../event-store/event-store';
import { SqlExecutor } from '../../event-store/sql/sql-client';
import { Projection } from '../projection';

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
          await tx.query(`insert into rm_engineer_cases${s} (case_id, open) values ($1, true) on conflict do nothing`, [d.caseId]);
          break;
        case 'CaseRouted':
        case 'CaseRejected':
        case 'CaseResolved':
        case 'CaseClosed':
          await tx.query(`update rm_engineer_cases${s} set open = false where case_id = $1`, [d.caseId]);
          break;
        case 'CaseReopened':
          await tx.query(`update rm_engineer_cases${s} set open = true where case_id = $1`, [d.caseId]);
          break;
        case 'SeverityAssigned':
          await tx.query(`update rm_engineer_cases${s} set severity = $2 where case_id = $1`, [d.caseId, d.severity]);
          break;
        case 'SeverityLowered':
          await tx.query(`update rm_engineer_cases${s} set severity = $2 where case_id = $1`, [d.caseId, d.to]);
          break;
        case 'EngineerAssigned':
          await tx.query(`update rm_engineer_cases${s} set engineer_id = $2 where case_id = $1`, [d.caseId, d.engineerId]);
          break;
        case 'TransferredOnSeverityACall':
          await tx.query(`update rm_engineer_cases${s} set engineer_id = $2 where case_id = $1`, [d.caseId, d.toEngineerId]);
          break;
      }
    }
  },
};
