import { randomUUID } from 'node:crypto';
import { createPostgresEventStore } from '../event-store/sql/create-sql-event-store';
import { PgSqlClient } from '../event-store/sql/pg-sql-client';
import { SqlEventStore } from '../event-store/sql/sql-event-store';
import { testDatabaseUrl } from '../../test/support/test-database';
import { JsonLogger } from '../platform/logging/json-logger';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/** Counts every event it sees, keyed by event id: a duplicate breaks the primary key. */
const seen: Projection = {
  name: 'seen',
  tables: ['seen_events'],
  schema: (s) => `create table if not exists seen_events${s} (event_id text primary key, runner text not null)`,
  async apply(tx, events, s) {
    for (const e of events) await tx.query(`insert into seen_events${s} (event_id, runner) values ($1, current_setting('application_name'))`, [e.id]);
  },
};

describe('ProjectionRunner on PostgreSQL: one active instance per projection, the other stands by', () => {
  const schema = `ct_test_runner_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const url = (app: string) => {
    const u = new URL(testDatabaseUrl());
    u.searchParams.set('options', `-c search_path=${schema}`);
    u.searchParams.set('application_name', app);
    return u.toString();
  };
  let store: SqlEventStore;
  const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
  beforeAll(async () => {
    await admin.exec(`create schema ${schema}`);
    store = await createPostgresEventStore(url('writer'));
  });
  afterAll(async () => {
    await store.close();
    await admin.exec(`drop schema ${schema} cascade`);
    await admin.close();
  });

  const append = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await store.append(`s-${i % 7}`, [{ id: randomUUID(), type: 'Tick', data: { i }, metadata: { actor: 't', occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null } }], 'any');
    }
  };
  const count = async () => (await admin.query<{ runner: string; n: string }>(`select runner, count(*)::text as n from ${schema}.seen_events group by runner`));
  const waitFor = async (total: number) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const rows = await count();
      if (rows.reduce((a, r) => a + Number(r.n), 0) >= total || Date.now() > deadline) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('only the lock holder applies; when it stops, the standby takes over without gaps or duplicates', async () => {
    const sqlA = new PgSqlClient(url('runner-a'));
    const sqlB = new PgSqlClient(url('runner-b'));
    const logger = new JsonLogger('error');
    const a = new ProjectionRunner(store, sqlA, [seen], logger, { pollIntervalMs: 20 });
    await a.start();
    const b = new ProjectionRunner(store, sqlB, [seen], logger, { pollIntervalMs: 20 });
    await b.start();

    await append(50);
    expect(await waitFor(50)).toEqual([{ runner: 'runner-a', n: '50' }]);

    await a.stop(); // releases its session lock; B's standby timer (every 2 s) takes over
    await sqlA.close();
    await append(30);
    const rows = await waitFor(80);
    expect(rows.sort((x, y) => x.runner.localeCompare(y.runner))).toEqual([
      { runner: 'runner-a', n: '50' },
      { runner: 'runner-b', n: '30' },
    ]);
    await b.stop();
    await sqlB.close();
  }, 30_000);
});
