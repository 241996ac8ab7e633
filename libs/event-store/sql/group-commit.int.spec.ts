import { randomUUID } from 'node:crypto';
import { NewEvent } from '../event-store';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../event-store.errors';
import { testDatabaseUrl } from '../../../test/support/test-database';
import { PgSqlClient } from './pg-sql-client';
import { SqlClient } from './sql-client';
import { SqlEventStore } from './sql-event-store';

/**
 * Group commit on PostgreSQL, one append statement at a time, so that every burst below is
 * carried by ct_append_batch (the conformance suite checks the general behaviour under bursts).
 */
describe('SqlEventStore group commit (PostgreSQL)', () => {
  const schema = `ct_test_gc_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let admin: PgSqlClient;
  let sql: PgSqlClient;
  let store: SqlEventStore;
  /** Appends per ct_append_batch statement, in the order they were sent. */
  const batches: number[] = [];

  beforeAll(async () => {
    admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
    await admin.exec(`create schema ${schema}`);
    sql = new PgSqlClient(testDatabaseUrl(), { schema, max: 4 });
    const counting: SqlClient = Object.assign(Object.create(sql) as SqlClient, {
      query: (text: string, params?: unknown[]) => {
        if (text.includes('ct_append_batch')) batches.push((JSON.parse(params![0] as string) as unknown[]).length);
        return sql.query(text, params);
      },
    });
    store = new SqlEventStore('postgres', counting, 'test', 1);
    await store.migrate();
  });
  afterAll(async () => {
    await sql.close();
    await admin.exec(`drop schema ${schema} cascade`);
    await admin.close();
  });
  beforeEach(() => {
    batches.length = 0;
  });

  it('appends that arrive while one is in flight go together in one statement, each with its own answer', async () => {
    const streams = Array.from({ length: 40 }, (_, i) => `gc-${i}-${randomUUID()}`);
    const results = await Promise.all(streams.map((s) => store.append(s, [event('A'), event('B')], 'no_stream')));
    // The first goes alone; the 39 that waited for it share the next statement.
    expect(batches).toEqual([39]);
    expect(results.every((r) => r.nextRevision === 1 && !r.duplicate)).toBe(true);
    for (const [i, s] of streams.entries()) expect((await store.readStream(s))[1].position).toBe(results[i].position);
  });

  it('in one statement: a conflict, a retried append and an id stored elsewhere fail or answer alone; the rest land', async () => {
    const head = `gc-head-${randomUUID()}`;
    const taken = event('Taken');
    const retried = [event('R1'), event('R2')];
    const retriedStream = `gc-retry-${randomUUID()}`;
    const first = await store.append(retriedStream, retried, 'no_stream');
    await store.append(`gc-other-${randomUUID()}`, [taken], 'no_stream');
    const ok = Array.from({ length: 5 }, () => `gc-ok-${randomUUID()}`);

    const outcomes = await Promise.all([
      store.append(head, [event('Head')], 'no_stream'), // goes alone; the rest wait for it
      store.append(ok[0], [event('Ok')], 'no_stream'),
      store.append(retriedStream, retried, 'no_stream'),
      store.append(ok[1], [event('Ok')], 'no_stream'),
      store.append(retriedStream, [event('Stale')], 0).catch((e: unknown) => e),
      store.append(ok[2], [event('Ok')], 'no_stream'),
    ]);
    expect(batches).toEqual([5]);
    expect(outcomes[2]).toEqual({ ...first, duplicate: true });
    expect(outcomes[4]).toBeInstanceOf(WrongExpectedRevisionError);
    expect(outcomes[4]).toMatchObject({ expected: 0, actual: 1 });
    for (const i of [0, 1, 3, 5]) expect(outcomes[i]).toMatchObject({ nextRevision: 0, duplicate: false });
    expect((await store.readStream(retriedStream)).map((e) => e.type)).toEqual(['R1', 'R2']);

    // An id stored in another stream, second in its append: the statement fails as a whole, and
    // each append is retried alone, so only the offending one fails.
    batches.length = 0;
    const [, clash, fine, fine2] = await Promise.all([
      store.append(head, [event('Next')], 0),
      store.append(ok[3], [event('Mine'), taken], 'no_stream').catch((e: unknown) => e),
      store.append(ok[4], [event('Ok')], 'no_stream'),
      store.append(ok[0], [event('Again')], 0),
    ]);
    expect(batches).toEqual([3]);
    expect(clash).toBeInstanceOf(DuplicateEventIdError);
    expect(await store.readStream(ok[3])).toEqual([]);
    expect(fine).toMatchObject({ nextRevision: 0, duplicate: false });
    expect(fine2).toMatchObject({ nextRevision: 1, duplicate: false });
    expect((await store.readStream(ok[0])).map((e) => e.type)).toEqual(['Ok', 'Again']);
  });
});

function event(type: string): NewEvent {
  return {
    id: randomUUID(),
    type,
    data: { type },
    metadata: { actor: 'test', occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: null },
  };
}
