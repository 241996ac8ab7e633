import { SqlExecutor } from '../../event-store/sql/sql-client';
import { evolveCase } from '../../domain/case/case.evolve';
import { Case, CaseState, liveClocks } from '../../domain/case/case.state';
import { isCaseEvent } from '../../events/event-parser';
import { StoredCaseEvent, StoredEvent } from '../../events/stored-event';
import { caseIdOfStream } from '../../events/streams';
import { domainProjection } from '../projection';
import type { ProjectionCache } from '../projection-cache';

/** at-risk: a live clock has had its warning; breached: a live clock was breached. */
export function slaFlag(state: Case): 'ok' | 'at-risk' | 'breached' {
  const clocks = liveClocks(state);
  if (clocks.some((c) => c.state === 'breached')) return 'breached';
  if (clocks.some((c) => c.state === 'warning')) return 'at-risk';
  return 'ok';
}

/**
 * The case list. Each row keeps the case's folded state (the decider's own evolve, so the read
 * model can never disagree with the domain) plus the columns the list filters and sorts on.
 * A batch loads the states of its cases in one query and writes them back in one statement.
 */
export const casesProjection = domainProjection({
  name: 'cases',
  tables: ['rm_cases'],
  schema: (s) => `
    create table if not exists rm_cases${s} (
      case_id text primary key,
      reference text not null,
      status text not null,
      severity text,
      partner_id text not null,
      customer_id text,
      product text not null,
      engineer_id text,
      manager_id text,
      sla text not null,
      next_due_at timestamptz,
      submitted_at timestamptz not null,
      updated_at timestamptz not null,
      revision bigint not null,
      state json not null
    );
    -- json, not jsonb: the state is only stored and handed back whole (and one field read for the
    -- list), and parsing it into jsonb was half of this projection's database time. Tables made
    -- with jsonb are converted once.
    do $$ begin
      if (select data_type from information_schema.columns
            where table_schema = current_schema() and table_name = 'rm_cases${s}' and column_name = 'state') = 'jsonb' then
        alter table rm_cases${s} alter column state type json using state::json;
      end if;
    end $$;
    -- Second wave: the triage queue (GET /v1/cases?triaged=false). Rows projected before it have
    -- no triage facts in their state; \`cli rebuild cases\` recomputes them from the events.
    alter table rm_cases${s} add column if not exists triaged boolean not null default false;
    create index if not exists rm_cases_triage${s} on rm_cases${s} (triaged, submitted_at desc, case_id desc) where not triaged;
    create index if not exists rm_cases_list${s} on rm_cases${s} (submitted_at desc, case_id desc);
    create index if not exists rm_cases_status${s} on rm_cases${s} (status, severity, submitted_at desc, case_id desc);
    create index if not exists rm_cases_engineer${s} on rm_cases${s} (engineer_id, submitted_at desc, case_id desc);
    create index if not exists rm_cases_partner${s} on rm_cases${s} (partner_id, submitted_at desc, case_id desc);
    create index if not exists rm_cases_product${s} on rm_cases${s} (product, submitted_at desc, case_id desc);
    create index if not exists rm_cases_sla${s} on rm_cases${s} (sla, submitted_at desc, case_id desc) where sla <> 'ok';
  `,
  async apply(tx: SqlExecutor, events: readonly StoredEvent[], s: string, cache?: ProjectionCache): Promise<void> {
    // The case events of case streams, with their case's id (from the stream's name).
    const caseEvents: Array<{ caseId: string; event: StoredCaseEvent }> = [];
    for (const event of events) {
      const caseId = caseIdOfStream(event.streamId);
      if (caseId !== null && isCaseEvent(event)) caseEvents.push({ caseId, event });
    }
    if (caseEvents.length === 0) return;
    // The cases the previous batch wrote come from the cache (states are never changed in
    // place: evolve returns new ones); the others are read.
    const states = new Map<string, { state: CaseState; revision: number }>();
    const unknown: string[] = [];
    for (const caseId of new Set(caseEvents.map((e) => e.caseId))) {
      const kept = cache?.get<{ state: CaseState; revision: number }>(caseId);
      if (kept) states.set(caseId, kept);
      else unknown.push(caseId);
    }
    if (unknown.length > 0) {
      const rows = await tx.query<{ case_id: string; state: Case; revision: string }>(
        `select case_id, state, revision::text as revision from rm_cases${s} where case_id = any($1)`,
        [unknown],
      );
      for (const r of rows) states.set(r.case_id, { state: r.state, revision: Number(r.revision) });
    }
    for (const { caseId, event } of caseEvents) {
      const current = states.get(caseId) ?? { state: null, revision: -1 };
      // Redelivered or already folded (a rebuild racing the live runner): skip by revision.
      if (event.revision <= current.revision) continue;
      states.set(caseId, { state: evolveCase(current.state, event), revision: event.revision });
    }
    const changed = [...states.entries()]
      .filter(([, v]) => v.state !== null)
      .map(([caseId, { state, revision }]) => {
        const c = state as Case;
        cache?.set(caseId, { state, revision });
        const due =
          liveClocks(c)
            .map((clock) => clock.dueAt)
            .sort()[0] ?? null;
        return {
          case_id: caseId,
          reference: c.reference,
          status: c.status,
          severity: c.severity,
          partner_id: c.partnerId,
          customer_id: c.customerId,
          product: c.product,
          engineer_id: c.engineerId,
          manager_id: c.managerId,
          sla: slaFlag(c),
          triaged: (c.triagedAt ?? null) !== null,
          next_due_at: due,
          submitted_at: c.submittedAt,
          updated_at: c.updatedAt,
          revision,
          state: c,
        };
      });
    await tx.query(
      `insert into rm_cases${s} (case_id, reference, status, severity, partner_id, customer_id, product, engineer_id, manager_id,
                                 sla, triaged, next_due_at, submitted_at, updated_at, revision, state)
       select case_id, reference, status, severity, partner_id, customer_id, product, engineer_id, manager_id,
              sla, triaged, next_due_at, submitted_at, updated_at, revision, state
         from json_to_recordset($1::json) as x(case_id text, reference text, status text, severity text, partner_id text,
              customer_id text, product text, engineer_id text, manager_id text, sla text, triaged boolean, next_due_at timestamptz,
              submitted_at timestamptz, updated_at timestamptz, revision bigint, state json)
       on conflict (case_id) do update set reference = excluded.reference, status = excluded.status, severity = excluded.severity,
         partner_id = excluded.partner_id, customer_id = excluded.customer_id, product = excluded.product,
         engineer_id = excluded.engineer_id, manager_id = excluded.manager_id, sla = excluded.sla, triaged = excluded.triaged,
         next_due_at = excluded.next_due_at, submitted_at = excluded.submitted_at, updated_at = excluded.updated_at,
         revision = excluded.revision, state = excluded.state`,
      [JSON.stringify(changed)],
    );
  },
});
