import type { ClockKind } from '../sla/sla-clock';
import type { AwaitingPartnerReason, ClockPause } from './case.events';
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
} from './case.types';
import { EligibilityReason } from './eligibility';

/** awaiting-partner: open, and staff wait on the partner (the next-update clock is paused). */
export type CaseStatus = 'open' | 'awaiting-partner' | 'routed' | 'rejected' | 'resolved' | 'closed';

/** Statuses in which a case is being worked (commands on an open case are allowed). */
export const ACTIVE_STATUSES: readonly CaseStatus[] = ['open', 'awaiting-partner'];

/**
 * A clock's recorded state. 'breached' stays 'breached' when a late update finally answers it
 * (metAt is then set): a late answer is not a met objective. 'stopped' is a clock that was still
 * running when the case was resolved or closed (a breached one keeps 'breached' and gets stoppedAt).
 * 'paused': staff wait on the partner; it never warns, breaches or escalates until resumed.
 */
export type SlaClockState = 'running' | 'met' | 'warning' | 'breached' | 'stopped' | 'paused';

export interface SlaClock {
  readonly clockId: string;
  readonly clock: ClockKind;
  readonly severity: Severity;
  readonly state: SlaClockState;
  readonly startedAt: string;
  readonly dueAt: string;
  readonly warnAt: string;
  readonly escalateAt: string;
  readonly policyVersion: string;
  readonly calendar: '24x7' | 'business';
  readonly metAt?: string;
  /** The clock's warnAt once a warning was recorded (the instant it became at risk). */
  readonly warnedAt?: string;
  /** The clock's dueAt once a breach was recorded. */
  readonly breachedAt?: string;
  readonly escalatedAt?: string;
  readonly stoppedAt?: string;
  /** While paused: since when, why, and when it resumes by itself. */
  readonly pausedAt?: string;
  readonly pauseReason?: AwaitingPartnerReason;
  readonly autoResumeAt?: string;
  /** Intervals it stood still (paused, or its case resolved) and was resumed; counted into its instants. */
  readonly pauses?: readonly ClockPause[];
  /** Their total in the clock's own calendar (ms). */
  readonly pausedMs?: number;
}

/** A breach once recorded: a fact that no resolution, closure, reopening or restart erases. */
export interface SlaBreachRecord {
  readonly clockId: string;
  readonly clock: ClockKind;
  readonly severity: Severity;
  readonly dueAt: string;
  /** When the system recorded it (the SlaBreached event's `at`). */
  readonly recordedAt: string;
}

/**
 * The SLA policy a case runs under: recorded at submission, or (cases submitted before policies
 * were pinned) taken from its first clock, whose hash may then be unknown (null).
 */
export interface CasePolicy {
  readonly version: string;
  readonly hash: string | null;
}

/** What GET /v1/cases/{id} shows as `sla`: the latest clock of each kind. */
export interface CaseSla {
  /** The policy version of the latest clock started; null before the first. */
  readonly policyVersion: string | null;
  readonly initialResponse: SlaClock | null;
  readonly nextUpdate: SlaClock | null;
}

export interface Case extends ProblemReport {
  readonly caseId: string;
  readonly reference: string;
  readonly status: CaseStatus;
  readonly partnerId: string;
  readonly customerId: string | null;
  readonly product: Product;
  readonly requestType: RequestType;
  readonly submitterRole: SubmitterRole;
  readonly submittedBy: string;
  readonly azure: AzureDetails | null;
  /** As submitted (false on submissions recorded before it was asked). */
  readonly partnerOfRecord: boolean;
  /** CRM Online's conditions as submitted; null when none were stated. */
  readonly crmOnline: CrmOnlineDetails | null;
  readonly attachments: readonly Attachment[];
  /** The severity the clocks run under (proposed, untriaged default, or triaged). */
  readonly severity: Severity | null;
  /** What the partner proposed at submission (null: none). */
  readonly proposedSeverity: Severity | null;
  /** When and by whom staff first decided the severity (the triage); null: untriaged. */
  readonly triagedAt: string | null;
  readonly triagedBy: string | null;
  /** An untriaged case raises an at-risk alert at this instant; null on cases from before triage. */
  readonly triageDueAt: string | null;
  readonly triageAtRiskAt: string | null;
  /** Set while staff wait on the partner (status awaiting-partner). */
  readonly awaitingPartner: {
    readonly reason: AwaitingPartnerReason;
    readonly since: string;
    readonly autoResumeAt: string;
  } | null;
  readonly lastPartnerReplyAt: string | null;
  /** Every breach recorded on the case, in order (kept when its clock is replaced or the case reopens). */
  readonly slaBreaches: readonly SlaBreachRecord[];
  /** true when the current severity is the result of lowering A to B (partner not 24x7). */
  readonly severityLowered: boolean;
  readonly partnerAvailable24x7: boolean;
  readonly engineerId: string | null;
  readonly managerId: string | null;
  /** The engineer's backup as recorded at assignment; absent (null) when none. */
  readonly backupEngineerId?: string | null;
  /** Calls queued to the support team (B/C cases), by callId; absent until the first. */
  readonly queuedCalls?: Readonly<Record<string, QueuedCall>>;
  readonly routedTo: RoutingTeam | null;
  readonly routingReason: string | null;
  readonly rejectionReason: EligibilityReason | null;
  readonly rejectionMessage: string | null;
  readonly submittedAt: string;
  /** `at` of the latest event. */
  readonly updatedAt: string;
  readonly resolvedAt: string | null;
  readonly resolutionSummary: string | null;
  readonly closedAt: string | null;
  readonly reopenedAt: string | null;
  /** When the first update (the initial response) was sent; null until then. */
  readonly initialResponseAt: string | null;
  readonly lastUpdateAt: string | null;
  readonly updateCount: number;
  readonly escalationCount: number;
  readonly lastEscalatedAt: string | null;
  /** How many SlaClockStarted this case has: the n of the next clockId. */
  readonly clocksStarted: number;
  /** The SLA policy every clock of this case is computed under; null until known (see CasePolicy). */
  readonly policy: CasePolicy | null;
  readonly sla: CaseSla;
  /** A routed billing case escalated to the feedback address; absent until then. */
  readonly billingFeedback?: BillingFeedbackEscalation;
}

/** Where a billing case's escalation went (EscalatedToBillingFeedback). */
export interface BillingFeedbackEscalation {
  readonly address: string;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export interface QueuedCall {
  readonly callId: string;
  readonly caller: string;
  readonly queuedAt: string;
  readonly takenAt: string | null;
  readonly takenBy: string | null;
}

/** null until CaseSubmitted: the case does not exist. */
export type CaseState = Case | null;

export const isLiveClock = (clock: SlaClock | null): clock is SlaClock =>
  clock !== null && clock.metAt === undefined && clock.stoppedAt === undefined;

/** Clocks still waiting for an answer (running, warning, or breached and not yet answered). */
export const liveClocks = (state: Case): SlaClock[] =>
  [state.sla.initialResponse, state.sla.nextUpdate].filter(isLiveClock);

/** The current clock with that id; null when it was replaced or never existed (a stale timer). */
export const findClock = (state: Case, clockId: string): SlaClock | null =>
  [state.sla.initialResponse, state.sla.nextUpdate].find((c) => c?.clockId === clockId) ?? null;
