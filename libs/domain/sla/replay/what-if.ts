import type { CaseEvent } from '../../case/case.events';
import type { CasePolicy } from '../../case/case.state';
import { epochMs } from '../../case/instants';
import type { ClockCalculator, Severity } from '../sla-clock';
import { CaseClockReplay } from './case-clock-replay';
import { ReplayedClock, ReplayOutcome } from './replayed-clock';

export interface WhatIfFilter {
  /** Cases submitted at or after this instant. */
  readonly from?: string;
  /** Cases submitted before this instant. */
  readonly to?: string;
  readonly partnerId?: string;
}

export interface OutcomeCounts {
  clocks: number;
  met: number;
  breached: number;
  stopped: number;
  open: number;
}

/** One side of a clock in a change: its outcome and due instant under that policy. */
export interface ClockSide {
  readonly severity: Severity;
  readonly dueAt: string;
  readonly outcome: ReplayOutcome;
}

export interface WhatIfChange {
  readonly caseId: string;
  readonly reference: string;
  readonly partnerId: string;
  /** The first clockId of the chain (as recorded). */
  readonly clockId: string;
  readonly clock: ReplayedClock['clock'];
  readonly change: 'newly-breached' | 'no-longer-breached';
  readonly current: ClockSide;
  readonly proposed: ClockSide;
}

export interface WhatIfResult {
  readonly asOf: string;
  readonly proposedPolicy: { readonly version: string; readonly hash: string };
  readonly cases: number;
  /** As each case really ran (the clocks as recorded), and replayed under the proposed policy. */
  readonly current: OutcomeCounts;
  readonly proposed: OutcomeCounts;
  readonly bySeverity: Record<Severity, { readonly current: OutcomeCounts; readonly proposed: OutcomeCounts }>;
  readonly newlyBreached: { readonly clocks: number; readonly cases: number };
  readonly noLongerBreached: { readonly clocks: number; readonly cases: number };
  readonly changes: WhatIfChange[];
  /** true when more changes were found than listed (`changesLimit`). */
  readonly changesTruncated: boolean;
  /**
   * On the cases that ran under the proposed policy itself (all of them when the proposed policy
   * is the one in force): the replay against the breaches the live system recorded. `mismatches`
   * must be empty. `pendingTimers`: clocks the replay found breached whose breach is not recorded
   * yet, with no decision of their case since that records overdue breaches first (an update,
   * resolution, closure or severity change): the live system records those when their breach
   * timer fires. A breach recorded after other events of its case (a note or a warning recorded
   * past the due instant, before the timer ran) agrees.
   */
  readonly agreement: {
    readonly casesCompared: number;
    readonly recordedBreaches: number;
    readonly replayedBreaches: number;
    readonly pendingTimers: number;
    /** How many chains disagree (the first 50 are listed). */
    readonly mismatchCount: number;
    readonly mismatches: Array<{
      readonly caseId: string;
      readonly clockId: string;
      readonly recorded: boolean;
      readonly replayed: boolean;
    }>;
  };
}

interface CaseReplays {
  readonly current: CaseClockReplay;
  readonly proposed: CaseClockReplay;
  /** Clocks settled on one side only so far, by first clockId. */
  readonly halves: Map<string, { current?: ReplayedClock; proposed?: ReplayedClock }>;
  /**
   * Breaches the replay found at a later event of the case (a note, an assignment, a warning...)
   * that the live system had not recorded yet, by first clockId: its breach timer may simply not
   * have run yet. Judged when the recorded breach comes (agreement), at a decision that records
   * overdue breaches before itself (`CATCHES_UP`: disagreement), or at the end (a pending timer).
   */
  readonly awaitingRecord: Map<string, ReplayedClock>;
}

/**
 * The recorded events whose decision first records every overdue breach of the case (the
 * decider's catch-up, in the same append and before them): an unrecorded breach past one of
 * these is a disagreement, not a timer still to run.
 */
const CATCHES_UP = new Set<CaseEvent['type']>([
  'UpdateSent',
  'CaseResolved',
  'CaseClosed',
  'SeverityAssigned',
  'SeverityLowered',
]);

interface TrackedCase {
  readonly reference: string;
  readonly partnerId: string;
  /** Whether it ran under the proposed policy itself (null: not known before its first clock). */
  comparable: boolean | null;
  /**
   * null while no clock is live on either side and none waits for its other half: then nothing
   * of the replays can matter to a later event (see `isIdle`), so they are let go and made anew
   * at the case's next event. Memory then grows by this small record per case, not by replays.
   */
  replays: CaseReplays | null;
  /** Whether it already counts among the cases with newly / no longer breached clocks. */
  newly: boolean;
  noLonger: boolean;
}

export interface WhatIfRunOptions {
  /** Keep every case's replays to the end (the former behaviour; the benchmark's "before"). */
  readonly keepIdleCases?: boolean;
}

const counts = (): OutcomeCounts => ({ clocks: 0, met: 0, breached: 0, stopped: 0, open: 0 });
const MAX_MISMATCHES_LISTED = 50;

/**
 * A what-if run: every case's clocks as the live system recorded them (the policy it really ran
 * under) beside its recorded history replayed under `proposed`, clock by clock. Fed the events in
 * store order (`apply`), it keeps only the cases' live clocks and the totals, so memory does
 * not grow with the number of events. Pure: the instant the replay ends at is given.
 */
export class WhatIfRun {
  private readonly cases = new Map<string, TrackedCase>();
  private readonly current = counts();
  private readonly proposedTotals = counts();
  private readonly bySeverity = {
    A: { current: counts(), proposed: counts() },
    B: { current: counts(), proposed: counts() },
    C: { current: counts(), proposed: counts() },
  };
  private readonly changes: WhatIfChange[] = [];
  private changeCount = { newly: 0, noLonger: 0, newlyCases: 0, noLongerCases: 0 };
  private readonly agreement = {
    casesCompared: 0,
    recordedBreaches: 0,
    replayedBreaches: 0,
    pendingTimers: 0,
    mismatchCount: 0,
    mismatches: [] as WhatIfResult['agreement']['mismatches'],
  };
  private readonly fromMs: number;
  private readonly toMs: number;

  constructor(
    private readonly proposed: ClockCalculator,
    private readonly filter: WhatIfFilter = {},
    private readonly changesLimit = 10_000,
    private readonly options: WhatIfRunOptions = {},
  ) {
    this.fromMs = filter.from === undefined ? -Infinity : epochMs(filter.from);
    this.toMs = filter.to === undefined ? Infinity : epochMs(filter.to);
  }

  get casesSeen(): number {
    return this.cases.size;
  }

  /** Cases whose replays are held (some clock still live): the rest cost a small record each. */
  get casesHeld(): number {
    let held = 0;
    for (const tracked of this.cases.values()) if (tracked.replays !== null) held++;
    return held;
  }

  /** One recorded event of a case stream (events of other cases may come in between). */
  apply(event: CaseEvent): void {
    if (event.type === 'CaseSubmitted') return this.submitted(event);
    const tracked = this.cases.get(event.data.caseId);
    if (!tracked) return;
    if (tracked.comparable === null && event.type === 'SlaClockStarted') {
      // A case from before policies were pinned runs under its first clock's policy.
      tracked.comparable = this.isProposed({ version: event.data.policyVersion, hash: event.data.policyHash ?? null });
      if (tracked.comparable) this.agreement.casesCompared++;
    }
    const replays = (tracked.replays ??= this.replaysOf(event.data.caseId));
    for (const clock of replays.current.apply(event)) this.settle(tracked, replays, 'current', clock);
    for (const clock of replays.proposed.apply(event)) this.settle(tracked, replays, 'proposed', clock);
    if (replays.awaitingRecord.size > 0) this.judgeAwaiting(replays, CATCHES_UP.has(event.type));
    if (!this.options.keepIdleCases && isIdle(replays)) tracked.replays = null;
  }

  /** Ends the replay at `asOf`: every clock still unsettled is judged as it stands then. */
  finish(asOf: string): WhatIfResult {
    for (const tracked of this.cases.values()) {
      const replays = tracked.replays;
      if (replays === null) continue; // idle: every clock of the case is settled on both sides
      for (const clock of replays.current.finish(asOf)) this.settle(tracked, replays, 'current', clock);
      for (const clock of replays.proposed.finish(asOf)) this.settle(tracked, replays, 'proposed', clock);
      // Seen breached at some event, still not recorded at the end: its timer has not run yet.
      this.agreement.pendingTimers += replays.awaitingRecord.size;
      tracked.replays = null;
    }
    return {
      asOf,
      proposedPolicy: { version: this.proposed.policyVersion, hash: this.proposed.policyHash },
      cases: this.cases.size,
      current: this.current,
      proposed: this.proposedTotals,
      bySeverity: this.bySeverity,
      newlyBreached: { clocks: this.changeCount.newly, cases: this.changeCount.newlyCases },
      noLongerBreached: { clocks: this.changeCount.noLonger, cases: this.changeCount.noLongerCases },
      changes: this.changes,
      changesTruncated: this.changeCount.newly + this.changeCount.noLonger > this.changes.length,
      agreement: this.agreement,
    };
  }

  private submitted(event: Extract<CaseEvent, { type: 'CaseSubmitted' }>): void {
    const { data } = event;
    const at = epochMs(data.at);
    if (at < this.fromMs || at >= this.toMs) return;
    if (this.filter.partnerId !== undefined && data.partnerId !== this.filter.partnerId) return;
    const comparable =
      data.policyVersion === undefined
        ? null
        : this.isProposed({ version: data.policyVersion, hash: data.policyHash ?? null });
    if (comparable) this.agreement.casesCompared++;
    this.cases.set(data.caseId, {
      reference: data.reference,
      partnerId: data.partnerId,
      comparable,
      replays: null,
      newly: false,
      noLonger: false,
    });
  }

  private replaysOf(caseId: string): CaseReplays {
    return {
      current: new CaseClockReplay(null, caseId),
      proposed: new CaseClockReplay(this.proposed, caseId),
      halves: new Map(),
      awaitingRecord: new Map(),
    };
  }

  /** A pin naming the proposed policy (by hash; by version for clocks recorded before hashes). */
  private isProposed(pin: CasePolicy): boolean {
    return pin.hash !== null ? pin.hash === this.proposed.policyHash : pin.version === this.proposed.policyVersion;
  }

  private settle(tracked: TrackedCase, replays: CaseReplays, side: 'current' | 'proposed', clock: ReplayedClock): void {
    const half = replays.halves.get(clock.clockId) ?? {};
    half[side] = clock;
    if (!half.current || !half.proposed) {
      replays.halves.set(clock.clockId, half);
      return;
    }
    replays.halves.delete(clock.clockId);
    this.compare(tracked, replays, half.current, half.proposed);
  }

  private compare(tracked: TrackedCase, replays: CaseReplays, current: ReplayedClock, proposed: ReplayedClock): void {
    add(this.current, current.outcome);
    add(this.proposedTotals, proposed.outcome);
    add(this.bySeverity[current.severity].current, current.outcome);
    add(this.bySeverity[proposed.severity].proposed, proposed.outcome);

    if (tracked.comparable) this.agree(replays, proposed);

    const wasBreached = current.outcome === 'breached';
    const isBreached = proposed.outcome === 'breached';
    if (wasBreached === isBreached) return;
    const change = isBreached ? 'newly-breached' : 'no-longer-breached';
    if (isBreached) {
      this.changeCount.newly++;
      if (!tracked.newly) this.changeCount.newlyCases++;
      tracked.newly = true;
    } else {
      this.changeCount.noLonger++;
      if (!tracked.noLonger) this.changeCount.noLongerCases++;
      tracked.noLonger = true;
    }
    if (this.changes.length >= this.changesLimit) return;
    const side = (c: ReplayedClock): ClockSide => ({ severity: c.severity, dueAt: c.dueAt, outcome: c.outcome });
    this.changes.push({
      caseId: current.caseId,
      reference: tracked.reference,
      partnerId: tracked.partnerId,
      clockId: current.clockId,
      clock: current.clock,
      change,
      current: side(current),
      proposed: side(proposed),
    });
  }

  private agree(replays: CaseReplays, replay: ReplayedClock): void {
    const recorded = replays.proposed.recordedBreach(replay.clockId);
    const replayed = replay.outcome === 'breached';
    if (recorded) this.agreement.recordedBreaches++;
    if (replayed) this.agreement.replayedBreaches++;
    if (replayed && !recorded && replay.breachSeenBy === 'end') this.agreement.pendingTimers++;
    else if (replayed && !recorded) replays.awaitingRecord.set(replay.clockId, replay);
    else if (recorded !== replayed) this.mismatch(replay, recorded, replayed);
  }

  /** After each event of a case with breaches awaiting their record (see `awaitingRecord`). */
  private judgeAwaiting(replays: CaseReplays, caughtUp: boolean): void {
    for (const [clockId, replay] of replays.awaitingRecord) {
      if (replays.proposed.recordedBreach(clockId)) {
        this.agreement.recordedBreaches++;
        replays.awaitingRecord.delete(clockId);
      } else if (caughtUp) {
        this.mismatch(replay, false, true);
        replays.awaitingRecord.delete(clockId);
      }
    }
  }

  private mismatch(replay: ReplayedClock, recorded: boolean, replayed: boolean): void {
    this.agreement.mismatchCount++;
    if (this.agreement.mismatches.length < MAX_MISMATCHES_LISTED) {
      this.agreement.mismatches.push({ caseId: replay.caseId, clockId: replay.clockId, recorded, replayed });
    }
  }
}

/**
 * No clock live on either side, none settled on one side only and no breach awaiting its record
 * (`awaitingRecord`): what the replays still hold
 * (which recorded clockIds chain to which, which chains the live system recorded breached) is
 * about settled clocks only, and a later event about them changes nothing in fresh replays
 * either (a restart, update, pause or breach of a clock no longer live is ignored by both).
 */
function isIdle(replays: CaseReplays): boolean {
  return (
    replays.halves.size === 0 &&
    replays.awaitingRecord.size === 0 &&
    replays.current.liveClocks === 0 &&
    replays.proposed.liveClocks === 0
  );
}

function add(totals: OutcomeCounts, outcome: ReplayOutcome): void {
  totals.clocks++;
  totals[outcome]++;
}
