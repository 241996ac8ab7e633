/**
 * The little a SQL event store needs of a database connection, so that the same SQL runs on
 * PostgreSQL (through `pg`) and on PGlite (in-process).
 */
export interface SqlClient {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Whether transactions run side by side (a pool of connections) rather than one after another. */
  readonly concurrentTransactions: boolean;
  /** Runs several statements separated by semicolons (schema migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Tries to take a lock held for as long as this process keeps it (PostgreSQL: a session advisory
   * lock on a dedicated connection), so only one process runs a given projection. Returns its
   * release function, or null when another process holds it. `onLost`: the lock was lost with
   * its connection (the holder must stop the work it guards and take the lock again).
   */
  tryExclusiveLock(name: string, onLost?: (error: Error) => void): Promise<(() => Promise<void>) | null>;
  close(): Promise<void>;
}

export interface SqlExecutor {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}
