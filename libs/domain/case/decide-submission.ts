import { IllegalStateError } from '../shared/domain-errors';
import { CaseContext, SubmitCase } from './case.commands';
import { CaseEvent, CaseSubmitted } from './case.events';
import { evolveCase } from './case.evolve';
import { Case, CaseState } from './case.state';
import { isCoveredProduct, problemReportOf } from './case.types';
import { eligibilityFailures } from './eligibility';
import { routeSubmission } from './routing';
import { assignSeverity } from './decide-severity';
import { requireHolidayCountry } from './sla-location';

/**
 * A submission is always recorded. Then: routed to its team (not a repair, or a product the
 * programme does not cover), or rejected as out of scope (eligibility), or open, with the
 * proposed severity assigned as AssignSeverity would.
 */
export function submit({ data }: SubmitCase, state: CaseState, context: CaseContext): CaseEvent[] {
  if (state !== null) {
    throw new IllegalStateError(`case ${data.caseId} was already submitted (${state.reference})`, { caseId: data.caseId });
  }
  requireHolidayCountry(data.contact, context.clocks);
  const submitted: CaseSubmitted = {
    type: 'CaseSubmitted',
    // Fields picked one by one: whatever else the caller's object carries is not history.
    data: {
      caseId: data.caseId,
      reference: data.reference,
      submittedBy: data.submittedBy,
      partnerId: data.partnerId,
      customerId: data.customerId ?? null,
      product: data.product,
      requestType: data.requestType,
      submitterRole: data.submitterRole,
      azure: data.azure ?? null,
      ...problemReportOf(data),
      partnerAvailable24x7: data.partnerAvailable24x7,
      proposedSeverity: data.proposedSeverity ?? null,
      attachments: data.attachments ?? [],
      policyVersion: context.clocks.policyVersion,
      policyHash: context.clocks.policyHash,
      at: context.now,
    },
  };
  const opened = evolveCase(null, submitted) as Case;
  const { caseId } = opened;

  const routing = routeSubmission(opened);
  if (routing) return [submitted, { type: 'CaseRouted', data: { caseId, ...routing, at: context.now } }];

  const { product } = opened;
  // Not routed: a repair; isCoveredProduct only narrows the type (uncovered products were routed).
  const failures = isCoveredProduct(product) ? eligibilityFailures({ ...opened, product }) : [];
  if (failures.length > 0) {
    const [first] = failures;
    return [
      submitted,
      { type: 'CaseRejected', data: { caseId, reason: first.reason, message: first.message, failures, at: context.now } },
    ];
  }

  const proposed = submitted.data.proposedSeverity;
  if (proposed === null) return [submitted];
  return [submitted, ...assignSeverity(opened, proposed, 'proposed at submission', data.submittedBy, context)];
}
