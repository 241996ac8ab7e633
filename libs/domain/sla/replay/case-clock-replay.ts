import type { CaseEvent, ClockPause, SlaClockStarted } from '../../case/case.events';
import { epochMs } from '../../case/instants';
import type { CalendarLocation, ClockCalculator, ClockKind, Severity } from '../sla-clock';
import { ReplayedClock } from './replayed-clock';

interface LiveClock {
  readonly clockId: string;
  readonly clock: ClockKind;
  severity: Severity;
  readonly startedAt: string;
  readonly location: CalendarLocation;
  dueAt: string;
  dueMs: number;
  /** Intervals it stood still and was resumed (recorded facts, measured again in this policy's calendar). */
  pauses: ClockPause[];
  pausedAt: string | null;
  stoppedAt: string | null;
}

/**
 * One case's SLA clocks replayed under a policy (its ClockCalculator), from the case's recorded
 * history: submissions, severity changes, updates, pauses, resolutions and reopenings stay exactly
 * as recorded; only the due instants are computed again, with the decider's own rules:
 * - a clock starts where the history started one (same kind, severity, start instant, place);
 * - an update answers the clock the recorded update answered: met before its due instant,
 *   breached (answered late) at or after it;
 * - a clock reaching its due instant unanswered while running is breached (a paused one never is);
 * - a severity change restarts a running clock from its original start under the new severity;
 *   a clock already breached is a fact and is not restarted (the decider's severity-change rule).
 *   So under a tighter policy a recorded restart of a clock this policy had already breached is
 *   not made, and under a looser one a clock the live system had breached (and so did not
 *   restart) is restarted here;
 * - a pause moves the due instant by the paused time counted in this policy's calendar;
 * - resolution or closure stops the running clocks; reopening resumes what the history resumed.
 * Pure: time comes from the events and from `finish(asOf)`.
 */
export class CaseClockReplay {
  private readonly live = new Map<string, LiveClock>();
  /** Recorded clockId -> the first clockId of its chain. */
  private readonly roots = new Map<string, string>();
  /** Chains (by first clockId) the live system recorded a breach of. */
  private readonly recordedBreaches = new Set<string>();

  /**
   * `calculator` null: the clocks as the live system recorded them (the due instants of the
   * events, no arithmetic): the side of the policy each case really ran under.
   */
  constructor(
    private readonly calculator: ClockCalculator | null,
    readonly caseId: string,
  ) {}

  /** Clocks not settled yet (running, paused or stopped by a resolution a reopening may undo). */
  get liveClocks(): number {
    return this.live.size;
  }

  /** The first clockId of the chain a recorded clockId belongs to. */
  rootOf(clockId: string): string {
    return this.roots.get(clockId) ?? clockId;
  }

  /** Replays one recorded event; returns the clocks whose outcome it settled (met or breached). */
  apply(event: CaseEvent): ReplayedClock[] {
    const at = event.data.at;
    const settled = this.breachesAt(at, 'event');
    switch (event.type) {
      case 'SlaClockStarted':
        this.started(event);
        break;
      case 'SeverityAssigned':
        this.severityChanged(event.data.severity);
        break;
      case 'SeverityLowered':
        this.severityChanged(event.data.to);
        break;
      case 'UpdateSent': {
        const clock =
          event.data.meetsClockId === null ? undefined : this.live.get(this.rootOf(event.data.meetsClockId));
        if (clock) {
          this.live.delete(clock.clockId);
          settled.push(this.result(clock, 'met', at));
        }
        break;
      }
      case 'SlaBreached':
        this.recordedBreaches.add(this.rootOf(event.data.clockId));
        break;
      case 'SlaClockPaused': {
        const clock = this.live.get(this.rootOf(event.data.clockId));
        if (clock && clock.stoppedAt === null) clock.pausedAt = event.data.pausedAt;
        break;
      }
      case 'SlaClockResumed': {
        const clock = this.live.get(this.rootOf(event.data.clockId));
        const from = clock?.pausedAt ?? clock?.stoppedAt;
        if (clock && from) {
          this.shift(clock, { from: event.data.pausedAt, to: event.data.resumedAt }, event.data.dueAt);
          clock.pausedAt = null;
          clock.stoppedAt = null;
        }
        break;
      }
      case 'CaseResolved':
      case 'CaseClosed':
        for (const clock of this.live.values()) {
          if (clock.stoppedAt !== null) continue;
          clock.stoppedAt = at;
          clock.pausedAt = null;
        }
        break;
      default:
        break;
    }
    return settled;
  }

  /** The clocks still unsettled, as they stand at `asOf` (breached if due by then, else stopped or open). */
  finish(asOf: string): ReplayedClock[] {
    const settled = this.breachesAt(asOf, 'end');
    for (const clock of this.live.values()) {
      settled.push(
        clock.stoppedAt !== null ? this.result(clock, 'stopped', clock.stoppedAt) : this.result(clock, 'open', null),
      );
    }
    this.live.clear();
    return settled;
  }

  /** Whether the live system recorded a breach of this chain (by first clockId). */
  recordedBreach(clockId: string): boolean {
    return this.recordedBreaches.has(clockId);
  }

  private breachesAt(instant: string, seenBy: 'event' | 'end'): ReplayedClock[] {
    const ms = epochMs(instant);
    const breached: ReplayedClock[] = [];
    for (const clock of this.live.values()) {
      if (clock.pausedAt !== null || clock.stoppedAt !== null || ms < clock.dueMs) continue;
      this.live.delete(clock.clockId);
      breached.push({ ...this.result(clock, 'breached', null), breachSeenBy: seenBy });
    }
    return breached;
  }

  private started({ data }: SlaClockStarted): void {
    if (data.replacesClockId !== null) {
      const root = this.rootOf(data.replacesClockId);
      this.roots.set(data.clockId, root);
      const replaced = this.live.get(root);
      // Breached (or answered) under this policy before the restart: the decider keeps such a
      // clock as it is, so the restart does not happen here.
      if (!replaced) return;
      replaced.severity = data.severity;
      replaced.pauses = [...(data.pauses ?? [])];
      this.computeDue(replaced, data.dueAt);
      return;
    }
    const clock: LiveClock = {
      clockId: data.clockId,
      clock: data.clock,
      severity: data.severity,
      startedAt: data.startedAt,
      location: data.location,
      dueAt: '',
      dueMs: 0,
      pauses: [...(data.pauses ?? [])],
      pausedAt: null,
      stoppedAt: null,
    };
    this.computeDue(clock, data.dueAt);
    this.live.set(clock.clockId, clock);
  }

  /**
   * A running clock the live system did not restart on a severity change because it had
   * recorded it breached, but that this policy has not breached: restarted here, as the decider
   * would have. (Clocks the live system did restart come with their own SlaClockStarted.)
   */
  private severityChanged(severity: Severity): void {
    if (this.calculator === null) return; // recorded: the live system's restarts are in the history
    for (const clock of this.live.values()) {
      if (clock.stoppedAt !== null || clock.severity === severity || !this.recordedBreaches.has(clock.clockId))
        continue;
      clock.severity = severity;
      this.computeDue(clock);
    }
  }

  /** Exactly startClock's arithmetic: the due instant from the start, then the paused time added. */
  private computeDue(clock: LiveClock, recordedDueAt?: string): void {
    const { calculator: c } = this;
    if (c === null) {
      if (recordedDueAt !== undefined) {
        clock.dueAt = recordedDueAt;
        clock.dueMs = epochMs(recordedDueAt);
      }
      return;
    }
    const due = c.dueAt
      ? c.dueAt(clock.clock, clock.severity, clock.startedAt, clock.location)
      : c.clockFor(clock.clock, clock.severity, clock.startedAt, clock.location).dueAt;
    const pausedMs = clock.pauses.reduce(
      (sum, p) => sum + c.clockTimeBetween(clock.severity, p.from, p.to, clock.location),
      0,
    );
    clock.dueAt = pausedMs > 0 ? c.addClockTime(clock.severity, due, pausedMs, clock.location) : due;
    clock.dueMs = epochMs(clock.dueAt);
  }

  /** Exactly resumeClock's arithmetic: the due instant moved by the paused time in this clock's calendar. */
  private shift(clock: LiveClock, pause: ClockPause, recordedDueAt: string): void {
    const { calculator: c } = this;
    clock.pauses.push(pause);
    if (c === null) {
      clock.dueAt = recordedDueAt;
      clock.dueMs = epochMs(recordedDueAt);
      return;
    }
    const pausedMs = Math.max(0, c.clockTimeBetween(clock.severity, pause.from, pause.to, clock.location));
    clock.dueAt = c.addClockTime(clock.severity, clock.dueAt, pausedMs, clock.location);
    clock.dueMs = epochMs(clock.dueAt);
  }

  private result(clock: LiveClock, outcome: ReplayedClock['outcome'], endedAt: string | null): ReplayedClock {
    return {
      caseId: this.caseId,
      clockId: clock.clockId,
      clock: clock.clock,
      severity: clock.severity,
      startedAt: clock.startedAt,
      dueAt: clock.dueAt,
      outcome,
      endedAt,
    };
  }
}
