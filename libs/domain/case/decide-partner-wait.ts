import { IllegalStateError } from '../shared/domain-errors';
import {
  AutoResumeClock,
  AwaitPartner,
  CaseContext,
  RaiseTriageAlert,
  RecordPartnerReply,
  ResumeClock,
} from './case.commands';
import { CaseEvent, ClockResumeCause } from './case.events';
import { requireOpen, requireStatus, requireWorkedCase } from './case.guards';
import { Case, CaseState, findClock } from './case.state';
import { SYSTEM_ACTOR } from './case.types';
import { isBefore } from './instants';
import { logUpdate } from './decide-lifecycle';
import { pauseClock, pausedClocks, resumeClock } from './sla-clocks';

/**
 * Waiting on the partner (Zendesk "pending", Jira SM pause conditions, ServiceNow pause/resume).
 * Staff send what they need as an update (it answers the running clock like any update); the
 * next-update clock starts paused. It resumes on the partner's reply, on staff's word, or by
 * itself after the policy's autoResumeAfter; its instants then move later by the paused time.
 */
export function awaitPartner({ data }: AwaitPartner, state: CaseState, context: CaseContext): CaseEvent[] {
  const open = requireStatus(requireWorkedCase(state, 'wait on the partner'), ['open'], 'wait on the partner');
  if (open.severity === null) {
    throw new IllegalStateError(`cannot wait on the partner: case ${open.reference} has no severity (set one first)`, {
      severity: null,
    });
  }
  const update = logUpdate(
    { data: { channel: data.channel ?? 'email', summary: data.summary, by: data.by } },
    open,
    context,
  );
  const next = update.find((e) => e.type === 'SlaClockStarted' && e.data.clock === 'nextUpdate');
  if (next?.type !== 'SlaClockStarted')
    throw new Error('an update on a case with a severity starts a next-update clock');
  const autoResumeAt = new Date(Date.parse(context.now) + context.clocks.caseRules.autoResumeAfterMs).toISOString();
  return [
    ...update,
    {
      type: 'AwaitingPartner',
      data: {
        caseId: open.caseId,
        reason: data.reason,
        summary: data.summary,
        by: data.by,
        autoResumeAt,
        at: context.now,
      },
    },
    pauseClock(open, next.data, { reason: data.reason, pausedAt: context.now, autoResumeAt }, data.by, context.now),
  ];
}

function resumeAll(state: Case, cause: ClockResumeCause, by: string, context: CaseContext): CaseEvent[] {
  return pausedClocks(state).map((clock) => resumeClock(state, clock, clock.pausedAt!, cause, by, context));
}

/** Recorded on an open case too (the partner may write at any time); it resumes a paused clock. */
export function recordPartnerReply({ data }: RecordPartnerReply, state: CaseState, context: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'record a partner reply');
  const replied: CaseEvent = {
    type: 'PartnerReplied',
    data: { caseId: open.caseId, summary: data.summary, by: data.by, at: context.now },
  };
  return [...resumeAll(open, 'partner-replied', data.by, context), replied];
}

export function resume({ data }: ResumeClock, state: CaseState, context: CaseContext): CaseEvent[] {
  const waiting = requireStatus(requireWorkedCase(state, 'resume the clock'), ['awaiting-partner'], 'resume the clock');
  const events = resumeAll(waiting, 'staff', data.by, context);
  if (events.length === 0) throw new IllegalStateError(`case ${waiting.reference} has no paused clock`);
  return events;
}

/**
 * The auto-resume timer. Like the other timers: idempotent ([] for a clock no longer paused, or
 * replaced), refused before its instant (details.notBefore) so the scheduler waits.
 */
export function autoResume({ data }: AutoResumeClock, state: CaseState, context: CaseContext): CaseEvent[] {
  const worked = requireWorkedCase(state, 'resume a paused clock');
  const clock = findClock(worked, data.clockId);
  if (!clock || clock.state !== 'paused' || !clock.pausedAt || !clock.autoResumeAt) return [];
  if (isBefore(context.now, clock.autoResumeAt)) {
    throw new IllegalStateError(`the auto-resume of clock ${clock.clockId} is not due before ${clock.autoResumeAt}`, {
      clockId: clock.clockId,
      notBefore: clock.autoResumeAt,
    });
  }
  return [resumeClock(worked, clock, clock.pausedAt, 'auto-resume', SYSTEM_ACTOR, context)];
}

/** The triage timer: an open case still untriaged at triageDueAt raises an at-risk alert, once. */
export function raiseTriageAlert(_command: RaiseTriageAlert, state: CaseState, { now }: CaseContext): CaseEvent[] {
  if (state === null || !['open', 'awaiting-partner'].includes(state.status)) return [];
  const { triageDueAt } = state;
  if ((state.triagedAt ?? null) !== null || (state.triageAtRiskAt ?? null) !== null || !triageDueAt) return [];
  if (isBefore(now, triageDueAt)) {
    throw new IllegalStateError(`the triage alert of case ${state.reference} is not due before ${triageDueAt}`, {
      notBefore: triageDueAt,
    });
  }
  return [
    {
      type: 'TriageAtRisk',
      data: {
        caseId: state.caseId,
        clock: 'triage',
        severity: state.severity,
        triageDueAt,
        submittedAt: state.submittedAt,
        at: now,
      },
    },
  ];
}
