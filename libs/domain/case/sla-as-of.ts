import { isoDurationOf } from '../sla/iso-duration';
import { Case, CaseSla, SlaClock, SlaClockState } from './case.state';
import { isAtOrAfter } from './instants';

/**
 * A clock as seen at an instant: `state` is what was true then, `recordedState` what the system
 * had recorded by then (they differ while a timer is late: true `breached`, recorded `running`).
 * `pausedFor`: how long it stood still in its own calendar, finished pauses plus the current one.
 */
export type ClockAsOf = SlaClock & { readonly recordedState: SlaClockState; readonly pausedFor?: string };

/** Clock time between two instants in that clock's calendar (the SLA engine's answer); real time by default. */
export type PausedTime = (clock: SlaClock, from: string, to: string) => number;
const realTime: PausedTime = (_clock, from, to) => Math.max(0, Date.parse(to) - Date.parse(from));

/**
 * A clock as it truly stood at `instant`: a running clock past its warnAt was at risk and past its
 * dueAt was breached, whether or not the timer had fired (timers may fire late). Recorded
 * states (met, stopped, breached, paused) are facts and are returned as they are.
 */
export function clockAsOf(clock: SlaClock, instant: string, pausedTime: PausedTime = realTime): ClockAsOf {
  const recorded = { ...clock, recordedState: clock.state, ...pausedForOf(clock, instant, pausedTime) };
  if (clock.state !== 'running' && clock.state !== 'warning') return recorded;
  if (isAtOrAfter(instant, clock.dueAt)) {
    return { ...recorded, state: 'breached', warnedAt: clock.warnedAt ?? clock.warnAt, breachedAt: clock.dueAt };
  }
  if (clock.state === 'running' && isAtOrAfter(instant, clock.warnAt)) {
    return { ...recorded, state: 'warning', warnedAt: clock.warnAt };
  }
  return recorded;
}

function pausedForOf(clock: SlaClock, instant: string, pausedTime: PausedTime): { pausedFor?: string } {
  const current = clock.state === 'paused' && clock.pausedAt ? pausedTime(clock, clock.pausedAt, instant) : 0;
  const total = (clock.pausedMs ?? 0) + current;
  return clock.state === 'paused' || clock.pausedMs !== undefined ? { pausedFor: isoDurationOf(total) } : {};
}

export interface CaseSlaAsOf {
  readonly policyVersion: string | null;
  readonly initialResponse: ClockAsOf | null;
  readonly nextUpdate: ClockAsOf | null;
}

/**
 * The `sla` of a case at `instant`. Give it the state folded from the events up to that instant
 * (as-of view), or the current state with now (current view).
 */
export function slaAsOf(state: Case, instant: string, pausedTime: PausedTime = realTime): CaseSlaAsOf {
  const { sla } = state;
  return {
    policyVersion: sla.policyVersion,
    initialResponse: sla.initialResponse && clockAsOf(sla.initialResponse, instant, pausedTime),
    nextUpdate: sla.nextUpdate && clockAsOf(sla.nextUpdate, instant, pausedTime),
  };
}

export type { CaseSla };
