import { Global, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { SqlClient } from '../event-store/sql/sql-client';
import { JsonLogger } from '../platform/logging/json-logger';
import { EVENT_STORE, READ_MODEL_SQL } from '../platform/tokens';
import { ProjectionRunner } from './projection-runner';
import { ReadConsistency } from './read-consistency';
import { ALL_PROJECTIONS } from './read-models/all-projections';

/**
 * The read models' core, in every role: their tables (created at start; the API reads them), the
 * runner's progress (read-your-writes waits on it). Running the subscriptions that fill them is
 * projection-consumers.module.ts's, mounted only where consumers run; the admin routes are
 * projections-http.module.ts's.
 */
@Global()
@Module({
  providers: [
    {
      provide: ProjectionRunner,
      inject: [EVENT_STORE, READ_MODEL_SQL, JsonLogger],
      useFactory: (store: EventStore, sql: SqlClient, logger: JsonLogger) => new ProjectionRunner(store, sql, ALL_PROJECTIONS, logger),
    },
    ReadConsistency,
  ],
  exports: [ProjectionRunner, ReadConsistency],
})
export class ProjectionsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly runner: ProjectionRunner) {}

  async onModuleInit(): Promise<void> {
    await this.runner.migrate();
  }

  async onApplicationShutdown(): Promise<void> {
    // A no-op where it never started.
    await this.runner.stop();
  }
}
