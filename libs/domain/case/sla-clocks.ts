import type { CalendarLocation, ClockKind } from '../sla/sla-clock';
import { isoDurationOf } from '../sla/iso-duration';
import { CaseContext } from './case.commands';
import {
  CaseEvent,
  ClockPause,
  ClockResumeCause,
  ClockStartCause,
  SlaBreached,
  SlaClockPaused,
  SlaClockResumed,
  SlaClockStarted,
  UpdateReminderSent,
} from './case.events';
import { Case, SlaClock, liveClocks } from './case.state';
import { Severity } from './case.types';
import { isAtOrAfter } from './instants';

/** Deterministic: the n-th clock started on this case, whatever its kind. */
export const clockIdFor = (kind: ClockKind, n: number): string => `${kind}-${n}`;

/** The kind of clock an open case runs while nobody has answered it yet, or after it was answered. */
export const pendingClockKind = (state: Case): ClockKind =>
  state.initialResponseAt === null ? 'initialResponse' : 'nextUpdate';

/** Where the case's business clocks count: the contact's zone and country. */
export const locationOf = (state: Case): CalendarLocation => {
  const { timeZone, country, region } = state.contact;
  return { timeZone, ...(country ? { country } : {}), ...(country && region ? { region } : {}) };
};

/**
 * `pauses`: intervals the replaced clock stood still (severity change of a clock paused before);
 * measured again in the new severity's calendar and added to every instant.
 */
export function startClock(
  state: Case,
  kind: ClockKind,
  severity: Severity,
  startedAt: string,
  cause: ClockStartCause,
  context: CaseContext,
  replacesClockId: string | null = null,
  pauses: readonly ClockPause[] = [],
): SlaClockStarted {
  const location = locationOf(state);
  const due = context.clocks.clockFor(kind, severity, startedAt, location);
  const pausedMs = pauses.reduce(
    (sum, p) => sum + context.clocks.clockTimeBetween(severity, p.from, p.to, location),
    0,
  );
  const shift = (instant: string) =>
    pausedMs > 0 ? context.clocks.addClockTime(severity, instant, pausedMs, location) : instant;
  return {
    type: 'SlaClockStarted',
    data: {
      caseId: state.caseId,
      clock: kind,
      clockId: clockIdFor(kind, state.clocksStarted + 1),
      severity,
      startedAt,
      dueAt: shift(due.dueAt),
      warnAt: shift(due.warnAt),
      escalateAt: shift(due.escalateAt),
      policyVersion: due.policyVersion,
      policyHash: due.policyHash,
      calendar: due.calendar,
      location,
      cause,
      replacesClockId,
      ...(pauses.length ? { pauses, pausedMs } : {}),
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
export function restartRunningClocks(state: Case, context: CaseContext, by: string): CaseEvent[] {
  const severity = state.severity;
  if (severity === null) return [];
  // A paused clock restarts too (keeping the time it stood still) and stays paused: a pause
  // survives a severity change.
  const running = liveClocks(state).filter(
    (c) => c.state === 'running' || c.state === 'warning' || c.state === 'paused',
  );
  return running.flatMap((clock, i) => {
    const restarted = startClock(
      { ...state, clocksStarted: state.clocksStarted + i },
      clock.clock,
      severity,
      clock.startedAt,
      'severity-changed',
      context,
      clock.clockId,
      clock.pauses ?? [],
    );
    if (clock.state !== 'paused' || !clock.pausedAt || !clock.pauseReason || !clock.autoResumeAt) return [restarted];
    const pause = { reason: clock.pauseReason, pausedAt: clock.pausedAt, autoResumeAt: clock.autoResumeAt };
    return [restarted, pauseClock(state, restarted.data, pause, by, context.now)];
  });
}

export function pauseClock(
  state: Case,
  clock: Pick<SlaClockStarted['data'], 'clock' | 'clockId'>,
  pause: Pick<SlaClockPaused['data'], 'reason' | 'pausedAt' | 'autoResumeAt'>,
  by: string,
  now: string,
): SlaClockPaused {
  return {
    type: 'SlaClockPaused',
    data: { caseId: state.caseId, clock: clock.clock, clockId: clock.clockId, ...pause, by, at: now },
  };
}

/**
 * A clock that stood still since `pausedAt` runs again: its due, warning and escalation instants
 * move later by exactly the clock time between pausedAt and now, in the clock's own calendar
 * (plain elapsed time on 24x7, business time on a business calendar).
 */
export function resumeClock(
  state: Case,
  clock: SlaClock,
  pausedAt: string,
  cause: ClockResumeCause,
  by: string,
  context: CaseContext,
): SlaClockResumed {
  const location = locationOf(state);
  const { severity } = clock;
  const pausedMs = Math.max(0, context.clocks.clockTimeBetween(severity, pausedAt, context.now, location));
  const shift = (instant: string) => context.clocks.addClockTime(severity, instant, pausedMs, location);
  return {
    type: 'SlaClockResumed',
    data: {
      caseId: state.caseId,
      clock: clock.clock,
      clockId: clock.clockId,
      cause,
      pausedAt,
      resumedAt: context.now,
      pausedMs,
      pausedFor: isoDurationOf(pausedMs),
      dueAt: shift(clock.dueAt),
      warnAt: shift(clock.warnAt),
      escalateAt: shift(clock.escalateAt),
      by,
      at: context.now,
    },
  };
}

/** The clocks standing still now (waiting on the partner). */
export const pausedClocks = (state: Case): SlaClock[] => liveClocks(state).filter((c) => c.state === 'paused');

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
