import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { EventStore } from '../../../libs/event-store/event-store';
import {
  attachEmbeddedEventStore,
  createEmbeddedEventStore,
  redactUrl,
} from '../../../libs/event-store/sql/create-sql-event-store';
import { PgSqlClient } from '../../../libs/event-store/sql/pg-sql-client';
import { PgliteRecovery, PgliteSqlClient } from '../../../libs/event-store/sql/pglite-sql-client';
import { SqlClient } from '../../../libs/event-store/sql/sql-client';
import { SqlEventStore } from '../../../libs/event-store/sql/sql-event-store';
import { AppConfig } from '../../../libs/platform/config/app-config';
import { DependencyError } from '../../../libs/platform/health/dependency-error';
import { JsonLogger } from '../../../libs/platform/logging/json-logger';
import { RedisConnection } from '../../../libs/platform/redis/redis-connection';
import { lockDataDir } from './data-dir-lock';

/** Everything outside the process the service talks to, opened and checked once at start. */
export interface Dependencies extends Stores {
  /** Where read models (and their checkpoints) live: the embedded PGlite, or PostgreSQL. */
  readonly readModels: SqlClient;
  readonly redis: RedisConnection;
}

/** The stores: what the service and the CLI (apps/cli) both open, the same way. */
export interface Stores {
  readonly eventStore: EventStore;
  /** The read-model database; null when a command did not ask for it (never on the embedded store). */
  readonly readModels: SqlClient | null;
  /** The embedded store only: a connection to it for another thread (see PgliteSqlClient.connect). */
  readonly connectThread?: () => MessagePort;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** In the background thread: the embedded store the main thread opened, instead of opening DATA_DIR a second time. */
  readonly embeddedPort?: MessagePort;
  /**
   * A command of the CLI, run beside the service: small pools, the read-model database only when
   * `readModels`, the event tables created only when missing, no restart of the embedded store's
   * thread, and a DATA_DIR in use refused with the advice to stop the service.
   */
  readonly command?: { readonly readModels: boolean };
}

const HOW_TO_START = {
  redis: 'start it with `redis-server --daemonize yes` (or `docker compose -f docker/compose.yaml up -d redis`)',
  postgres:
    'start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (or `docker compose -f docker/compose.yaml up -d postgres`)',
  eventstoredb: 'start it with `docker compose -f docker/compose.yaml up -d eventstoredb`',
};

/** What a second process on the embedded store's DATA_DIR is told to do. */
const LOCKED_DATA_DIR = {
  service: 'stop it, or give this one another DATA_DIR',
  command:
    'stop the service first (the embedded store opens in one process at a time; on PostgreSQL the command runs beside the service)',
};

/**
 * Opens the event store, the read-model database and Redis. A dependency that is missing or
 * unreachable throws a DependencyError whose message is one line naming it and how to start it.
 */
export async function connectDependencies(
  config: AppConfig,
  logger: JsonLogger,
  options: { embeddedPort?: MessagePort } = {},
): Promise<Dependencies> {
  const redis = new RedisConnection(config.redisUrl, config.redisPrefix);
  try {
    await redis.ping().catch((error: Error) => {
      throw new DependencyError(
        `Redis is unreachable at ${redactUrl(config.redisUrl)} (${reason(error)}): ${HOW_TO_START.redis}`,
      );
    });
    const policy = await redis.maxmemoryPolicy();
    if (policy && policy !== 'noeviction') {
      logger.event(
        'error',
        `REDIS MISCONFIGURED: maxmemory-policy is "${policy}"; BullMQ timers can be evicted and SLA actions lost. Set maxmemory-policy noeviction.`,
        { maxmemoryPolicy: policy },
        'Startup',
      );
    }
  } catch (error) {
    await redis.close().catch(() => undefined);
    throw error;
  }
  const stores = await openStores(config, logger, options).catch(async (error: Error) => {
    await redis.close().catch(() => undefined);
    throw error;
  });
  return {
    ...stores,
    readModels: stores.readModels as SqlClient,
    redis,
    close: async () => {
      await stores.close();
      await redis.close().catch(() => undefined);
    },
  };
}

/**
 * Opens the event store and the read-model database, as the service does and (`command`) as a
 * CLI command does. Throws a one-line DependencyError for a store that cannot be reached or opened.
 */
export async function openStores(config: AppConfig, logger: JsonLogger, options: StoreOptions = {}): Promise<Stores> {
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await Promise.resolve(closer()).catch(() => undefined);
  };
  const command = options.command;
  try {
    // Wake-ups across processes and threads (EVENT_NOTIFICATIONS); off: everything polls.
    const notifications = config.eventNotifications !== false;
    if (config.eventStore === 'embedded' && options.embeddedPort) {
      const store = attachEmbeddedEventStore(options.embeddedPort, config.dataDir, { notifications });
      closers.push(() => store.close());
      return { eventStore: store, readModels: store.sql, close };
    }
    if (config.eventStore === 'embedded') {
      closers.push(lockDataDir(config.dataDir, command ? LOCKED_DATA_DIR.command : LOCKED_DATA_DIR.service));
      // A command's store ends with the command: its failures are the command's.
      const recovery: PgliteRecovery = command
        ? {}
        : {
            onRestart: (cause) =>
              logger.event(
                'error',
                "the embedded store's thread stopped and was started again on the same files",
                { cause: cause.message },
                'EmbeddedStore',
              ),
            // The files cannot be opened again: only a new process (its supervisor) can do better.
            onUnrecoverable: (error) => {
              logger.event(
                'error',
                "the embedded store's thread stopped and cannot be started again; exiting",
                { error: error.message, dataDir: config.dataDir },
                'EmbeddedStore',
              );
              process.exit(1);
            },
          };
      const store = await createEmbeddedEventStore(join(config.dataDir, 'pglite'), recovery, { notifications }).catch(
        (error: Error) => {
          throw new DependencyError(
            `The embedded store in ${config.dataDir} cannot be opened (${reason(error)}): check that the folder is writable`,
          );
        },
      );
      closers.push(() => store.close());
      return {
        eventStore: store,
        readModels: store.sql,
        connectThread: () => (store.sql as PgliteSqlClient).connect(),
        close,
      };
    }

    const databaseUrl = config.databaseUrl as string;
    const unreachable = (error: Error) =>
      new DependencyError(
        `PostgreSQL is unreachable at ${redactUrl(databaseUrl)} (${reason(error)}): ${HOW_TO_START.postgres}`,
      );
    // A command's pools are small: it runs beside the service's.
    const poolSize = command ? 4 : undefined;
    let readModels: SqlClient | null = null;
    if (!command || command.readModels) {
      const client = new PgSqlClient(databaseUrl, { notifications, max: poolSize });
      closers.push(() => client.close());
      await client.query('select 1').catch((error: Error) => {
        throw unreachable(error);
      });
      readModels = client;
    }
    let eventStore: EventStore;
    if (config.eventStore === 'postgres') {
      const sql = new PgSqlClient(databaseUrl, { notifications, max: poolSize });
      closers.push(() => sql.close());
      const store = new SqlEventStore('postgres', sql, `PostgreSQL at ${redactUrl(databaseUrl)}`);
      // A command beside the live service only creates the event tables when there are none.
      const present = command
        ? (
            await sql
              .query<{ present: boolean }>(`select to_regclass('ct_events') is not null as present`)
              .catch((error: Error) => {
                throw unreachable(error);
              })
          )[0].present
        : false;
      if (!present) await store.migrate();
      eventStore = store;
    } else {
      eventStore = await openEventStoreDb(config.eventStoreConnectionString as string);
      closers.push(() => eventStore.close());
    }
    return { eventStore, readModels, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openEventStoreDb(connectionString: string): Promise<EventStore> {
  // Loaded lazily: the gRPC client is only needed by deployments that choose EventStoreDB.
  const { createEventStoreDbEventStore } =
    await import('../../../libs/event-store/eventstoredb/eventstoredb-event-store');
  const store = await createEventStoreDbEventStore(connectionString);
  try {
    await store.ping();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw new DependencyError(
      `EventStoreDB is unreachable at ${connectionString} (${reason(error as Error)}): ${HOW_TO_START.eventstoredb}`,
    );
  }
  return store;
}

function reason(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message || code || 'unknown error';
  return message.split('\n')[0];
}
