/**
 * Builders for case specs. The SLA calculator here is a deliberately simple fake (24x7 arithmetic,
 * fixed hours per severity); real business-time counting is the sla library's job and its specs'.
 */
import type { ClockCalculator, ClockDue, ClockKind } from '../../sla/sla-clock';
import { FIXED_NOW } from '../../shared/given-when-then';
import { CaseContext, SubmitCase } from '../case.commands';
import { CaseEvent, CaseSubmitted, ClockStartCause, SlaClockStarted } from '../case.events';
import { Severity } from '../case.types';

export const NOW = FIXED_NOW; // 2026-11-23T10:00:00.000Z
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** NOW shifted by `m` minutes (negative: earlier). */
export const min = (m: number): string => new Date(Date.parse(NOW) + m * MINUTE).toISOString();

export const HOURS: Record<ClockKind, Record<Severity, number>> = {
  initialResponse: { A: 1, B: 2, C: 4 },
  nextUpdate: { A: 2, B: 8, C: 24 },
};

export const TEST_POLICY_HASH = 'sha256:test-policy-1';

export const fakeClocks: ClockCalculator = {
  policyVersion: 'test-policy-1',
  policyHash: TEST_POLICY_HASH,
  // No holidays, so specs may submit contacts without a country (sla-location has its own spec).
  publicHolidays: false,
  caseRules: { untriagedSeverity: 'B', triageWithinMs: 30 * MINUTE, autoResumeAfterMs: 5 * 24 * HOUR },
  // 24x7 arithmetic for every severity, like clockFor below.
  clockTimeBetween: (_severity, from, to) => Date.parse(to) - Date.parse(from),
  addClockTime: (_severity, instant, ms) => new Date(Date.parse(instant) + ms).toISOString(),
  clockFor(kind, severity, startedAt): ClockDue {
    const start = Date.parse(startedAt);
    const span = HOURS[kind][severity] * HOUR;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      policyVersion: 'test-policy-1',
      policyHash: TEST_POLICY_HASH,
      calendar: severity === 'A' ? '24x7' : 'business',
      startedAt,
      warnAt: iso(start + 0.75 * span),
      dueAt: iso(start + span),
      escalateAt: iso(start + span + HOUR),
    };
  },
};

export const context: CaseContext = { now: NOW, clocks: fakeClocks };

export const CASE_ID = 'case-1';
export const PARTNER = 'partner:p-contoso';
export const AGENT = 'support:alice';
export const CONTACT = {
  name: 'Jo Doe',
  email: 'jo@contoso.example',
  phone: '+33 1 23 45 67 89',
  timeZone: 'Europe/Paris',
  country: 'FR',
};
export const LOCATION = { timeZone: 'Europe/Paris', country: 'FR' };

export type SubmitData = SubmitCase['data'];

/** An eligible Office 365 repair for the partner's own tenant, without a proposed severity. */
export function submission(overrides: Partial<SubmitData> = {}): SubmitData {
  return {
    caseId: CASE_ID,
    reference: 'SR-0001',
    submittedBy: PARTNER,
    partnerId: 'p-contoso',
    product: 'office365',
    requestType: 'repair',
    submitterRole: 'admin',
    topic: 'Exchange Online',
    feature: 'mail flow',
    symptom: 'cannot send or receive',
    summary: 'mail down for everyone',
    details: 'since 08:00 no mail flows',
    serviceUnavailable: true,
    usersAffected: 250,
    contact: CONTACT,
    partnerAvailable24x7: true,
    ...overrides,
  };
}

export const submitCase = (overrides: Partial<SubmitData> = {}): SubmitCase => ({
  type: 'SubmitCase',
  data: submission(overrides),
});

export function caseSubmitted(overrides: Partial<SubmitData> = {}, at = min(-30)): CaseSubmitted {
  // The partner's contract binding is an input of the decision, not part of the record.
  const { partnerContract, ...data } = submission(overrides);
  void partnerContract;
  return {
    type: 'CaseSubmitted',
    data: {
      ...data,
      customerId: data.customerId ?? null,
      azure: data.azure ?? null,
      partnerOfRecord: data.partnerOfRecord ?? false,
      crmOnline: data.crmOnline ?? null,
      proposedSeverity: data.proposedSeverity ?? null,
      attachments: data.attachments ?? [],
      policyVersion: 'test-policy-1',
      policyHash: TEST_POLICY_HASH,
      at,
    },
  };
}

/** `triage` absent: as written before triage existed (a staff severity then counts as the triage). */
export function severityAssigned(
  severity: Severity,
  {
    previousSeverity = null as Severity | null,
    at = min(-30),
    by = AGENT,
    reason = 'triage',
    triage = undefined as boolean | undefined,
  } = {},
): CaseEvent {
  return {
    type: 'SeverityAssigned',
    data: { caseId: CASE_ID, severity, previousSeverity, reason, by, ...(triage === undefined ? {} : { triage }), at },
  };
}

/** What a submission records when the case opens (second wave): triageDueAt = at + 30 min (fakeClocks). */
export function openedSubmission(overrides: Partial<SubmitData> = {}, at = min(-30)): CaseEvent[] {
  const submitted = caseSubmitted(overrides, at);
  const proposed = submitted.data.proposedSeverity;
  const triageDueAt = new Date(Date.parse(at) + 30 * MINUTE).toISOString();
  const severity = proposed ?? 'B';
  const lowered = severity === 'A' && !submitted.data.partnerAvailable24x7;
  return [
    { ...submitted, data: { ...submitted.data, triageDueAt } },
    severityAssigned(severity, {
      at,
      by: proposed ? submitted.data.submittedBy : 'system',
      reason: proposed ? 'proposed at submission' : 'untriaged: the policy default until staff triage',
      triage: false,
    }),
    ...(lowered ? [severityLowered({ at, by: submitted.data.submittedBy })] : []),
    clockStarted('initialResponse', 1, lowered ? 'B' : severity, at, { cause: 'case-submitted' }),
  ];
}

export function severityLowered({ at = min(-30), by = AGENT } = {}): CaseEvent {
  return {
    type: 'SeverityLowered',
    data: { caseId: CASE_ID, from: 'A', to: 'B', reason: 'partner not available 24x7', by, at },
  };
}

export function clockStarted(
  kind: ClockKind,
  n: number,
  severity: Severity,
  startedAt: string,
  {
    cause = 'severity-assigned',
    replacesClockId = null,
    at = startedAt,
  }: { cause?: ClockStartCause; replacesClockId?: string | null; at?: string } = {},
): SlaClockStarted {
  const due = fakeClocks.clockFor(kind, severity, startedAt, LOCATION);
  return {
    type: 'SlaClockStarted',
    data: {
      caseId: CASE_ID,
      clock: kind,
      clockId: `${kind}-${n}`,
      severity,
      startedAt,
      dueAt: due.dueAt,
      warnAt: due.warnAt,
      escalateAt: due.escalateAt,
      policyVersion: 'test-policy-1',
      policyHash: TEST_POLICY_HASH,
      calendar: due.calendar,
      location: LOCATION,
      cause,
      replacesClockId,
      at,
    },
  };
}

export function updateSent(
  meetsClockId: string | null,
  {
    at = min(-10),
    initialResponse = true,
    by = 'support:bob',
    channel = 'email' as const,
    summary = 'looking into it',
  } = {},
): CaseEvent {
  return { type: 'UpdateSent', data: { caseId: CASE_ID, channel, summary, by, initialResponse, meetsClockId, at } };
}

export function engineerAssigned(
  engineerId = 'eng-bob',
  {
    managerId = 'mgr-carol',
    previousEngineerId = null,
    at = min(-20),
  }: { managerId?: string | null; previousEngineerId?: string | null; at?: string } = {},
): CaseEvent {
  return {
    type: 'EngineerAssigned',
    data: { caseId: CASE_ID, engineerId, managerId, previousEngineerId, by: AGENT, at },
  };
}

export function slaBreached(
  clock: SlaClockStarted,
  {
    at = clock.data.dueAt,
    engineerId = null,
    detectedBy = 'timer',
  }: { at?: string; engineerId?: string | null; detectedBy?: 'timer' | 'catch-up' } = {},
): CaseEvent {
  const { clock: kind, clockId, severity, dueAt } = clock.data;
  return {
    type: 'SlaBreached',
    data: { caseId: CASE_ID, clock: kind, clockId, severity, dueAt, breachedAt: dueAt, engineerId, detectedBy, at },
  };
}

export function reminderSent(
  clock: SlaClockStarted,
  { at = clock.data.dueAt, engineerId = 'eng-bob' } = {},
): CaseEvent {
  return {
    type: 'UpdateReminderSent',
    data: {
      caseId: CASE_ID,
      clockId: clock.data.clockId,
      engineerId,
      reason: `${clock.data.clock} objective breached at ${clock.data.dueAt}`,
      at,
    },
  };
}

export function slaWarningRaised(
  clock: SlaClockStarted,
  { at = clock.data.warnAt, engineerId = null as string | null } = {},
): CaseEvent {
  const { clock: kind, clockId, severity, warnAt, dueAt } = clock.data;
  return {
    type: 'SlaWarningRaised',
    data: { caseId: CASE_ID, clock: kind, clockId, severity, warnAt, dueAt, engineerId, at },
  };
}

export const caseResolved = (stoppedClockIds: string[], at = min(-5)): CaseEvent => ({
  type: 'CaseResolved',
  data: { caseId: CASE_ID, summary: 'fixed the connector', by: AGENT, stoppedClockIds, at },
});

export const caseClosed = (at = min(-4)): CaseEvent => ({
  type: 'CaseClosed',
  data: { caseId: CASE_ID, by: AGENT, at },
});

/** An open severity-`severity` case submitted 30 minutes ago, its initial-response clock running. */
export function openCase(
  severity: Severity = 'B',
  overrides: Partial<SubmitData> = {},
): { history: CaseEvent[]; clock: SlaClockStarted } {
  const clock = clockStarted('initialResponse', 1, severity, min(-30));
  return { history: [caseSubmitted(overrides), severityAssigned(severity), clock], clock };
}

export const routedCase = (): CaseEvent[] => [
  caseSubmitted({ requestType: 'billing' }),
  {
    type: 'CaseRouted',
    data: {
      caseId: CASE_ID,
      team: 'billing',
      reason: 'billing and subscription management is handled by the billing team',
      at: min(-30),
    },
  },
];

export const rejectedCase = (): CaseEvent[] => [
  caseSubmitted({ submitterRole: 'user' }),
  {
    type: 'CaseRejected',
    data: {
      caseId: CASE_ID,
      reason: 'submitter-role-not-eligible',
      message: 'role user may not open office365 cases for its own subscription (allowed: admin)',
      failures: [
        {
          reason: 'submitter-role-not-eligible',
          message: 'role user may not open office365 cases for its own subscription (allowed: admin)',
        },
      ],
      at: min(-30),
    },
  },
];
