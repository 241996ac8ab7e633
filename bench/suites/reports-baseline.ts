import { SqlClient } from '../../libs/event-store/sql/sql-client';
import type { ReportGroup } from '../../libs/reports/compliance/sla-report.query';

/** The clock rows' and case rows' SQL expression of a group. */
const GROUP_SQL: Record<ReportGroup, string> = {
  severity: 'severity',
  partner: 'partner_id',
  engineer: 'engineer_id',
  product: 'product',
  month: `to_char(submitted_at at time zone 'UTC', 'YYYY-MM')`,
};

/**
 * The report's former query (before issue 16's stored sums), kept for the benchmark's "before"
 * figure only: every clock and case row aggregated on each request, exact percentiles by
 * percentile_disc, the two queries side by side with work_mem 64MB. Returns the total cases and
 * breached clocks (recorded ones and running past due), to check both queries count the same.
 */
export async function exactRowsReport(
  sql: SqlClient,
  now: string,
  groupBy: ReportGroup | undefined,
): Promise<{ cases: number; breached: number }> {
  const g = groupBy ? GROUP_SQL[groupBy] : `'all'`;
  const sets = groupBy ? 'grouping sets ((g), ())' : '(g)';
  const isTotal = groupBy ? 'grouping(g) = 1' : 'true';
  const roomy = <R extends Record<string, unknown>>(text: string, params: unknown[]) =>
    sql.transaction(async (tx) => {
      await tx.query(`set local work_mem = '64MB'`);
      return tx.query<R>(text, params);
    });
  const [clocks, cases] = await Promise.all([
    roomy<{ total: boolean; breached: string }>(
      `with o as (select ${g} as g, clock, answer_ms, paused_ms,
              case when state = 'running' and due_at <= $1::timestamptz then 'breached'
                   when state in ('running', 'paused') then 'open' else state end as outcome
         from rm_sla_outcomes)
       select ${isTotal} as total, count(*) filter (where outcome = 'breached')::text as breached,
              count(*) filter (where outcome = 'met') as met, count(*) filter (where outcome = 'stopped') as stopped,
              count(*) filter (where outcome = 'open') as open, coalesce(sum(paused_ms), 0) as paused_ms,
              percentile_disc(0.5) within group (order by answer_ms) filter (where clock = 'initialResponse') as fr_median,
              percentile_disc(0.9) within group (order by answer_ms) filter (where clock = 'initialResponse') as fr_p90,
              percentile_disc(0.5) within group (order by answer_ms) filter (where clock = 'nextUpdate') as up_median,
              percentile_disc(0.9) within group (order by answer_ms) filter (where clock = 'nextUpdate') as up_p90
         from o group by ${sets}`,
      [now],
    ),
    roomy<{ total: boolean; cases: string }>(
      `with c as (select ${g} as g, resolution_ms, escalations from rm_sla_outcome_cases)
       select ${isTotal} as total, count(*)::text as cases,
              percentile_disc(0.5) within group (order by resolution_ms) as res_median,
              percentile_disc(0.9) within group (order by resolution_ms) as res_p90,
              coalesce(sum(escalations), 0) as escalations
         from c group by ${sets}`,
      [],
    ),
  ]);
  return {
    cases: Number(cases.find((r) => r.total)?.cases ?? 0),
    breached: Number(clocks.find((r) => r.total)?.breached ?? 0),
  };
}
