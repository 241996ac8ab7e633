import { join } from 'node:path';
import { lockDataDir } from '../casetrail/startup/data-dir-lock';
import { EventStore } from '../../libs/event-store/event-store';
import { createEmbeddedEventStore, redactUrl } from '../../libs/event-store/sql/create-sql-event-store';
import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';
import { SqlClient } from '../../libs/event-store/sql/sql-client';
import { SqlEventStore } from '../../libs/event-store/sql/sql-event-store';
import { AppConfig } from '../../libs/platform/config/app-config';
import { DependencyError } from '../../libs/platform/health/dependency-error';

/** What a command needs: the event store, and the read-model database for `rebuild`. Never Redis. */
export interface CliDependencies {
  readonly eventStore: EventStore;
  /** Null unless asked for. */
  readonly readModels: SqlClient | null;
  close(): Promise<void>;
}

const HOW_TO_START = {
  postgres:
    'start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (or `docker compose -f docker/compose.yaml up -d postgres`)',
  eventstoredb: 'start it with `docker compose -f docker/compose.yaml up -d eventstoredb`',
};

/**
 * Opens the store as the service does (apps/casetrail/startup/connect-dependencies.ts), minus Redis.
 * The embedded store's DATA_DIR may be open in one process only: while the service runs, its pid
 * file makes this throw a one-line DependencyError (lockDataDir). On PostgreSQL the CLI runs beside
 * the live service; it only creates the event tables when they do not exist yet.
 */
export async function openCliDependencies(config: AppConfig, options: { readModels: boolean }): Promise<CliDependencies> {
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await Promise.resolve(closer()).catch(() => undefined);
  };
  try {
    if (config.eventStore === 'embedded') {
      closers.push(lockDataDirForCli(config.dataDir));
      const store = await createEmbeddedEventStore(join(config.dataDir, 'pglite')).catch((error: Error) => {
        throw new DependencyError(`The embedded store in ${config.dataDir} cannot be opened (${reason(error)}): check that the folder is writable`);
      });
      closers.push(() => store.close());
      return { eventStore: store, readModels: options.readModels ? store.sql : null, close };
    }

    const databaseUrl = config.databaseUrl as string;
    const unreachable = (error: Error) =>
      new DependencyError(`PostgreSQL is unreachable at ${redactUrl(databaseUrl)} (${reason(error)}): ${HOW_TO_START.postgres}`);
    let readModels: SqlClient | null = null;
    if (options.readModels) {
      const client = new PgSqlClient(databaseUrl, { max: 4 });
      closers.push(() => client.close());
      await client.query('select 1').catch((error: Error) => {
        throw unreachable(error);
      });
      readModels = client;
    }

    let eventStore: EventStore;
    if (config.eventStore === 'postgres') {
      const sql = new PgSqlClient(databaseUrl, { max: 4 });
      closers.push(() => sql.close());
      const store = new SqlEventStore('postgres', sql, `PostgreSQL at ${redactUrl(databaseUrl)}`);
      const found = await sql.query<{ present: boolean }>(`select to_regclass('ct_events') is not null as present`).catch((error: Error) => {
        throw unreachable(error);
      });
      if (!found[0].present) await store.migrate();
      eventStore = store;
    } else {
      const connectionString = config.eventStoreConnectionString as string;
      const { createEventStoreDbEventStore } = await import('../../libs/event-store/eventstoredb/eventstoredb-event-store');
      const store = await createEventStoreDbEventStore(connectionString);
      closers.push(() => store.close());
      await store.ping().catch((error: Error) => {
        throw new DependencyError(`EventStoreDB is unreachable at ${connectionString} (${reason(error)}): ${HOW_TO_START.eventstoredb}`);
      });
      eventStore = store;
    }
    return { eventStore, readModels, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** lockDataDir, its refusal worded for a command run beside the service. */
function lockDataDirForCli(dataDir: string): () => void {
  try {
    return lockDataDir(dataDir);
  } catch (error) {
    if (!(error instanceof DependencyError)) throw error;
    throw new DependencyError(
      error.message.replace(
        /: stop it, or give this one another DATA_DIR$/,
        ': stop the service first (the embedded store opens in one process at a time; on PostgreSQL the command runs beside the service)',
      ),
    );
  }
}

function reason(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message || code || 'unknown error';
  return message.split('\n')[0];
}
