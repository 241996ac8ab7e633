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

/** into += sign * stored, without building the stored row's own Maps (a report adds a row per period and group). */
export function addStoredTotals(into: OutcomeTotals, stored: StoredTotals, sign = 1): void {
  for (const k of COUNTS) into[k] += sign * stored[k];
  for (const k of HISTOGRAMS) {
    const h = into[k];
    for (const bucket in stored[k]) addToBucket(h, Number(bucket), sign * stored[k][bucket]);
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
  addContribution(figures, clocks, settled, 1, (severity, engineerId) => [
    into('all', 'all'),
    into('severity', severity),
    into('partner', figures.partnerId),
    into('engineer', engineerId),
    into('product', figures.product),
  ]);
  return [...groups.values()];
}

/**
 * Adds `sign` times a case's items (its own figures, the given clocks, its settled sums) to the
 * totals each item counts in, which `targetsOf` names for an item's severity and engineer (the
 * case's for the case item, each clock's for a clock). The one definition of what a case
 * contributes: the report groups it (contributions), the projection's per-batch deltas add it
 * straight into their rows (TotalsDeltas: no totals are built per item).
 */
export function addContribution(
  figures: CaseFigures,
  clocks: Iterable<OutcomeClock>,
  settled: readonly SettledClocks[],
  sign: 1 | -1,
  targetsOf: (severity: string | null, engineerId: string | null) => readonly OutcomeTotals[],
): void {
  const resolution = figures.resolvedAt === null ? null : bucketOf(msBetween(figures.submittedAt, figures.resolvedAt));
  for (const t of targetsOf(figures.severity, figures.engineerId)) {
    t.cases += sign;
    t.escalations += sign * figures.escalations;
    if (resolution !== null) addToBucket(t.resolution, resolution, sign);
  }
  for (const clock of clocks) {
    const answer = answerBucket(clock);
    for (const t of targetsOf(clock.severity, clock.engineerId)) {
      addClockCounts(t, clock, sign);
      if (answer) addToBucket(t[answer.histogram], answer.bucket, sign);
    }
  }
  for (const s of settled) for (const t of targetsOf(s.severity, s.engineerId)) addStoredTotals(t, s.totals, sign);
}

type Counts = Pick<OutcomeTotals, (typeof COUNTS)[number]>;

/** A clock's counts (where its answer counts aside: answerBucket). */
function addClockCounts(t: Counts, clock: OutcomeClock, sign: number): void {
  t.clocks += sign;
  if (clock.state === 'running' || clock.state === 'paused') t.live += sign;
  else t[clock.state] += sign;
  t.pausedMs += sign * clock.pausedMs;
}

/** The histogram and bucket an answered clock's duration counts in; null while it is unanswered. */
function answerBucket(clock: OutcomeClock): { histogram: 'firstResponse' | 'betweenUpdates'; bucket: number } | null {
  if (clock.answeredAt === null) return null;
  return {
    histogram: clock.clock === 'initialResponse' ? 'firstResponse' : 'betweenUpdates',
    bucket: bucketOf(msBetween(clock.startedAt, clock.answeredAt)),
  };
}

/** h[bucket] += n; a bucket that comes to 0 is dropped (as addHistogram does). */
function addToBucket(h: Histogram, bucket: number, n: number): void {
  const sum = (h.get(bucket) ?? 0) + n;
  if (sum === 0) h.delete(bucket);
  else h.set(bucket, sum);
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
    // Added in the stored form, to a copy: the earlier sum may be the projection cache's.
    const earlier = settled.get(k)?.totals;
    const sum: StoredTotals = earlier
      ? {
          ...earlier,
          firstResponse: { ...earlier.firstResponse },
          betweenUpdates: { ...earlier.betweenUpdates },
          resolution: { ...earlier.resolution },
        }
      : storedTotals(emptyTotals());
    addClockCounts(sum, clock, 1);
    const answer = answerBucket(clock);
    if (answer) sum[answer.histogram][answer.bucket] = (sum[answer.histogram][answer.bucket] ?? 0) + 1;
    settled.set(k, { severity: clock.severity, engineerId: clock.engineerId, totals: sum });
    delete state.clocks[clock.clockId];
  }
  for (const [recorded, root] of Object.entries(state.roots)) {
    if (!(root in state.clocks)) delete state.roots[recorded];
  }
  state.settled = [...settled.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

/** The UTC day and month a case belongs to (of its submission), as dates. */
export function periodsOf(submittedAt: string): { day: string; month: string } {
  const day = new Date(submittedAt).toISOString().slice(0, 10);
  return { day, month: `${day.slice(0, 7)}-01` };
}
