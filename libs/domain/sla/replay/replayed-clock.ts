import type { ClockKind, Severity } from '../sla-clock';

/**
 * What a replayed clock came to. met: answered before its due instant; breached: its due instant
 * came unanswered (whether answered late or never); stopped: its case was resolved or closed
 * before it was due; open: still running (or paused) at the instant of the replay.
 */
export type ReplayOutcome = 'met' | 'breached' | 'stopped' | 'open';

/**
 * One logical clock of a case. A severity change restarts a clock under a new clockId; the
 * replay follows that chain under the first clockId (`clockId`), so the same clock can be set
 * side by side under two policies whatever restarts each of them would have made.
 */
export interface ReplayedClock {
  readonly caseId: string;
  /** The first clockId of the chain (as recorded). */
  readonly clockId: string;
  readonly clock: ClockKind;
  /** The severity it ran under last. */
  readonly severity: Severity;
  readonly startedAt: string;
  /** Its due instant under the replayed policy (moved by the time it stood still). */
  readonly dueAt: string;
  readonly outcome: ReplayOutcome;
  /** When it was answered (met or late), stopped; null otherwise. */
  readonly endedAt: string | null;
  /**
   * For a breach: whether a later recorded event of the case came after the due instant ('event')
   * or only the replay's end did ('end': the live system records it when its timer fires).
   */
  readonly breachSeenBy?: 'event' | 'end';
}
