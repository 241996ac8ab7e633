import { randomUUID } from 'node:crypto';
import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { createPostgresEventStore } from './create-sql-event-store';
import { testDatabaseUrl } from '../../../test/support/test-database';
import { PgSqlClient } from './pg-sql-client';

// Own schema per test file, so parallel jest workers never share tables.
describeEventStoreConformance('postgres', async () => {
  const schema = `ct_test_es_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
  await admin.exec(`create schema ${schema}`);
  const store = await createPostgresEventStore(testDatabaseUrl(), { schema, poolSize: 24 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await admin.exec(`drop schema ${schema} cascade`);
      await admin.close();
    },
  };
});
