import { randomUUID } from 'node:crypto';
import { createPostgresEventStore } from '../event-store/sql/create-sql-event-store';
import { PgSqlClient } from '../event-store/sql/pg-sql-client';
import { SqlEventStore } from '../event-store/sql/sql-event-store';
import { testDatabaseUrl } from '../../test/support/test-database';
import { JsonLogger } from '../platform/logging/json-logger';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { Reactor } from './reactor';

/** Counts every event it sees, keyed by event id: a duplicate breaks the primary key. */
const seen: Projection = {
  name: 'seen',
  tables: ['seen_events'],
  schema: (s) => `create table if not exists seen_events${s} (event_id text primary key, runner text not null)`,
  async apply(tx, events, s) {
    for (const e of events)
      await tx.query(
        `insert into seen_events${s} (event_id, runner) values ($1, current_setting('application_name'))`,
        [e.id],
      );
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
      await store.append(
        `s-${i % 7}`,
        [
          {
            id: randomUUID(),
            type: 'Tick',
            data: { i },
            metadata: { actor: 't', occurredAt: new Date().toISOString(), correlationId: 'c', causationId: null },
          },
        ],
        'any',
      );
    }
  };
  const count = async () =>
    admin.query<{ runner: string; n: string }>(
      `select runner, count(*)::text as n from ${schema}.seen_events group by runner`,
    );
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

  it('a runner whose connections the database ends (its lock with them) stops, takes the lock again and resumes: no gap, no duplicate', async () => {
    const sqlC = new PgSqlClient(url('runner-c'));
    const lines: string[] = [];
    const c = new ProjectionRunner(store, sqlC, [seen], new JsonLogger('info', (line) => lines.push(line)), {
      pollIntervalMs: 20,
      suffix: '_c',
    });
    await sqlC.exec(seen.schema('_c'));
    await c.start();
    const countC = async () =>
      Number((await admin.query<{ n: string }>(`select count(*)::text as n from ${schema}.seen_events_c`))[0].n);
    const total = async () =>
      Number((await admin.query<{ n: string }>(`select count(*)::text as n from ${schema}.ct_events`))[0].n);
    const waitForAll = async () => {
      const deadline = Date.now() + 20_000;
      while ((await countC()) < (await total()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return [await countC(), await total()];
    };
    await append(10);
    const [projected, stored] = await waitForAll();
    expect(projected).toBe(stored);

    // As a restart of PostgreSQL does to this process: every one of its sessions ends (57P01).
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'runner-c'`);
    await append(10);
    const [after, storedAfter] = await waitForAll();
    expect(after).toBe(storedAfter);
    expect(lines.some((line) => line.includes('lost their lock'))).toBe(true);
    await c.stop();
    await sqlC.close();
  }, 30_000);

  it('a reactor runs after the projections of its group, with its own checkpoint: at least once, never before their rows are committed', async () => {
    await append(20);
    const head = (await store.headCheckpoint())!;
    // The reactor sees the projection's committed rows for every event it is handed, and fails
    // once half way: the batch comes again (the projection skips it, the reactor does not).
    const sql = new PgSqlClient(url('runner-reactor'));
    const reacted: string[] = [];
    let failed = 0;
    let notYetProjected = 0;
    const reactor: Reactor = {
      name: 'echo',
      async react(events) {
        const ids = events.map((e) => e.id);
        const rows = await sql.query<{ n: string }>(
          `select count(*)::text as n from seen_events_r where event_id = any($1)`,
          [ids],
        );
        notYetProjected += ids.length - Number(rows[0].n);
        if (failed === 0 && reacted.length > 0) {
          failed++;
          throw new Error('reactor: one failure');
        }
        reacted.push(...ids);
      },
    };
    await sql.exec(seen.schema('_r'));
    const runner = new ProjectionRunner(store, sql, [seen, reactor], new JsonLogger('error'), {
      pollIntervalMs: 20,
      suffix: '_r',
      batchSize: 7,
    });
    await runner.start();
    const deadline = Date.now() + 15_000;
    while (!(await runner.hasReached(head)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const checkpoints = await runner.checkpoints();
    await runner.stop();
    expect(failed).toBe(1);
    expect(notYetProjected).toBe(0);
    const total = Number((await store.sql.query<{ n: string }>('select count(*)::text as n from ct_events'))[0].n);
    // Every event reacted to once (the failed attempt recorded nothing), and its checkpoint stored.
    expect(new Set(reacted).size).toBe(total);
    expect(reacted.length).toBe(total);
    expect(checkpoints.get('echo')).toBe(head);
    expect(checkpoints.get('seen')).toBe(head);
    // A reactor that follows the projections starts, the first time, where they are: not at the first event.
    await append(3);
    const late: string[] = [];
    const follower: Reactor = {
      name: 'follower',
      followsProjections: true,
      react: async (events) => void late.push(...events.map((e) => e.id)),
    };
    const again = new ProjectionRunner(store, sql, [seen, follower], new JsonLogger('error'), {
      pollIntervalMs: 20,
      suffix: '_r',
    });
    const newHead = (await store.headCheckpoint())!;
    await again.start();
    const until = Date.now() + 15_000;
    while (!(await again.hasReached(newHead)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await again.stop();
    expect(late).toHaveLength(3);
    await sql.close();
  }, 30_000);

  it('a reactor that starts at the head hears nothing of the history, and a stop before its first batch keeps that start', async () => {
    await append(5);
    const sql = new PgSqlClient(url('runner-head'));
    const heard: string[] = [];
    const fresh: Reactor = {
      name: 'fresh',
      startsAtHead: true,
      react: async (events) => void heard.push(...events.map((e) => e.id)),
    };
    const runner = () =>
      new ProjectionRunner(store, sql, [fresh], new JsonLogger('error'), { pollIntervalMs: 20, suffix: '_h' });
    const head = (await store.headCheckpoint())!;
    const first = runner();
    await first.start();
    expect((await first.checkpoints()).get('fresh')).toBe(head);
    await first.stop();
    // Written while it was stopped, before it ever reacted: news, which it must not skip.
    await append(2);
    const newHead = (await store.headCheckpoint())!;
    const second = runner();
    await second.start();
    const deadline = Date.now() + 15_000;
    while (!(await second.hasReached(newHead)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await second.stop();
    expect(heard).toHaveLength(2);
    await sql.close();
  }, 30_000);

  it('a large batch is applied by each projection in its own transaction; a failure of one redelivers it without duplicating the other', async () => {
    // Two projections of one group; "flaky" fails once in the middle of its first large batch.
    let failures = 0;
    const table = (name: string, fail: boolean): Projection => ({
      name,
      tables: [`${name}_events`],
      schema: (s) =>
        `create table if not exists ${name}_events${s} (event_id text primary key, position bigint not null)`,
      async apply(tx, events, s) {
        await tx.query(
          `insert into ${name}_events${s} (event_id, position) select * from unnest($1::text[], $2::bigint[])`,
          [events.map((e) => e.id), events.map((e) => e.position)],
        );
        if (fail && events.length >= 200 && failures === 0) {
          failures++;
          throw new Error('flaky projection: one failure');
        }
      },
    });
    await append(900);
    const head = (await store.headCheckpoint())!;
    const sql = new PgSqlClient(url('runner-parallel'));
    const runner = new ProjectionRunner(
      store,
      sql,
      [table('steady', false), table('flaky', true)],
      new JsonLogger('error'),
      {
        pollIntervalMs: 20,
        batchSize: 500,
      },
    );
    const inTransaction = jest.spyOn(sql, 'transaction');
    await runner.start();
    const deadline = Date.now() + 15_000;
    while (!(await runner.hasReached(head)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await runner.stop();
    expect(failures).toBe(1);
    // Each has every event exactly once (a duplicate would have broken its primary key forever).
    const total = Number((await store.sql.query<{ n: string }>('select count(*)::text as n from ct_events'))[0].n);
    for (const name of ['steady', 'flaky']) {
      const [row] = await admin.query<{ n: string; distinct: string }>(
        `select count(*)::text as n, count(distinct event_id)::text as distinct from ${schema}.${name}_events`,
      );
      expect({ name, ...row }).toEqual({ name, n: String(total), distinct: String(total) });
    }
    // Batches of 500 were applied in one transaction per projection (the failed one's twice).
    expect(inTransaction.mock.calls.length).toBeGreaterThanOrEqual(5);
    await sql.close();
  }, 30_000);
});
