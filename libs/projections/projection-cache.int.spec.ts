import { storeRandomCases } from '../../test/support/case-histories';
import { seededRandom } from '../domain/case/testing/random-history';
import { createSchemaEventStore } from '../../test/support/test-database';
import { RecordedEvent } from '../event-store/event-store';
import { SqlExecutor } from '../event-store/sql/sql-client';
import { SqlEventStore } from '../event-store/sql/sql-event-store';
import { slaOutcomesProjection } from '../reports/sla-outcomes/sla-outcomes.projection';
import { slaTimersProjection } from '../sla-timers/sla-timers.projection';
import { Projection } from './projection';
import { ProjectionCache } from './projection-cache';
import { casesProjection } from './read-models/cases.projection';

jest.setTimeout(300_000);

const START = Date.parse('2026-08-03T00:00:00.000Z');
const END = Date.parse('2026-11-30T00:00:00.000Z');

/**
 * The projections that keep rows between batches (ProjectionCache) write the same rows as
 * without it, through what invalidates it: batches rolled back after the projection changed
 * cached rows in place, and batches applied by another process (which this runner's cache does
 * not see). The runner's protocol is followed as ProjectionRunner.applyBatch does: begin with the
 * checkpoint stored before the batch, end with the one the batch stores.
 */
describe('ProjectionCache: the same rows as reading them back every batch (PostgreSQL)', () => {
  let store: SqlEventStore;
  let cleanup: () => Promise<void>;
  let events: RecordedEvent[] = [];

  beforeAll(async () => {
    ({ store, cleanup } = await createSchemaEventStore('cache', 4));
    events = await storeRandomCases(store, { cases: 120, seed: 2606, startMs: START, endMs: END });
  });

  afterAll(async () => cleanup?.());

  /** Every row of the projection's tables, as text, in a stable order. */
  const contents = async (projection: Projection, suffix: string) => {
    const tables: Record<string, string[]> = {};
    for (const table of projection.tables) {
      const rows = await store.sql.query<{ row: string }>(
        `select row_to_json(t)::text as row from ${table}${suffix} t`,
      );
      tables[table] = rows.map((r) => r.row).sort();
    }
    return tables;
  };

  it.each([
    ['cases', casesProjection],
    ['sla-timers', slaTimersProjection],
    ['sla-outcomes', slaOutcomesProjection],
  ])('%s', async (name, projection) => {
    expect(events.length).toBeGreaterThan(1500);
    const plain = `_${name.replace(/-/g, '_')}_plain`;
    const cached = `_${name.replace(/-/g, '_')}_cached`;
    for (const suffix of [plain, cached]) await store.sql.exec(projection.schema(suffix));

    const cache = new ProjectionCache(40); // small: rows are evicted too
    let checkpoint: string | null = null;
    const applyCached = async (tx: SqlExecutor, batch: RecordedEvent[]) => {
      cache.begin(checkpoint);
      await projection.apply(tx, batch, cached, cache);
      cache.end(batch.at(-1)!.checkpoint);
    };
    const random = seededRandom(11);
    let rolledBack = 0;
    let byOthers = 0;
    for (let i = 0; i < events.length;) {
      const batch = events.slice(i, i + 1 + Math.floor(random() * 7));
      i += batch.length;
      await store.sql.transaction((tx) => projection.apply(tx, batch, plain));
      const roll = random();
      if (roll < 0.1) {
        // Another process applies this batch.
        await store.sql.transaction((tx) => projection.apply(tx, batch, cached));
        checkpoint = batch.at(-1)!.checkpoint;
        byOthers++;
        continue;
      }
      if (roll < 0.2) {
        // Applied, then the transaction fails: nothing is stored and the batch comes again.
        await expect(
          store.sql.transaction(async (tx) => {
            await applyCached(tx, batch);
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        rolledBack++;
      }
      await store.sql.transaction((tx) => applyCached(tx, batch));
      checkpoint = batch.at(-1)!.checkpoint;
    }
    expect(rolledBack).toBeGreaterThan(20);
    expect(byOthers).toBeGreaterThan(20);
    const expected = await contents(projection, plain);
    expect(Object.values(expected).every((rows) => rows.length > 0)).toBe(true);
    expect(await contents(projection, cached)).toEqual(expected);
  });
});
