import { RecordedEvent } from '../event-store/event-store';
import { SqlExecutor } from '../event-store/sql/sql-client';
import { Projection } from '../projections/projection';
import { SlaTimerJob, TIMER_ACTIONS, TimerAction, timerJobId } from './sla-timer-job';
import { TimerQueue } from './timer-queue';

/**
 * The SLA scheduler, run as a projection so its progress is checkpointed like any other: each
 * SlaClockStarted gives three pending timers (rows in sla_timers, jobs in BullMQ); the events
 * that make a timer pointless (warning/breach recorded, clock met, replaced, case resolved or
 * closed) mark it done. Jobs are added before the batch's transaction commits, so a crash between
 * the two only re-adds jobs with the same ids. The sweep re-creates lost jobs from sla_timers.
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
      create index if not exists sla_timers_pending${s} on sla_timers${s} (job_id) where not done;
      create index if not exists sla_timers_case${s} on sla_timers${s} (case_id);
    `,
    async apply(tx: SqlExecutor, events: RecordedEvent[], s: string): Promise<void> {
      const pending = new Map<string, SlaTimerJob>();
      const done = async (caseId: string, clockId: string | null, actions: readonly TimerAction[] = TIMER_ACTIONS) => {
        for (const job of pending.values()) {
          if (job.caseId === caseId && (clockId === null || job.clockId === clockId) && actions.includes(job.action)) {
            pending.delete(timerJobId(job.caseId, job.clockId, job.action));
          }
        }
        await tx.query(
          `update sla_timers${s} set done = true where case_id = $1 and ($2::text is null or clock_id = $2) and action = any($3) and not done`,
          [caseId, clockId, actions],
        );
      };
      for (const event of events) {
        const d = event.data as Record<string, any>;
        switch (event.type) {
          case 'SlaClockStarted': {
            if (d.replacesClockId) await done(d.caseId, d.replacesClockId);
            const runAt: Record<TimerAction, string> = { warning: d.warnAt, breach: d.dueAt, escalation: d.escalateAt };
            for (const action of TIMER_ACTIONS) {
              const job: SlaTimerJob = { caseId: d.caseId, clockId: d.clockId, action, runAt: runAt[action], clockEventId: event.id };
              const id = timerJobId(job.caseId, job.clockId, action);
              pending.set(id, job);
              await tx.query(
                `insert into sla_timers${s} (job_id, case_id, clock_id, action, run_at, clock_event_id) values ($1, $2, $3, $4, $5, $6)
                 on conflict (job_id) do nothing`,
                [id, job.caseId, job.clockId, action, job.runAt, job.clockEventId],
              );
            }
            break;
          }
          case 'SlaWarningRaised':
            await done(d.caseId, d.clockId, ['warning']);
            break;
          case 'SlaBreached':
            await done(d.caseId, d.clockId, ['warning', 'breach']);
            break;
          case 'EscalatedToManager':
            if (d.automatic && d.clockId) await done(d.caseId, d.clockId);
            break;
          case 'UpdateSent':
            if (d.meetsClockId) await done(d.caseId, d.meetsClockId);
            break;
          case 'CaseResolved':
          case 'CaseClosed':
            await done(d.caseId, null);
            break;
        }
      }
      // A rebuild (suffix) only recomputes the table: the live scheduler owns the jobs.
      if (queue && s === '') await queue.schedule([...pending.values()]);
    },
  };
}
