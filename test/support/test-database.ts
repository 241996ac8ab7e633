import { randomUUID } from 'node:crypto';
import { createPostgresEventStore } from '../../libs/event-store/sql/create-sql-event-store';
import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';
import { SqlEventStore } from '../../libs/event-store/sql/sql-event-store';
/** The PostgreSQL that integration tests use: TEST_DATABASE_URL, or the local server (trust auth). */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/**
 * A PostgreSQL event store in a schema of its own (`<prefix>_<random>`), so parallel jest workers
 * never share tables; cleanup closes it and drops the schema.
 */
export async function createSchemaEventStore(
  prefix: string,
  poolSize: number,
): Promise<{ store: SqlEventStore; cleanup(): Promise<void> }> {
  const schema = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
  await admin.exec(`create schema ${schema}`);
  const store = await createPostgresEventStore(testDatabaseUrl(), { schema, poolSize });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await admin.exec(`drop schema ${schema} cascade`);
      await admin.close();
    },
  };
}
