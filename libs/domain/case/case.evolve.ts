import { fold } from '../shared/decider';
import {
  CaseEvent,
  CaseSubmitted,
  PROPOSED_AT_SUBMISSION,
  SeverityAssigned,
  SlaClockPaused,
  SlaClockResumed,
  SlaClockStarted,
} from './case.events';
import { Case, CaseSla, CaseState, SlaClock } from './case.state';
import { problemReportOf } from './case.types';

function submitted({ data }: CaseSubmitted): Case {
  return {
    caseId: data.caseId,
    reference: data.reference,
    status: 'open',
    partnerId: data.partnerId,
    customerId: data.customerId,
    product: data.product,
    requestType: data.requestType,
    submitterRole: data.submitterRole,
    submittedBy: data.submittedBy,
    azure: data.azure,
    partnerOfRecord: data.partnerOfRecord ?? false,
    crmOnline: data.crmOnline ?? null,
    ...problemReportOf(data),
    attachments: data.attachments,
    severity: null,
    proposedSeverity: data.proposedSeverity,
    triagedAt: null,
    triagedBy: null,
    triageDueAt: data.triageDueAt ?? null,
    triageAtRiskAt: null,
    awaitingPartner: null,
    lastPartnerReplyAt: null,
    slaBreaches: [],
    severityLowered: false,
    partnerAvailable24x7: data.partnerAvailable24x7,
    engineerId: null,
    managerId: null,
    routedTo: null,
    routingReason: null,
    rejectionReason: null,
    rejectionMessage: null,
    submittedAt: data.at,
    updatedAt: data.at,
    resolvedAt: null,
    resolutionSummary: null,
    closedAt: null,
    reopenedAt: null,
    initialResponseAt: null,
    lastUpdateAt: null,
    updateCount: 0,
    escalationCount: 0,
    lastEscalatedAt: null,
    clocksStarted: 0,
    policy: data.policyVersion === undefined ? null : { version: data.policyVersion, hash: data.policyHash ?? null },
    sla: { policyVersion: null, initialResponse: null, nextUpdate: null },
  };
}

function clockFrom({ data }: SlaClockStarted): SlaClock {
  const { clockId, clock, severity, startedAt, dueAt, warnAt, escalateAt, policyVersion, calendar, pauses, pausedMs } =
    data;
  return {
    clockId,
    clock,
    severity,
    state: 'running',
    startedAt,
    dueAt,
    warnAt,
    escalateAt,
    policyVersion,
    calendar,
    ...(pauses?.length ? { pauses, pausedMs: pausedMs ?? 0 } : {}),
  };
}

/** A staff severity decision on a stream written before `triage` existed: anything but the submission's proposal. */
const isTriage = ({ data }: SeverityAssigned): boolean => data.triage ?? data.reason !== PROPOSED_AT_SUBMISSION;

function paused(clock: SlaClock, { data }: SlaClockPaused): SlaClock {
  return {
    ...clock,
    state: 'paused',
    pausedAt: data.pausedAt,
    pauseReason: data.reason,
    autoResumeAt: data.autoResumeAt,
  };
}

/** Runs again with its instants moved; a warning or breach recorded before stays recorded. */
function resumed(clock: SlaClock, { data }: SlaClockResumed): SlaClock {
  const { pausedAt: _p, pauseReason: _r, autoResumeAt: _a, stoppedAt: _s, ...rest } = clock;
  return {
    ...rest,
    state: clock.breachedAt !== undefined ? 'breached' : clock.warnedAt !== undefined ? 'warning' : 'running',
    dueAt: data.dueAt,
    warnAt: data.warnAt,
    escalateAt: data.escalateAt,
    pauses: [...(clock.pauses ?? []), { from: data.pausedAt, to: data.resumedAt }],
    pausedMs: (clock.pausedMs ?? 0) + data.pausedMs,
  };
}

/** Applies `change` to the current clock with that id (whichever slot holds it). */
function withClock(sla: CaseSla, clockId: string | null, change: (clock: SlaClock) => SlaClock): CaseSla {
  const apply = (clock: SlaClock | null) => (clock && clock.clockId === clockId ? change(clock) : clock);
  return { ...sla, initialResponse: apply(sla.initialResponse), nextUpdate: apply(sla.nextUpdate) };
}

/** Resolution or closure: a clock still waiting for an answer stops (a breached one stays breached). */
function stopLiveClocks(sla: CaseSla, at: string): CaseSla {
  const stop = (clock: SlaClock | null): SlaClock | null => {
    if (!clock || clock.metAt !== undefined || clock.stoppedAt !== undefined) return clock;
    const { pausedAt: _p, pauseReason: _r, autoResumeAt: _a, ...rest } = clock;
    return { ...rest, state: clock.state === 'breached' ? 'breached' : 'stopped', stoppedAt: at };
  };
  return { ...sla, initialResponse: stop(sla.initialResponse), nextUpdate: stop(sla.nextUpdate) };
}

function evolveExisting(state: Case, event: CaseEvent): Case {
  const at = event.data.at;
  // One copy per event: every branch spreads `state` with updatedAt (a case's state has dozens
  // of fields, and a command folds several events).
  switch (event.type) {
    case 'CaseSubmitted':
      return state; // a stream has one submission; a second one would be a store bug, ignore it
    case 'CaseRouted':
      return { ...state, updatedAt: at, status: 'routed', routedTo: event.data.team, routingReason: event.data.reason };
    case 'CaseRejected':
      return {
        ...state,
        updatedAt: at,
        status: 'rejected',
        rejectionReason: event.data.reason,
        rejectionMessage: event.data.message,
      };
    case 'SeverityAssigned': {
      const triaged = (state.triagedAt ?? null) === null && isTriage(event); // ?? : states stored before triage existed
      return {
        ...state,
        updatedAt: at,
        severity: event.data.severity,
        severityLowered: false,
        ...(triaged ? { triagedAt: at, triagedBy: event.data.by } : {}),
      };
    }
    case 'SeverityLowered':
      return { ...state, updatedAt: at, severity: event.data.to, severityLowered: true };
    case 'PartnerAvailabilityChanged':
      return { ...state, updatedAt: at, partnerAvailable24x7: event.data.available24x7 };
    case 'EngineerAssigned':
      return {
        ...state,
        updatedAt: at,
        engineerId: event.data.engineerId,
        managerId: event.data.managerId,
        backupEngineerId: event.data.backupEngineerId ?? null,
      };
    case 'TransferredOnSeverityACall':
      return {
        ...state,
        updatedAt: at,
        engineerId: event.data.toEngineerId,
        managerId: event.data.toManagerId,
        backupEngineerId: event.data.toBackupEngineerId ?? null,
      };
    case 'CallQueued': {
      const { callId, caller } = event.data;
      const call = { callId, caller, queuedAt: at, takenAt: null, takenBy: null };
      return { ...state, updatedAt: at, queuedCalls: { ...state.queuedCalls, [callId]: call } };
    }
    case 'QueuedCallTaken': {
      const call = state.queuedCalls?.[event.data.callId];
      if (!call) return { ...state, updatedAt: at };
      const taken = { ...call, takenAt: at, takenBy: event.data.engineerId };
      return { ...state, updatedAt: at, queuedCalls: { ...state.queuedCalls, [call.callId]: taken } };
    }
    case 'UpdateSent':
      return {
        ...state,
        updatedAt: at,
        initialResponseAt: state.initialResponseAt ?? at,
        lastUpdateAt: at,
        updateCount: state.updateCount + 1,
        sla: withClock(state.sla, event.data.meetsClockId, (clock) => ({
          ...clock,
          state: clock.state === 'breached' ? 'breached' : 'met',
          metAt: at,
        })),
      };
    case 'EscalatedToManager':
    case 'EscalatedToDutyManager':
      return {
        ...state,
        updatedAt: at,
        escalationCount: state.escalationCount + 1,
        lastEscalatedAt: at,
        sla: withClock(state.sla, event.data.clockId, (clock) => ({ ...clock, escalatedAt: at })),
      };
    case 'SlaClockStarted': {
      const clock = clockFrom(event);
      return {
        ...state,
        updatedAt: at,
        clocksStarted: state.clocksStarted + 1,
        // A case from before policies were pinned runs under its first clock's policy.
        policy: state.policy ?? { version: clock.policyVersion, hash: event.data.policyHash ?? null },
        sla: { ...state.sla, policyVersion: clock.policyVersion, [clock.clock]: clock },
      };
    }
    case 'SlaWarningRaised':
      return {
        ...state,
        updatedAt: at,
        // A warning recorded late (after an outage), after the breach, leaves the clock breached.
        sla: withClock(state.sla, event.data.clockId, (clock) => ({
          ...clock,
          state: clock.state === 'running' ? 'warning' : clock.state,
          warnedAt: clock.warnAt,
        })),
      };
    case 'SlaBreached':
      return {
        ...state,
        updatedAt: at,
        sla: withClock(state.sla, event.data.clockId, (clock) => ({
          ...clock,
          state: 'breached',
          breachedAt: event.data.breachedAt,
        })),
        slaBreaches: [
          ...(state.slaBreaches ?? []),
          {
            clockId: event.data.clockId,
            clock: event.data.clock,
            severity: event.data.severity,
            dueAt: event.data.dueAt,
            recordedAt: at,
          },
        ],
      };
    case 'UpdateReminderSent':
      return { ...state, updatedAt: at };
    case 'CaseResolved':
      return {
        ...state,
        updatedAt: at,
        status: 'resolved',
        resolvedAt: at,
        resolutionSummary: event.data.summary,
        awaitingPartner: null,
        sla: stopLiveClocks(state.sla, at),
      };
    case 'CaseClosed':
      return {
        ...state,
        updatedAt: at,
        status: 'closed',
        closedAt: at,
        awaitingPartner: null,
        sla: stopLiveClocks(state.sla, at),
      };
    case 'CaseReopened':
      // resolvedAt/closedAt describe the current status; the earlier ones remain in the history.
      return {
        ...state,
        updatedAt: at,
        status: 'open',
        reopenedAt: at,
        resolvedAt: null,
        resolutionSummary: null,
        closedAt: null,
      };
    case 'AwaitingPartner':
      return {
        ...state,
        updatedAt: at,
        status: 'awaiting-partner',
        awaitingPartner: { reason: event.data.reason, since: at, autoResumeAt: event.data.autoResumeAt },
      };
    case 'PartnerReplied':
      return { ...state, updatedAt: at, ...endWait(state), lastPartnerReplyAt: at };
    case 'SlaClockPaused':
      return {
        ...state,
        updatedAt: at,
        sla: withClock(state.sla, event.data.clockId, (clock) => paused(clock, event)),
      };
    case 'SlaClockResumed': {
      const sla = withClock(state.sla, event.data.clockId, (clock) => resumed(clock, event));
      return event.data.cause === 'case-reopened'
        ? { ...state, updatedAt: at, sla }
        : { ...state, updatedAt: at, ...endWait(state), sla };
    }
    case 'TriageAtRisk':
      return { ...state, updatedAt: at, triageAtRiskAt: at };
    case 'EscalatedToBillingFeedback': {
      const { address, reason, by } = event.data;
      return { ...state, updatedAt: at, billingFeedback: { address, reason, by, at } };
    }
  }
}

/** The wait on the partner ends: an awaiting case is open again. */
const endWait = (state: Case): Pick<Case, 'status' | 'awaitingPartner'> => ({
  status: state.status === 'awaiting-partner' ? 'open' : state.status,
  awaitingPartner: null,
});

export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  if (state === null) return event.type === 'CaseSubmitted' ? submitted(event) : null;
  return evolveExisting(state, event);
}

/** The state after `events` on an existing case (used to chain decisions within one command). */
export const replayCase = (state: Case, events: readonly CaseEvent[]): Case => fold(evolveCase, state, events) as Case;
