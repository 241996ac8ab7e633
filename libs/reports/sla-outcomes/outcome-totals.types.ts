import type { Histogram, StoredHistogram } from './duration-histogram';

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

/** The histograms of OutcomeTotals. */
type HistogramKey = 'firstResponse' | 'betweenUpdates' | 'resolution';

/** Totals as stored (JSON): histograms as objects, buckets ascending, so equal totals are equal text. */
export type StoredTotals = Omit<OutcomeTotals, HistogramKey> & Record<HistogramKey, StoredHistogram>;
