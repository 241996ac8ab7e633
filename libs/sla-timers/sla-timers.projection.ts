import { RecordedEvent } from '../event-store/event-store';
import { SqlExecutor } from '../event-store/sql/sql-client';
import { Projection } from '../projections/projection';
import { SlaTimerJob, TIMER_ACTIONS, TimerAction } from './sla-timer-job';
import { TimerQueue } from './timer-queue';

/** A clock's pending timers, as the sla_clock_timers table holds them. */
export interface ClockTimersRow extends Record<string, unknown> {
  case_id: string;
  clock_id: string;
  clock_event_id: string;
  /** ISO text when written; the database drivers read timestamptz back as Date. */
  warn_at: string | Date;
  due_at: string | Date;
  escalate_at: string | Date;
  /** The actions not yet done. */
  pending: TimerAction[];
  /** When the first pending one is due; null once none is pending. */
  next_at: string | Date | null;
}

const RUN_AT_COLUMN: Record<TimerAction, 'warn_at' | 'due_at' | 'escalate_at'> = { warning: 'warn_at', breach: 'due_at', escalation: 'escalate_at' };

/** The row's pending timers as jobs. */
export function pendingJobs(row: ClockTimersRow): SlaTimerJob[] {
  return row.pending.map((action) => ({
    caseId: row.case_id,
    clockId: row.clock_id,
    action,
    runAt: new Date(row[RUN_AT_COLUMN[action]]).toISOString(),
    clockEventId: row.clock_event_id,
  }));
}

/**
 * The SLA scheduler, run as a projection so its progress is checkpointed like any other: each
 * SlaClockStarted gives a clock three pending timers (one row of sla_clock_timers); the events
 * that make a timer pointless (warning/breach recorded, clock met, replaced, case resolved or
 * closed) take it off the row's pending list. One row per clock, not per timer: an update meets
 * one clock and starts the next, and this table was the embedded store's largest write per
 * command with three rows (and their index entries) each time (BENCHMARKS.md).
 * Timers due within the arming horizon (see TimerQueue) become BullMQ jobs at once, before the
 * batch's transaction commits, so a crash between the two only re-adds jobs with the same ids;
 * the sweep arms the later ones from the table as they come due, and re-creates lost jobs.
 */
export function slaTimersProjection(queue: TimerQueue | null): Projection {
  return {
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
    async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
      // The batch is worked out in memory, in event order, then written in at most three
      // statements. Taking actions off a list commutes, so the operations on rows of earlier
      // batches are merged as they come: one per clock, and one for the cases whose clocks all end.
      const started: ClockTimersRow[] = [];
      const byClock = new Map<string, { case_id: string; clock_id: string; actions: Set<TimerAction> }>();
      const ended = new Set<string>();
      const done = (caseId: string, clockId: string | null, actions: readonly TimerAction[] = TIMER_ACTIONS) => {
        // Clocks started earlier in this batch are updated here; earlier batches' rows in the table.
        for (const row of started) {
          if (row.case_id === caseId && (clockId === null || row.clock_id === clockId)) {
            row.pending = row.pending.filter((action) => !actions.includes(action));
          }
        }
        if (clockId === null) {
          ended.add(caseId);
          return;
        }
        const key = `${caseId}\n${clockId}`;
        const entry = byClock.get(key) ?? { case_id: caseId, clock_id: clockId, actions: new Set<TimerAction>() };
        for (const action of actions) entry.actions.add(action);
        byClock.set(key, entry);
      };
      for (const event of events) {
        const d = event.data as Record<string, any>;
        switch (event.type) {
          case 'SlaClockStarted': {
            if (d.replacesClockId) done(d.caseId, d.replacesClockId);
            started.push({
              case_id: d.caseId,
              clock_id: d.clockId,
              clock_event_id: event.id,
              warn_at: d.warnAt,
              due_at: d.dueAt,
              escalate_at: d.escalateAt,
              pending: [...TIMER_ACTIONS],
              next_at: null,
            });
            break;
          }
          case 'SlaWarningRaised':
            done(d.caseId, d.clockId, ['warning']);
            break;
          // A breach or an escalation does not make the warning pointless: a warning whose timer
          // has not run yet (after an outage) is still owed, and recorded after them.
          case 'SlaBreached':
            done(d.caseId, d.clockId, ['breach']);
            break;
          case 'EscalatedToManager':
            if (d.automatic && d.clockId) done(d.caseId, d.clockId, ['breach', 'escalation']);
            break;
          case 'UpdateSent':
            if (d.meetsClockId) done(d.caseId, d.meetsClockId);
            break;
          case 'CaseResolved':
          case 'CaseClosed':
            done(d.caseId, null);
            break;
        }
      }
      // Rows of earlier batches first (this batch's new rows carry their own pending list).
      if (byClock.size) {
        await tx.query(
          `update sla_clock_timers${s} t
              set pending = array(select a from unnest(t.pending) a where a <> all(d.actions)),
                  next_at = (select min(case a when 'warning' then t.warn_at when 'breach' then t.due_at else t.escalate_at end)
                               from unnest(t.pending) a where a <> all(d.actions))
             from json_to_recordset($1::json) as d(case_id text, clock_id text, actions text[])
            where t.case_id = d.case_id and t.clock_id = d.clock_id and t.next_at is not null`,
          [JSON.stringify([...byClock.values()].map((e) => ({ ...e, actions: [...e.actions] })))],
        );
      }
      if (ended.size) {
        await tx.query(`update sla_clock_timers${s} set pending = '{}', next_at = null where case_id = any($1) and next_at is not null`, [[...ended]]);
      }
      for (const row of started) {
        row.next_at = pendingJobs(row).map((job) => job.runAt).sort()[0] ?? null;
      }
      if (started.length) {
        await tx.query(
          `insert into sla_clock_timers${s} (case_id, clock_id, clock_event_id, warn_at, due_at, escalate_at, pending, next_at)
           select case_id, clock_id, clock_event_id, warn_at, due_at, escalate_at, pending, next_at
             from json_to_recordset($1::json) as x(case_id text, clock_id text, clock_event_id text, warn_at timestamptz,
                                                     due_at timestamptz, escalate_at timestamptz, pending text[], next_at timestamptz)
           on conflict (case_id, clock_id) do nothing`,
          [JSON.stringify(started)],
        );
      }
      // A rebuild (suffix) only recomputes the table: the live scheduler owns the jobs.
      if (queue && s === '') await queue.scheduleImminent(started.flatMap(pendingJobs));
    },
  };
}
