/**
 * The three timers of every SLA clock. A job's id is deterministic (case, clock, action), so
 * scheduling it twice, from a redelivered event or from the sweep, adds it once.
 */
export const TIMER_ACTIONS = ['warning', 'breach', 'escalation'] as const;
export type TimerAction = (typeof TIMER_ACTIONS)[number];

export interface SlaTimerJob {
  readonly caseId: string;
  readonly clockId: string;
  readonly action: TimerAction;
  /** When it is due (ISO-8601). */
  readonly runAt: string;
  /** The SlaClockStarted event that asked for it: the causation of what the timer records. */
  readonly clockEventId: string;
}

// BullMQ refuses ':' in custom job ids.
export const timerJobId = (caseId: string, clockId: string, action: TimerAction) => `${caseId}.${clockId}.${action}`;

export const SLA_TIMERS_QUEUE = 'sla-timers';
