import type { ClockKind } from '../sla/sla-clock';
import {
  Attachment,
  AzureDetails,
  ProblemReport,
  Product,
  RequestType,
  RoutingTeam,
  Severity,
  SubmitterRole,
} from './case.types';
import { EligibilityReason } from './eligibility';

export type CaseStatus = 'open' | 'routed' | 'rejected' | 'resolved' | 'closed';

/**
 * A clock's recorded state. 'breached' stays 'breached' when a late update finally answers it
 * (metAt is then set): a late answer is not a met objective. 'stopped' is a clock that was still
 * running when the case was resolved or closed (a breached one keeps 'breached' and gets stoppedAt).
 */
export type SlaClockState = 'running' | 'met' | 'warning' | 'breached' | 'stopped';

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
  readonly attachments: readonly Attachment[];
  readonly severity: Severity | null;
  /** true when the current severity is the result of lowering A to B (partner not 24x7). */
  readonly severityLowered: boolean;
  readonly partnerAvailable24x7: boolean;
  readonly engineerId: string | null;
  readonly managerId: string | null;
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
