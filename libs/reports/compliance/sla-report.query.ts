import { SqlExecutor } from '../../event-store/sql/sql-client';
import { histogramPercentile } from '../sla-outcomes/duration-histogram';
import type { OutcomeCase } from '../sla-outcomes/sla-outcomes.fold';
import {
  addTotals,
  caseContributions,
  emptyTotals,
  NO_VALUE,
  OutcomeTotals,
  periodsOf,
  addStoredTotals,
  StoredTotals,
  TotalDimension,
} from '../sla-outcomes/sla-outcome-totals';

export const REPORT_GROUPS = ['severity', 'partner', 'engineer', 'product', 'month'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

export interface SlaReportQuery {
  /** Cases submitted at or after (ISO-8601); absent: from the first. */
  readonly from?: string;
  /** Cases submitted before; absent: up to now. */
  readonly to?: string;
  readonly groupBy?: ReportGroup;
  /** Only this partner's cases (forced for partner keys). */
  readonly partnerId?: string;
  /** The instant a running clock is judged at (past due then: breached). */
  readonly now: string;
}

export interface Percentiles {
  readonly median: number | null;
  readonly p90: number | null;
}

export interface SlaReportRow {
  /** The group's value (null: none, e.g. no engineer yet); "all" without groupBy. */
  readonly group: string | null;
  readonly cases: number;
  readonly clocks: number;
  readonly met: number;
  readonly breached: number;
  readonly stopped: number;
  readonly open: number;
  /** (met + stopped) / (met + stopped + breached), in percent; null when none has ended. */
  readonly onTimePct: number | null;
  /** Total time clocks stood still waiting on the partner (in their own calendars). */
  readonly pausedMs: number;
  /**
   * Real time from a case's submission to its first response (answered initial-response clocks).
   * Percentiles are bucketed (duration-histogram.ts): within 2.2% of the exact value.
   */
  readonly firstResponseMs: Percentiles;
  /** Real time between consecutive updates (answered next-update clocks). */
  readonly betweenUpdatesMs: Percentiles;
  /** Real time from submission to resolution (resolved cases). */
  readonly resolutionMs: Percentiles;
  readonly escalations: number;
}

export interface SlaReport {
  readonly from: string | null;
  readonly to: string | null;
  readonly groupBy: ReportGroup | null;
  readonly partnerId: string | null;
  readonly asOf: string;
  readonly totals: SlaReportRow;
  readonly groups: SlaReportRow[];
}

/** A running clock's group, on the clock rows: to count those past due at the report's instant. */
const CLOCK_GROUP_SQL: Record<ReportGroup, string> = {
  severity: 'severity',
  partner: 'partner_id',
  engineer: 'engineer_id',
  product: 'product',
  month: `to_char(submitted_at at time zone 'UTC', 'YYYY-MM')`,
};

const DAY_MS = 24 * 3600_000;
type Interval = readonly [from: number, to: number]; // ms, [from, to); +-Infinity: unbounded

/**
 * Where each part of [from, to) is read: whole months from the monthly totals, the other whole
 * days from the daily totals, the parts of days at the edges (and a partner's report) from the
 * cases' outcome states, added up with the same function as the projection's.
 */
export function planReport(
  fromMs: number,
  toMs: number,
  byPartner: boolean,
): { months: Interval[]; days: Interval[]; cases: Interval[] } {
  const plan = { months: [] as Interval[], days: [] as Interval[], cases: [] as Interval[] };
  if (fromMs >= toMs) return plan;
  if (byPartner) return { ...plan, cases: [[fromMs, toMs]] };
  const d1 = Number.isFinite(fromMs) ? Math.ceil(fromMs / DAY_MS) * DAY_MS : fromMs;
  const d2 = Number.isFinite(toMs) ? Math.floor(toMs / DAY_MS) * DAY_MS : toMs;
  if (d1 >= d2) return { ...plan, cases: [[fromMs, toMs]] };
  if (fromMs < d1) plan.cases.push([fromMs, d1]);
  if (d2 < toMs) plan.cases.push([d2, toMs]);
  const m1 = Number.isFinite(d1) ? monthCeil(d1) : d1;
  const m2 = Number.isFinite(d2) ? monthFloor(d2) : d2;
  if (m1 >= m2) return { ...plan, days: [[d1, d2]] };
  plan.months.push([m1, m2]);
  if (d1 < m1) plan.days.push([d1, m1]);
  if (m2 < d2) plan.days.push([m2, d2]);
  return plan;
}

function monthFloor(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
function monthCeil(ms: number): number {
  const floor = monthFloor(ms);
  if (floor === ms) return ms;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Bounds as SQL parameters: dates for the totals' periods, instants for cases. */
const asDate = (ms: number) => (ms === -Infinity ? '-infinity' : ms === Infinity ? 'infinity' : isoDay(ms));
const asInstant = (ms: number) =>
  ms === -Infinity ? '-infinity' : ms === Infinity ? 'infinity' : new Date(ms).toISOString();
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The SLA compliance report over the sla-outcomes read model: clocks per outcome, % on time,
 * paused time, median and p90 of first response, time between updates and resolution, and
 * escalations, in total and per group. Clocks and cases belong to the range by their case's
 * submission instant. A running clock already past due at `now` counts as breached (it is, even
 * if its breach timer has not fired yet); a replaced clock is counted once, as its chain.
 *
 * Reads the projection's sums per month and day (O(periods x groups) rows) and only the cases of
 * partial days (or of one partner), plus the running clocks past due at `now`.
 */
export async function slaReport(sql: SqlExecutor, query: SlaReportQuery): Promise<SlaReport> {
  const groupBy = query.groupBy;
  const fromMs = query.from === undefined ? -Infinity : Date.parse(query.from);
  const toMs = query.to === undefined ? Infinity : Date.parse(query.to);
  const plan = planReport(fromMs, toMs, query.partnerId !== undefined);
  const dimension: TotalDimension | null = groupBy === undefined || groupBy === 'month' ? null : groupBy;

  const totals = emptyTotals();
  const groups = new Map<string, OutcomeTotals>();
  const groupOf = (group: string) => {
    let g = groups.get(group);
    if (!g) groups.set(group, (g = emptyTotals()));
    return g;
  };
  /** Where one contribution (a stored sum or a case's) goes, by dimension, value and month of submission. */
  const targets = (dim: string, value: string, month: string): OutcomeTotals[] =>
    dim === 'all'
      ? groupBy === 'month'
        ? [totals, groupOf(month.slice(0, 7))]
        : [totals]
      : dim === dimension
        ? [groupOf(value)]
        : [];

  const [stored, cases, pastDue] = await Promise.all([
    readStoredTotals(sql, plan, dimension),
    readCases(sql, plan.cases, query.partnerId),
    readPastDue(sql, query, groupBy),
  ]);
  for (const r of stored) for (const t of targets(r.dim, r.value, r.start)) addStoredTotals(t, r.totals);
  for (const state of cases) {
    const { month } = periodsOf(state.submittedAt);
    for (const g of caseContributions(state))
      for (const t of targets(g.dimension, g.value, month)) addTotals(t, g.totals);
  }

  const totalsRow = toRow(
    'all',
    totals,
    [...pastDue.values()].reduce((n, c) => n + c, 0),
  );
  const groupRows = groupBy
    ? [...groups.entries()]
        .map(([value, t]) => {
          const group = value === NO_VALUE ? null : value;
          return toRow(group, t, pastDue.get(group) ?? 0);
        })
        .sort((a, b) => String(a.group).localeCompare(String(b.group)))
    : [];
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    groupBy: groupBy ?? null,
    partnerId: query.partnerId ?? null,
    asOf: query.now,
    totals: totalsRow,
    groups: groupRows,
  };
}

/** The stored monthly and daily sums of the plan's whole periods: the totals and the grouping's. */
async function readStoredTotals(
  sql: SqlExecutor,
  plan: { months: Interval[]; days: Interval[] },
  dimension: TotalDimension | null,
): Promise<Array<{ start: string; dim: string; value: string; totals: StoredTotals }>> {
  const values: unknown[] = [dimension === null ? ['all'] : ['all', dimension]];
  const ranges: string[] = [];
  for (const [period, intervals] of [
    ['month', plan.months],
    ['day', plan.days],
  ] as const) {
    for (const [from, to] of intervals) {
      values.push(asDate(from), asDate(to));
      ranges.push(
        `(period = '${period}' and start >= $${values.length - 1}::date and start < $${values.length}::date)`,
      );
    }
  }
  if (ranges.length === 0) return [];
  return sql.query(
    `select start::text as start, dim, value, totals from rm_sla_outcome_totals
      where dim = any($1) and (${ranges.join(' or ')})`,
    values,
  );
}

/** The outcome states of the cases submitted in these intervals (of a partner). */
async function readCases(sql: SqlExecutor, intervals: Interval[], partnerId?: string): Promise<OutcomeCase[]> {
  if (intervals.length === 0) return [];
  const values: unknown[] = [];
  const ranges = intervals.map(([from, to]) => {
    values.push(asInstant(from), asInstant(to));
    return `(submitted_at >= $${values.length - 1}::timestamptz and submitted_at < $${values.length}::timestamptz)`;
  });
  let partner = '';
  if (partnerId !== undefined) {
    values.push(partnerId);
    partner = ` and partner_id = $${values.length}`;
  }
  const rows = await sql.query<{ state: OutcomeCase }>(
    `select state from rm_sla_outcome_cases where (${ranges.join(' or ')})${partner}`,
    values,
  );
  return rows.map((r) => r.state);
}

/** Running clocks past due at `now`, per group (null: none), in the whole range. */
async function readPastDue(
  sql: SqlExecutor,
  query: SlaReportQuery,
  groupBy: ReportGroup | undefined,
): Promise<Map<string | null, number>> {
  const values: unknown[] = [query.now];
  const conditions = [`state = 'running'`, `due_at <= $1::timestamptz`];
  if (query.from !== undefined) {
    values.push(query.from);
    conditions.push(`submitted_at >= $${values.length}::timestamptz`);
  }
  if (query.to !== undefined) {
    values.push(query.to);
    conditions.push(`submitted_at < $${values.length}::timestamptz`);
  }
  if (query.partnerId !== undefined) {
    values.push(query.partnerId);
    conditions.push(`partner_id = $${values.length}`);
  }
  const rows = await sql.query<{ g: string | null; n: number }>(
    `select ${groupBy ? CLOCK_GROUP_SQL[groupBy] : `'all'`} as g, count(*)::int as n
       from rm_sla_outcomes where ${conditions.join(' and ')} group by 1`,
    values,
  );
  return new Map(rows.map((r) => [r.g, Number(r.n)]));
}

function toRow(group: string | null, t: OutcomeTotals, pastDue: number): SlaReportRow {
  const breached = t.breached + pastDue;
  const ended = t.met + t.stopped + breached;
  const percentiles = (h: OutcomeTotals['firstResponse']) => ({
    median: histogramPercentile(h, 0.5),
    p90: histogramPercentile(h, 0.9),
  });
  return {
    group,
    cases: t.cases,
    clocks: t.clocks,
    met: t.met,
    breached,
    stopped: t.stopped,
    open: t.live - pastDue,
    onTimePct: ended === 0 ? null : Math.round(((t.met + t.stopped) * 10000) / ended) / 100,
    pausedMs: t.pausedMs,
    firstResponseMs: percentiles(t.firstResponse),
    betweenUpdatesMs: percentiles(t.betweenUpdates),
    resolutionMs: percentiles(t.resolution),
    escalations: t.escalations,
  };
}
