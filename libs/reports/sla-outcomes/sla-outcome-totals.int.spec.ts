import { storeRandomCases } from '../../../test/support/case-histories';
import { seededRandom } from '../../domain/case/testing/random-history';
import { SqlEventStore } from '../../event-store/sql/sql-event-store';
import { RecordedEvent } from '../../event-store/event-store';
import { createSchemaEventStore } from '../../../test/support/test-database';
import { slaOutcomesProjection } from './sla-outcomes.projection';
import type { OutcomeCase } from './sla-outcomes.fold';
import {
  addTotals,
  caseContributions,
  emptyTotals,
  isZeroTotals,
  OutcomeTotals,
  periodsOf,
  storedTotals,
} from './sla-outcome-totals';

jest.setTimeout(300_000);

const START = Date.parse('2026-08-03T00:00:00.000Z');
const END = Date.parse('2026-11-30T00:00:00.000Z');

/**
 * The projection keeps rm_sla_outcome_totals by taking off and adding only what each batch
 * changed (a case's own figures and the clocks the batch touched). However the events are cut
 * into batches, and with batches delivered twice, the sums are the same, and equal to the
 * definition: every case's whole contribution (all its clocks), added up.
 */
describe('SLA outcome totals: per-batch deltas equal whole contributions (PostgreSQL)', () => {
  let store: SqlEventStore;
  let cleanup: () => Promise<void>;
  let events: RecordedEvent[] = [];

  beforeAll(async () => {
    ({ store, cleanup } = await createSchemaEventStore('totals', 4));
    events = await storeRandomCases(store, { cases: 150, seed: 1818, startMs: START, endMs: END });
    for (const suffix of ['_whole', '_small']) await store.sql.exec(slaOutcomesProjection.schema(suffix));
  });

  afterAll(async () => cleanup?.());

  const totals = async (suffix: string) =>
    (
      await store.sql.query<{ period: string; start: string; dim: string; value: string; totals: unknown }>(
        `select period, start::text as start, dim, value, totals from rm_sla_outcome_totals${suffix}`,
      )
    )
      .map((r) => ({ key: `${r.period}|${r.start}|${r.dim}|${r.value}`, totals: r.totals }))
      .sort(byKey);
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const stored = async (suffix: string) =>
    (
      await store.sql.query<{ case_id: string; state: string }>(
        `select case_id, state::text as state from rm_sla_outcome_cases${suffix} order by case_id`,
      )
    ).map((r) => ({ caseId: r.case_id, state: JSON.parse(r.state) as OutcomeCase }));

  it('one batch, or batches of 1-7 events with every fifth delivered twice: the same sums, equal to the definition', async () => {
    expect(events.length).toBeGreaterThan(2000);
    await store.sql.transaction((tx) => slaOutcomesProjection.apply(tx, events, '_whole'));

    const random = seededRandom(7);
    let batches = 0;
    for (let i = 0; i < events.length;) {
      const size = 1 + Math.floor(random() * 7);
      const batch = events.slice(i, i + size);
      await store.sql.transaction((tx) => slaOutcomesProjection.apply(tx, batch, '_small'));
      if (++batches % 5 === 0) await store.sql.transaction((tx) => slaOutcomesProjection.apply(tx, batch, '_small'));
      i += size;
    }
    expect(batches).toBeGreaterThan(events.length / 7);

    const whole = await totals('_whole');
    expect(whole.length).toBeGreaterThan(100);
    expect(await totals('_small')).toEqual(whole);

    // The definition: each case's whole contribution (its figures and all its clocks, grouped as
    // the report groups a case it reads), added up for its day and its month.
    const states = await store.sql.query<{ state: OutcomeCase }>('select state from rm_sla_outcome_cases_whole');
    expect(states.length).toBe(150);
    const sums = new Map<string, OutcomeTotals>();
    for (const { state } of states) {
      const { day, month } = periodsOf(state.submittedAt);
      for (const g of caseContributions(state))
        for (const key of [`day|${day}|${g.dimension}|${g.value}`, `month|${month}|${g.dimension}|${g.value}`]) {
          if (!sums.has(key)) sums.set(key, emptyTotals());
          addTotals(sums.get(key)!, g.totals);
        }
    }
    const definition = [...sums]
      .filter(([, totals]) => !isZeroTotals(totals))
      .map(([key, totals]) => ({ key, totals: JSON.parse(JSON.stringify(storedTotals(totals))) as unknown }))
      .sort(byKey);
    expect(whole).toEqual(definition);

    // A case is stored without its answered clocks (summed in `settled`), the same state however
    // the events were batched.
    const wholeStates = await stored('_whole');
    expect(await stored('_small')).toEqual(wholeStates);
    const answered = wholeStates.flatMap((c) => Object.values(c.state.clocks)).filter((c) => c.answeredAt !== null);
    expect(answered).toEqual([]);
    expect(wholeStates.filter((c) => (c.state.settled ?? []).length > 0).length).toBeGreaterThan(50);
  });
});
