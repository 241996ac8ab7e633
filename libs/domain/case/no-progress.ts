import type { ClockKind } from '../sla/sla-clock';
import { IllegalStateError } from '../shared/domain-errors';
import type { NoProgress } from './case.events';
import { Case, liveClocks } from './case.state';

/**
 * "No progress" (docs/domain.md, Customers): the response or update the vendor owes on the case is
 * overdue. That is the case's unanswered clock (initial response or next update), not paused,
 * past its due instant at `now`, whether or not a breach was recorded yet (timers may be late).
 * It stops being "no progress" for a customer once someone escalated the case to the manager at or
 * after that due instant (staff, the partner, the automatic escalation or the customer itself):
 * the manager already knows. Returns the overdue clock, or refuses (409) saying why not.
 */
export function requireNoProgress(state: Case, now: string): NoProgress {
  const refuse = (why: string, details: Record<string, unknown> = {}) =>
    new IllegalStateError(`a customer may escalate only when there is no progress: ${why}`, details);
  const clock = liveClocks(state)[0];
  if (state.awaitingPartner || clock?.state === 'paused') {
    throw refuse(`case ${state.reference} is waiting on the partner's answer (its update clock is paused)`);
  }
  if (!clock) throw refuse(`no response or update is owed on case ${state.reference}`);
  if (Date.parse(now) < Date.parse(clock.dueAt)) {
    throw refuse(`the ${clockName(clock.clock)} on case ${state.reference} is not due before ${clock.dueAt}`, {
      clockId: clock.clockId,
      dueAt: clock.dueAt,
    });
  }
  if (state.lastEscalatedAt !== null && Date.parse(state.lastEscalatedAt) >= Date.parse(clock.dueAt)) {
    throw refuse(
      `case ${state.reference} was already escalated to the manager at ${state.lastEscalatedAt}, after the ${clockName(clock.clock)} became overdue`,
      { lastEscalatedAt: state.lastEscalatedAt },
    );
  }
  return { clockId: clock.clockId, clock: clock.clock, dueAt: clock.dueAt };
}

const clockName = (kind: ClockKind): string => (kind === 'initialResponse' ? 'initial response' : 'next update');
