import { Pool, PoolConfig } from 'pg';
import { SqlClient, SqlExecutor } from './sql-client';

/** A `pg` connection pool behind the SqlClient interface; `schema` sets the search_path. */
export class PgSqlClient implements SqlClient {
  readonly pool: Pool;
  readonly concurrentTransactions = true;

  constructor(connectionString: string, options: { schema?: string; max?: number } = {}) {
    const config: PoolConfig = { connectionString, max: options.max ?? 20 };
    if (options.schema) config.options = `-c search_path=${options.schema}`;
    this.pool = new Pool(config);
    // An idle client that loses its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query(sql, params)).rows as R[];
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({ query: async (sql, params = []) => (await client.query(sql, params)).rows });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async tryExclusiveLock(name: string): Promise<(() => Promise<void>) | null> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query('select pg_try_advisory_lock(hashtextextended($1, 7)) as locked', [name]);
      if (!rows[0].locked) {
        client.release();
        return null;
      }
    } catch (error) {
      client.release();
      throw error;
    }
    // If the connection dies, PostgreSQL drops the lock too: another process can then take over.
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await client.query('select pg_advisory_unlock(hashtextextended($1, 7))', [name]).catch(() => undefined);
      client.release();
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
