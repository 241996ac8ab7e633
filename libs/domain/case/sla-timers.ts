import { IllegalStateError } from '../shared/domain-errors';
import { CaseContext, EscalateOverdue, RaiseSlaWarning, RecordSlaBreach } from './case.commands';
import { CaseEvent } from './case.events';
import { requireWorkedCase } from './case.guards';
import { CaseState, SlaClock, findClock } from './case.state';
import { SYSTEM_ACTOR } from './case.types';
import { isBefore } from './instants';
import { breachEvents, catchUpBreaches } from './sla-clocks';

/**
 * Timer commands arrive from the scheduler, possibly late, repeated, or for a clock that has since
 * been replaced, met or stopped. All of those are normal: the answer is [] (nothing to record).
 * A timer that fires BEFORE its instant is refused (IllegalStateError, details.notBefore) so the
 * scheduler retries instead of recording something that has not happened yet.
 */
function notBefore(clock: SlaClock, instant: string, now: string, what: string): void {
  if (isBefore(now, instant)) {
    throw new IllegalStateError(`${what} of clock ${clock.clockId} is not due before ${instant}`, {
      clockId: clock.clockId,
      notBefore: instant,
    });
  }
}

const isUnanswered = (clock: SlaClock): boolean => clock.metAt === undefined && clock.stoppedAt === undefined;

/**
 * The warning of a clock that reached its warnAt unanswered is owed, exactly once (warnedAt), even
 * when it is recorded late: after an outage the breach job may run first, and the warning still
 * comes after it (the clock then stays 'breached'). The event's `warnAt` is the instant the clock
 * became at risk; its `at` is when the warning was recorded (later than warnAt when it was late).
 * A warning job that runs first when its clock is already past due records the breach before the
 * warning (catchUpBreaches, as an update or a resolution does), so that a warning never stands in
 * the history of a clock as if it were not breached yet. An answered (met) or stopped clock is
 * owed nothing any more.
 */
export function raiseSlaWarning({ data }: RaiseSlaWarning, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const worked = requireWorkedCase(state, 'raise an SLA warning');
  const clock = findClock(worked, data.clockId);
  if (!clock || clock.warnedAt !== undefined || !isUnanswered(clock)) return [];
  if (clock.state !== 'running' && clock.state !== 'breached') return [];
  notBefore(clock, clock.warnAt, now, 'the warning');
  return [
    ...catchUpBreaches(worked, now, true),
    {
      type: 'SlaWarningRaised',
      data: {
        caseId: worked.caseId,
        clock: clock.clock,
        clockId: clock.clockId,
        severity: clock.severity,
        warnAt: clock.warnAt,
        dueAt: clock.dueAt,
        engineerId: worked.engineerId,
        at: now,
      },
    },
  ];
}

/** The breach, an alert-worthy fact, and a reminder to the assigned engineer (if any). */
export function recordSlaBreach({ data }: RecordSlaBreach, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const worked = requireWorkedCase(state, 'record an SLA breach');
  const clock = findClock(worked, data.clockId);
  if (!clock || (clock.state !== 'running' && clock.state !== 'warning') || !isUnanswered(clock)) return [];
  notBefore(clock, clock.dueAt, now, 'the breach');
  return breachEvents(worked, clock, 'timer', true, now);
}

/**
 * An update still overdue at escalateAt goes to the engineer's manager, once per clock. A case
 * without an engineer, or whose engineer has no manager, goes to the duty manager (the handler
 * reads who is on duty now); with nobody on duty the escalation is recorded as unowned
 * (dutyManagerId null). A clock found past due but whose breach timer never ran is recorded as
 * breached first.
 */
export function escalateOverdue({ data }: EscalateOverdue, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const worked = requireWorkedCase(state, 'escalate an overdue update');
  const clock = findClock(worked, data.clockId);
  if (!clock || !isUnanswered(clock) || clock.escalatedAt !== undefined) return [];
  if (clock.state === 'paused') return []; // waiting on the partner: nothing is overdue
  notBefore(clock, clock.escalateAt, now, 'the escalation');
  const breach = clock.state === 'breached' ? [] : breachEvents(worked, clock, 'catch-up', true, now);
  if (worked.engineerId === null || worked.managerId === null) {
    return [
      ...breach,
      {
        type: 'EscalatedToDutyManager',
        data: {
          caseId: worked.caseId,
          engineerId: worked.engineerId,
          dutyManagerId: data.dutyManagerId ?? null,
          reason:
            worked.engineerId === null
              ? 'update overdue; no engineer assigned'
              : `update overdue; engineer ${worked.engineerId} has no manager`,
          by: SYSTEM_ACTOR,
          automatic: true,
          clockId: clock.clockId,
          at: now,
        },
      },
    ];
  }
  return [
    ...breach,
    {
      type: 'EscalatedToManager',
      data: {
        caseId: worked.caseId,
        engineerId: worked.engineerId,
        managerId: worked.managerId,
        reason: 'update overdue',
        by: SYSTEM_ACTOR,
        automatic: true,
        clockId: clock.clockId,
        at: now,
      },
    },
  ];
}
