import type { ClockKind } from '../sla/sla-clock';
import { CaseContext } from './case.commands';
import { CaseEvent, ClockStartCause, SlaBreached, SlaClockStarted, UpdateReminderSent } from './case.events';
import { Case, SlaClock, liveClocks } from './case.state';
import { Severity } from './case.types';
import { isAtOrAfter } from './instants';

/** Deterministic: the n-th clock started on this case, whatever its kind. */
export const clockIdFor = (kind: ClockKind, n: number): string => `${kind}-${n}`;

/** The kind of clock an open case runs while nobody has answered it yet, or after it was answered. */
export const pendingClockKind = (state: Case): ClockKind =>
  state.initialResponseAt === null ? 'initialResponse' : 'nextUpdate';

export function startClock(
  state: Case,
  kind: ClockKind,
  severity: Severity,
  startedAt: string,
  cause: ClockStartCause,
  context: CaseContext,
  replacesClockId: string | null = null,
): SlaClockStarted {
  const { timeZone, country, region } = state.contact;
  const location = { timeZone, ...(country ? { country } : {}), ...(country && region ? { region } : {}) };
  const due = context.clocks.clockFor(kind, severity, startedAt, location);
  return {
    type: 'SlaClockStarted',
    data: {
      caseId: state.caseId,
      clock: kind,
      clockId: clockIdFor(kind, state.clocksStarted + 1),
      severity,
      startedAt,
      dueAt: due.dueAt,
      warnAt: due.warnAt,
      escalateAt: due.escalateAt,
      policyVersion: due.policyVersion,
      policyHash: due.policyHash,
      calendar: due.calendar,
      location,
      cause,
      replacesClockId,
      at: context.now,
    },
  };
}

/**
 * The severity-change rule: each clock still running (or warning) restarts under the new severity
 * from its ORIGINAL startedAt, with a new clockId, so elapsed time is kept and due instants move.
 * Met, breached and stopped clocks are facts and stay as they are. `state` must already carry the
 * new severity and any catch-up breach (see catchUpBreaches).
 */
export function restartRunningClocks(state: Case, context: CaseContext): SlaClockStarted[] {
  const severity = state.severity;
  if (severity === null) return [];
  const running = liveClocks(state).filter((c) => c.state === 'running' || c.state === 'warning');
  return running.map((clock, i) =>
    startClock(
      { ...state, clocksStarted: state.clocksStarted + i },
      clock.clock,
      severity,
      clock.startedAt,
      'severity-changed',
      context,
      clock.clockId,
    ),
  );
}

export function breachEvents(
  state: Case,
  clock: SlaClock,
  detectedBy: SlaBreached['data']['detectedBy'],
  remind: boolean,
  now: string,
): CaseEvent[] {
  const breached: SlaBreached = {
    type: 'SlaBreached',
    data: {
      caseId: state.caseId,
      clock: clock.clock,
      clockId: clock.clockId,
      severity: clock.severity,
      dueAt: clock.dueAt,
      breachedAt: clock.dueAt,
      engineerId: state.engineerId,
      detectedBy,
      at: now,
    },
  };
  if (!remind || state.engineerId === null) return [breached];
  const reminder: UpdateReminderSent = {
    type: 'UpdateReminderSent',
    data: {
      caseId: state.caseId,
      clockId: clock.clockId,
      engineerId: state.engineerId,
      reason: `${clock.clock} objective breached at ${clock.dueAt}`,
      at: now,
    },
  };
  return [breached, reminder];
}

/**
 * Timers may fire late. Before a decision that moves or answers clocks, a clock found past its
 * dueAt but not yet recorded as breached is recorded as breached first, so that a late timer can
 * never hide a breach (a restart would otherwise move its due instant, an update would "meet" it).
 * `remind`: whether the engineer still needs a reminder (not when the engineer is the one acting).
 */
export function catchUpBreaches(state: Case, now: string, remind: boolean): CaseEvent[] {
  return liveClocks(state)
    .filter((c) => (c.state === 'running' || c.state === 'warning') && isAtOrAfter(now, c.dueAt))
    .flatMap((c) => breachEvents(state, c, 'catch-up', remind, now));
}
