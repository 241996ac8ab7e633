import Redis from 'ioredis';
import { PgSqlClient } from '../../event-store/sql/pg-sql-client';
import { testDatabaseUrl } from '../../../test/support/test-database';
import { toProblem } from '../http/problem-details.filter';
import { freePort } from '../../../test/support/private-servers';
import { asDependencyUnavailable, DependencyUnavailableError } from './dependency-unavailable';

/** The errors the real clients raise when their server is gone, and the ones that are something else. */
describe('asDependencyUnavailable: lost connections, as pg and ioredis report them', () => {
  const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
  afterAll(() => admin.close());

  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  it('PostgreSQL refusing connections (ECONNREFUSED): postgres unavailable, a 503 with retryAfter', async () => {
    const closed = new PgSqlClient(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`, { max: 1 });
    const error = await errorOf(closed.query('select 1'));
    await closed.close();
    expect(asDependencyUnavailable(error)).toMatchObject({ dependency: 'postgres' });
    expect(toProblem(error)).toMatchObject({ status: 503, title: 'Service Unavailable', retryAfter: 5 });
  });

  it('a session the server ended (57P01, as pg_ctl stop does): unavailable, and the client survives it', async () => {
    const app = `ct-test-victim-${process.pid}`;
    const victim = new PgSqlClient(`${testDatabaseUrl()}?application_name=${app}`, { max: 2 });
    let release: (() => Promise<void>) | null = null;
    try {
      const lost: Error[] = [];
      release = await victim.tryExclusiveLock(app, (error) => lost.push(error));
      expect(release).not.toBeNull();
      const inTransaction = victim.transaction(async (tx) => tx.query('select pg_sleep(5)'));
      // Both sessions (the idle one holding the lock, the one in a transaction) end; nothing crashes the process.
      const deadline = Date.now() + 10_000;
      while (
        (
          await admin.query(
            `select 1 from pg_stat_activity where application_name = $1 and query like '%pg_sleep%' and state = 'active'`,
            [app],
          )
        ).length === 0
      ) {
        if (Date.now() > deadline) throw new Error('the transaction never started');
        await new Promise((r) => setTimeout(r, 20));
      }
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`, [app]);
      const error = (await errorOf(inTransaction)) as { code?: string; message: string };
      expect(`${error.code} ${error.message}`).toMatch(/57P01|terminat/);
      expect(asDependencyUnavailable(error)).toBeInstanceOf(DependencyUnavailableError);
      // The idle session's end is reported on its own, not necessarily before the other's (seen
      // after it in about one run in five): wait for it.
      const reported = Date.now() + 10_000;
      while (lost.length === 0 && Date.now() < reported) await new Promise((r) => setTimeout(r, 20));
      expect(lost).toHaveLength(1);
      expect(asDependencyUnavailable(lost[0])).toMatchObject({ dependency: 'postgres' });
      await release!();
      // The pool makes a new connection for the next statement.
      expect(await victim.query('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      // Released also when an expectation failed: the pool's end waits for every checked-out client.
      await release?.();
      await victim.close();
    }
  });

  it('Redis down: a command that exhausted its retries (MaxRetriesPerRequestError) is redis unavailable', async () => {
    const client = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      maxRetriesPerRequest: 1,
      retryStrategy: () => 10,
    });
    client.on('error', () => undefined);
    const error = await errorOf(client.get('x'));
    client.disconnect();
    expect(asDependencyUnavailable(error)).toMatchObject({ dependency: 'redis' });
  });

  it('any other error is not (a constraint violation, a bug)', async () => {
    await admin.exec(
      'create temporary table ct_test_unique (id int primary key); insert into ct_test_unique values (1)',
    );
    const duplicate = await errorOf(admin.query('insert into ct_test_unique values (1)'));
    expect(asDependencyUnavailable(duplicate)).toBeNull();
    expect(asDependencyUnavailable(new TypeError('x is undefined'))).toBeNull();
    expect(toProblem(new TypeError('x is undefined')).status).toBe(500);
  });
});
