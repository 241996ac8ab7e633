/**
 * The little a SQL event store needs of a database connection, so that the same SQL runs on
 * PostgreSQL (through `pg`) and on PGlite (in-process).
 */
export interface SqlClient {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs several statements separated by semicolons (schema migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface SqlExecutor {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}
