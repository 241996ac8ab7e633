import { Principal } from '../platform/auth/principal';
import { IllegalStateError, NotFoundError } from '../domain/shared/domain-errors';
import { Case, CaseState } from '../domain/case/case.state';

/**
 * Partner tenancy: a partner sees and changes only its own cases; a customer only its partner's
 * cases for that very customer. Any other case is refused exactly like a case that does not exist
 * (NotFoundError: 404), so its existence does not leak.
 */
export function assertCaseVisible(principal: Principal, state: CaseState, caseId: string): void {
  if (!state || !visibleTo(principal, state)) throw caseNotFound(caseId);
}

function visibleTo(principal: Principal, state: Case): boolean {
  switch (principal.role) {
    case 'partner':
      return state.partnerId === principal.partnerId;
    case 'customer':
      return state.partnerId === principal.partnerId && state.customerId === principal.customerId;
    default:
      return true;
  }
}

/**
 * The case list's tenancy: the filters a partner or customer key is held to. null: the query asks
 * for someone else's cases (the answer is an empty page, not a refusal that confirms they exist).
 */
export function tenantFilters(
  principal: Principal,
  query: { partnerId?: string; customerId?: string },
): { partnerId?: string; customerId?: string } | null {
  if (principal.role !== 'partner' && principal.role !== 'customer') return query;
  if (query.partnerId && query.partnerId !== principal.partnerId) return null;
  if (principal.role === 'partner') return { ...query, partnerId: principal.partnerId };
  if (query.customerId && query.customerId !== principal.customerId) return null;
  return { ...query, partnerId: principal.partnerId, customerId: principal.customerId };
}

/**
 * What a customer key may do beyond reading: escalate (the decider holds it to "no progress") and
 * place a severity-A call on a severity-A case. Its call on a B or C case is refused here, whatever
 * the decider would make of a call from the partner or staff.
 */
export function assertCustomerMayAct(principal: Principal, action: { type: string }, state: CaseState): void {
  if (principal.role !== 'customer' || !state) return;
  if (action.type === 'SeverityACall' && state.severity !== 'A') {
    throw new IllegalStateError(
      `a customer places a call only on a severity-A case; case ${state.reference} is severity ${state.severity ?? 'not set'}`,
      { severity: state.severity },
    );
  }
}

export function caseNotFound(caseId: string): NotFoundError {
  return new NotFoundError(`case ${caseId} not found`);
}

/** Stream names are libs/events/streams.ts's; re-exported for the case features that build them. */
export { caseStreamId } from '../events/streams';
