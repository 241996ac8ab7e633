import type { CaseEvent } from '../../domain/case/case.events';
import type { ClockKind, Severity } from '../../domain/sla/sla-clock';
import type { StoredTotals } from './outcome-totals.types';

/**
 * A clock's recorded outcome so far. met: answered before it was recorded breached; breached: the
 * live system recorded its breach (answered late or not); stopped: its case was resolved or
 * closed while it ran; running / paused: still live (a report judges a running clock past its
 * due instant as breached at the time of asking, as GET /v1/cases/{id} does).
 */
export type OutcomeState = 'running' | 'paused' | 'met' | 'breached' | 'stopped';

export interface OutcomeClock {
  /** The first clockId of its chain: a severity restart continues the same clock. */
  readonly clockId: string;
  readonly clock: ClockKind;
  severity: Severity;
  readonly startedAt: string;
  dueAt: string;
  state: OutcomeState;
  answeredAt: string | null;
  pausedMs: number;
  /** The engineer assigned when it ended (or now, while live). */
  engineerId: string | null;
  escalated: boolean;
}

/** A case's SLA outcomes, folded from its events (the projection stores it per case). */
export interface OutcomeCase {
  readonly caseId: string;
  readonly partnerId: string;
  readonly product: string;
  severity: Severity | null;
  engineerId: string | null;
  readonly submittedAt: string;
  resolvedAt: string | null;
  escalations: number;
  /** Recorded clockId -> first clockId of its chain (of the clocks still in `clocks`). */
  roots: Record<string, string>;
  /** The clocks that may still change: an answered one is final and moves to `settled`. */
  clocks: Record<string, OutcomeClock>;
  /**
   * The figures of the case's answered clocks, summed per severity and engineer (what the sums
   * group them by). Absent in states stored before it existed (their clocks are all in `clocks`).
   */
  settled?: SettledClocks[];
}

/** Answered clocks of one severity and engineer, summed (see settleAnswered). */
export interface SettledClocks {
  readonly severity: Severity;
  readonly engineerId: string | null;
  readonly totals: StoredTotals;
}

const isLive = (c: OutcomeClock) => c.state === 'running' || c.state === 'paused';

/**
 * Applies one event; returns the first clockIds whose row changed (the case row always changes).
 * null state + CaseSubmitted starts a case; any other event before it is ignored. The state is
 * changed in place: `beforeChange` sees each existing clock just before it changes (the projection
 * keeps a copy, to take only that clock's contribution off the sums).
 */
export function foldOutcome(
  state: OutcomeCase | null,
  event: CaseEvent,
  beforeChange?: (clock: Readonly<OutcomeClock>) => void,
): { state: OutcomeCase | null; changed: string[] } {
  if (state === null) {
    if (event.type !== 'CaseSubmitted') return { state, changed: [] };
    const d = event.data;
    return {
      state: {
        caseId: d.caseId,
        partnerId: d.partnerId,
        product: d.product,
        severity: null,
        engineerId: null,
        submittedAt: d.at,
        resolvedAt: null,
        escalations: 0,
        roots: {},
        clocks: {},
      },
      changed: [],
    };
  }
  const s = state;
  const clockOf = (id: string | null): OutcomeClock | undefined =>
    id === null ? undefined : s.clocks[s.roots[id] ?? id];
  const changed: string[] = [];
  const touch = (c: OutcomeClock) => changed.push(c.clockId);
  const will = (c: OutcomeClock) => beforeChange?.(c);
  const at = event.data.at;
  switch (event.type) {
    case 'SeverityAssigned':
      s.severity = event.data.severity;
      break;
    case 'SeverityLowered':
      s.severity = event.data.to;
      break;
    case 'EngineerAssigned':
    case 'TransferredOnSeverityACall': {
      s.engineerId = event.type === 'EngineerAssigned' ? event.data.engineerId : event.data.toEngineerId;
      for (const c of Object.values(s.clocks)) {
        if (!isLive(c)) continue;
        will(c);
        c.engineerId = s.engineerId;
        touch(c);
      }
      break;
    }
    case 'SlaClockStarted': {
      const d = event.data;
      if (d.replacesClockId !== null) {
        const root = s.roots[d.replacesClockId] ?? d.replacesClockId;
        s.roots[d.clockId] = root;
        const c = s.clocks[root];
        if (c) {
          will(c);
          c.severity = d.severity;
          c.dueAt = d.dueAt;
          touch(c);
        }
        break;
      }
      const c: OutcomeClock = {
        clockId: d.clockId,
        clock: d.clock,
        severity: d.severity,
        startedAt: d.startedAt,
        dueAt: d.dueAt,
        state: 'running',
        answeredAt: null,
        pausedMs: d.pausedMs ?? 0,
        engineerId: s.engineerId,
        escalated: false,
      };
      s.clocks[d.clockId] = c;
      touch(c);
      break;
    }
    case 'UpdateSent': {
      const c = clockOf(event.data.meetsClockId);
      if (c) {
        will(c);
        c.answeredAt = at;
        if (c.state !== 'breached') c.state = 'met';
        touch(c);
      }
      break;
    }
    case 'SlaBreached': {
      const c = clockOf(event.data.clockId);
      if (c) {
        will(c);
        c.state = 'breached';
        touch(c);
      }
      break;
    }
    case 'SlaClockPaused': {
      const c = clockOf(event.data.clockId);
      if (c && c.state === 'running') {
        will(c);
        c.state = 'paused';
        touch(c);
      }
      break;
    }
    case 'SlaClockResumed': {
      const c = clockOf(event.data.clockId);
      if (c) {
        will(c);
        c.pausedMs += event.data.pausedMs;
        c.dueAt = event.data.dueAt;
        if (c.state === 'paused' || c.state === 'stopped') c.state = 'running';
        touch(c);
      }
      break;
    }
    case 'EscalatedToManager':
    case 'EscalatedToDutyManager': {
      s.escalations++;
      const c = clockOf(event.data.clockId);
      if (c) {
        will(c);
        c.escalated = true;
        touch(c);
      }
      break;
    }
    case 'CaseResolved':
    case 'CaseClosed':
      if (event.type === 'CaseResolved') s.resolvedAt = at;
      for (const c of Object.values(s.clocks)) {
        if (!isLive(c)) continue;
        will(c);
        c.state = 'stopped';
        touch(c);
      }
      break;
    case 'CaseReopened':
      s.resolvedAt = null;
      break;
    default:
      break;
  }
  return { state: s, changed };
}
