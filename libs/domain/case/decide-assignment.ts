import { IllegalStateError, NotFoundError, ValidationError } from '../shared/domain-errors';
import { AssignEngineer, CaseContext, Escalate, SeverityACall, TakeQueuedCall } from './case.commands';
import { CaseEvent } from './case.events';
import { requireOpen, requireWorkedCase } from './case.guards';
import { Case, CaseState } from './case.state';
import { nextAvailableEngineer, TransferCandidate } from './next-engineer';
import { requireNoProgress } from './no-progress';

// Who works the case: assignment, the partner's escalation path, the severity-A call transfer.

export function assignEngineer({ data }: AssignEngineer, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'assign an engineer');
  if (data.engineer === null)
    throw new NotFoundError(`engineer ${data.engineerId} not found`, { engineerId: data.engineerId });
  const { engineerId } = data.engineer;
  const managerId = data.engineer.managerId ?? null;
  const backupEngineerId = data.engineer.backupEngineerId ?? null;
  if (
    open.engineerId === engineerId &&
    open.managerId === managerId &&
    (open.backupEngineerId ?? null) === backupEngineerId
  )
    return [];
  // The most urgent cases go to someone who is there, unless staff say why not (recorded).
  const availability = data.engineer.availability ?? 'on-shift';
  const absent = open.severity === 'A' && availability !== 'on-shift';
  if (absent && !data.force) {
    throw new IllegalStateError(
      `engineer ${engineerId} is ${availability}: a severity-A case goes to an engineer on shift (force it with a reason)`,
      { engineerId, availability },
    );
  }
  if (data.force && !data.force.reason.trim()) {
    throw new ValidationError('a forced assignment needs a reason', 'reason');
  }
  const forced = absent && data.force ? { forced: { reason: data.force.reason, availability } } : {};
  return [
    {
      type: 'EngineerAssigned',
      data: {
        caseId: open.caseId,
        engineerId,
        managerId,
        previousEngineerId: open.engineerId,
        // Recorded only when there is one, like `forced`: the event stays as it was otherwise.
        ...(backupEngineerId !== null ? { backupEngineerId } : {}),
        ...forced,
        by: data.by,
        at: now,
      },
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

/**
 * Where a severity-A call goes: while the case's engineer is not on shift, to its backup if the
 * backup is on shift; otherwise (and always when the engineer is on shift) to the next available
 * engineer. null: nobody qualifies.
 */
function transferTarget(
  open: Case,
  candidates: readonly TransferCandidate[],
): { to: TransferCandidate; reason: string } | null {
  const current = candidates.find((c) => c.engineerId === open.engineerId);
  if (current && current.availability !== 'on-shift' && current.backupEngineerId) {
    const backup = candidates.find((c) => c.engineerId === current.backupEngineerId);
    if (backup && backup.availability === 'on-shift' && backup.engineerId !== open.engineerId) {
      return { to: backup, reason: `backup of ${current.engineerId} (${current.availability}), on shift` };
    }
  }
  const next = nextAvailableEngineer(candidates, open.engineerId);
  return (
    next && { to: next, reason: `next available engineer (on shift, ${next.openSeverityACases} open severity-A cases)` }
  );
}

/**
 * A call on a severity-A case transfers it (see transferTarget); on a B or C case (or one not
 * assessed yet) the call is queued to the support team under the service's callId.
 */
export function severityACall({ data }: SeverityACall, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'record a call');
  if (open.severity !== 'A') {
    if (open.queuedCalls?.[data.callId]) return []; // the same call again (a retry)
    return [
      {
        type: 'CallQueued',
        data: {
          caseId: open.caseId,
          callId: data.callId,
          reference: open.reference,
          caller: data.caller,
          severity: open.severity,
          by: data.by,
          at: now,
        },
      },
    ];
  }
  const target = transferTarget(open, data.candidates);
  if (target === null) throw new IllegalStateError('no engineer available', { currentEngineerId: open.engineerId });
  const { to, reason } = target;
  return [
    {
      type: 'TransferredOnSeverityACall',
      data: {
        caseId: open.caseId,
        fromEngineerId: open.engineerId,
        toEngineerId: to.engineerId,
        toManagerId: to.managerId ?? null,
        ...(to.backupEngineerId ? { toBackupEngineerId: to.backupEngineerId } : {}),
        caller: data.caller,
        by: data.by,
        reason,
        at: now,
      },
    },
  ];
}

/** An engineer takes a queued call, once: a second taking is refused (409), whoever asks. */
export function takeQueuedCall({ data }: TakeQueuedCall, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const worked = requireWorkedCase(state, 'take a queued call');
  const call = worked.queuedCalls?.[data.callId];
  if (!call) throw new NotFoundError(`call ${data.callId} not found`, { callId: data.callId });
  if (data.engineer === null)
    throw new NotFoundError(`engineer ${data.engineerId} not found`, { engineerId: data.engineerId });
  if (call.takenAt !== null) {
    throw new IllegalStateError(`call ${call.callId} was already taken by ${call.takenBy} at ${call.takenAt}`, {
      callId: call.callId,
      takenBy: call.takenBy,
      takenAt: call.takenAt,
    });
  }
  return [
    {
      type: 'QueuedCallTaken',
      data: {
        caseId: worked.caseId,
        callId: call.callId,
        engineerId: data.engineer.engineerId,
        queuedAt: call.queuedAt,
        by: data.by,
        at: now,
      },
    },
  ];
}
