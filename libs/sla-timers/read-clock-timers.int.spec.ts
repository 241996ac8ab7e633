import { SqlEventStore } from '../event-store/sql/sql-event-store';
import { createSchemaEventStore } from '../../test/support/test-database';
import { clockTimersStatement, ClockTimersQuery, readClockTimers } from './read-clock-timers';
import { slaTimersProjection } from './sla-timers.projection';

jest.setTimeout(120_000);

/** Every node of an EXPLAIN (FORMAT JSON) plan. */
function planNodes(node: Record<string, unknown>): Array<Record<string, unknown>> {
  const children = (node['Plans'] as Array<Record<string, unknown>> | undefined) ?? [];
  return [node, ...children.flatMap(planNodes)];
}

/**
 * The timer rows a batch needs are found by index however many clocks the store has recorded:
 * the projection reads them on every batch, the arming reactor too, and a scan of the whole
 * table grew with every clock ever started (issue 18: 9 ms a batch at 10,000 cases' history).
 */
describe('reading SLA clock timer rows (PostgreSQL)', () => {
  let store: SqlEventStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ store, cleanup } = await createSchemaEventStore('clocktimers', 2));
    await store.sql.exec(slaTimersProjection.schema(''));
    // 40,000 clocks of 2,000 cases; one in 40 still has a timer pending.
    await store.sql.exec(`
      insert into sla_clock_timers (case_id, clock_id, clock_event_id, warn_at, due_at, escalate_at, pending, next_at)
      select 'case-' || (i % 2000), 'clock-' || i, 'event-' || i, now(), now(), now(),
             case when i % 40 = 0 then '{breach}'::text[] else '{}'::text[] end,
             case when i % 40 = 0 then now() end
        from generate_series(1, 40000) i;
      analyze sla_clock_timers;`);
  });

  afterAll(async () => cleanup?.());

  const queries: Array<[string, ClockTimersQuery]> = [
    [
      'some clocks',
      {
        clocks: [
          { case_id: 'case-1', clock_id: 'clock-1' },
          { case_id: 'case-40', clock_id: 'clock-40' },
        ],
      },
    ],
    ['some clocks, pending only', { clocks: [{ case_id: 'case-40', clock_id: 'clock-40' }], pendingOnly: true }],
    ['the pending clocks of ended cases', { pendingOfCases: ['case-40', 'case-80'] }],
    ['both', { clocks: [{ case_id: 'case-1', clock_id: 'clock-1' }], pendingOfCases: ['case-40'] }],
  ];

  it.each(queries)('%s: found by index, never by scanning every clock', async (_name, query) => {
    const statement = clockTimersStatement('', query)!;
    const [{ 'QUERY PLAN': plan }] = await store.sql.query<{ 'QUERY PLAN': Array<{ Plan: Record<string, unknown> }> }>(
      `explain (format json) ${statement.text}`,
      statement.values,
    );
    const nodes = planNodes(plan[0].Plan);
    expect(nodes.filter((n) => n['Relation Name'] === 'sla_clock_timers').length).toBeGreaterThan(0);
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'sla_clock_timers')).toEqual([]);
  });

  it('answers the rows asked for', async () => {
    const keys = (rows: Array<{ case_id: string; clock_id: string }>) =>
      rows.map((r) => `${r.case_id}/${r.clock_id}`).sort();
    expect(keys(await readClockTimers(store.sql, '', queries[0][1]))).toEqual(['case-1/clock-1', 'case-40/clock-40']);
    expect(
      keys(
        await readClockTimers(store.sql, '', {
          clocks: [{ case_id: 'case-1', clock_id: 'clock-1' }],
          pendingOnly: true,
        }),
      ),
    ).toEqual([]);
    // case-40's pending clocks: clock-40, clock-2040, ... (every 2,000th clock is case-40's, one in 40 is pending).
    const ended = keys(await readClockTimers(store.sql, '', { pendingOfCases: ['case-40'] }));
    expect(ended.length).toBe(20);
    expect(ended.every((k) => k.startsWith('case-40/'))).toBe(true);
    expect(await readClockTimers(store.sql, '', {})).toEqual([]);
  });
});
