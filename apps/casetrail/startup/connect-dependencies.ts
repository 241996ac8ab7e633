import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { EventStore } from '../../../libs/event-store/event-store';
import { attachEmbeddedEventStore, createEmbeddedEventStore, createPostgresEventStore, redactUrl } from '../../../libs/event-store/sql/create-sql-event-store';
import { PgSqlClient } from '../../../libs/event-store/sql/pg-sql-client';
import { PgliteSqlClient } from '../../../libs/event-store/sql/pglite-sql-client';
import { SqlClient } from '../../../libs/event-store/sql/sql-client';
import { SqlEventStore } from '../../../libs/event-store/sql/sql-event-store';
import { AppConfig } from '../../../libs/platform/config/app-config';
import { DependencyError } from '../../../libs/platform/health/dependency-error';
import { JsonLogger } from '../../../libs/platform/logging/json-logger';
import { RedisConnection } from '../../../libs/platform/redis/redis-connection';
import { lockDataDir } from './data-dir-lock';

/** Everything outside the process the service talks to, opened and checked once at start. */
export interface Dependencies {
  readonly eventStore: EventStore;
  /** Where read models (and their checkpoints) live: the embedded PGlite, or PostgreSQL. */
  readonly readModels: SqlClient;
  readonly redis: RedisConnection;
  /** The embedded store only: a connection to it for another thread (see PgliteSqlClient.connect). */
  readonly connectThread?: () => MessagePort;
  close(): Promise<void>;
}

const HOW_TO_START = {
  redis: 'start it with `redis-server --daemonize yes` (or `docker compose -f docker/compose.yaml up -d redis`)',
  postgres:
    'start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` (or `docker compose -f docker/compose.yaml up -d postgres`)',
  eventstoredb: 'start it with `docker compose -f docker/compose.yaml up -d eventstoredb`',
};

/**
 * Opens the event store, the read-model database and Redis. A dependency that is missing or
 * unreachable throws a DependencyError whose message is one line naming it and how to start it.
 * `embeddedPort`: in the background thread, the embedded store the main thread opened (see
 * PgliteSqlClient.connect), instead of opening DATA_DIR a second time.
 */
export async function connectDependencies(
  config: AppConfig,
  logger: JsonLogger,
  options: { embeddedPort?: MessagePort } = {},
): Promise<Dependencies> {
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await Promise.resolve(closer()).catch(() => undefined);
  };
  try {
    const redis = new RedisConnection(config.redisUrl, config.redisPrefix);
    closers.push(() => redis.close());
    await redis.ping().catch((error: Error) => {
      throw new DependencyError(`Redis is unreachable at ${redactUrl(config.redisUrl)} (${reason(error)}): ${HOW_TO_START.redis}`);
    });
    const policy = await redis.maxmemoryPolicy();
    if (policy && policy !== 'noeviction') {
      logger.event('error', `REDIS MISCONFIGURED: maxmemory-policy is "${policy}"; BullMQ timers can be evicted and SLA actions lost. Set maxmemory-policy noeviction.`, { maxmemoryPolicy: policy }, 'Startup');
    }

    // Wake-ups across processes and threads (EVENT_NOTIFICATIONS); off: everything polls.
    const notifications = config.eventNotifications !== false;
    let eventStore: EventStore;
    let readModels: SqlClient;
    let connectThread: (() => MessagePort) | undefined;
    if (config.eventStore === 'embedded' && options.embeddedPort) {
      const store = attachEmbeddedEventStore(options.embeddedPort, config.dataDir, { notifications });
      closers.push(() => store.close());
      eventStore = store;
      readModels = store.sql;
    } else if (config.eventStore === 'embedded') {
      closers.push(lockDataDir(config.dataDir));
      const store = await createEmbeddedEventStore(join(config.dataDir, 'pglite'), {
        onRestart: (cause) =>
          logger.event('error', "the embedded store's thread stopped and was started again on the same files", { cause: cause.message }, 'EmbeddedStore'),
        // The files cannot be opened again: only a new process (its supervisor) can do better.
        onUnrecoverable: (error) => {
          logger.event('error', "the embedded store's thread stopped and cannot be started again; exiting", { error: error.message, dataDir: config.dataDir }, 'EmbeddedStore');
          process.exit(1);
        },
      }, { notifications }).catch((error: Error) => {
        throw new DependencyError(`The embedded store in ${config.dataDir} cannot be opened (${reason(error)}): check that the folder is writable`);
      });
      closers.push(() => store.close());
      eventStore = store;
      readModels = store.sql;
      connectThread = () => (store.sql as PgliteSqlClient).connect();
    } else {
      const databaseUrl = config.databaseUrl as string;
      readModels = new PgSqlClient(databaseUrl, { notifications });
      closers.push(() => readModels.close());
      await readModels.query('select 1').catch((error: Error) => {
        throw new DependencyError(`PostgreSQL is unreachable at ${redactUrl(databaseUrl)} (${reason(error)}): ${HOW_TO_START.postgres}`);
      });
      if (config.eventStore === 'postgres') {
        const store: SqlEventStore = await createPostgresEventStore(databaseUrl, { notifications });
        closers.push(() => store.close());
        eventStore = store;
      } else {
        eventStore = await openEventStoreDb(config.eventStoreConnectionString as string);
        closers.push(() => eventStore.close());
      }
    }
    return { eventStore, readModels, redis, connectThread, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openEventStoreDb(connectionString: string): Promise<EventStore> {
  // Loaded lazily: the gRPC client is only needed by deployments that choose EventStoreDB.
  const { createEventStoreDbEventStore } = await import('../../../libs/event-store/eventstoredb/eventstoredb-event-store');
  const store = await createEventStoreDbEventStore(connectionString);
  try {
    await store.ping();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw new DependencyError(`EventStoreDB is unreachable at ${connectionString} (${reason(error as Error)}): ${HOW_TO_START.eventstoredb}`);
  }
  return store;
}

function reason(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message || code || 'unknown error';
  return message.split('\n')[0];
}
