import { IllegalStateError, NotFoundError } from '../shared/domain-errors';
import { ACTIVE_STATUSES, Case, CaseState, CaseStatus } from './case.state';

/** A case that exists and is worked here (not routed elsewhere, not rejected). */
export function requireWorkedCase(state: CaseState, action: string): Case {
  if (state === null) throw new NotFoundError('case not found');
  if (state.status === 'routed') {
    throw new IllegalStateError(
      `cannot ${action}: case ${state.reference} was routed to the ${state.routedTo} team and is not worked here`,
      { status: state.status, routedTo: state.routedTo },
    );
  }
  if (state.status === 'rejected') {
    throw new IllegalStateError(
      `cannot ${action}: case ${state.reference} was rejected as out of scope (${state.rejectionReason})`,
      { status: state.status, rejectionReason: state.rejectionReason },
    );
  }
  return state;
}

export function requireStatus(state: Case, allowed: readonly CaseStatus[], action: string): Case {
  if (!allowed.includes(state.status)) {
    throw new IllegalStateError(
      `cannot ${action}: case ${state.reference} is ${state.status} (allowed when ${allowed.join(' or ')})`,
      { status: state.status, allowed },
    );
  }
  return state;
}

/** Open, including while staff wait on the partner (awaiting-partner). */
export const requireOpen = (state: CaseState, action: string): Case =>
  requireStatus(requireWorkedCase(state, action), ACTIVE_STATUSES, action);
