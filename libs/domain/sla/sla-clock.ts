/**
 * The contract between the case decider and the SLA engine. The case decider never computes
 * business time itself: it asks a ClockCalculator (built from the policy in force) and records
 * the answer in a SlaClockStarted event, so that replay is exact whatever the policy becomes.
 */
export type Severity = 'A' | 'B' | 'C';
export type ClockKind = 'initialResponse' | 'nextUpdate';

/**
 * Where business time is counted: the case contact's IANA zone, ISO 3166 country and, optionally,
 * the country's region (NSW, CA, BY...) whose own public holidays close the calendar too.
 */
export interface CalendarLocation {
  readonly timeZone: string;
  readonly country?: string;
  readonly region?: string;
}

export interface ClockDue {
  readonly policyVersion: string;
  /** The policy's content hash (policyFingerprint): what the version pins. */
  readonly policyHash: string;
  /** '24x7' or 'business', as the policy said for this severity. */
  readonly calendar: '24x7' | 'business';
  readonly startedAt: string;
  readonly warnAt: string;
  readonly dueAt: string;
  /** dueAt + the policy's escalateAfterOverdue: when an overdue clock escalates to the manager. */
  readonly escalateAt: string;
}

export interface ClockCalculator {
  readonly policyVersion: string;
  readonly policyHash: string;
  /** Whether business calendars close on the contact's public holidays (then a case needs a country). */
  readonly publicHolidays: boolean;
  /** clockFor(...).dueAt alone, when the warning and escalation instants are not needed (replays). */
  dueAt?(kind: ClockKind, severity: Severity, startedAt: string, location: CalendarLocation): string;
  /** The due instants of a clock of `kind` for `severity` that starts at `startedAt` (ISO-8601 UTC). */
  clockFor(kind: ClockKind, severity: Severity, startedAt: string, location: CalendarLocation): ClockDue;
  /**
   * Clock-calendar time (ms) between two instants for a clock of `severity`: plain elapsed time on
   * a 24x7 clock, business time elapsed on a business clock. How long a paused clock stood still.
   */
  clockTimeBetween(severity: Severity, from: string, to: string, location: CalendarLocation): number;
  /** `instant` plus `ms` of that clock's calendar time: moves a due instant later by paused time. */
  addClockTime(severity: Severity, instant: string, ms: number, location: CalendarLocation): string;
  /** The policy's case rules (second wave): untriaged severity, triage alert and auto-resume limits. */
  readonly caseRules: CaseRules;
}

export interface CaseRules {
  /** The severity an open case's clock runs under while nobody proposed or triaged one. */
  readonly untriagedSeverity: Severity;
  /** Real time a case may stay untriaged before an at-risk alert. */
  readonly triageWithinMs: number;
  /** Real time a clock may stay paused (waiting on the partner) before it resumes by itself. */
  readonly autoResumeAfterMs: number;
}
