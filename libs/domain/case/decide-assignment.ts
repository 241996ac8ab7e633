import { IllegalStateError, NotFoundError } from '../shared/domain-errors';
import { AssignEngineer, CaseContext, Escalate, SeverityACall } from './case.commands';
import { CaseEvent } from './case.events';
import { requireOpen } from './case.guards';
import { CaseState } from './case.state';
import { nextAvailableEngineer } from './next-engineer';
import { requireNoProgress } from './no-progress';

// Who works the case: assignment, the partner's escalation path, the severity-A call transfer.

export function assignEngineer({ data }: AssignEngineer, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'assign an engineer');
  if (data.engineer === null)
    throw new NotFoundError(`engineer ${data.engineerId} not found`, { engineerId: data.engineerId });
  const { engineerId } = data.engineer;
  const managerId = data.engineer.managerId ?? null;
  if (open.engineerId === engineerId && open.managerId === managerId) return [];
  return [
    {
      type: 'EngineerAssigned',
      data: { caseId: open.caseId, engineerId, managerId, previousEngineerId: open.engineerId, by: data.by, at: now },
    },
  ];
}

export function escalate({ data }: Escalate, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'escalate');
  const stalled = data.byCustomer ? requireNoProgress(open, now) : null;
  if (open.engineerId === null) {
    throw new IllegalStateError(`cannot escalate: no engineer is assigned to case ${open.reference}`);
  }
  if (open.managerId === null) {
    throw new IllegalStateError(`cannot escalate: engineer ${open.engineerId} has no manager`, {
      engineerId: open.engineerId,
    });
  }
  return [
    {
      type: 'EscalatedToManager',
      data: {
        caseId: open.caseId,
        engineerId: open.engineerId,
        managerId: open.managerId,
        reason: data.reason,
        by: data.by,
        automatic: false,
        clockId: null,
        ...(stalled ? { noProgress: stalled } : {}),
        at: now,
      },
    },
  ];
}

export function severityACall({ data }: SeverityACall, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'transfer on a severity-A call');
  if (open.severity !== 'A') {
    throw new IllegalStateError(
      `a call is transferred directly only on a severity-A case; case ${open.reference} is severity ${open.severity ?? 'not set'} and is queued to the support team`,
      { severity: open.severity },
    );
  }
  const next = nextAvailableEngineer(data.candidates, open.engineerId);
  if (next === null) throw new IllegalStateError('no engineer available', { currentEngineerId: open.engineerId });
  return [
    {
      type: 'TransferredOnSeverityACall',
      data: {
        caseId: open.caseId,
        fromEngineerId: open.engineerId,
        toEngineerId: next.engineerId,
        toManagerId: next.managerId ?? null,
        caller: data.caller,
        by: data.by,
        reason: `next available engineer (on shift, ${next.openSeverityACases} open severity-A cases)`,
        at: now,
      },
    },
  ];
}
