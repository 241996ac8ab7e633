import { IllegalStateError } from '../shared/domain-errors';
import { CaseContext, SubmitCase } from './case.commands';
import { CaseEvent, CaseSubmitted, PROPOSED_AT_SUBMISSION, UNTRIAGED_DEFAULT } from './case.events';
import { evolveCase, replayCase } from './case.evolve';
import { Case, CaseState } from './case.state';
import { isCoveredProduct, problemReportOf, SYSTEM_ACTOR } from './case.types';
import { eligibilityFailures, requestedProgrammeContract } from './eligibility';
import { CONTRACT_NOT_BOUND_TO_PARTNER, contractConflict } from '../partner/programme-contract';
import { routeSubmission } from './routing';
import { requireHolidayCountry } from './sla-location';
import { severityEvents } from './decide-severity';
import { startClock } from './sla-clocks';

/**
 * An Azure repair naming a well-formed programme contract other than the one bound to the partner
 * is refused, not recorded: the identifiers belong to the partner's first use (the partner's
 * stream, read by the handler; the handler binds the contract before the case is written).
 */
function refuseAnotherContract(data: SubmitCase['data']): void {
  const requested = requestedProgrammeContract(data);
  if (!requested) return;
  const conflict = contractConflict(data.partnerId, data.partnerContract ?? null, requested);
  if (conflict) {
    throw new IllegalStateError(conflict, { partnerId: data.partnerId, reason: CONTRACT_NOT_BOUND_TO_PARTNER });
  }
}

/**
 * A submission is always recorded, unless refused (a programme contract not the partner's). Then:
 * routed to its team (not a repair, or a product the programme does not cover), or rejected as
 * out of scope (eligibility), or open, with its initial-response clock running from the submission.
 */
export function submit({ data }: SubmitCase, state: CaseState, context: CaseContext): CaseEvent[] {
  if (state !== null) {
    throw new IllegalStateError(`case ${data.caseId} was already submitted (${state.reference})`, {
      caseId: data.caseId,
    });
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
      partnerOfRecord: data.partnerOfRecord ?? false,
      crmOnline: data.crmOnline ?? null,
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
  refuseAnotherContract(data);
  // Not routed: a repair; isCoveredProduct only narrows the type (uncovered products were routed).
  // The facts checked are those recorded (the event's), so history shows what was decided on.
  const failures = isCoveredProduct(product) ? eligibilityFailures({ ...submitted.data, product }) : [];
  if (failures.length > 0) {
    const [first] = failures;
    return [
      submitted,
      {
        type: 'CaseRejected',
        data: { caseId, reason: first.reason, message: first.message, failures, at: context.now },
      },
    ];
  }

  // Open: the initial-response clock starts now, at submission, under the proposed severity
  // (after the 24x7 rule) or the policy's untriaged severity. Neither is a triage: staff decide
  // the severity later with AssignSeverity, and an untriaged case raises an alert at triageDueAt.
  const rules = context.clocks.caseRules;
  const recorded: CaseSubmitted = {
    ...submitted,
    data: { ...submitted.data, triageDueAt: new Date(Date.parse(context.now) + rules.triageWithinMs).toISOString() },
  };
  const proposed = recorded.data.proposedSeverity;
  const severity = severityEvents(
    opened,
    proposed ?? rules.untriagedSeverity,
    proposed ? PROPOSED_AT_SUBMISSION : UNTRIAGED_DEFAULT,
    proposed ? data.submittedBy : SYSTEM_ACTOR,
    false,
    context.now,
  );
  const withSeverity = replayCase(evolveCase(null, recorded) as Case, severity);
  const clock = startClock(
    withSeverity,
    'initialResponse',
    withSeverity.severity!,
    context.now,
    'case-submitted',
    context,
  );
  return [recorded, ...severity, clock];
}
