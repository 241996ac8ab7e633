import { SqlExecutor } from '../../event-store/sql/sql-client';
import type { ProjectionCache } from '../../projections/projection-cache';
import type { OutcomeClock } from './sla-outcomes.fold';
import {
  addContribution,
  addTotals,
  CaseFigures,
  emptyTotals,
  isZeroTotals,
  NO_VALUE,
  OutcomeTotals,
  periodsOf,
  StoredTotals,
  storedTotals,
  TotalDimension,
  totalsOf,
} from './sla-outcome-totals';

export type Period = 'day' | 'month';

type TotalsKey = {
  readonly period: Period;
  /** The period's first day, YYYY-MM-DD. */
  readonly start: string;
  readonly dim: string;
  readonly value: string;
};

/** A batch's changes to rm_sla_outcome_totals: cases' contributions taken off and added. */
export class TotalsDeltas {
  readonly byKey = new Map<string, { key: TotalsKey; totals: OutcomeTotals }>();

  /**
   * Adds (sign 1) or takes off (sign -1) a case's item and the given clocks' items, for its day
   * and its month. A batch changes only these: settled clocks' sums were added as the clocks
   * were answered, and settling them does not change the case's contribution.
   */
  add(figures: CaseFigures, clocks: Iterable<OutcomeClock>, sign: 1 | -1): void {
    const { day, month } = periodsOf(figures.submittedAt);
    // An item's ten rows (five groups, two periods), found once per severity and engineer.
    let last: { severity: string | null; engineerId: string | null; rows: OutcomeTotals[] } | null = null;
    addContribution(figures, clocks, [], sign, (severity, engineerId) => {
      if (last?.severity === severity && last.engineerId === engineerId) return last.rows;
      const rows: OutcomeTotals[] = [];
      for (const [period, start] of [
        ['day', day],
        ['month', month],
      ] as const) {
        rows.push(
          this.row(period, start, 'all', 'all'),
          this.row(period, start, 'severity', severity ?? NO_VALUE),
          this.row(period, start, 'partner', figures.partnerId),
          this.row(period, start, 'engineer', engineerId ?? NO_VALUE),
          this.row(period, start, 'product', figures.product),
        );
      }
      last = { severity, engineerId, rows };
      return rows;
    });
  }

  private row(period: Period, start: string, dim: TotalDimension, value: string): OutcomeTotals {
    const id = `${period}|${start}|${dim}|${value}`;
    let entry = this.byKey.get(id);
    if (!entry) {
      entry = { key: { period, start, dim, value }, totals: emptyTotals() };
      this.byKey.set(id, entry);
    }
    return entry.totals;
  }
}

const TOTALS_KEY = 'totals:';
const idOf = (k: TotalsKey) => `${k.period}|${k.start}|${k.dim}|${k.value}`;

/**
 * Applies a batch's deltas in the projection's transaction: reads the rows they touch (those the
 * projection's cache does not hold as the previous batch left them), adds, and writes back (rows
 * that come to zero are deleted, so a rebuild from the first event gives the same rows). One
 * projection runner writes a read model at a time, so read-then-write is safe.
 */
export async function applyTotalsDeltas(
  tx: SqlExecutor,
  s: string,
  deltas: TotalsDeltas,
  cache?: ProjectionCache,
): Promise<void> {
  const changed = [...deltas.byKey.values()].filter((d) => !isZeroTotals(d.totals));
  if (changed.length === 0) return;
  // A key the cache holds as an empty sum is a row that does not exist.
  const current = new Map<string, OutcomeTotals>();
  const unknown: TotalsKey[] = [];
  for (const { key } of changed) {
    const kept = cache?.get<OutcomeTotals>(TOTALS_KEY + idOf(key));
    if (kept) current.set(idOf(key), kept);
    else unknown.push(key);
  }
  if (unknown.length > 0) {
    const stored = await tx.query<TotalsKey & { totals: StoredTotals }>(
      `select t.period, t.start::text as start, t.dim, t.value, t.totals
         from rm_sla_outcome_totals${s} t
         join json_to_recordset($1::json) as k(period text, start date, dim text, value text)
           on t.period = k.period and t.dim = k.dim and t.start = k.start and t.value = k.value`,
      [JSON.stringify(unknown)],
    );
    for (const r of stored) current.set(idOf(r), totalsOf(r.totals));
  }
  const upserts: Array<TotalsKey & { totals: StoredTotals }> = [];
  const deletes: TotalsKey[] = [];
  for (const { key, totals } of changed) {
    const sum = current.get(idOf(key)) ?? emptyTotals();
    addTotals(sum, totals);
    cache?.set(TOTALS_KEY + idOf(key), sum);
    if (isZeroTotals(sum)) deletes.push(key);
    else upserts.push({ ...key, totals: storedTotals(sum) });
  }
  if (upserts.length > 0) {
    await tx.query(
      `insert into rm_sla_outcome_totals${s} (period, start, dim, value, totals)
       select period, start, dim, value, totals
         from json_to_recordset($1::json) as x(period text, start date, dim text, value text, totals json)
       on conflict (period, dim, start, value) do update set totals = excluded.totals`,
      [JSON.stringify(upserts)],
    );
  }
  if (deletes.length > 0) {
    await tx.query(
      `delete from rm_sla_outcome_totals${s} t
        using json_to_recordset($1::json) as k(period text, start date, dim text, value text)
        where t.period = k.period and t.dim = k.dim and t.start = k.start and t.value = k.value`,
      [JSON.stringify(deletes)],
    );
  }
}
