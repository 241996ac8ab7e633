import type { CalendarLocation, ClockKind } from '../sla/sla-clock';
import { DomainEvent } from '../shared/decider';
import {
  Attachment,
  AzureDetails,
  ProblemReport,
  Product,
  RequestType,
  RoutingTeam,
  Severity,
  SubmitterRole,
  UpdateChannel,
} from './case.types';
import { EligibilityFailure, EligibilityReason } from './eligibility';

/**
 * Every case event carries its caseId, `at` (when it happened: the decision's `now`, ISO-8601
 * UTC) and, for human decisions, `by` (the actor) and a `reason` where one applies, so that the
 * history reads on its own. Other instants (startedAt, dueAt, breachedAt...) are domain facts.
 */
type CaseEventOf<T extends string, D extends object> = DomainEvent<T, { readonly caseId: string; readonly at: string } & D>;

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
  }
>;

export const NOT_AVAILABLE_24X7 = 'partner not available 24x7';

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
  }
>;

export type TransferredOnSeverityACall = CaseEventOf<
  'TransferredOnSeverityACall',
  {
    readonly fromEngineerId: string | null;
    readonly toEngineerId: string;
    readonly toManagerId: string | null;
    readonly caller: string;
    readonly by: string;
    readonly reason: string;
  }
>;

/** Why a clock started: the first severity, an update, a severity change (restart), a reopening. */
export type ClockStartCause = 'severity-assigned' | 'update-sent' | 'severity-changed' | 'case-reopened';

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
  | CaseReopened;

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
];
