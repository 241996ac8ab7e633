import { AssignSeverity, CaseContext, SetPartnerAvailability } from './case.commands';
import { CaseEvent, NOT_AVAILABLE_24X7, SeverityLowered } from './case.events';
import { replayCase as replay } from './case.evolve';
import { requireOpen } from './case.guards';
import { ACTIVE_STATUSES, Case, CaseState } from './case.state';
import { Severity } from './case.types';
import { catchUpBreaches, pendingClockKind, restartRunningClocks, startClock } from './sla-clocks';

export function lowered(state: Case, by: string, at: string): SeverityLowered {
  return {
    type: 'SeverityLowered',
    data: { caseId: state.caseId, from: 'A', to: 'B', reason: NOT_AVAILABLE_24X7, by, at },
  };
}

/**
 * What follows once the severity has changed (the events so far are `changes`): the first
 * severity of an open case starts its clock from now (the initial response, or the next update
 * if someone already answered); a later change restarts running clocks (restartRunningClocks).
 * Overdue clocks are recorded as breached before anything moves.
 */
export function followSeverityChange(
  before: Case,
  changes: CaseEvent[],
  context: CaseContext,
  by: string,
): CaseEvent[] {
  const after = replay(before, changes);
  if (after.severity === before.severity || after.severity === null || !ACTIVE_STATUSES.includes(after.status))
    return changes;
  if (before.severity === null) {
    // Only on cases submitted before every open case got a clock at submission.
    return [
      ...changes,
      startClock(after, pendingClockKind(after), after.severity, context.now, 'severity-assigned', context),
    ];
  }
  const breaches = catchUpBreaches(before, context.now, true);
  const restarts = restartRunningClocks(replay(after, breaches), context, by);
  return [...breaches, ...changes, ...restarts];
}

/** The severity as asked, then A without a 24x7 partner lowered to B (SeverityLowered). */
export function severityEvents(
  state: Case,
  severity: Severity,
  reason: string,
  by: string,
  triage: boolean,
  now: string,
): CaseEvent[] {
  const changes: CaseEvent[] = [
    {
      type: 'SeverityAssigned',
      data: { caseId: state.caseId, severity, previousSeverity: state.severity, reason, by, triage, at: now },
    },
  ];
  if (severity === 'A' && !state.partnerAvailable24x7) changes.push(lowered(state, by, now));
  return changes;
}

/**
 * AssignSeverity by staff: the vendor decides the severity. The first one is the triage
 * (`triage: true`, recorded as triagedAt/triagedBy), even when it confirms the severity the case
 * already runs under. The request is recorded as asked; A without a 24x7 partner is then lowered
 * to B by a SeverityLowered (so `lowered` is derivable from the history and from
 * state.severityLowered). Clocks follow the effective severity only (the severity-change rule).
 */
export function assignSeverity({ data }: AssignSeverity, state: CaseState, context: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'assign a severity');
  const { severity, reason, by } = data;
  const triage = (open.triagedAt ?? null) === null;
  return followSeverityChange(open, severityEvents(open, severity, reason, by, triage, context.now), context, by);
}

export function setPartnerAvailability(
  { data }: SetPartnerAvailability,
  state: CaseState,
  context: CaseContext,
): CaseEvent[] {
  const open = requireOpen(state, 'change the partner availability');
  if (open.partnerAvailable24x7 === data.available24x7) return [];
  const changes: CaseEvent[] = [
    {
      type: 'PartnerAvailabilityChanged',
      data: { caseId: open.caseId, available24x7: data.available24x7, by: data.by, at: context.now },
    },
  ];
  if (!data.available24x7 && open.severity === 'A') changes.push(lowered(open, data.by, context.now));
  return followSeverityChange(open, changes, context, data.by);
}
