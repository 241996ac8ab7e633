import type { ClockCalculator } from '../sla/sla-clock';
import { DecideContext } from '../shared/decider';
import {
  Attachment,
  AzureDetails,
  CrmOnlineDetails,
  ProblemReport,
  Product,
  RequestType,
  Severity,
  SubmitterRole,
  UpdateChannel,
} from './case.types';
import { TransferCandidate } from './next-engineer';
import type { AwaitingPartnerReason } from './case.events';
import type { EngineerAvailability } from '../engineer/engineer.types';
import type { ProgrammeContract } from '../partner/programme-contract';

type Command<T extends string, D extends object> = { readonly type: T; readonly data: D };

/**
 * What a case decision may know of the outside world: the time, and the SLA policy in force as a
 * ClockCalculator (the decider never computes business time itself; it records the answer).
 */
export interface CaseContext extends DecideContext {
  readonly clocks: ClockCalculator;
}

/** An engineer as the handler found it (the decider cannot read the engineer's stream). */
export interface EngineerRef {
  readonly engineerId: string;
  readonly managerId?: string | null;
  /** As of the engineer's latest event (a severity-A case is not given to an absent engineer). */
  readonly availability?: EngineerAvailability;
  /** The engineer's backup as of its latest event: recorded on the case as its escalation path. */
  readonly backupEngineerId?: string | null;
}

/** `by` is the actor of every human command (e.g. the API key's name or the partner principal). */
export type SubmitCase = Command<
  'SubmitCase',
  ProblemReport & {
    readonly caseId: string;
    /** The service-request reference shown to the submitter, chosen by the caller ("SR-..."). */
    readonly reference: string;
    readonly submittedBy: string;
    readonly partnerId: string;
    /** Absent or null: the partner's own subscription. */
    readonly customerId?: string | null;
    readonly product: Product;
    readonly requestType: RequestType;
    readonly submitterRole: SubmitterRole;
    readonly azure?: AzureDetails | null;
    readonly partnerAvailable24x7: boolean;
    readonly proposedSeverity?: Severity | null;
    readonly attachments?: readonly Attachment[];
    /** On behalf of a customer: the submitter is the customer's partner of record (absent: not). */
    readonly partnerOfRecord?: boolean;
    /** CRM Online's conditions (sign-in, subscription); required for CRM Online. */
    readonly crmOnline?: CrmOnlineDetails | null;
    /**
     * The programme contract bound to the partner, as the handler read it from the partner's
     * stream (null: none yet; absent: not looked up, taken as none). An Azure repair naming
     * another contract is refused. Not recorded: the partner's stream holds it.
     */
    readonly partnerContract?: ProgrammeContract | null;
  }
>;

export type AssignSeverity = Command<
  'AssignSeverity',
  { readonly severity: Severity; readonly reason: string; readonly by: string }
>;

export type SetPartnerAvailability = Command<
  'SetPartnerAvailability',
  { readonly available24x7: boolean; readonly by: string }
>;

export type AssignEngineer = Command<
  'AssignEngineer',
  {
    /** The id asked for. */
    readonly engineerId: string;
    /** What the handler found under that id; null = no such engineer (404). */
    readonly engineer: EngineerRef | null;
    /** Assign an engineer who is not on shift to a severity-A case anyway, for this reason. */
    readonly force?: { readonly reason: string } | null;
    readonly by: string;
  }
>;

export type LogUpdate = Command<
  'LogUpdate',
  { readonly channel: UpdateChannel; readonly summary: string; readonly by: string }
>;

export type Escalate = Command<
  'Escalate',
  {
    readonly reason: string;
    readonly by: string;
    /** true: a customer asks; allowed only when there is no progress (no-progress.ts). */
    readonly byCustomer?: boolean;
  }
>;

export type SeverityACall = Command<
  'SeverityACall',
  {
    /** Who called (a name or phone number, as the dispatcher recorded it). */
    readonly caller: string;
    /**
     * Every engineer, as of their latest events (availability, manager, backup), with their open
     * severity-A workload: the case's own engineer among them.
     */
    readonly candidates: readonly TransferCandidate[];
    /** The id a call on a severity B/C case is queued under (chosen by the service). */
    readonly callId: string;
    readonly by: string;
  }
>;

/** An engineer takes a call waiting in the support-team queue. */
export type TakeQueuedCall = Command<
  'TakeQueuedCall',
  {
    readonly callId: string;
    /** The id asked for, and what the handler found under it (null = no such engineer). */
    readonly engineerId: string;
    readonly engineer: EngineerRef | null;
    readonly by: string;
  }
>;

/**
 * The billing path: a routed billing case goes on to the feedback address (configuration, filled
 * in by the service; null: none is configured).
 */
export type EscalateToBillingFeedback = Command<
  'EscalateToBillingFeedback',
  { readonly reason: string; readonly by: string; readonly address: string | null }
>;

export type ResolveCase = Command<'ResolveCase', { readonly summary: string; readonly by: string }>;
export type CloseCase = Command<'CloseCase', { readonly by: string }>;
export type ReopenCase = Command<'ReopenCase', { readonly reason: string; readonly by: string }>;

/** Staff wait on the partner: `summary` goes out as an update; the next-update clock starts paused. */
export type AwaitPartner = Command<
  'AwaitPartner',
  {
    readonly reason: AwaitingPartnerReason;
    readonly summary: string;
    readonly channel?: UpdateChannel;
    readonly by: string;
  }
>;
/** The partner answered (or staff record its answer): a paused clock resumes. */
export type RecordPartnerReply = Command<'RecordPartnerReply', { readonly summary: string; readonly by: string }>;
/** Staff stop waiting on the partner: the paused clock resumes. */
export type ResumeClock = Command<'ResumeClock', { readonly by: string }>;

/** Timer commands: issued by the system when a clock's warnAt / dueAt / escalateAt arrives. */
export type RaiseSlaWarning = Command<'RaiseSlaWarning', { readonly clockId: string }>;
export type RecordSlaBreach = Command<'RecordSlaBreach', { readonly clockId: string }>;
export type EscalateOverdue = Command<
  'EscalateOverdue',
  {
    readonly clockId: string;
    /**
     * The duty manager as of the duty-manager stream's latest event (null: nobody on duty), read
     * by the handler: who gets an overdue case that has no engineer, or whose engineer has no manager.
     */
    readonly dutyManagerId?: string | null;
  }
>;

/** The policy's autoResumeAfter passed on a paused clock. */
export type AutoResumeClock = Command<'AutoResumeClock', { readonly clockId: string }>;
/** The policy's triageWithin passed since submission. */
export type RaiseTriageAlert = Command<'RaiseTriageAlert', Record<string, never>>;

export type SlaTimerCommand = RaiseSlaWarning | RecordSlaBreach | EscalateOverdue | AutoResumeClock | RaiseTriageAlert;

export type CaseCommand =
  | SubmitCase
  | AssignSeverity
  | SetPartnerAvailability
  | AssignEngineer
  | LogUpdate
  | Escalate
  | SeverityACall
  | TakeQueuedCall
  | ResolveCase
  | CloseCase
  | ReopenCase
  | AwaitPartner
  | RecordPartnerReply
  | ResumeClock
  | SlaTimerCommand
  | EscalateToBillingFeedback;
