/** The shapes the console reads, as docs/api.md states them (only the fields it uses). */

export type Severity = 'A' | 'B' | 'C';
export type ClockState = 'running' | 'warning' | 'breached' | 'met' | 'stopped' | 'paused';

export interface Clock {
  clockId: string;
  clock: 'initialResponse' | 'nextUpdate';
  state: ClockState;
  recordedState?: ClockState;
  severity: Severity;
  calendar: string;
  startedAt: string;
  warnAt: string;
  dueAt: string;
  escalateAt?: string;
  metAt?: string;
  breachedAt?: string;
  pausedAt?: string;
  pausedFor?: string;
}

export interface CaseView {
  caseId: string;
  reference: string;
  status: string;
  severity: Severity | null;
  proposedSeverity: Severity | null;
  triaged: boolean;
  triagedAt: string | null;
  triagedBy: string | null;
  triageDueAt?: string | null;
  partnerId: string;
  customerId: string | null;
  product: string;
  requestType: string;
  /** The eligibility facts as submitted (absent from services before they were shown). */
  azure?: { subscriptionId?: string | null; accessId?: string | null; contractId?: string | null } | null;
  partnerOfRecord?: boolean;
  crmOnline?: { office365SignIn?: string | null; subscriptionId?: string | null } | null;
  topic: string;
  feature: string;
  symptom: string;
  summary: string;
  serviceUnavailable: boolean;
  usersAffected: number;
  contact: { name: string; email: string; timeZone: string; country?: string };
  partnerAvailable24x7: boolean;
  engineerId: string | null;
  /** The engineer's backup (absent from services before backups). */
  backupEngineerId?: string | null;
  managerId: string | null;
  routedTo?: string | null;
  rejectionReason?: string | null;
  submittedAt: string;
  updatedAt: string;
  resolvedAt?: string | null;
  closedAt?: string | null;
  updateCount?: number;
  escalationCount?: number;
  awaitingPartner?: { reason: string; since: string; autoResumeAt: string } | null;
  slaBreaches?: { clockId: string; clock: string; severity: Severity; dueAt: string; recordedAt: string }[];
  sla?: { policyVersion: string; initialResponse: Clock | null; nextUpdate: Clock | null } | null;
  revision: number;
  asOf?: string;
}

/** A call waiting in the support team's queue (GET /v1/call-queue). */
export interface QueuedCall {
  callId: string;
  caseId: string;
  reference: string;
  severity: Severity | null;
  caller: string;
  queuedBy: string;
  queuedAt: string;
  waitingSeconds: number;
}

export interface CaseListItem {
  caseId: string;
  reference: string;
  status: string;
  severity: Severity | null;
  triaged: boolean;
  partnerId: string;
  product: string;
  engineerId: string | null;
  managerId: string | null;
  summary: string;
  sla: 'ok' | 'at-risk' | 'breached';
  nextDueAt: string | null;
  submittedAt: string;
  updatedAt: string;
  revision: number;
}

export interface HistoryEntry {
  revision: number;
  position: string;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: {
    actor: string;
    actorRole?: string;
    occurredAt: string;
    correlationId?: string;
    causationId?: string | null;
  };
}

export type AlertKind = 'warning' | 'breach' | 'escalation' | 'paused' | 'resumed' | 'unowned';

export interface Alert {
  alertId: string;
  kind: AlertKind;
  eventType: string;
  caseId: string;
  reference: string | null;
  severity: Severity | null;
  clockId: string | null;
  clock: string | null;
  dueAt: string | null;
  engineerId: string | null;
  managerId: string | null;
  reason: string | null;
  occurredAt: string;
  position: string;
}

export type Availability = 'on-shift' | 'off-shift' | 'away';

export interface Engineer {
  engineerId: string;
  name: string;
  email: string;
  managerId: string | null;
  timeZone: string;
  availability: Availability;
  openCases: { A: number; B: number; C: number; unassessed: number };
}
