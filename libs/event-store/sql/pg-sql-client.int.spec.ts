import { randomUUID } from 'node:crypto';
import { testDatabaseUrl } from '../../../test/support/test-database';
import { PgSqlClient } from './pg-sql-client';

/**
 * Statements with parameters are prepared once per connection (named), and still answer right
 * when a table they read changed its columns under them (another process migrated it).
 */
describe('PgSqlClient: prepared statements (PostgreSQL)', () => {
  const schema = `pgsql_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let admin: PgSqlClient;
  let client: PgSqlClient;

  beforeAll(async () => {
    admin = new PgSqlClient(testDatabaseUrl(), { max: 1, notifications: false });
    await admin.exec(`create schema ${schema}`);
    // One connection: every statement runs where the earlier ones were prepared.
    client = new PgSqlClient(testDatabaseUrl(), { schema, max: 1, notifications: false });
    await client.exec('create table t (id int primary key, name text)');
  });

  afterAll(async () => {
    await client?.close();
    await admin?.exec(`drop schema if exists ${schema} cascade`);
    await admin?.close();
  });

  const prepared = () =>
    client.query<{ statement: string }>(
      `select statement from pg_prepared_statements where statement like '%from t where id%'`,
    );

  it('a statement with parameters that runs often is prepared once and reused, in and out of transactions', async () => {
    await client.query('insert into t (id, name) values ($1, $2)', [1, 'one']);
    // Once: not prepared (a one-off variant is not kept on the server).
    expect(await client.query('select * from t where id = $1 or id = $2', [1, 1])).toEqual([{ id: 1, name: 'one' }]);
    for (let i = 0; i < 3; i++)
      expect(await client.query('select * from t where id = $1', [1])).toEqual([{ id: 1, name: 'one' }]);
    expect(await client.transaction((tx) => tx.query<{ name: string }>('select * from t where id = $1', [1]))).toEqual([
      { id: 1, name: 'one' },
    ]);
    expect((await prepared()).map((p) => p.statement)).toEqual(['select * from t where id = $1']);
  });

  it('after another connection changes the table, the statement answers with the new columns', async () => {
    await admin.exec(`alter table ${schema}.t add column extra text default 'x'`);
    expect(await client.query('select * from t where id = $1', [1])).toEqual([{ id: 1, name: 'one', extra: 'x' }]);
    // In a transaction the stale plan fails it once (the caller retries); the retry answers.
    const inTx = () => client.transaction((tx) => tx.query('select * from t where id = $1 and name = $2', [1, 'one']));
    for (let i = 0; i < 3; i++) expect(await inTx()).toEqual([{ id: 1, name: 'one', extra: 'x' }]);
    await admin.exec(`alter table ${schema}.t add column more text default 'y'`);
    const retried = await inTx().catch(() => inTx());
    expect(retried).toEqual([{ id: 1, name: 'one', extra: 'x', more: 'y' }]);
  });
});
