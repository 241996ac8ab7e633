/**
 * The case decider: decide(command, state, context) -> events; evolve(state, event) -> state.
 *
 * Lifecycle: SubmitCase -> open | routed | rejected. Routed and rejected cases are recorded for
 * audit only: every later command on them is refused (409). open -> resolved (ResolveCase) ->
 * closed (CloseCase); a case is closed only once resolved, so every closed case carries a
 * resolution summary. ReopenCase takes a resolved or closed case back to open.
 *
 * Severity: A needs a partner available 24x7. Otherwise the A is recorded as asked
 * (SeverityAssigned A) and immediately lowered (SeverityLowered A -> B); the same lowering follows
 * a partner withdrawing its 24x7 availability from an A case. Becoming available again does not
 * raise the severity: that takes a new AssignSeverity.
 *
 * SLA clocks (SlaClockStarted, ids `${kind}-${n}`, due instants from context.clocks):
 * - the initial-response clock starts from now when the open case first gets a severity (if an
 *   update was already sent before any severity, the next-update clock starts instead);
 * - each update answers the live clock (met, or answered late if breached) and starts a
 *   next-update clock from the update's time;
 * - resolution/closure stops live clocks; reopening starts one from the reopening time
 *   (initial response if the case was never answered, next update otherwise).
 * SEVERITY-CHANGE RULE: when the effective severity changes, each clock still running (or at
 * warning) is restarted under the new severity counted from its ORIGINAL startedAt: a new
 * SlaClockStarted with a new clockId, the same startedAt, new due/warn/escalate instants and
 * replacesClockId naming the old one. Elapsed time is never lost and a clock is never silently
 * restarted; met and breached clocks are facts and are left as they are. A clock already past
 * due when a change arrives is first recorded as breached (timers may be late), so it is kept.
 *
 * Timer commands (RaiseSlaWarning, RecordSlaBreach, EscalateOverdue) are idempotent: see
 * sla-timers.ts.
 */
import { Decider, fold } from '../shared/decider';
import { IllegalStateError, NotFoundError } from '../shared/domain-errors';
import {
  AssignEngineer,
  CaseCommand,
  CaseContext,
  CloseCase,
  Escalate,
  LogUpdate,
  ReopenCase,
  ResolveCase,
  SetPartnerAvailability,
  SeverityACall,
  SubmitCase,
} from './case.commands';
import { CaseEvent, CaseSubmitted } from './case.events';
import { evolveCase } from './case.evolve';
import { requireOpen, requireStatus, requireWorkedCase } from './case.guards';
import { Case, CaseState, liveClocks } from './case.state';
import { isCoveredProduct } from './case.types';
import { eligibilityFailures } from './eligibility';
import { nextAvailableEngineer } from './next-engineer';
import { routeSubmission } from './routing';
import { assignSeverity, followSeverityChange, lowered } from './severity';
import { catchUpBreaches, pendingClockKind, startClock } from './sla-clocks';
import { escalateOverdue, raiseSlaWarning, recordSlaBreach } from './sla-timers';

const replay = (state: Case, events: CaseEvent[]): Case => fold(evolveCase, state, events) as Case;

function submit({ data }: SubmitCase, state: CaseState, context: CaseContext): CaseEvent[] {
  if (state !== null) {
    throw new IllegalStateError(`case ${data.caseId} was already submitted (${state.reference})`, { caseId: data.caseId });
  }
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
      topic: data.topic,
      feature: data.feature,
      symptom: data.symptom,
      summary: data.summary,
      details: data.details,
      serviceUnavailable: data.serviceUnavailable,
      usersAffected: data.usersAffected,
      contact: data.contact,
      partnerAvailable24x7: data.partnerAvailable24x7,
      proposedSeverity: data.proposedSeverity ?? null,
      attachments: data.attachments ?? [],
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

function setPartnerAvailability({ data }: SetPartnerAvailability, state: CaseState, context: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'change the partner availability');
  if (open.partnerAvailable24x7 === data.available24x7) return [];
  const changes: CaseEvent[] = [
    {
      type: 'PartnerAvailabilityChanged',
      data: { caseId: open.caseId, available24x7: data.available24x7, by: data.by, at: context.now },
    },
  ];
  if (!data.available24x7 && open.severity === 'A') changes.push(lowered(open, data.by, context.now));
  return followSeverityChange(open, changes, context);
}

function assignEngineer({ data }: AssignEngineer, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'assign an engineer');
  if (data.engineer === null) throw new NotFoundError(`engineer ${data.engineerId} not found`, { engineerId: data.engineerId });
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

/** An update answers the live clock (after recording a breach its timer missed) and starts the next. */
function logUpdate({ data }: LogUpdate, state: CaseState, context: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'log an update');
  const breaches = catchUpBreaches(open, context.now, false);
  const beforeUpdate = replay(open, breaches);
  const answered = liveClocks(beforeUpdate)[0] ?? null;
  const events: CaseEvent[] = [
    ...breaches,
    {
      type: 'UpdateSent',
      data: {
        caseId: open.caseId,
        channel: data.channel,
        summary: data.summary,
        by: data.by,
        initialResponse: open.initialResponseAt === null,
        meetsClockId: answered?.clockId ?? null,
        at: context.now,
      },
    },
  ];
  if (open.severity === null) return events;
  const afterUpdate = replay(open, events);
  return [...events, startClock(afterUpdate, 'nextUpdate', open.severity, context.now, 'update-sent', context)];
}

function escalate({ data }: Escalate, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'escalate');
  if (open.engineerId === null) {
    throw new IllegalStateError(`cannot escalate: no engineer is assigned to case ${open.reference}`);
  }
  if (open.managerId === null) {
    throw new IllegalStateError(`cannot escalate: engineer ${open.engineerId} has no manager`, { engineerId: open.engineerId });
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
        at: now,
      },
    },
  ];
}

function severityACall({ data }: SeverityACall, state: CaseState, { now }: CaseContext): CaseEvent[] {
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

function resolve({ data }: ResolveCase, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const open = requireOpen(state, 'resolve');
  const breaches = catchUpBreaches(open, now, false);
  const stoppedClockIds = liveClocks(replay(open, breaches)).map((c) => c.clockId);
  return [...breaches, { type: 'CaseResolved', data: { caseId: open.caseId, summary: data.summary, by: data.by, stoppedClockIds, at: now } }];
}

function close({ data }: CloseCase, state: CaseState, { now }: CaseContext): CaseEvent[] {
  const resolved = requireStatus(requireWorkedCase(state, 'close'), ['resolved'], 'close');
  return [{ type: 'CaseClosed', data: { caseId: resolved.caseId, by: data.by, at: now } }];
}

function reopen({ data }: ReopenCase, state: CaseState, context: CaseContext): CaseEvent[] {
  const done = requireStatus(requireWorkedCase(state, 'reopen'), ['resolved', 'closed'], 'reopen');
  const reopened: CaseEvent = {
    type: 'CaseReopened',
    data: {
      caseId: done.caseId,
      reason: data.reason,
      by: data.by,
      previousStatus: done.status as 'resolved' | 'closed',
      at: context.now,
    },
  };
  if (done.severity === null) return [reopened];
  const open = replay(done, [reopened]);
  return [reopened, startClock(open, pendingClockKind(open), done.severity, context.now, 'case-reopened', context)];
}

export function decideCase(command: CaseCommand, state: CaseState, context: CaseContext): CaseEvent[] {
  switch (command.type) {
    case 'SubmitCase':
      return submit(command, state, context);
    case 'AssignSeverity': {
      const open = requireOpen(state, 'assign a severity');
      return assignSeverity(open, command.data.severity, command.data.reason, command.data.by, context);
    }
    case 'SetPartnerAvailability':
      return setPartnerAvailability(command, state, context);
    case 'AssignEngineer':
      return assignEngineer(command, state, context);
    case 'LogUpdate':
      return logUpdate(command, state, context);
    case 'Escalate':
      return escalate(command, state, context);
    case 'SeverityACall':
      return severityACall(command, state, context);
    case 'ResolveCase':
      return resolve(command, state, context);
    case 'CloseCase':
      return close(command, state, context);
    case 'ReopenCase':
      return reopen(command, state, context);
    case 'RaiseSlaWarning':
      return raiseSlaWarning(requireWorkedCase(state, 'raise an SLA warning'), command, context);
    case 'RecordSlaBreach':
      return recordSlaBreach(requireWorkedCase(state, 'record an SLA breach'), command, context);
    case 'EscalateOverdue':
      return escalateOverdue(requireWorkedCase(state, 'escalate an overdue update'), command, context);
  }
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState, CaseContext> = {
  initialState: () => null,
  decide: decideCase,
  evolve: evolveCase,
};
