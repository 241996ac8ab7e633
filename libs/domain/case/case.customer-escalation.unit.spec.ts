import type { ClockKind } from '../sla/sla-clock';
import { IllegalStateError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { Escalate } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import {
  AGENT,
  CASE_ID,
  caseResolved,
  clockStarted,
  context,
  engineerAssigned,
  min,
  openCase,
  slaBreached,
  updateSent,
} from './testing/case.fixtures';

// A customer escalates to the engineer's manager only when there is no progress (no-progress.ts).

const CUSTOMER = 'fabrikam-portal';
const given = (events: CaseEvent[]) => spec(caseDecider, context).given(events);
const byCustomer = (reason = 'nobody answers'): Escalate => ({
  type: 'Escalate',
  data: { reason, by: CUSTOMER, byCustomer: true },
});
const at = (minutes: number) => ({ now: min(minutes) });

/** An A case submitted 30 minutes ago (initial response due in 30 minutes), engineer eng-bob (manager mgr-carol). */
const assignedA = () => {
  const { history, clock } = openCase('A', { customerId: 'c-fabrikam' });
  return { history: [...history, engineerAssigned('eng-bob')], clock };
};

const escalated = (
  now: string,
  dueAt: string,
  clockId = 'initialResponse-1',
  clock: ClockKind = 'initialResponse',
): CaseEvent => ({
  type: 'EscalatedToManager',
  data: {
    caseId: CASE_ID,
    engineerId: 'eng-bob',
    managerId: 'mgr-carol',
    reason: 'nobody answers',
    by: CUSTOMER,
    automatic: false,
    clockId: null,
    noProgress: { clockId, clock, dueAt },
    at: now,
  },
});

describe('Escalate by a customer: only when there is no progress', () => {
  it('is refused while the response owed is not yet due, saying when it is (409)', () => {
    const { history, clock } = assignedA();
    given(history)
      .when(byCustomer())
      .thenThrows(IllegalStateError, `the initial response on case SR-0001 is not due before ${clock.data.dueAt}`);
  });

  it('is recorded once the initial response is overdue, even before a breach is recorded (late timers)', () => {
    const { history, clock } = assignedA();
    given(history)
      .when(byCustomer(), at(31))
      .then([escalated(min(31), clock.data.dueAt)]);
  });

  it('is recorded on a breached clock (at its due instant exactly, too)', () => {
    const { history, clock } = assignedA();
    given([...history, slaBreached(clock)])
      .when(byCustomer(), at(30))
      .then([escalated(min(30), clock.data.dueAt)]);
  });

  it('an update is progress: the next update not yet due is refused; once it is overdue, allowed', () => {
    const { history, clock } = assignedA();
    const next = clockStarted('nextUpdate', 2, 'A', min(-10), { cause: 'update-sent' });
    const answered = [...history, updateSent(clock.data.clockId), next];
    given(answered)
      .when(byCustomer(), at(31))
      .thenThrows(IllegalStateError, /the next update on case .* is not due before/);
    given(answered)
      .when(byCustomer(), at(111))
      .then([escalated(min(111), next.data.dueAt, 'nextUpdate-2', 'nextUpdate')]);
  });

  it('is refused while staff wait on the partner (the clock is paused: the ball is with the partner)', () => {
    const { history } = assignedA();
    const state = history.reduce(caseDecider.evolve, caseDecider.initialState());
    const waiting = caseDecider.decide(
      { type: 'AwaitPartner', data: { reason: 'information-requested', summary: 'which mailbox?', by: AGENT } },
      state,
      { ...context, now: min(-5) },
    );
    given([...history, ...waiting])
      .when(byCustomer(), at(600))
      .thenThrows(IllegalStateError, /waiting on the partner's answer/);
  });

  it('once the manager was told after the due instant (by anyone), a second one is refused', () => {
    const { history, clock } = assignedA();
    const first = escalated(min(40), clock.data.dueAt);
    given([...history, first])
      .when(byCustomer(), at(50))
      .thenThrows(IllegalStateError, `was already escalated to the manager at ${min(40)}`);
    const automatic: CaseEvent = {
      type: 'EscalatedToManager',
      data: {
        caseId: CASE_ID,
        engineerId: 'eng-bob',
        managerId: 'mgr-carol',
        reason: 'update overdue',
        by: 'system',
        automatic: true,
        clockId: clock.data.clockId,
        at: clock.data.escalateAt,
      },
    };
    given([...history, slaBreached(clock), automatic])
      .when(byCustomer(), at(95))
      .thenThrows(IllegalStateError, /already escalated to the manager/);
  });

  it('an escalation before the response became overdue does not count: the customer may still escalate', () => {
    const { history, clock } = assignedA();
    const early: CaseEvent = {
      type: 'EscalatedToManager',
      data: {
        caseId: CASE_ID,
        engineerId: 'eng-bob',
        managerId: 'mgr-carol',
        reason: 'the partner asked',
        by: 'portal-contoso',
        automatic: false,
        clockId: null,
        at: min(-1),
      },
    };
    given([...history, early])
      .when(byCustomer(), at(31))
      .then([escalated(min(31), clock.data.dueAt)]);
  });

  it('no progress still needs an engineer with a manager to escalate to (409 otherwise)', () => {
    const { history } = openCase('A', { customerId: 'c-fabrikam' });
    given(history)
      .when(byCustomer(), at(31))
      .thenThrows(IllegalStateError, /no engineer is assigned/);
  });

  it('is refused on a resolved case (nothing is owed)', () => {
    const { history } = assignedA();
    given([...history, caseResolved(['initialResponse-1'])])
      .when(byCustomer(), at(31))
      .thenThrows(IllegalStateError, /is resolved/);
  });

  it('staff and partners are not held to it: their escalation is recorded whatever the clocks say', () => {
    const { history } = assignedA();
    given(history)
      .when({ type: 'Escalate', data: { reason: 'the partner asked', by: AGENT } })
      .thenMatches([{ type: 'EscalatedToManager', data: { by: AGENT, automatic: false, clockId: null } }]);
  });
});
