import { SqlClient } from '../event-store/sql/sql-client';
import { StoredEvent } from '../events/stored-event';
import { domainReactor } from '../projections/reactor';
import { TRIAGE_TIMER } from './sla-timer-job';
import { readClockTimers } from './read-clock-timers';
import { pendingJobs } from './sla-timers.projection';
import { TimerQueue } from './timer-queue';

/** The clocks whose timers an event (re)starts: a new clock, a triage timer, a pause, a resumption. */
function armedBy(event: StoredEvent): { case_id: string; clock_id: string } | null {
  switch (event.type) {
    case 'CaseSubmitted':
      return event.data.triageDueAt ? { case_id: event.data.caseId, clock_id: TRIAGE_TIMER } : null;
    case 'SlaClockStarted':
    case 'SlaClockPaused':
    case 'SlaClockResumed':
      return { case_id: event.data.caseId, clock_id: event.data.clockId };
    default:
      return null;
  }
}

/**
 * Arms the SLA timers that are due within the horizon (TimerQueue) as BullMQ jobs, as soon as
 * their clock starts, pauses or resumes. It runs after the sla-timers projection in the same
 * runner, so it reads that projection's committed rows: what is still pending now, at the
 * instants and generation the row holds (a timer already done is not armed). At least once:
 * a batch handed over again re-adds jobs with the same deterministic ids, which BullMQ ignores;
 * a job lost anyway (Redis wiped) is re-created by the sweep, which also arms the later timers.
 */
export function slaTimerArmingReactor(sql: SqlClient, queue: TimerQueue) {
  return domainReactor({
    name: 'sla-timer-arming',
    followsProjections: true,
    async react(events) {
      const keys = new Map<string, { case_id: string; clock_id: string }>();
      for (const event of events) {
        const clock = armedBy(event);
        if (clock) keys.set(`${clock.case_id}\n${clock.clock_id}`, clock);
      }
      if (keys.size === 0) return;
      const rows = await readClockTimers(sql, '', { clocks: [...keys.values()], pendingOnly: true });
      await queue.scheduleImminent(rows.flatMap(pendingJobs));
    },
  });
}
