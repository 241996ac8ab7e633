import { IllegalStateError, NotFoundError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { EscalateToBillingFeedback } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import { Case } from './case.state';
import {
  AGENT,
  CASE_ID,
  NOW,
  PARTNER,
  caseSubmitted,
  context,
  min,
  openCase,
  rejectedCase,
  routedCase,
} from './testing/case.fixtures';

// The billing path: billing team (routing), then once to the feedback address.

const ADDRESS = 'billing-feedback@vendor.example';
const given = (events: CaseEvent[]) => spec(caseDecider, context).given(events);
const escalate = (by = PARTNER, address: string | null = ADDRESS): EscalateToBillingFeedback => ({
  type: 'EscalateToBillingFeedback',
  data: { reason: 'the invoice is still wrong', by, address },
});
const escalated = (at = NOW, by = PARTNER): CaseEvent => ({
  type: 'EscalatedToBillingFeedback',
  data: { caseId: CASE_ID, address: ADDRESS, reason: 'the invoice is still wrong', by, at },
});

describe('EscalateToBillingFeedback', () => {
  it('a case routed to the billing team goes to the feedback address; the event says where, why, by whom, when', () => {
    given(routedCase()).when(escalate()).then([escalated()]);
  });

  it('staff may do it too', () => {
    given(routedCase())
      .when(escalate(AGENT))
      .then([escalated(NOW, AGENT)]);
  });

  it('the case records it and stays routed (not worked here: other commands are still refused)', () => {
    const state = [...routedCase(), escalated(min(-1))].reduce(caseDecider.evolve, caseDecider.initialState()) as Case;
    expect(state).toMatchObject({
      status: 'routed',
      routedTo: 'billing',
      billingFeedback: { address: ADDRESS, reason: 'the invoice is still wrong', by: PARTNER, at: min(-1) },
    });
    given([...routedCase(), escalated(min(-1))])
      .when({ type: 'Escalate', data: { reason: 'x', by: PARTNER } })
      .thenThrows(IllegalStateError, /routed to the billing team and is not worked here/);
  });

  it('a second escalation is refused, naming the first (409)', () => {
    given([...routedCase(), escalated(min(-1))])
      .when(escalate())
      .thenThrows(IllegalStateError, `was already escalated to the billing feedback address ${ADDRESS} at ${min(-1)}`);
  });

  it('a case that is not a billing case is refused (409): worked here, routed elsewhere, rejected', () => {
    given(openCase('B').history)
      .when(escalate())
      .thenThrows(IllegalStateError, /only a case routed to the billing team .* case SR-0001 is open$/);
    given([
      caseSubmitted({ requestType: 'presales' }),
      { type: 'CaseRouted', data: { caseId: CASE_ID, team: 'pre-sales', reason: 'pre-sales', at: min(-30) } },
    ])
      .when(escalate())
      .thenThrows(IllegalStateError, /is routed \(routed to the pre-sales team\)/);
    given(rejectedCase())
      .when(escalate())
      .thenThrows(IllegalStateError, /is rejected/);
  });

  it('without a configured address it is refused (409), after the checks of the case itself', () => {
    given(routedCase())
      .when(escalate(PARTNER, null))
      .thenThrows(IllegalStateError, /no billing feedback address is configured \(BILLING_FEEDBACK_ADDRESS\)/);
    given(openCase('B').history)
      .when(escalate(PARTNER, null))
      .thenThrows(IllegalStateError, /only a case routed to the billing team/);
  });

  it('a case that does not exist is not found', () => {
    given([]).when(escalate()).thenThrows(NotFoundError);
  });
});
