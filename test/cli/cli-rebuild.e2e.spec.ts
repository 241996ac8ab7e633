import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent } from '../../libs/event-store/event-store';
import { createPostgresEventStore } from '../../libs/event-store/sql/create-sql-event-store';
import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';
import { SqlClient } from '../../libs/event-store/sql/sql-client';
import { SqlEventStore } from '../../libs/event-store/sql/sql-event-store';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { ProjectionRunner } from '../../libs/projections/projection-runner';
import { engineersProjection } from '../../libs/projections/read-models/engineers.projection';
import { testDatabaseUrl } from '../support/test-database';
import { withSearchPath } from '../support/test-service';
import { CliRun, runCli } from '../support/cli-process';

let clock = Date.parse('2026-11-02T08:00:00Z');
const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  // Distinct, increasing instants: a lost, repeated or reordered change shows in updated_at.
  metadata: {
    actor: 'test',
    occurredAt: new Date(clock++).toISOString(),
    correlationId: randomUUID(),
    causationId: null,
  },
});
const STATUSES = ['on-shift', 'off-shift', 'away', 'on-shift'];
const SEVERITIES = ['A', 'B', 'C'];

/** Engineers with availability changes, and cases assigned to them (both tables of the projection). */
async function appendHistory(
  store: EventStore,
  engineers: number,
  changesEach: number,
  tag: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < engineers; i++) {
    const engineerId = `eng-${tag}-${i}`;
    ids.push(engineerId);
    const events = [
      event('EngineerRegistered', {
        engineerId,
        name: `E ${i}`,
        email: `e${i}@example.com`,
        managerId: i % 5 ? 'mgr' : null,
        timeZone: 'Europe/Paris',
      }),
    ];
    for (let j = 0; j < changesEach; j++)
      events.push(event('EngineerAvailabilityChanged', { engineerId, status: STATUSES[(i + j) % 4] }));
    await store.append(`engineer-${engineerId}`, events, 'no_stream');
    const caseId = `${tag}-${i}-${randomUUID()}`;
    await store.append(
      `case-${caseId}`,
      [
        event('CaseSubmitted', { caseId }),
        event('SeverityAssigned', { caseId, severity: SEVERITIES[i % 3] }),
        event('EngineerAssigned', { caseId, engineerId }),
        ...(i % 4 === 0 ? [event('CaseResolved', { caseId })] : []),
      ],
      'no_stream',
    );
  }
  return ids;
}

const TABLES: Array<[string, string]> = [
  ['rm_engineers', 'engineer_id'],
  ['rm_engineer_cases', 'case_id'],
];

async function snapshot(sql: SqlClient, suffix = ''): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const [table, key] of TABLES) result[table] = await sql.query(`select * from ${table}${suffix} order by ${key}`);
  return result;
}

/** Every event, from the first one, applied once into fresh `<table><suffix>` tables: the reference. */
async function freshRebuild(store: EventStore, sql: SqlClient, suffix: string): Promise<Record<string, unknown[]>> {
  for (const [table] of TABLES) await sql.exec(`drop table if exists ${table}${suffix}`);
  await sql.exec(engineersProjection.schema(suffix));
  let after: string | null = null;
  // Read until every stored event was applied: a transaction elsewhere in the cluster (another
  // test file) can hold the visibility horizon back for a moment; events then come late, never skipped.
  const total = await eventCount(sql);
  const deadline = Date.now() + 20_000;
  for (let applied = 0; applied < total;) {
    const page = await store.readAll({ after, maxCount: 2000 });
    if (page.events.length === 0) {
      if (Date.now() > deadline) throw new Error(`fresh rebuild saw ${applied} of ${total} events`);
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    await sql.transaction((tx) => engineersProjection.apply(tx, page.events, suffix));
    applied += page.events.length;
    after = page.checkpoint;
  }
  const rows = await snapshot(sql, suffix);
  for (const [table] of TABLES) await sql.exec(`drop table ${table}${suffix}`);
  return rows;
}

async function liveState(sql: SqlClient): Promise<{ checkpoint: string | null; n: number }> {
  const rows = await sql.query<{ checkpoint: string | null; n: number }>(
    `select checkpoint, events_applied::int as n from ct_projections where name = 'engineers'`,
  );
  return rows[0];
}

async function eventCount(sql: SqlClient): Promise<number> {
  return (await sql.query<{ n: number }>('select count(*)::int as n from ct_events'))[0].n;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const quietLogger = (errors: string[] = []) => new JsonLogger('error', (line) => errors.push(line));

describe('npm run cli -- rebuild, on PostgreSQL beside the live projection', () => {
  const schema = `ct_test_rbcli_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const env = { EVENT_STORE: 'postgres', DATABASE_URL: withSearchPath(testDatabaseUrl(), schema) };
  let admin: PgSqlClient;
  let store: SqlEventStore;
  let sql: PgSqlClient;

  beforeAll(async () => {
    admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
    await admin.exec(`create schema ${schema}`);
    store = await createPostgresEventStore(testDatabaseUrl(), { schema, poolSize: 8 });
    sql = new PgSqlClient(testDatabaseUrl(), { schema, max: 8 });
  });
  afterAll(async () => {
    await sql.close();
    await store.close();
    await admin.exec(`drop schema ${schema} cascade`);
    await admin.close();
  });

  it('rebuilds engineers into tables equal row for row to the live ones and moves the live checkpoint', async () => {
    await appendHistory(store, 40, 5, 'a');
    const runner = new ProjectionRunner(store, sql, [engineersProjection], quietLogger(), { pollIntervalMs: 10 });
    await runner.start();
    const headA = await store.headCheckpoint();
    await waitUntil(() => runner.hasReached(headA!));
    await runner.stop();
    const live = await snapshot(sql);
    expect(live.rm_engineers).toHaveLength(40);
    expect(live.rm_engineer_cases).toHaveLength(40);

    // Same head: the rebuilt tables replace the live ones row for row.
    const same = await runCli(['rebuild', 'engineers'], env);
    expect(same.code).toBe(0);
    expect(same.stderr).toContain('rebuild engineers: started');
    const countA = await eventCount(sql);
    expect(same.stderr).toMatch(new RegExp(`rebuild engineers: switched over at position \\d+ after ${countA} events`));
    expect(await snapshot(sql)).toEqual(live);
    expect(await liveState(sql)).toEqual({ checkpoint: headA, n: countA });

    // The live projection is stopped while more events arrive: the rebuild catches up past it.
    await appendHistory(store, 5, 3, 'b');
    const headB = await store.headCheckpoint();
    const moved = await runCli(['rebuild', 'engineers', '--batch-size', '100'], env);
    expect(moved.code).toBe(0);
    const countB = await eventCount(sql);
    expect(countB).toBeGreaterThan(countA);
    expect(moved.stdout).toContain(`rebuilt engineers: ${countB} events, checkpoint ${headA} -> ${headB}`);
    expect(moved.stderr).toContain('switching over');
    expect(await liveState(sql)).toEqual({ checkpoint: headB, n: countB });
    const rebuilt = await snapshot(sql);
    expect(rebuilt).toEqual(await freshRebuild(store, sql, '_check'));
    expect(rebuilt.rm_engineers.slice(0, 40)).toEqual(live.rm_engineers); // eng-a-* sort first, unchanged

    // Nothing of the rebuild is left behind; indexes carry the live names.
    expect(await sql.query(`select name from ct_projections where name like '%rebuild%'`)).toEqual([]);
    const relations = await sql.query<{ relname: string }>(
      `select relname::text as relname from pg_class where relname like 'rm_engineer%' and relnamespace = current_schema()::regnamespace order by 1`,
    );
    expect(relations.map((r) => r.relname)).toEqual([
      'rm_engineer_cases',
      'rm_engineer_cases_engineer',
      'rm_engineer_cases_pkey',
      'rm_engineers',
      'rm_engineers_pkey',
    ]);
  });

  it('switches over while the live ProjectionRunner runs and events keep coming: nothing lost, nothing applied twice', async () => {
    await appendHistory(store, 300, 20, 'c'); // ~7000 more events to rebuild
    const errors: string[] = [];
    const runner = new ProjectionRunner(store, sql, [engineersProjection], quietLogger(errors), {
      batchSize: 100,
      pollIntervalMs: 5,
    });
    await runner.start();

    // Writers: availability changes of existing engineers (one per append, so many small
    // transactions) and new engineers with their cases, until told to stop.
    let writing = true;
    let written = 0;
    const engineers = Array.from({ length: 300 }, (_, i) => `eng-c-${i}`);
    const writers = Array.from({ length: 4 }, async (_, w) => {
      let k = 0;
      while (writing) {
        k++;
        if (k % 25 === 0) {
          written += (await appendHistory(store, 1, 2, `d${w}-${k}`)).length * 6;
        } else {
          const engineerId = engineers[(k * 31 + w * 7) % engineers.length];
          await store.append(
            `engineer-${engineerId}`,
            [event('EngineerAvailabilityChanged', { engineerId, status: STATUSES[(k + w) % 4] })],
            'any',
          );
          written++;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    });

    let run: CliRun;
    let during: number;
    try {
      await new Promise((r) => setTimeout(r, 100));
      const before = written;
      run = await runCli(['rebuild', 'engineers', '--batch-size', '1000'], env);
      during = written - before;
      await new Promise((r) => setTimeout(r, 300)); // the live runner goes on, on the switched tables
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/rebuild engineers: switched over at position \d+/);
    expect(during).toBeGreaterThan(0); // events were appended while the rebuild ran

    const end = await store.headCheckpoint();
    await waitUntil(() => runner.hasReached(end!));
    await runner.stop();
    expect(errors).toEqual([]);

    // Row for row what a fresh full rebuild gives (a lost event would leave a stale availability or
    // updated_at or a missing row; a replayed old one would roll one back).
    const live = await snapshot(sql);
    expect(live).toEqual(await freshRebuild(store, sql, '_check'));
    // Every event counted exactly once: the rebuild's count up to its checkpoint, then the runner's.
    expect(await liveState(sql)).toEqual({ checkpoint: end, n: await eventCount(sql) });
  });

  it('rejects an unknown projection with exit 2', async () => {
    const run = await runCli(['rebuild', 'nope'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^casetrail rebuild: unknown projection "nope" \(known: .*engineers.*\)/);
  });
});
