import { addHistogram, bucketOf, Histogram, histogramOf, storedHistogram } from './duration-histogram';
import type { OutcomeTotals, StoredTotals } from './outcome-totals.types';
import type { OutcomeCase, OutcomeClock, SettledClocks } from './sla-outcomes.fold';

export type { OutcomeTotals, StoredTotals } from './outcome-totals.types';

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
  firstResponse: new Map(),
  betweenUpdates: new Map(),
  resolution: new Map(),
});

const COUNTS = ['cases', 'clocks', 'met', 'breached', 'stopped', 'live', 'pausedMs', 'escalations'] as const;
const HISTOGRAMS = ['firstResponse', 'betweenUpdates', 'resolution'] as const;

/** into += sign * from. */
export function addTotals(into: OutcomeTotals, from: OutcomeTotals, sign = 1): void {
  for (const k of COUNTS) into[k] += sign * from[k];
  for (const k of HISTOGRAMS) addHistogram(into[k], from[k], sign);
}

export function isZeroTotals(t: OutcomeTotals): boolean {
  return COUNTS.every((k) => t[k] === 0) && HISTOGRAMS.every((k) => t[k].size === 0);
}

export function storedTotals(t: OutcomeTotals): StoredTotals {
  return {
    ...t,
    firstResponse: storedHistogram(t.firstResponse),
    betweenUpdates: storedHistogram(t.betweenUpdates),
    resolution: storedHistogram(t.resolution),
  };
}

/** into += stored, without building the stored row's own Maps (a report adds a row per period and group). */
export function addStoredTotals(into: OutcomeTotals, stored: StoredTotals): void {
  for (const k of COUNTS) into[k] += stored[k];
  for (const k of HISTOGRAMS) {
    const h = into[k];
    for (const [bucket, count] of Object.entries(stored[k])) {
      const b = Number(bucket);
      h.set(b, (h.get(b) ?? 0) + count);
    }
  }
}

export function totalsOf(stored: StoredTotals): OutcomeTotals {
  return {
    ...stored,
    firstResponse: histogramOf(stored.firstResponse),
    betweenUpdates: histogramOf(stored.betweenUpdates),
    resolution: histogramOf(stored.resolution),
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

/** The case-level figures a contribution is grouped by and counts (its clocks aside). */
export type CaseFigures = Pick<
  OutcomeCase,
  'partnerId' | 'product' | 'severity' | 'engineerId' | 'submittedAt' | 'resolvedAt' | 'escalations'
>;

/** A copy of a case's own figures (the fold changes the state in place). */
export function caseFiguresOf(state: CaseFigures): CaseFigures {
  const { partnerId, product, severity, engineerId, submittedAt, resolvedAt, escalations } = state;
  return { partnerId, product, severity, engineerId, submittedAt, resolvedAt, escalations };
}

/**
 * What one case adds to each group: its case figures under the case's own severity and
 * engineer, each clock's figures under the clock's (as the report has always grouped them).
 */
export function caseContributions(state: OutcomeCase): GroupContribution[] {
  return contributions(state, Object.values(state.clocks), state.settled ?? []);
}

/**
 * The case item of `figures` and the given clocks' items, grouped. A case's contribution is the
 * sum of these items, so a change to some of its clocks changes the sums by those clocks' items
 * (and the case item) alone: the projection takes off and adds only what a batch changed, however
 * many clocks a long-running case has.
 */
export function contributions(
  figures: CaseFigures,
  clocks: Iterable<OutcomeClock>,
  settled: readonly SettledClocks[] = [],
): GroupContribution[] {
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
    addTotals(into('partner', figures.partnerId), item);
    addTotals(into('engineer', engineerId), item);
    addTotals(into('product', figures.product), item);
  };
  const caseItem = emptyTotals();
  caseItem.cases = 1;
  caseItem.escalations = figures.escalations;
  if (figures.resolvedAt !== null) addBucket(caseItem.resolution, msBetween(figures.submittedAt, figures.resolvedAt));
  each(figures.severity, figures.engineerId, caseItem);
  for (const clock of clocks) each(clock.severity, clock.engineerId, clockItem(clock));
  for (const s of settled) each(s.severity, s.engineerId, totalsOf(s.totals));
  return [...groups.values()];
}

/** One clock's figures. */
function clockItem(clock: OutcomeClock): OutcomeTotals {
  const item = emptyTotals();
  addClock(item, clock);
  return item;
}

/**
 * Moves the case's answered clocks (met, or breached and answered: no later event changes them)
 * out of `clocks` into `settled`, summed per severity and engineer, and drops their roots. The
 * case's contribution stays the same; what the projection reads and writes per batch no longer
 * grows with every update a long-running case ever had. Settled sums are kept in key order, so
 * that equal histories store equal text (a rebuild equals the live state).
 */
export function settleAnswered(state: OutcomeCase): void {
  const answered = Object.values(state.clocks).filter((c) => c.answeredAt !== null);
  if (answered.length === 0) return;
  const key = (severity: string, engineerId: string | null) => `${severity}|${engineerId ?? ''}`;
  const settled = new Map((state.settled ?? []).map((s) => [key(s.severity, s.engineerId), s]));
  for (const clock of answered) {
    const k = key(clock.severity, clock.engineerId);
    const sum = emptyTotals();
    const earlier = settled.get(k);
    if (earlier) addTotals(sum, totalsOf(earlier.totals));
    addTotals(sum, clockItem(clock));
    settled.set(k, { severity: clock.severity, engineerId: clock.engineerId, totals: storedTotals(sum) });
    delete state.clocks[clock.clockId];
  }
  for (const [recorded, root] of Object.entries(state.roots)) {
    if (!(root in state.clocks)) delete state.roots[recorded];
  }
  state.settled = [...settled.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
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
  const b = bucketOf(ms);
  h.set(b, (h.get(b) ?? 0) + 1);
}

/** The UTC day and month a case belongs to (of its submission), as dates. */
export function periodsOf(submittedAt: string): { day: string; month: string } {
  const day = new Date(submittedAt).toISOString().slice(0, 10);
  return { day, month: `${day.slice(0, 7)}-01` };
}
