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
  /**
   * Wake-ups across connections, threads and processes of one database (and schema): PostgreSQL
   * LISTEN/NOTIFY, or the embedded store's thread ports. Absent or switched off: callers poll.
   */
  readonly signals?: SqlSignals;
  close(): Promise<void>;
}

/**
 * Named hints ("appended", "projected") that something changed. A hint may be lost (a dropped
 * connection, a process that died between its commit and its notify): whoever waits on one still
 * polls, only more slowly while `healthy` says the hints are arriving.
 */
export interface SqlSignals {
  /**
   * Wakes every listener of `topic`: this client's at once, the other connections', threads' and
   * processes' through the database. Never throws.
   */
  publish(topic: string): void;
  /**
   * Calls `listener` when another publishes `topic`, and once after the channel (re)connects
   * (something may have been published while it was down). Returns the unsubscribe function.
   */
  subscribe(topic: string, listener: () => void): () => void;
  /** True while hints of `topic` are being received (its listening connection is up). */
  healthy(topic: string): boolean;
}

export interface SqlExecutor {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}
