import { Case, SlaClock } from '../domain/case/case.state';
import { ClockAsOf, PausedTime, slaAsOf } from '../domain/case/sla-as-of';

export interface ClockView {
  clockId: string;
  clock: string;
  state: SlaClock['state'];
  severity: string;
  startedAt: string;
  dueAt: string;
  warnAt: string;
  escalateAt: string;
  policyVersion: string;
  calendar: string;
  metAt?: string;
  warnedAt?: string;
  breachedAt?: string;
  escalatedAt?: string;
  stoppedAt?: string;
  /** What the system had recorded by the instant (`state` is what was true then). */
  recordedState: SlaClock['state'];
  pausedAt?: string;
  pauseReason?: string;
  autoResumeAt?: string;
  /** Total time it stood still, in its own calendar (ISO-8601 duration). */
  pausedFor?: string;
}

/**
 * The case as GET /v1/cases/{id} and /state?asOf= show it. The SLA clocks are evaluated at
 * `instant`: a running clock past its dueAt reads `breached` even if the timer has not fired yet.
 */
export function caseView(state: Case, revision: number, instant: string, pausedTime?: PausedTime) {
  const sla = slaAsOf(state, instant, pausedTime);
  return {
    caseId: state.caseId,
    reference: state.reference,
    status: state.status,
    severity: state.severity,
    proposedSeverity: state.proposedSeverity ?? null,
    triaged: (state.triagedAt ?? null) !== null,
    triagedAt: state.triagedAt ?? null,
    triagedBy: state.triagedBy ?? null,
    triageDueAt: state.triageDueAt ?? null,
    severityLowered: state.severityLowered,
    partnerId: state.partnerId,
    customerId: state.customerId,
    product: state.product,
    requestType: state.requestType,
    submitterRole: state.submitterRole,
    // The eligibility facts as submitted (`?? `: states folded before they were kept).
    azure: state.azure ?? null,
    partnerOfRecord: state.partnerOfRecord ?? false,
    crmOnline: state.crmOnline ?? null,
    topic: state.topic,
    feature: state.feature,
    symptom: state.symptom,
    summary: state.summary,
    details: state.details,
    serviceUnavailable: state.serviceUnavailable,
    usersAffected: state.usersAffected,
    contact: state.contact,
    attachments: state.attachments,
    partnerAvailable24x7: state.partnerAvailable24x7,
    // The escalation path: the engineer, its backup (as recorded at assignment), its manager.
    engineerId: state.engineerId,
    backupEngineerId: state.backupEngineerId ?? null,
    managerId: state.managerId,
    routedTo: state.routedTo,
    routingReason: state.routingReason,
    rejectionReason: state.rejectionReason,
    rejectionMessage: state.rejectionMessage,
    submittedAt: state.submittedAt,
    updatedAt: state.updatedAt,
    resolvedAt: state.resolvedAt,
    resolutionSummary: state.resolutionSummary,
    closedAt: state.closedAt,
    reopenedAt: state.reopenedAt,
    initialResponseAt: state.initialResponseAt,
    lastUpdateAt: state.lastUpdateAt,
    updateCount: state.updateCount,
    escalationCount: state.escalationCount,
    awaitingPartner: state.awaitingPartner ?? null,
    lastPartnerReplyAt: state.lastPartnerReplyAt ?? null,
    /** Every breach recorded on the case: facts kept through restarts, resolutions and reopenings. */
    slaBreaches: state.slaBreaches ?? [],
    /** A routed billing case escalated to the feedback address: where, why, by whom, when. */
    billingFeedback: state.billingFeedback ?? null,
    sla: {
      policyVersion: sla.policyVersion,
      initialResponse: sla.initialResponse && clockView(sla.initialResponse),
      nextUpdate: sla.nextUpdate && clockView(sla.nextUpdate),
    },
    revision,
  };
}

function clockView(clock: ClockAsOf): ClockView {
  const { pauses: _pauses, pausedMs: _pausedMs, ...shown } = clock;
  return shown;
}
