/**
 * The timers of every SLA clock (warning, breach, escalation), the auto-resume timer of a paused
 * clock, and the triage timer of an open case. A job's id is deterministic (case, clock, action,
 * and the clock's generation), so scheduling it twice, from a redelivered event or from the sweep,
 * adds it once.
 */
export const TIMER_ACTIONS = ['warning', 'breach', 'escalation', 'auto-resume', 'triage'] as const;
export type TimerAction = (typeof TIMER_ACTIONS)[number];

/** The timers a running clock has. */
export const CLOCK_ACTIONS = ['warning', 'breach', 'escalation'] as const satisfies readonly TimerAction[];

/** The pseudo clock id of a case's triage timer (a clock id is `${kind}-${n}`, so it cannot clash). */
export const TRIAGE_TIMER = 'triage';

export interface SlaTimerJob {
  readonly caseId: string;
  readonly clockId: string;
  readonly action: TimerAction;
  /** When it is due (ISO-8601). */
  readonly runAt: string;
  /** The event that asked for it (SlaClockStarted, SlaClockPaused/Resumed, CaseSubmitted): the causation of what the timer records. */
  readonly clockEventId: string;
  /**
   * How many times the clock was paused or resumed before this job was armed. A resumed clock's
   * timers are new jobs (its instants moved), while the completed jobs of earlier generations are
   * kept in Redis for a while (the sweep tells "done" from "lost" by id). 0: never paused.
   */
  readonly generation?: number;
}

// BullMQ refuses ':' in custom job ids. Generation 0 keeps the ids jobs had before pauses existed.
export const timerJobId = (caseId: string, clockId: string, action: TimerAction, generation = 0) =>
  generation > 0 ? `${caseId}.${clockId}.g${generation}.${action}` : `${caseId}.${clockId}.${action}`;

export const SLA_TIMERS_QUEUE = 'sla-timers';
