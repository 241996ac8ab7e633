import { RecordedEvent } from '../event-store/event-store';
import { SqlExecutor } from '../event-store/sql/sql-client';
import { Projection } from '../projections/projection';
import { SlaTimerJob, TIMER_ACTIONS, TimerAction, timerJobId } from './sla-timer-job';
import { TimerQueue } from './timer-queue';

/**
 * The SLA scheduler, run as a projection so its progress is checkpointed like any other: each
 * SlaClockStarted gives three pending timers (rows in sla_timers); the events that make a timer
 * pointless (warning/breach recorded, clock met, replaced, case resolved or closed) mark it done.
 * Timers due within the arming horizon (see TimerQueue) become BullMQ jobs at once, before the
 * batch's transaction commits, so a crash between the two only re-adds jobs with the same ids;
 * the sweep arms the later ones from sla_timers as they come due, and re-creates lost jobs.
 */
export function slaTimersProjection(queue: TimerQueue | null): Projection {
  return {
    name: 'sla-timers',
    tables: ['sla_timers'],
    schema: (s) => `
      create table if not exists sla_timers${s} (
        job_id text primary key,
        case_id text not null,
        clock_id text not null,
        action text not null,
        run_at timestamptz not null,
        clock_event_id text not null,
        done boolean not null default false
      );
      -- The sweep's walk: pending timers in the order they come due.
      drop index if exists sla_timers_pending${s};
      create index if not exists sla_timers_due${s} on sla_timers${s} (run_at, job_id) where not done;
      create index if not exists sla_timers_case${s} on sla_timers${s} (case_id);
    `,
    async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
      // The batch is worked out in memory, in event order, then written in two statements.
      const started: Array<SlaTimerJob & { jobId: string; done: boolean }> = [];
      const doneOps: Array<{ case_id: string; clock_id: string | null; actions: readonly TimerAction[] }> = [];
      const done = (caseId: string, clockId: string | null, actions: readonly TimerAction[] = TIMER_ACTIONS) => {
        // Timers started earlier in this batch are marked here; earlier batches' rows in the table.
        for (const job of started) {
          if (job.caseId === caseId && (clockId === null || job.clockId === clockId) && actions.includes(job.action)) job.done = true;
        }
        doneOps.push({ case_id: caseId, clock_id: clockId, actions });
      };
      for (const event of events) {
        const d = event.data as Record<string, any>;
        switch (event.type) {
          case 'SlaClockStarted': {
            if (d.replacesClockId) done(d.caseId, d.replacesClockId);
            const runAt: Record<TimerAction, string> = { warning: d.warnAt, breach: d.dueAt, escalation: d.escalateAt };
            for (const action of TIMER_ACTIONS) {
              const job = { caseId: d.caseId, clockId: d.clockId, action, runAt: runAt[action], clockEventId: event.id };
              started.push({ ...job, jobId: timerJobId(job.caseId, job.clockId, action), done: false });
            }
            break;
          }
          case 'SlaWarningRaised':
            done(d.caseId, d.clockId, ['warning']);
            break;
          case 'SlaBreached':
            done(d.caseId, d.clockId, ['warning', 'breach']);
            break;
          case 'EscalatedToManager':
            if (d.automatic && d.clockId) done(d.caseId, d.clockId);
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
      // Rows of earlier batches first (this batch's new rows carry their own done flag).
      if (doneOps.length) {
        await tx.query(
          `update sla_timers${s} t set done = true
             from json_to_recordset($1::json) as d(case_id text, clock_id text, actions text[])
            where t.case_id = d.case_id and (d.clock_id is null or t.clock_id = d.clock_id) and t.action = any(d.actions) and not t.done`,
          [JSON.stringify(doneOps)],
        );
      }
      if (started.length) {
        await tx.query(
          `insert into sla_timers${s} (job_id, case_id, clock_id, action, run_at, clock_event_id, done)
           select job_id, case_id, clock_id, action, run_at, clock_event_id, done
             from json_to_recordset($1::json) as x(job_id text, case_id text, clock_id text, action text, run_at timestamptz,
                                                     clock_event_id text, done boolean)
           on conflict (job_id) do nothing`,
          [
            JSON.stringify(
              started.map((j) => ({ job_id: j.jobId, case_id: j.caseId, clock_id: j.clockId, action: j.action, run_at: j.runAt, clock_event_id: j.clockEventId, done: j.done })),
            ),
          ],
        );
      }
      // A rebuild (suffix) only recomputes the table: the live scheduler owns the jobs.
      const due = started.filter((j) => !j.done).map(({ jobId: _id, done: _done, ...job }) => job);
      if (queue && s === '') await queue.scheduleImminent(due);
    },
  };
}
