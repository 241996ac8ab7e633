import { Inject, Injectable } from '@nestjs/common';
import { SqlClient } from '../event-store/sql/sql-client';
import { READ_MODEL_SQL } from '../platform/tokens';
import { EngineerAvailability } from '../domain/engineer/engineer.types';
import { TransferCandidate } from '../domain/case/next-engineer';

export interface EngineerView {
  engineerId: string;
  name: string;
  email: string;
  managerId: string | null;
  timeZone: string;
  availability: EngineerAvailability;
  backupEngineerId: string | null;
  openCases: { A: number; B: number; C: number; unassessed: number };
  registeredAt: string;
  updatedAt: string;
}

/** A row of the query below, as either driver returns it (counts are bigint: text on pg, a number on PGlite). */
type EngineerRow = {
  engineer_id: string;
  name: string;
  email: string;
  manager_id: string | null;
  time_zone: string;
  availability: EngineerAvailability;
  backup_engineer_id: string | null;
  registered_at: Date | string;
  updated_at: Date | string;
  open_a: string | number;
  open_b: string | number;
  open_c: string | number;
  open_none: string | number;
};

/** Reads of the engineers projection. */
@Injectable()
export class EngineersQuery {
  constructor(@Inject(READ_MODEL_SQL) private readonly sql: SqlClient) {}

  async list(): Promise<EngineerView[]> {
    const rows = await this.sql.query<EngineerRow>(`
      select e.engineer_id, e.name, e.email, e.manager_id, e.time_zone, e.availability, e.backup_engineer_id, e.registered_at, e.updated_at,
             count(c.case_id) filter (where c.severity = 'A') as open_a,
             count(c.case_id) filter (where c.severity = 'B') as open_b,
             count(c.case_id) filter (where c.severity = 'C') as open_c,
             count(c.case_id) filter (where c.severity is null) as open_none
        from rm_engineers e
        left join rm_engineer_cases c on c.engineer_id = e.engineer_id and c.open
       group by e.engineer_id
       order by e.engineer_id`);
    return rows.map((r) => ({
      engineerId: r.engineer_id,
      name: r.name,
      email: r.email,
      managerId: r.manager_id,
      timeZone: r.time_zone,
      availability: r.availability,
      backupEngineerId: r.backup_engineer_id ?? null,
      openCases: { A: Number(r.open_a), B: Number(r.open_b), C: Number(r.open_c), unassessed: Number(r.open_none) },
      registeredAt: new Date(r.registered_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }

  /** Everyone a severity-A call could go to, with their open severity-A workload. */
  async transferCandidates(): Promise<TransferCandidate[]> {
    return (await this.list()).map((e) => ({
      engineerId: e.engineerId,
      managerId: e.managerId,
      availability: e.availability,
      backupEngineerId: e.backupEngineerId,
      openSeverityACases: e.openCases.A,
    }));
  }
}
