import { SqlExecutor } from '../event-store/sql/sql-client';
import { StoredEvent } from '../events/stored-event';
import { domainProjection } from '../projections/projection';
import type { ProjectionCache } from '../projections/projection-cache';
import { ClockTimersRow, readClockTimers } from './read-clock-timers';
import { CLOCK_ACTIONS, SlaTimerJob, TIMER_ACTIONS, TimerAction, TRIAGE_TIMER } from './sla-timer-job';

type RunAtColumn = 'warn_at' | 'due_at' | 'escalate_at' | 'resume_at';
// The triage timer's row holds its instant in every column.
const RUN_AT_COLUMN: Record<TimerAction, RunAtColumn> = {
  warning: 'warn_at',
  breach: 'due_at',
  escalation: 'escalate_at',
  'auto-resume': 'resume_at',
  triage: 'due_at',
};

/** The row's pending timers as jobs. */
export function pendingJobs(row: ClockTimersRow): SlaTimerJob[] {
  return row.pending.flatMap((action) => {
    const at = row[RUN_AT_COLUMN[action]];
    if (at === null || at === undefined) return [];
    return [
      {
        caseId: row.case_id,
        clockId: row.clock_id,
        action,
        runAt: new Date(at).toISOString(),
        clockEventId: row.clock_event_id,
        ...(row.generation ? { generation: row.generation } : {}),
      },
    ];
  });
}

const nextAt = (row: ClockTimersRow): string | null =>
  pendingJobs(row)
    .map((job) => job.runAt)
    .sort()[0] ?? null;

/**
 * The SLA scheduler's table (a plain projection: rows and checkpoint in one transaction,
 * rebuildable): each SlaClockStarted gives a clock three pending timers (one row of sla_clock_timers); the events
 * that make a timer pointless (warning/breach recorded, clock met, replaced, case resolved or
 * closed) take it off the row's pending list. One row per clock, not per timer: an update meets
 * one clock and starts the next, and this table was the embedded store's largest write per
 * command with three rows (and their index entries) each time (BENCHMARKS.md).
 * A paused clock's row holds only its auto-resume timer; a resumed one gets its three timers back
 * at the moved instants, as jobs of a new generation. An open case's triage timer is a row of its own.
 * Making jobs of them is not this projection's business: the arming reactor (run after it, see
 * sla-timer-arming.reactor.ts) arms the timers due within the horizon from these rows, and the
 * sweep arms the later ones as they come due and re-creates lost jobs.
 */
export const slaTimersProjection = domainProjection({
  name: 'sla-timers',
  tables: ['sla_clock_timers'],
  schema: (s) => `
    create table if not exists sla_clock_timers${s} (
      case_id text not null,
      clock_id text not null,
      clock_event_id text not null,
      warn_at timestamptz not null,
      due_at timestamptz not null,
      escalate_at timestamptz not null,
      pending text[] not null,
      next_at timestamptz,
      primary key (case_id, clock_id)
    );
    alter table sla_clock_timers${s} add column if not exists resume_at timestamptz;
    alter table sla_clock_timers${s} add column if not exists generation integer not null default 0;
    -- The sweep's walk: clocks with a pending timer, in the order they come due.
    create index if not exists sla_clock_timers_next${s} on sla_clock_timers${s} (next_at, case_id, clock_id) where next_at is not null;
    -- Tables of the earlier layout (one row per timer) are converted once.
    do $$ begin
      if to_regclass('sla_timers${s}') is not null then
        insert into sla_clock_timers${s} (case_id, clock_id, clock_event_id, warn_at, due_at, escalate_at, pending, next_at)
        select case_id, clock_id, min(clock_event_id),
               min(run_at) filter (where action = 'warning'), min(run_at) filter (where action = 'breach'),
               min(run_at) filter (where action = 'escalation'),
               coalesce(array_agg(action order by run_at) filter (where not done), '{}'), min(run_at) filter (where not done)
          from sla_timers${s} group by case_id, clock_id
        on conflict do nothing;
        drop table sla_timers${s};
      end if;
    end $$;
  `,
  async apply(tx: SqlExecutor, events: readonly StoredEvent[], s: string, cache?: ProjectionCache): Promise<void> {
    // The batch is worked out in memory, in event order: the rows it changes are read once,
    // changed as the events say, then written in at most two statements (rows new in this
    // batch, rows of earlier batches).
    const key = (caseId: string, clockId: string) => `${caseId}\n${clockId}`;
    const wanted = new Map<string, { case_id: string; clock_id: string }>();
    const endedCases = new Set<string>();
    for (const event of events) {
      const want = (caseId: string, clockId: string | null | undefined) =>
        clockId && wanted.set(key(caseId, clockId), { case_id: caseId, clock_id: clockId });
      switch (event.type) {
        case 'SlaClockStarted':
          want(event.data.caseId, event.data.replacesClockId);
          break;
        case 'SlaWarningRaised':
        case 'SlaBreached':
        case 'SlaClockPaused':
        case 'SlaClockResumed':
          want(event.data.caseId, event.data.clockId);
          break;
        case 'EscalatedToManager':
          if (event.data.automatic) want(event.data.caseId, event.data.clockId);
          break;
        case 'EscalatedToDutyManager':
          want(event.data.caseId, event.data.clockId);
          break;
        case 'UpdateSent':
          want(event.data.caseId, event.data.meetsClockId);
          break;
        case 'SeverityAssigned':
          if (event.data.triage === true) want(event.data.caseId, TRIAGE_TIMER);
          break;
        case 'TriageAtRisk':
          want(event.data.caseId, TRIAGE_TIMER);
          break;
        case 'CaseResolved':
        case 'CaseClosed':
          endedCases.add(event.data.caseId);
          break;
        default:
          break; // the other events touch no timer
      }
    }
    const rows = new Map<string, ClockTimersRow>();
    // The rows the previous batch wrote come from the cache (an update meets the clock the
    // previous one started); the others are read, and so are an ended case's live timers.
    const unknown: Array<{ case_id: string; clock_id: string }> = [];
    for (const [k, wantedRow] of wanted) {
      const kept = cache?.get<ClockTimersRow>(k);
      if (kept) rows.set(k, kept);
      else unknown.push(wantedRow);
    }
    for (const row of await readClockTimers(tx, s, { clocks: unknown, pendingOfCases: [...endedCases] }))
      if (!rows.has(key(row.case_id, row.clock_id))) rows.set(key(row.case_id, row.clock_id), row);
    const created = new Set<string>();
    const changed = new Set<string>();
    const update = (
      caseId: string,
      clockId: string | null | undefined,
      change: (row: ClockTimersRow) => boolean | void,
    ) => {
      if (!clockId) return;
      const k = key(caseId, clockId);
      const row = rows.get(k);
      if (!row) return; // a clock started before this table existed, or a timer already gone
      if (change(row) === false) return;
      if (!created.has(k)) changed.add(k);
    };
    const done = (
      caseId: string,
      clockId: string | null | undefined,
      actions: readonly TimerAction[] = TIMER_ACTIONS,
    ) =>
      update(caseId, clockId, (row) => {
        const pending = row.pending.filter((action) => !actions.includes(action));
        if (pending.length === row.pending.length) return false; // nothing left to take off: no write
        row.pending = pending;
      });
    const create = (row: ClockTimersRow) => {
      const k = key(row.case_id, row.clock_id);
      if (rows.has(k) && !created.has(k)) return; // already in the table (a redelivered event): left as it is
      rows.set(k, row);
      created.add(k);
    };
    for (const event of events) {
      switch (event.type) {
        case 'CaseSubmitted': {
          const d = event.data;
          if (d.triageDueAt) {
            const at = d.triageDueAt;
            create({
              case_id: d.caseId,
              clock_id: TRIAGE_TIMER,
              clock_event_id: event.id,
              warn_at: at,
              due_at: at,
              escalate_at: at,
              resume_at: null,
              generation: 0,
              pending: ['triage'],
              next_at: null,
            });
          }
          break;
        }
        case 'SeverityAssigned':
          if (event.data.triage === true) done(event.data.caseId, TRIAGE_TIMER);
          break;
        case 'TriageAtRisk':
          done(event.data.caseId, TRIAGE_TIMER);
          break;
        case 'SlaClockStarted': {
          const d = event.data;
          if (d.replacesClockId) done(d.caseId, d.replacesClockId);
          create({
            case_id: d.caseId,
            clock_id: d.clockId,
            clock_event_id: event.id,
            warn_at: d.warnAt,
            due_at: d.dueAt,
            escalate_at: d.escalateAt,
            resume_at: null,
            generation: 0,
            pending: [...CLOCK_ACTIONS],
            next_at: null,
          });
          break;
        }
        case 'SlaWarningRaised':
          done(event.data.caseId, event.data.clockId, ['warning']);
          break;
        // A breach or an escalation does not make the warning pointless: a warning whose timer
        // has not run yet (after an outage) is still owed, and recorded after them.
        case 'SlaBreached':
          done(event.data.caseId, event.data.clockId, ['breach']);
          break;
        case 'EscalatedToManager':
          if (event.data.automatic && event.data.clockId)
            done(event.data.caseId, event.data.clockId, ['breach', 'escalation']);
          break;
        case 'EscalatedToDutyManager':
          done(event.data.caseId, event.data.clockId, ['breach', 'escalation']);
          break;
        case 'UpdateSent':
          if (event.data.meetsClockId) done(event.data.caseId, event.data.meetsClockId);
          break;
        case 'SlaClockPaused': {
          const d = event.data;
          // A paused clock has no warning, breach or escalation to wait for: only its auto-resume.
          update(d.caseId, d.clockId, (row) => {
            row.pending = ['auto-resume'];
            row.resume_at = d.autoResumeAt;
            row.generation = (row.generation ?? 0) + 1;
            row.clock_event_id = event.id;
          });
          break;
        }
        case 'SlaClockResumed': {
          const d = event.data;
          // Its three timers again, at the moved instants (the decider ignores what is already recorded).
          update(d.caseId, d.clockId, (row) => {
            row.warn_at = d.warnAt;
            row.due_at = d.dueAt;
            row.escalate_at = d.escalateAt;
            row.resume_at = null;
            row.pending = [...CLOCK_ACTIONS];
            row.generation = (row.generation ?? 0) + 1;
            row.clock_event_id = event.id;
          });
          break;
        }
        case 'CaseResolved':
        case 'CaseClosed':
          for (const row of rows.values()) if (row.case_id === event.data.caseId) done(row.case_id, row.clock_id);
          break;
        default:
          break; // the other events touch no timer
      }
    }
    for (const k of [...created, ...changed]) rows.get(k)!.next_at = nextAt(rows.get(k)!);
    const write = (keys: Set<string>, onConflict: string) =>
      keys.size === 0
        ? Promise.resolve()
        : tx.query(
            `insert into sla_clock_timers${s} (case_id, clock_id, clock_event_id, warn_at, due_at, escalate_at, resume_at, generation, pending, next_at)
             select case_id, clock_id, clock_event_id, warn_at, due_at, escalate_at, resume_at, generation, pending, next_at
               from json_to_recordset($1::json) as x(case_id text, clock_id text, clock_event_id text, warn_at timestamptz, due_at timestamptz,
                                                     escalate_at timestamptz, resume_at timestamptz, generation integer, pending text[], next_at timestamptz)
             on conflict (case_id, clock_id) ${onConflict}`,
            [JSON.stringify([...keys].map((k) => rows.get(k)))],
          );
    await write(
      changed,
      `do update set clock_event_id = excluded.clock_event_id, warn_at = excluded.warn_at, due_at = excluded.due_at,
                              escalate_at = excluded.escalate_at, resume_at = excluded.resume_at, generation = excluded.generation,
                              pending = excluded.pending, next_at = excluded.next_at`,
    );
    await write(created, 'do nothing');
    // As written: a created row's clock is new (events after the stored checkpoint were never
    // applied), so 'do nothing' did not keep another version of it.
    for (const [k, row] of rows) cache?.set(k, row);
  },
});
