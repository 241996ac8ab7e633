import { SqlExecutor } from '../../event-store/sql/sql-client';
import { isCaseEvent } from '../../events/event-parser';
import type { StoredCaseEvent, StoredEvent } from '../../events/stored-event';
import { caseIdOfStream } from '../../events/streams';
import { domainProjection } from '../../projections/projection';
import type { ProjectionCache } from '../../projections/projection-cache';
import { OutcomeCase, OutcomeClock, foldOutcome } from './sla-outcomes.fold';
import { CaseFigures, caseFiguresOf, msBetween, settleAnswered } from './sla-outcome-totals';
import { applyTotalsDeltas, TotalsDeltas } from './sla-outcome-totals.store';

/** The case events of a batch, each with its case id (events of streams that are no case's are left out). */
function caseEventsOf(events: readonly StoredEvent[]): Array<{ caseId: string; event: StoredCaseEvent }> {
  const found: Array<{ caseId: string; event: StoredCaseEvent }> = [];
  for (const event of events) {
    const caseId = caseIdOfStream(event.streamId);
    if (caseId !== null && isCaseEvent(event)) found.push({ caseId, event });
  }
  return found;
}

/** A case's row as stored (and kept in the projection's cache under CASE_KEY + its id). */
interface StoredCase {
  readonly state: OutcomeCase;
  readonly revision: number;
}
const CASE_KEY = 'case:';

/** A case the batch touches: its state as read, then folded, and what the batch changed. */
interface Touched {
  state: OutcomeCase | null;
  revision: number;
  /** The clocks (first clockIds) the batch changed or started. */
  clocks: Set<string>;
  changed?: boolean;
  /** Before the batch's first change: the case's figures and each changed clock as it was (null: a new case). */
  before: { figures: CaseFigures; clocks: Map<string, OutcomeClock> } | null;
}

/**
 * SLA outcomes for the compliance reports: one row per clock (a severity restart continues the
 * row of its first clockId) and one per case, with the columns the report groups and filters on,
 * and their sums per UTC day and month of submission and group (rm_sla_outcome_totals, kept in
 * the same transaction: a case's contribution before the batch is taken off, its contribution
 * after added). Each case's folded outcome state is kept with its revision, so a redelivered
 * event is skipped.
 */
export const slaOutcomesProjection = domainProjection({
  name: 'sla-outcomes',
  tables: ['rm_sla_outcome_cases', 'rm_sla_outcomes', 'rm_sla_outcome_totals'],
  schema: (s) => `
    -- Read models made before the totals existed are refilled from the first event (the totals
    -- would otherwise lack every case projected before): the rows go and so does the checkpoint.
    do $$ begin
      if to_regclass('rm_sla_outcome_totals${s}') is null and to_regclass('rm_sla_outcome_cases${s}') is not null then
        truncate rm_sla_outcome_cases${s}, rm_sla_outcomes${s};
        delete from ct_projections where name = 'sla-outcomes${s}';
      end if;
    end $$;
    create table if not exists rm_sla_outcome_cases${s} (
      case_id text primary key,
      partner_id text not null,
      product text not null,
      severity text,
      engineer_id text,
      submitted_at timestamptz not null,
      resolved_at timestamptz,
      resolution_ms bigint,
      escalations integer not null,
      revision bigint not null,
      state json not null
    );
    create index if not exists rm_sla_outcome_cases_submitted${s} on rm_sla_outcome_cases${s} (submitted_at);
    create index if not exists rm_sla_outcome_cases_partner${s} on rm_sla_outcome_cases${s} (partner_id, submitted_at);
    create table if not exists rm_sla_outcomes${s} (
      case_id text not null,
      clock_id text not null,
      clock text not null,
      severity text not null,
      partner_id text not null,
      product text not null,
      engineer_id text,
      submitted_at timestamptz not null,
      started_at timestamptz not null,
      due_at timestamptz not null,
      state text not null,
      answered_at timestamptz,
      answer_ms bigint,
      paused_ms bigint not null,
      escalated boolean not null,
      primary key (case_id, clock_id)
    );
    create index if not exists rm_sla_outcomes_submitted${s} on rm_sla_outcomes${s} (submitted_at);
    create index if not exists rm_sla_outcomes_partner${s} on rm_sla_outcomes${s} (partner_id, submitted_at);
    -- The running clocks, which a report judges at the instant it is asked (past due: breached).
    create index if not exists rm_sla_outcomes_running${s} on rm_sla_outcomes${s} (due_at) where state = 'running';
    create table if not exists rm_sla_outcome_totals${s} (
      period text not null,
      start date not null,
      dim text not null,
      value text not null,
      totals json not null,
      primary key (period, dim, start, value)
    );
  `,
  async apply(tx: SqlExecutor, events: StoredEvent[], s: string, cache?: ProjectionCache): Promise<void> {
    const caseEvents = caseEventsOf(events);
    if (caseEvents.length === 0) return;
    const cases = new Map<string, Touched>();
    // The cases the previous batch wrote come from the cache (as stored); the others are read.
    const unknown: string[] = [];
    for (const caseId of new Set(caseEvents.map((e) => e.caseId))) {
      const kept = cache?.get<StoredCase>(CASE_KEY + caseId);
      if (kept) cases.set(caseId, { ...kept, clocks: new Set(), before: null });
      else unknown.push(caseId);
    }
    if (unknown.length > 0) {
      const rows = await tx.query<{ case_id: string; state: OutcomeCase; revision: string }>(
        `select case_id, state, revision::text as revision from rm_sla_outcome_cases${s} where case_id = any($1)`,
        [unknown],
      );
      for (const r of rows)
        cases.set(r.case_id, { state: r.state, revision: Number(r.revision), clocks: new Set(), before: null });
    }
    for (const { caseId, event } of caseEvents) {
      let current = cases.get(caseId);
      if (!current) {
        current = { state: null, revision: -1, clocks: new Set<string>(), before: null };
        cases.set(caseId, current);
      }
      if (event.revision <= current.revision) continue; // redelivered, or folded by a racing rebuild
      // The fold changes the state in place: what the batch changes is copied first (the case's
      // own figures, and each existing clock before its first change), to take it off the sums.
      if (!current.changed) {
        current.changed = true;
        if (current.state !== null) current.before = { figures: caseFiguresOf(current.state), clocks: new Map() };
      }
      const touched = current;
      const { state, changed } = foldOutcome(current.state, event, (clock) => {
        const before = touched.before;
        if (before && !before.clocks.has(clock.clockId) && !touched.clocks.has(clock.clockId))
          before.clocks.set(clock.clockId, { ...clock });
      });
      current.state = state;
      current.revision = event.revision;
      changed.forEach((id) => current.clocks.add(id));
    }
    const deltas = new TotalsDeltas();
    const caseRows = [];
    const clockRows = [];
    for (const [caseId, { state, revision, clocks, changed, before }] of cases) {
      if (!changed || state === null) continue;
      // Only the changed items: the case's own, and the clocks the batch changed or started.
      if (before) deltas.add(before.figures, before.clocks.values(), -1);
      deltas.add(
        state,
        [...clocks].map((id) => state.clocks[id]),
        1,
      );
      for (const id of clocks) {
        const c = state.clocks[id];
        clockRows.push({
          case_id: caseId,
          clock_id: c.clockId,
          clock: c.clock,
          severity: c.severity,
          partner_id: state.partnerId,
          product: state.product,
          engineer_id: c.engineerId,
          submitted_at: state.submittedAt,
          started_at: c.startedAt,
          due_at: c.dueAt,
          state: c.state,
          answered_at: c.answeredAt,
          answer_ms: c.answeredAt === null ? null : msBetween(c.startedAt, c.answeredAt),
          paused_ms: c.pausedMs,
          escalated: c.escalated,
        });
      }
      // Stored without its answered clocks (their figures summed): see settleAnswered.
      settleAnswered(state);
      cache?.set(CASE_KEY + caseId, { state, revision } satisfies StoredCase);
      caseRows.push({
        case_id: caseId,
        partner_id: state.partnerId,
        product: state.product,
        severity: state.severity,
        engineer_id: state.engineerId,
        submitted_at: state.submittedAt,
        resolved_at: state.resolvedAt,
        resolution_ms: state.resolvedAt === null ? null : msBetween(state.submittedAt, state.resolvedAt),
        escalations: state.escalations,
        revision,
        state,
      });
    }
    if (caseRows.length === 0) return;
    await applyTotalsDeltas(tx, s, deltas, cache);
    await tx.query(
      `insert into rm_sla_outcome_cases${s} (case_id, partner_id, product, severity, engineer_id, submitted_at, resolved_at, resolution_ms, escalations, revision, state)
       select * from json_to_recordset($1::json) as x(case_id text, partner_id text, product text, severity text, engineer_id text,
              submitted_at timestamptz, resolved_at timestamptz, resolution_ms bigint, escalations integer, revision bigint, state json)
       on conflict (case_id) do update set severity = excluded.severity, engineer_id = excluded.engineer_id, resolved_at = excluded.resolved_at,
         resolution_ms = excluded.resolution_ms, escalations = excluded.escalations, revision = excluded.revision, state = excluded.state`,
      [JSON.stringify(caseRows)],
    );
    if (clockRows.length === 0) return;
    await tx.query(
      `insert into rm_sla_outcomes${s} (case_id, clock_id, clock, severity, partner_id, product, engineer_id, submitted_at, started_at, due_at,
                                        state, answered_at, answer_ms, paused_ms, escalated)
       select * from json_to_recordset($1::json) as x(case_id text, clock_id text, clock text, severity text, partner_id text, product text,
              engineer_id text, submitted_at timestamptz, started_at timestamptz, due_at timestamptz, state text, answered_at timestamptz,
              answer_ms bigint, paused_ms bigint, escalated boolean)
       on conflict (case_id, clock_id) do update set severity = excluded.severity, engineer_id = excluded.engineer_id, due_at = excluded.due_at,
         state = excluded.state, answered_at = excluded.answered_at, answer_ms = excluded.answer_ms, paused_ms = excluded.paused_ms,
         escalated = excluded.escalated`,
      [JSON.stringify(clockRows)],
    );
  },
});
