import type { PGlite } from '@electric-sql/pglite';
import { SqlClient, SqlExecutor } from './sql-client';

/**
 * PGlite (PostgreSQL compiled to WASM, in-process) behind the SqlClient interface. It is a single
 * connection: PGlite queues statements itself and a transaction holds it exclusively.
 */
export class PgliteSqlClient implements SqlClient {
  readonly concurrentTransactions = false;
  private constructor(readonly db: PGlite) {}

  /** `dataDir` undefined means in memory (tests); otherwise files under that folder. */
  static async open(dataDir?: string): Promise<PgliteSqlClient> {
    // PGlite ships as an ES module with a CommonJS build that loads its WASM lazily.
    const { PGlite } = await import('@electric-sql/pglite');
    const db = dataDir ? new PGlite(dataDir) : new PGlite();
    await db.waitReady;
    return new PgliteSqlClient(db);
  }

  async query<R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.db.query<R>(sql, params)).rows;
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      work({ query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows }),
    ) as Promise<T>;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  /** PGlite lives in one process (guarded by the DATA_DIR lock): the lock is always free. */
  async tryExclusiveLock(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
