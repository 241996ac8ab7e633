import type { CalendarLocation, ClockKind } from '../sla/sla-clock';
import { DomainEvent } from '../shared/decider';
import {
  Attachment,
  AzureDetails,
  CrmOnlineDetails,
  ProblemReport,
  Product,
  RequestType,
  RoutingTeam,
  Severity,
  SubmitterRole,
  UpdateChannel,
} from './case.types';
import { EligibilityFailure, EligibilityReason } from './eligibility';
import type { EngineerAvailability } from '../engineer/engineer.types';

/** The overdue clock that shows there is no progress: recorded on a customer's escalation (see no-progress.ts). */
export interface NoProgress {
  readonly clockId: string;
  readonly clock: ClockKind;
  readonly dueAt: string;
}

/**
 * Every case event carries its caseId, `at` (when it happened: the decision's `now`, ISO-8601
 * UTC) and, for human decisions, `by` (the actor) and a `reason` where one applies, so that the
 * history reads on its own. Other instants (startedAt, dueAt, breachedAt...) are domain facts.
 */
type CaseEventOf<T extends string, D extends object> = DomainEvent<
  T,
  { readonly caseId: string; readonly at: string } & D
>;

export type CaseSubmitted = CaseEventOf<
  'CaseSubmitted',
  ProblemReport & {
    readonly reference: string;
    readonly submittedBy: string;
    readonly partnerId: string;
    /** null: the partner's own subscription. */
    readonly customerId: string | null;
    readonly product: Product;
    readonly requestType: RequestType;
    readonly submitterRole: SubmitterRole;
    readonly azure: AzureDetails | null;
    /** Absent on submissions recorded before it was asked (they were decided without it). */
    readonly partnerOfRecord?: boolean;
    /** CRM Online's conditions as stated; absent on submissions recorded before they were asked. */
    readonly crmOnline?: CrmOnlineDetails | null;
    readonly partnerAvailable24x7: boolean;
    readonly proposedSeverity: Severity | null;
    readonly attachments: readonly Attachment[];
    /**
     * The SLA policy in force at submission (version and content hash): every clock of the case
     * is computed under it, whatever policy the service runs later. Absent on cases submitted
     * before policies were pinned (their first clock's policy is theirs).
     */
    readonly policyVersion?: string;
    readonly policyHash?: string;
    /**
     * An open case not triaged by then raises an at-risk alert (policy triageWithin). Absent on
     * routed and rejected cases and on cases submitted before triage existed.
     */
    readonly triageDueAt?: string;
  }
>;

export type CaseRouted = CaseEventOf<'CaseRouted', { readonly team: RoutingTeam; readonly reason: string }>;

export type CaseRejected = CaseEventOf<
  'CaseRejected',
  {
    /** The first failing check; `failures` lists all of them. */
    readonly reason: EligibilityReason;
    readonly message: string;
    readonly failures: readonly EligibilityFailure[];
  }
>;

export type SeverityAssigned = CaseEventOf<
  'SeverityAssigned',
  {
    /** As requested; a following SeverityLowered in the same decision says what it became. */
    readonly severity: Severity;
    readonly previousSeverity: Severity | null;
    readonly reason: string;
    readonly by: string;
    /**
     * true: staff deciding the severity for the first time (the triage). false: the partner's
     * proposal or the policy's untriaged severity at submission, or a later change. Absent on
     * events written before triage existed (see evolve).
     */
    readonly triage?: boolean;
  }
>;

export const NOT_AVAILABLE_24X7 = 'partner not available 24x7';
/** The reason of the SeverityAssigned that records the partner's proposal at submission. */
export const PROPOSED_AT_SUBMISSION = 'proposed at submission';
/** The reason of the SeverityAssigned that records the policy's untriaged severity (no proposal). */
export const UNTRIAGED_DEFAULT = 'untriaged: the policy default until staff triage';

export type SeverityLowered = CaseEventOf<
  'SeverityLowered',
  { readonly from: 'A'; readonly to: 'B'; readonly reason: typeof NOT_AVAILABLE_24X7; readonly by: string }
>;

export type PartnerAvailabilityChanged = CaseEventOf<
  'PartnerAvailabilityChanged',
  { readonly available24x7: boolean; readonly by: string }
>;

export type EngineerAssigned = CaseEventOf<
  'EngineerAssigned',
  {
    readonly engineerId: string;
    readonly managerId: string | null;
    readonly previousEngineerId: string | null;
    /** The engineer's backup when assigned (absent on events from before backups). */
    readonly backupEngineerId?: string | null;
    /** Present when a severity-A case was given to an engineer not on shift: why, and where they were. */
    readonly forced?: { readonly reason: string; readonly availability: EngineerAvailability };
    readonly by: string;
  }
>;

export type UpdateSent = CaseEventOf<
  'UpdateSent',
  {
    readonly channel: UpdateChannel;
    readonly summary: string;
    readonly by: string;
    /** The first update of the case: its initial response. */
    readonly initialResponse: boolean;
    /** The SLA clock this update answers (met, or answered late if it was breached); null without one. */
    readonly meetsClockId: string | null;
  }
>;

export type EscalatedToManager = CaseEventOf<
  'EscalatedToManager',
  {
    readonly engineerId: string;
    readonly managerId: string;
    readonly reason: string;
    readonly by: string;
    /** true: by the system because an update stayed overdue (then clockId is that clock). */
    readonly automatic: boolean;
    readonly clockId: string | null;
    /** A customer's escalation: the overdue clock that allowed it (no progress). Absent otherwise. */
    readonly noProgress?: NoProgress;
  }
>;

export type TransferredOnSeverityACall = CaseEventOf<
  'TransferredOnSeverityACall',
  {
    readonly fromEngineerId: string | null;
    readonly toEngineerId: string;
    readonly toManagerId: string | null;
    /** The new engineer's backup (absent on events from before backups). */
    readonly toBackupEngineerId?: string | null;
    readonly caller: string;
    readonly by: string;
    readonly reason: string;
  }
>;

/**
 * A call on a severity B or C case (or one not assessed yet): not transferred, but queued to the
 * support team until an engineer takes it (QueuedCallTaken).
 */
export type CallQueued = CaseEventOf<
  'CallQueued',
  {
    readonly callId: string;
    readonly reference: string;
    readonly caller: string;
    readonly severity: Severity | null;
    readonly by: string;
  }
>;

export type QueuedCallTaken = CaseEventOf<
  'QueuedCallTaken',
  { readonly callId: string; readonly engineerId: string; readonly queuedAt: string; readonly by: string }
>;

/**
 * An update overdue at escalateAt on a case with nobody to escalate to (no engineer, or an
 * engineer without a manager): it goes to the duty manager, or, with nobody on duty
 * (dutyManagerId null), it is recorded as unowned.
 */
export type EscalatedToDutyManager = CaseEventOf<
  'EscalatedToDutyManager',
  {
    readonly engineerId: string | null;
    readonly dutyManagerId: string | null;
    readonly reason: string;
    readonly by: string;
    readonly automatic: true;
    readonly clockId: string;
  }
>;

/**
 * Why a clock started: the submission (second wave: every open case has a clock from submission),
 * the first severity (cases submitted before that), an update, a severity change (restart), a reopening.
 */
export type ClockStartCause =
  'case-submitted' | 'severity-assigned' | 'update-sent' | 'severity-changed' | 'case-reopened';

/** An interval during which a clock stood still (paused, or its case resolved), counted into its due. */
export interface ClockPause {
  readonly from: string;
  readonly to: string;
}

export type SlaClockStarted = CaseEventOf<
  'SlaClockStarted',
  {
    readonly clock: ClockKind;
    /** `${clock}-${n}`, n counting the clocks started on this case. */
    readonly clockId: string;
    readonly severity: Severity;
    /** On a restart (severity change) this is the replaced clock's original start. */
    readonly startedAt: string;
    readonly dueAt: string;
    readonly warnAt: string;
    readonly escalateAt: string;
    readonly policyVersion: string;
    /** The policy's content hash; absent on clocks recorded before policies were pinned. */
    readonly policyHash?: string;
    readonly calendar: '24x7' | 'business';
    readonly location: CalendarLocation;
    readonly cause: ClockStartCause;
    /** The clock this one replaces (severity change); null otherwise. */
    readonly replacesClockId: string | null;
    /**
     * On a restart of a clock that stood still before: those intervals, already counted into
     * dueAt/warnAt/escalateAt (in this clock's calendar). Absent: none.
     */
    readonly pauses?: readonly ClockPause[];
    /** Their total in this clock's calendar (ms), with `pauses`. */
    readonly pausedMs?: number;
  }
>;

/** Why staff wait on the partner. */
export const AWAITING_PARTNER_REASONS = [
  'information-requested',
  'reproduction-requested',
  'customer-approval',
  'third-party',
] as const;
export type AwaitingPartnerReason = (typeof AWAITING_PARTNER_REASONS)[number];

/** Staff now wait on the partner: status awaiting-partner (the summary went out as an UpdateSent). */
export type AwaitingPartner = CaseEventOf<
  'AwaitingPartner',
  {
    readonly reason: AwaitingPartnerReason;
    readonly summary: string;
    readonly by: string;
    readonly autoResumeAt: string;
  }
>;

/** The partner answered (or staff recorded its answer): the wait, if any, ends. */
export type PartnerReplied = CaseEventOf<'PartnerReplied', { readonly summary: string; readonly by: string }>;

/** A clock stands still from pausedAt: no warning, breach, reminder or escalation until resumed. */
export type SlaClockPaused = CaseEventOf<
  'SlaClockPaused',
  {
    readonly clock: ClockKind;
    readonly clockId: string;
    readonly reason: AwaitingPartnerReason;
    readonly pausedAt: string;
    /** When it resumes by itself (policy autoResumeAfter, real time). */
    readonly autoResumeAt: string;
    readonly by: string;
  }
>;

/** Why a clock resumed: the partner's reply, staff, the auto-resume timer, a reopening (of a never-answered case). */
export type ClockResumeCause = 'partner-replied' | 'staff' | 'auto-resume' | 'case-reopened';

/**
 * A clock runs again; its due, warning and escalation instants move later by exactly the clock
 * time it stood still (`pausedMs`, counted in its own calendar between pausedAt and resumedAt).
 */
export type SlaClockResumed = CaseEventOf<
  'SlaClockResumed',
  {
    readonly clock: ClockKind;
    readonly clockId: string;
    readonly cause: ClockResumeCause;
    readonly pausedAt: string;
    readonly resumedAt: string;
    readonly pausedMs: number;
    /** pausedMs as an ISO-8601 duration. */
    readonly pausedFor: string;
    readonly dueAt: string;
    readonly warnAt: string;
    readonly escalateAt: string;
    readonly by: string;
  }
>;

/** A case still untriaged at triageDueAt: an at-risk alert for the dispatchers. */
export type TriageAtRisk = CaseEventOf<
  'TriageAtRisk',
  {
    readonly clock: 'triage';
    readonly severity: Severity | null;
    readonly triageDueAt: string;
    readonly submittedAt: string;
  }
>;

export type SlaWarningRaised = CaseEventOf<
  'SlaWarningRaised',
  {
    readonly clock: ClockKind;
    readonly clockId: string;
    readonly severity: Severity;
    readonly warnAt: string;
    readonly dueAt: string;
    readonly engineerId: string | null;
  }
>;

export type SlaBreached = CaseEventOf<
  'SlaBreached',
  {
    readonly clock: ClockKind;
    readonly clockId: string;
    readonly severity: Severity;
    readonly dueAt: string;
    /** The instant the objective was missed (= dueAt), whenever it was recorded (`at`). */
    readonly breachedAt: string;
    readonly engineerId: string | null;
    /** 'timer': the breach timer fired; 'catch-up': a later decision found the clock overdue first. */
    readonly detectedBy: 'timer' | 'catch-up';
  }
>;

export type UpdateReminderSent = CaseEventOf<
  'UpdateReminderSent',
  { readonly clockId: string; readonly engineerId: string; readonly reason: string }
>;

export type CaseResolved = CaseEventOf<
  'CaseResolved',
  { readonly summary: string; readonly by: string; readonly stoppedClockIds: readonly string[] }
>;

export type CaseClosed = CaseEventOf<'CaseClosed', { readonly by: string }>;

export type CaseReopened = CaseEventOf<
  'CaseReopened',
  { readonly reason: string; readonly by: string; readonly previousStatus: 'resolved' | 'closed' }
>;

/**
 * A routed billing case escalated to the feedback address (the billing path after the billing
 * team): where it went, why, by whom. At most once per case.
 */
export type EscalatedToBillingFeedback = CaseEventOf<
  'EscalatedToBillingFeedback',
  { readonly address: string; readonly reason: string; readonly by: string }
>;

export type CaseEvent =
  | CaseSubmitted
  | CaseRouted
  | CaseRejected
  | SeverityAssigned
  | SeverityLowered
  | PartnerAvailabilityChanged
  | EngineerAssigned
  | UpdateSent
  | EscalatedToManager
  | TransferredOnSeverityACall
  | SlaClockStarted
  | SlaWarningRaised
  | SlaBreached
  | UpdateReminderSent
  | CaseResolved
  | CaseClosed
  | CaseReopened
  | AwaitingPartner
  | PartnerReplied
  | SlaClockPaused
  | SlaClockResumed
  | TriageAtRisk
  | CallQueued
  | QueuedCallTaken
  | EscalatedToDutyManager
  | EscalatedToBillingFeedback;

export type CaseEventType = CaseEvent['type'];

export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  'CaseSubmitted',
  'CaseRouted',
  'CaseRejected',
  'SeverityAssigned',
  'SeverityLowered',
  'PartnerAvailabilityChanged',
  'EngineerAssigned',
  'UpdateSent',
  'EscalatedToManager',
  'TransferredOnSeverityACall',
  'SlaClockStarted',
  'SlaWarningRaised',
  'SlaBreached',
  'UpdateReminderSent',
  'CaseResolved',
  'CaseClosed',
  'CaseReopened',
  'AwaitingPartner',
  'PartnerReplied',
  'SlaClockPaused',
  'SlaClockResumed',
  'TriageAtRisk',
  'CallQueued',
  'QueuedCallTaken',
  'EscalatedToDutyManager',
  'EscalatedToBillingFeedback',
];
