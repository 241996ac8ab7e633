import { Case, CaseSla, SlaClock } from './case.state';
import { isAtOrAfter } from './instants';

/**
 * A clock as it truly stood at `instant`: a running clock past its warnAt was at risk and past its
 * dueAt was breached, whether or not the timer had fired (timers may fire late). Recorded
 * states (met, stopped, breached) are facts and are returned as they are.
 */
export function clockAsOf(clock: SlaClock, instant: string): SlaClock {
  if (clock.state !== 'running' && clock.state !== 'warning') return clock;
  if (isAtOrAfter(instant, clock.dueAt)) {
    return { ...clock, state: 'breached', warnedAt: clock.warnedAt ?? clock.warnAt, breachedAt: clock.dueAt };
  }
  if (clock.state === 'running' && isAtOrAfter(instant, clock.warnAt)) {
    return { ...clock, state: 'warning', warnedAt: clock.warnAt };
  }
  return clock;
}

/**
 * The `sla` of a case at `instant`. Give it the state folded from the events up to that instant
 * (as-of view), or the current state with now (current view).
 */
export function slaAsOf(state: Case, instant: string): CaseSla {
  const { sla } = state;
  return {
    policyVersion: sla.policyVersion,
    initialResponse: sla.initialResponse && clockAsOf(sla.initialResponse, instant),
    nextUpdate: sla.nextUpdate && clockAsOf(sla.nextUpdate, instant),
  };
}
