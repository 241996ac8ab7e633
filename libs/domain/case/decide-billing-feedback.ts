import { IllegalStateError, NotFoundError } from '../shared/domain-errors';
import { CaseContext, EscalateToBillingFeedback } from './case.commands';
import { CaseEvent } from './case.events';
import { CaseState } from './case.state';

/**
 * The billing path (docs/domain.md): a billing question goes to the billing team (the case is
 * routed, not worked here); when that does not settle it, the partner or staff escalate it once
 * to the feedback address. Only a case routed to the billing team; a second escalation is refused,
 * and so is any while the service has no feedback address configured.
 */
export function escalateToBillingFeedback(
  { data }: EscalateToBillingFeedback,
  state: CaseState,
  { now }: CaseContext,
): CaseEvent[] {
  if (state === null) throw new NotFoundError('case not found');
  if (state.status !== 'routed' || state.routedTo !== 'billing') {
    const where = state.routedTo ? ` (routed to the ${state.routedTo} team)` : '';
    throw new IllegalStateError(
      `only a case routed to the billing team is escalated to the billing feedback address; case ${state.reference} is ${state.status}${where}`,
      { status: state.status, routedTo: state.routedTo },
    );
  }
  const earlier = state.billingFeedback;
  if (earlier) {
    throw new IllegalStateError(
      `case ${state.reference} was already escalated to the billing feedback address ${earlier.address} at ${earlier.at}`,
      { address: earlier.address, at: earlier.at },
    );
  }
  // A lasting state of this service, not a passing outage: a conflict to fix, not a 503 to retry.
  if (data.address === null) {
    throw new IllegalStateError(
      `case ${state.reference} cannot be escalated: no billing feedback address is configured (BILLING_FEEDBACK_ADDRESS)`,
    );
  }
  return [
    {
      type: 'EscalatedToBillingFeedback',
      data: { caseId: state.caseId, address: data.address, reason: data.reason, by: data.by, at: now },
    },
  ];
}
