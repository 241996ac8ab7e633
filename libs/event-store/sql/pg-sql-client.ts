import { createHash } from 'node:crypto';
import { Pool, PoolConfig, QueryConfig } from 'pg';
import { SqlClient, SqlExecutor } from './sql-client';
import { PgSignals } from './pg-signals';

/** Statement texts prepared per client at most (each connection keeps them on the server). */
const MAX_NAMED_STATEMENTS = 500;
/** A text is prepared once it ran this often (a one-off report variant is not kept on the server). */
const PREPARE_AFTER_RUNS = 3;
/** Texts counted towards PREPARE_AFTER_RUNS before the counts start over. */
const MAX_COUNTED_STATEMENTS = 5000;

/** A `pg` connection pool behind the SqlClient interface; `schema` sets the search_path. */
export class PgSqlClient implements SqlClient {
  readonly pool: Pool;
  readonly concurrentTransactions = true;
  /** LISTEN/NOTIFY wake-ups (absent when `notifications: false`: EVENT_NOTIFICATIONS=off). */
  readonly signals?: PgSignals;
  /** Named (prepared) statements by text, see statement(). */
  private readonly names = new Map<string, string>();
  private readonly runs = new Map<string, number>();
  private readonly unprepared = new Set<string>();

  constructor(connectionString: string, options: { schema?: string; max?: number; notifications?: boolean } = {}) {
    // A server that does not answer (a dropped network) fails a connect in 10 s instead of never;
    // a stopped one refuses at once. Either way the next query tries a new connection.
    const config: PoolConfig = {
      connectionString,
      max: options.max ?? 20,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    };
    if (options.schema) config.options = `-c search_path=${options.schema}`;
    this.pool = new Pool(config);
    // An idle client that loses its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    if (options.notifications !== false) {
      this.signals = new PgSignals(this.pool, { ...config, keepAliveInitialDelayMillis: 10_000 });
    }
  }

  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(this.statement(sql, params))).rows;
    } catch (error) {
      // Outside a transaction a statement whose prepared plan went stale is simply run again.
      if (!this.unprepareIfStale(sql, error)) throw error;
      return (await this.pool.query<R>(sql, params)).rows;
    }
  }

  /**
   * A statement with parameters that runs often is prepared once per connection (a named
   * statement): PostgreSQL then skips parsing and planning it on each run, which was ~14 % of its
   * time per command (pg_stat_statements, BENCHMARKS.md, issue 18). Statements without parameters
   * (DDL, BEGIN) and a text's first runs stay unnamed, and at most MAX_NAMED_STATEMENTS texts are
   * prepared: every connection keeps its prepared statements on the server while it lives, so
   * variants built per request (a report over some days) must not pile up there. The name is the
   * text's hash.
   */
  private statement(sql: string, params: unknown[]): QueryConfig | string {
    if (params.length === 0) return sql;
    let name = this.names.get(sql);
    if (name === undefined) {
      const runs = (this.runs.get(sql) ?? 0) + 1;
      if (runs < PREPARE_AFTER_RUNS || this.names.size >= MAX_NAMED_STATEMENTS || this.unprepared.has(sql)) {
        if (this.runs.size >= MAX_COUNTED_STATEMENTS) this.runs.clear();
        this.runs.set(sql, runs);
        return { text: sql, values: params };
      }
      this.runs.delete(sql);
      name = `ct_${createHash('sha1').update(sql).digest('hex')}`;
      this.names.set(sql, name);
    }
    return { name, text: sql, values: params };
  }

  /**
   * "cached plan must not change result type": a table a prepared statement reads changed its
   * columns under a running process (a migration by another one). That statement is run unnamed
   * from now on; true if `error` was that.
   */
  private unprepareIfStale(sql: string, error: unknown): boolean {
    const stale =
      (error as { code?: string })?.code === '0A000' && /cached plan must not change result type/.test(String(error));
    if (stale) {
      this.names.delete(sql);
      this.unprepared.add(sql);
    }
    return stale;
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client whose connection ends emits 'error' (with or without a query in
    // flight); without a listener that would crash the process. The statement in flight fails
    // on its own, and the broken client is destroyed instead of going back to the pool.
    let lost: Error | null = null;
    const onError = (error: Error) => (lost ??= error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work({
        query: async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []) => {
          try {
            return (await client.query<R>(this.statement(sql, params))).rows;
          } catch (error) {
            // In a transaction the failed statement aborted it: the caller's retry runs it unnamed.
            this.unprepareIfStale(sql, error);
            throw error;
          }
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!lost) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(lost ?? undefined);
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  /**
   * The lock lives as long as its dedicated connection. Its key includes the schema: deployments
   * (and test runs) sharing one database in separate schemas never wait on each other's locks. `onLost` is called (once) if that
   * connection ends (the server restarted, the network dropped): PostgreSQL has then released
   * the lock, another process may take over, and the holder must stop its work and try again.
   */
  async tryExclusiveLock(name: string, onLost?: (error: Error) => void): Promise<(() => Promise<void>) | null> {
    const client = await this.pool.connect();
    let lost: Error | null = null;
    let released = false;
    const onError = (error: Error) => {
      if (lost) return;
      lost = error;
      if (!released) onLost?.(error);
    };
    client.on('error', onError);
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        "select pg_try_advisory_lock(hashtextextended(current_schema() || ':' || $1, 7)) as locked",
        [name],
      );
      if (!rows[0].locked) {
        client.off('error', onError);
        client.release();
        return null;
      }
    } catch (error) {
      client.off('error', onError);
      client.release(lost ?? (error as Error));
      throw error;
    }
    return async () => {
      if (released) return;
      released = true;
      if (!lost)
        await client
          .query("select pg_advisory_unlock(hashtextextended(current_schema() || ':' || $1, 7))", [name])
          .catch(() => undefined);
      client.off('error', onError);
      client.release(lost ?? undefined);
    };
  }

  async close(): Promise<void> {
    await this.signals?.close();
    await this.pool.end();
  }
}
