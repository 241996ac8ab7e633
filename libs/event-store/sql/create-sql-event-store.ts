import type { MessagePort } from 'node:worker_threads';
import { PgSqlClient } from './pg-sql-client';
import { PgliteRecovery, PgliteSqlClient } from './pglite-sql-client';
import { SqlEventStore } from './sql-event-store';

/** The embedded store: PGlite with files under `dataDir` (in memory when undefined). */
export async function createEmbeddedEventStore(
  dataDir: string | undefined,
  recovery: PgliteRecovery = {},
  options: { notifications?: boolean } = {},
): Promise<SqlEventStore> {
  const sql = await PgliteSqlClient.open(dataDir, recovery, options);
  const store = new SqlEventStore('embedded', sql, `the embedded store in ${dataDir ?? 'memory'}`);
  await store.migrate();
  return store;
}

/**
 * The embedded store opened by another thread of this process, through a port from its
 * PgliteSqlClient's `connect()`. The opener has migrated it and holds DATA_DIR's lock.
 */
export function attachEmbeddedEventStore(
  port: MessagePort,
  dataDir: string | undefined,
  options: { notifications?: boolean } = {},
): SqlEventStore {
  return new SqlEventStore(
    'embedded',
    PgliteSqlClient.attach(port, options),
    `the embedded store in ${dataDir ?? 'memory'}`,
  );
}

/** PostgreSQL through a `pg` pool; `schema` isolates tests (and tenants of one database). */
export async function createPostgresEventStore(
  connectionString: string,
  options: { schema?: string; poolSize?: number; notifications?: boolean } = {},
): Promise<SqlEventStore> {
  const sql = new PgSqlClient(connectionString, {
    schema: options.schema,
    max: options.poolSize,
    notifications: options.notifications,
  });
  const store = new SqlEventStore('postgres', sql, `PostgreSQL at ${redactUrl(connectionString)}`);
  await store.migrate();
  return store;
}

/** A connection string without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable url)';
  }
}
