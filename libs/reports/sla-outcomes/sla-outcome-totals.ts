import { addHistogram, bucketOf, Histogram } from './duration-histogram';
import type { OutcomeCase, OutcomeClock } from './sla-outcomes.fold';

/**
 * The figures of the compliance report that add up: per period (UTC day and month of the case's
 * submission) and group, the projection keeps their sums (rm_sla_outcome_totals), and a report
 * over any whole days adds a few hundred rows instead of reading every clock.
 *
 * `live`: clocks running or paused. Whether a running one is past due depends on when the report
 * is asked, so the report counts those from the clock rows at that instant (a partial index).
 */
export interface OutcomeTotals {
  cases: number;
  clocks: number;
  met: number;
  breached: number;
  stopped: number;
  live: number;
  pausedMs: number;
  escalations: number;
  /** Time to first response (answered initial-response clocks). */
  firstResponse: Histogram;
  /** Time between updates (answered next-update clocks). */
  betweenUpdates: Histogram;
  /** Submission to resolution (resolved cases). */
  resolution: Histogram;
}

/** The groupings kept: `all` (value "all") for totals and months, then one per groupBy. */
export const TOTAL_DIMENSIONS = ['all', 'severity', 'partner', 'engineer', 'product'] as const;
export type TotalDimension = (typeof TOTAL_DIMENSIONS)[number];

/** A group value of none (no engineer yet, no severity yet): ids are never empty. */
export const NO_VALUE = '';

export const emptyTotals = (): OutcomeTotals => ({
  cases: 0,
  clocks: 0,
  met: 0,
  breached: 0,
  stopped: 0,
  live: 0,
  pausedMs: 0,
  escalations: 0,
  firstResponse: {},
  betweenUpdates: {},
  resolution: {},
});

const COUNTS = ['cases', 'clocks', 'met', 'breached', 'stopped', 'live', 'pausedMs', 'escalations'] as const;
const HISTOGRAMS = ['firstResponse', 'betweenUpdates', 'resolution'] as const;

/** into += sign * from. */
export function addTotals(into: OutcomeTotals, from: OutcomeTotals, sign = 1): void {
  for (const k of COUNTS) into[k] += sign * from[k];
  for (const k of HISTOGRAMS) addHistogram(into[k], from[k], sign);
}

export function isZeroTotals(t: OutcomeTotals): boolean {
  return COUNTS.every((k) => t[k] === 0) && HISTOGRAMS.every((k) => Object.keys(t[k]).length === 0);
}

/** The stored form: histogram buckets in ascending order, so equal totals are equal text. */
export function canonicalTotals(t: OutcomeTotals): OutcomeTotals {
  const sorted = (h: Histogram): Histogram =>
    Object.fromEntries(Object.entries(h).sort((a, b) => Number(a[0]) - Number(b[0])));
  return {
    ...t,
    firstResponse: sorted(t.firstResponse),
    betweenUpdates: sorted(t.betweenUpdates),
    resolution: sorted(t.resolution),
  };
}

/** Real time between two instants (the rows' answer_ms and resolution_ms). */
export const msBetween = (from: string, to: string): number => Date.parse(to) - Date.parse(from);

/** A contribution of one case to one group. */
export interface GroupContribution {
  readonly dimension: TotalDimension;
  readonly value: string;
  readonly totals: OutcomeTotals;
}

/**
 * What one case adds to each group: its case figures under the case's own severity and
 * engineer, each clock's figures under the clock's (as the report has always grouped them).
 */
export function caseContributions(state: OutcomeCase): GroupContribution[] {
  const groups = new Map<string, GroupContribution>();
  const into = (dimension: TotalDimension, value: string | null): OutcomeTotals => {
    const v = value ?? NO_VALUE;
    const key = `${dimension}|${v}`;
    let g = groups.get(key);
    if (!g) {
      g = { dimension, value: v, totals: emptyTotals() };
      groups.set(key, g);
    }
    return g.totals;
  };
  // Each item's figures once, then added to its five groups.
  const each = (severity: string | null, engineerId: string | null, item: OutcomeTotals) => {
    addTotals(into('all', 'all'), item);
    addTotals(into('severity', severity), item);
    addTotals(into('partner', state.partnerId), item);
    addTotals(into('engineer', engineerId), item);
    addTotals(into('product', state.product), item);
  };
  const caseItem = emptyTotals();
  caseItem.cases = 1;
  caseItem.escalations = state.escalations;
  if (state.resolvedAt !== null) addBucket(caseItem.resolution, msBetween(state.submittedAt, state.resolvedAt));
  each(state.severity, state.engineerId, caseItem);
  for (const clock of Object.values(state.clocks)) {
    const item = emptyTotals();
    addClock(item, clock);
    each(clock.severity, clock.engineerId, item);
  }
  return [...groups.values()];
}

function addClock(t: OutcomeTotals, clock: OutcomeClock): void {
  t.clocks++;
  if (clock.state === 'running' || clock.state === 'paused') t.live++;
  else t[clock.state]++;
  t.pausedMs += clock.pausedMs;
  if (clock.answeredAt !== null) {
    const ms = msBetween(clock.startedAt, clock.answeredAt);
    addBucket(clock.clock === 'initialResponse' ? t.firstResponse : t.betweenUpdates, ms);
  }
}

function addBucket(h: Histogram, ms: number): void {
  const b = String(bucketOf(ms));
  h[b] = (h[b] ?? 0) + 1;
}

/** The UTC day and month a case belongs to (of its submission), as dates. */
export function periodsOf(submittedAt: string): { day: string; month: string } {
  const day = new Date(submittedAt).toISOString().slice(0, 10);
  return { day, month: `${day.slice(0, 7)}-01` };
}
