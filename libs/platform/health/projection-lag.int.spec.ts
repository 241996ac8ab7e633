import { randomUUID } from 'node:crypto';
import { EventStore } from '../../event-store/event-store';
import { createPostgresEventStore } from '../../event-store/sql/create-sql-event-store';
import { PgSqlClient } from '../../event-store/sql/pg-sql-client';
import { SqlEventStore } from '../../event-store/sql/sql-event-store';
import { PROJECTION_CHECKPOINTS_SQL } from '../../projections/projection-checkpoints';
import { testDatabaseUrl } from '../../../test/support/test-database';
import { readProjectionLag } from './projection-lag';

/** Projection lag from stored checkpoints, on real PostgreSQL (both ways of dating the first pending event). */
describe('readProjectionLag', () => {
  const schema = `ct_test_lag_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
  let store: SqlEventStore;
  let sql: PgSqlClient;
  const minuteAgo = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    await admin.exec(`create schema ${schema}`);
    store = await createPostgresEventStore(testDatabaseUrl(), { schema, poolSize: 2 });
    sql = new PgSqlClient(testDatabaseUrl(), { schema, max: 2 });
    await sql.exec(PROJECTION_CHECKPOINTS_SQL);
    const event = (type: string) => ({
      id: randomUUID(),
      type,
      data: {},
      metadata: { actor: 't', occurredAt: minuteAgo, correlationId: 'c', causationId: null },
    });
    await store.append('s-1', [event('A'), event('B')], 'no_stream');
    // Stored a minute ago, as far as the database knows.
    await sql.exec(`update ct_events set recorded_at = now() - interval '60 seconds'`);
    const { events } = await store.readAll();
    // `behind` has applied the first event only; `done` both; `never` has no row yet.
    await sql.query(
      `insert into ct_projections (name, checkpoint, position) values ('behind', $1, $2), ('done', $3, $4)`,
      [events[0].checkpoint, events[0].position, events[1].checkpoint, events[1].position],
    );
  });
  afterAll(async () => {
    await store.close();
    await sql.close();
    await admin.exec(`drop schema ${schema} cascade`);
    await admin.close();
  });

  const expectLag = (lag: { name: string; lagSeconds: number }[]) => {
    expect(lag.map((p) => p.name)).toEqual(['behind', 'done', 'never']);
    const [behind, done, never] = lag.map((p) => p.lagSeconds);
    expect(behind).toBeGreaterThanOrEqual(59);
    expect(behind).toBeLessThan(120);
    expect(never).toBeGreaterThanOrEqual(59);
    expect(done).toBe(0);
  };

  it("SQL stores: the store's recorded_at of the first event after each checkpoint, against the database clock", async () => {
    expectLag(await readProjectionLag(sql, store, ['behind', 'done', 'never']));
  });

  it('EventStoreDB: that event read through the port, dated by its occurredAt', async () => {
    // The same store seen through the port only, as the EventStoreDB adapter is.
    const portOnly: EventStore = Object.assign(Object.create(store) as EventStore, { kind: 'eventstoredb' as const });
    expectLag(await readProjectionLag(sql, portOnly, ['behind', 'done', 'never']));
  });

  it('nothing stored after the checkpoint: 0, even long after the last event', async () => {
    const lag = await readProjectionLag(sql, store, ['done']);
    expect(lag).toEqual([{ name: 'done', lagSeconds: 0 }]);
  });
});
