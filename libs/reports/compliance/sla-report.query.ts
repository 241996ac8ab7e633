import { SqlClient, SqlExecutor } from '../../event-store/sql/sql-client';

/** Per report query: enough to sort the durations of a few hundred thousand clocks in memory. */
const REPORT_WORK_MEM = '64MB';

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
  /** Real time from a case's submission to its first response (answered initial-response clocks). */
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

/** The SQL expression of a group, on the clock rows (o) and the case rows (c). */
const GROUP_SQL: Record<ReportGroup, { clock: string; case: string }> = {
  severity: { clock: 'severity', case: 'severity' },
  partner: { clock: 'partner_id', case: 'partner_id' },
  engineer: { clock: 'engineer_id', case: 'engineer_id' },
  product: { clock: 'product', case: 'product' },
  month: {
    clock: `to_char(submitted_at at time zone 'UTC', 'YYYY-MM')`,
    case: `to_char(submitted_at at time zone 'UTC', 'YYYY-MM')`,
  },
};

type ClockAgg = {
  g: string | null;
  clocks: string;
  met: string;
  breached: string;
  stopped: string;
  open: string;
  paused_ms: string;
  fr_median: number | null;
  fr_p90: number | null;
  up_median: number | null;
  up_p90: number | null;
};
type CaseAgg = {
  g: string | null;
  cases: string;
  res_median: number | null;
  res_p90: number | null;
  escalations: string;
};

/**
 * The SLA compliance report over the sla-outcomes read model: clocks per outcome, % on time,
 * paused time, median and p90 of first response, time between updates and resolution, and
 * escalations, in total and per group. Clocks and cases belong to the range by their case's
 * submission instant. A running clock already past due at `now` counts as breached (it is, even
 * if its breach timer has not fired yet); a replaced clock is counted once, as its chain.
 */
export async function slaReport(sql: SqlExecutor, query: SlaReportQuery): Promise<SlaReport> {
  // The same filter in both queries; in the clock query $1 is `now`, so its parameters start at $2.
  const values: unknown[] = [];
  const conditions: Array<(n: number) => string> = [];
  if (query.from !== undefined) {
    values.push(query.from);
    conditions.push((n) => `submitted_at >= $${n}`);
  }
  if (query.to !== undefined) {
    values.push(query.to);
    conditions.push((n) => `submitted_at < $${n}`);
  }
  if (query.partnerId !== undefined) {
    values.push(query.partnerId);
    conditions.push((n) => `partner_id = $${n}`);
  }
  const filterFrom = (first: number) =>
    conditions.length ? `where ${conditions.map((c, i) => c(first + i)).join(' and ')}` : '';
  const groupBy = query.groupBy;
  const clockGroup = groupBy ? GROUP_SQL[groupBy].clock : `'all'`;
  const caseGroup = groupBy ? GROUP_SQL[groupBy].case : `'all'`;
  // grouping sets: each group and the totals in one pass.
  const sets = groupBy ? 'grouping sets ((g), ())' : '(g)';
  const isTotal = groupBy ? 'grouping(g) = 1' : 'false';

  // The two queries run side by side (the read-model pool has several connections), each with
  // room to sort its durations in memory (the default work_mem spills 100k cases' to disk).
  const roomy = <R extends Record<string, unknown>>(text: string, params: unknown[]) =>
    'transaction' in sql
      ? (sql as SqlClient).transaction(async (tx) => {
          await tx.query(`set local work_mem = '${REPORT_WORK_MEM}'`);
          return tx.query<R>(text, params);
        })
      : sql.query<R>(text, params);
  const [clockRows, caseRows] = await Promise.all([
    roomy<ClockAgg & { total: boolean }>(
      `with o as (
       select ${clockGroup} as g, clock, answer_ms, paused_ms,
              case when state in ('running') and due_at <= $1::timestamptz then 'breached'
                   when state in ('running', 'paused') then 'open' else state end as outcome
         from rm_sla_outcomes ${filterFrom(2)})
     select g, ${isTotal} as total, count(*)::text as clocks,
            count(*) filter (where outcome = 'met')::text as met,
            count(*) filter (where outcome = 'breached')::text as breached,
            count(*) filter (where outcome = 'stopped')::text as stopped,
            count(*) filter (where outcome = 'open')::text as open,
            coalesce(sum(paused_ms), 0)::text as paused_ms,
            percentile_disc(0.5) within group (order by answer_ms) filter (where clock = 'initialResponse') as fr_median,
            percentile_disc(0.9) within group (order by answer_ms) filter (where clock = 'initialResponse') as fr_p90,
            percentile_disc(0.5) within group (order by answer_ms) filter (where clock = 'nextUpdate') as up_median,
            percentile_disc(0.9) within group (order by answer_ms) filter (where clock = 'nextUpdate') as up_p90
       from o group by ${sets}`,
      [query.now, ...values],
    ),
    roomy<CaseAgg & { total: boolean }>(
      `with c as (select ${caseGroup} as g, resolution_ms, escalations from rm_sla_outcome_cases ${filterFrom(1)})
     select g, ${isTotal} as total, count(*)::text as cases,
            percentile_disc(0.5) within group (order by resolution_ms) as res_median,
            percentile_disc(0.9) within group (order by resolution_ms) as res_p90,
            coalesce(sum(escalations), 0)::text as escalations
       from c group by ${sets}`,
      values,
    ),
  ]);

  const key = (total: boolean, g: string | null) => (total ? '\u0000total' : `g:${g ?? '\u0000null'}`);
  const rows = new Map<string, SlaReportRow>();
  const row = (k: string, g: string | null): SlaReportRow => rows.get(k) ?? emptyRow(g);
  for (const r of clockRows) {
    const k = key(r.total, r.g);
    const met = Number(r.met);
    const breached = Number(r.breached);
    const stopped = Number(r.stopped);
    const ended = met + stopped + breached;
    rows.set(k, {
      ...row(k, r.g),
      clocks: Number(r.clocks),
      met,
      breached,
      stopped,
      open: Number(r.open),
      onTimePct: ended === 0 ? null : Math.round(((met + stopped) * 10000) / ended) / 100,
      pausedMs: Number(r.paused_ms),
      firstResponseMs: { median: num(r.fr_median), p90: num(r.fr_p90) },
      betweenUpdatesMs: { median: num(r.up_median), p90: num(r.up_p90) },
    });
  }
  for (const r of caseRows) {
    const k = key(r.total, r.g);
    rows.set(k, {
      ...row(k, r.g),
      cases: Number(r.cases),
      resolutionMs: { median: num(r.res_median), p90: num(r.res_p90) },
      escalations: Number(r.escalations),
    });
  }
  const totals = groupBy
    ? (rows.get(key(true, null)) ?? emptyRow('all'))
    : (rows.get(key(false, 'all')) ?? emptyRow('all'));
  const groups = groupBy
    ? [...rows.entries()]
        .filter(([k]) => k !== key(true, null))
        .map(([, v]) => v)
        .sort((a, b) => String(a.group).localeCompare(String(b.group)))
    : [];
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    groupBy: groupBy ?? null,
    partnerId: query.partnerId ?? null,
    asOf: query.now,
    totals: { ...totals, group: 'all' },
    groups,
  };
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function emptyRow(group: string | null): SlaReportRow {
  const none = { median: null, p90: null };
  return {
    group,
    cases: 0,
    clocks: 0,
    met: 0,
    breached: 0,
    stopped: 0,
    open: 0,
    onTimePct: null,
    pausedMs: 0,
    firstResponseMs: none,
    betweenUpdatesMs: none,
    resolutionMs: none,
    escalations: 0,
  };
}
