import { Principal } from '../platform/auth/principal';
import { NotFoundError } from '../domain/shared/domain-errors';
import { CaseState } from '../domain/case/case.state';

/**
 * Partner tenancy: a partner sees and changes only its own cases. Another partner's case is
 * refused exactly like a case that does not exist (NotFoundError: 404), so its existence does not leak.
 */
export function assertCaseVisible(principal: Principal, state: CaseState, caseId: string): void {
  if (!state || (principal.role === 'partner' && state.partnerId !== principal.partnerId)) {
    throw caseNotFound(caseId);
  }
}

export function caseNotFound(caseId: string): NotFoundError {
  return new NotFoundError(`case ${caseId} not found`);
}

/** Stream names are libs/events/streams.ts's; re-exported for the case features that build them. */
export { caseStreamId } from '../events/streams';
