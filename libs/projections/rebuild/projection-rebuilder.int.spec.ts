import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent } from '../../event-store/event-store';
import { createEmbeddedEventStore, createPostgresEventStore } from '../../event-store/sql/create-sql-event-store';
import { PgSqlClient } from '../../event-store/sql/pg-sql-client';
import { SqlClient } from '../../event-store/sql/sql-client';
import { JsonLogger } from '../../platform/logging/json-logger';
import { testDatabaseUrl } from '../../../test/support/test-database';
import { Projection } from '../projection';
import { ProjectionRunner } from '../projection-runner';
import { engineersProjection } from '../read-models/engineers.projection';
import {
  ProjectionRebuilder,
  RebuildInProgressError,
  RebuildProgress,
  RebuildResult,
  UnknownProjectionError,
} from './projection-rebuilder';
import { freshPgliteDir } from '../../../test/support/pglite-template';

/**
 * A witness of exactly-once delivery: one row per event, keyed by the event id, so an event
 * applied twice fails the batch (primary key), and an event never applied is a missing row. A
 * bigserial with a unique index, and a named index, check that the switch-over gives every
 * dependent object its live name back.
 */
const witness: Projection = {
  name: 'witness',
  tables: ['t_witness'],
  schema: (s) => `
    create table if not exists t_witness${s} (event_id uuid primary key, position bigint not null, seq bigserial unique);
    create index if not exists t_witness_position${s} on t_witness${s} (position);
  `,
  async apply(tx, events, s) {
    await tx.query(`insert into t_witness${s} (event_id, position) select unnest($1::uuid[]), unnest($2::bigint[])`, [
      events.map((e) => e.id),
      events.map((e) => e.position),
    ]);
  },
};

let clock = Date.parse('2026-11-02T08:00:00Z');
const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  // Distinct, increasing instants: a lost or out-of-order availability change shows in updated_at.
  metadata: {
    actor: 'test',
    occurredAt: new Date(clock++).toISOString(),
    correlationId: randomUUID(),
    causationId: null,
  },
});
const STATUSES = ['on-shift', 'off-shift', 'away'];

async function appendEngineers(store: EventStore, engineers: number, changesEach: number): Promise<void> {
  for (let i = 0; i < engineers; i++) {
    const engineerId = `eng-${i}-${randomUUID().slice(0, 6)}`;
    const events = [
      event('EngineerRegistered', {
        engineerId,
        name: `E ${i}`,
        email: `e${i}@example.com`,
        managerId: null,
        timeZone: 'Europe/Paris',
      }),
    ];
    for (let j = 0; j < changesEach; j++)
      events.push(event('EngineerAvailabilityChanged', { engineerId, status: STATUSES[(i + j) % 3] }));
    await store.append(`engineer-${engineerId}`, events, 'no_stream');
  }
}

async function rows(sql: SqlClient, table: string, order: string): Promise<unknown[]> {
  return sql.query(`select * from ${table} order by ${order}`);
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Fixture {
  store: EventStore;
  /** The read-model database (the store's own connection on PGlite, a separate pool on PostgreSQL). */
  sql: SqlClient;
  cleanup(): Promise<void>;
}

const STORES: Array<[string, () => Promise<Fixture>]> = [
  [
    'embedded (PGlite, one connection: the switch-over reads the tail in its own transaction)',
    async () => {
      const files = await freshPgliteDir(); // a fresh database without an initdb of its own
      const store = await createEmbeddedEventStore(files.dir);
      return { store, sql: store.sql, cleanup: () => store.close().finally(files.remove) };
    },
  ],
  [
    'PostgreSQL (separate pools, as in the service)',
    async () => {
      const schema = `ct_test_rb_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
      await admin.exec(`create schema ${schema}`);
      const store = await createPostgresEventStore(testDatabaseUrl(), { schema, poolSize: 8 });
      const sql = new PgSqlClient(testDatabaseUrl(), { schema, max: 8 });
      return {
        store,
        sql,
        cleanup: async () => {
          await sql.close();
          await store.close();
          await admin.exec(`drop schema ${schema} cascade`);
          await admin.close();
        },
      };
    },
  ],
];

describe.each(STORES)('ProjectionRebuilder on %s', (_label, open) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await open();
  });
  afterAll(() => f.cleanup());

  it('rebuilds engineers into tables equal row for row to the live ones, then moves the live checkpoint to the head', async () => {
    await appendEngineers(f.store, 20, 4);
    const runner = new ProjectionRunner(
      f.store,
      f.sql,
      [engineersProjection],
      new JsonLogger('error', () => undefined),
      { pollIntervalMs: 10 },
    );
    await runner.start();
    const head = await f.store.headCheckpoint!();
    await waitUntil(() => runner.hasReached(head!));
    await runner.stop();
    const live = await rows(f.sql, 'rm_engineers', 'engineer_id');
    expect(live).toHaveLength(20);

    // More events the (stopped) live projection has not seen: the rebuild covers them too.
    await appendEngineers(f.store, 3, 2);
    const progress: RebuildProgress[] = [];
    const rebuilder = new ProjectionRebuilder(f.store, f.sql, [engineersProjection], {
      batchSize: 25,
      onProgress: (p) => progress.push(p),
      progressIntervalMs: 0,
    });
    const [result] = await rebuilder.rebuild('engineers');
    const newHead = await f.store.headCheckpoint!();
    expect(result).toMatchObject({
      projection: 'engineers',
      events: 20 * 5 + 3 * 3,
      previousCheckpoint: head,
      checkpoint: newHead,
    });
    expect(progress.map((p) => p.phase)).toEqual(['started', ...Array(5).fill('catching-up'), 'switching', 'switched']);
    expect(progress[progress.length - 1].applied).toBe(109);

    const rebuilt = await rows(f.sql, 'rm_engineers', 'engineer_id');
    expect(rebuilt).toHaveLength(23);
    expect(
      rebuilt.filter((r) =>
        live.some((l) => (l as { engineer_id: string }).engineer_id === (r as { engineer_id: string }).engineer_id),
      ),
    ).toEqual(live);
    const [checkpoint] = await f.sql.query(
      'select checkpoint, events_applied::int as n from ct_projections where name = $1',
      ['engineers'],
    );
    expect(checkpoint).toEqual({ checkpoint: newHead, n: 109 });
    expect(await f.sql.query(`select name from ct_projections where name like '%rebuild%'`)).toEqual([]);
    const indexes = await f.sql.query<{ indexname: string }>(
      `select indexname from pg_indexes where tablename in ('rm_engineers', 'rm_engineer_cases', 'rm_engineers_rebuild', 'rm_engineer_cases_rebuild') and schemaname = current_schema() order by 1`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual([
      'rm_engineer_cases_engineer',
      'rm_engineer_cases_pkey',
      'rm_engineers_pkey',
    ]);
  });

  it('switches over under a running live projection and concurrent writers: every event exactly once', async () => {
    for (let s = 0; s < 30; s++) {
      for (let k = 0; k < 4; k++)
        await f.store.append(
          `w-${s}`,
          Array.from({ length: 25 }, () => event('Tick', { s })),
          'any',
        );
    }
    const errors: string[] = [];
    const runner = new ProjectionRunner(
      f.store,
      f.sql,
      [witness],
      new JsonLogger('error', (line) => errors.push(line)),
      { batchSize: 50, pollIntervalMs: 5 },
    );
    await runner.start();

    let writing = true;
    let written = 0;
    const writers = Array.from({ length: 3 }, async (_, w) => {
      while (writing) {
        const n = 1 + ((written + w) % 3);
        await f.store.append(
          `w-${(written * 7 + w) % 40}`,
          Array.from({ length: n }, () => event('Tick', { w })),
          'any',
        );
        written += n;
        await new Promise((r) => setTimeout(r, 2));
      }
    });

    let first!: RebuildResult;
    let second!: RebuildResult;
    try {
      const rebuilder = new ProjectionRebuilder(f.store, f.sql, [witness], { batchSize: 200, maxCatchUpMs: 1000 });
      await new Promise((r) => setTimeout(r, 50));
      const before = written;
      [first] = await rebuilder.rebuild('witness');
      [second] = await rebuilder.rebuild(); // all (here: the witness only), again under load
      expect(written).toBeGreaterThan(before); // events kept coming during the rebuilds
      await new Promise((r) => setTimeout(r, 150));
    } finally {
      writing = false;
      await Promise.all(writers);
    }

    const head = await f.store.headCheckpoint!();
    await waitUntil(() => runner.hasReached(head!));
    await runner.stop();

    expect(errors).toEqual([]);
    const all = await f.store.readAll({ maxCount: 1_000_000 });
    const witnessed = await f.sql.query<{ event_id: string }>('select event_id::text as event_id from t_witness');
    expect(new Set(witnessed.map((r) => r.event_id))).toEqual(new Set(all.events.map((e) => e.id)));
    expect(witnessed).toHaveLength(all.events.length);
    const [state] = await f.sql.query<{ checkpoint: string; n: number }>(
      'select checkpoint, events_applied::int as n from ct_projections where name = $1',
      ['witness'],
    );
    expect(state).toEqual({ checkpoint: head, n: all.events.length });
    // The live runner applied what came after the switch-overs, on the renamed tables.
    expect(all.events.length).toBeGreaterThan(second.events);
    expect(second.events).toBeGreaterThan(first.events);

    const objects = await f.sql.query<{ relname: string }>(
      `select relname::text as relname from pg_class where relname like 't_witness%' and relnamespace = current_schema()::regnamespace order by 1`,
    );
    expect(objects.map((o) => o.relname)).toEqual([
      't_witness',
      't_witness_pkey',
      't_witness_position',
      't_witness_seq_key',
      't_witness_seq_seq',
    ]);
  });

  it('refuses an unknown projection and a second rebuild of the same projection', async () => {
    const rebuilder = new ProjectionRebuilder(f.store, f.sql, [engineersProjection]);
    await expect(rebuilder.rebuild('nope')).rejects.toThrow(UnknownProjectionError);
    const running = rebuilder.rebuild('engineers');
    await expect(rebuilder.rebuild('engineers')).rejects.toThrow(RebuildInProgressError);
    await running;
  });
});
