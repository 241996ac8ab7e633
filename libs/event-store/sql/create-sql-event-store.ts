import { PgSqlClient } from './pg-sql-client';
import { PgliteSqlClient } from './pglite-sql-client';
import { SqlEventStore } from './sql-event-store';

/** The embedded store: PGlite with files under `dataDir` (in memory when undefined). */
export async function createEmbeddedEventStore(dataDir: string | undefined): Promise<SqlEventStore> {
  const sql = await PgliteSqlClient.open(dataDir);
  const store = new SqlEventStore('embedded', sql, `the embedded store in ${dataDir ?? 'memory'}`);
  await store.migrate();
  return store;
}

/** PostgreSQL through a `pg` pool; `schema` isolates tests (and tenants of one database). */
export async function createPostgresEventStore(
  connectionString: string,
  options: { schema?: string; poolSize?: number } = {},
): Promise<SqlEventStore> {
  const sql = new PgSqlClient(connectionString, { schema: options.schema, max: options.poolSize });
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
