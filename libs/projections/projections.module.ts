import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { SqlClient } from '../event-store/sql/sql-client';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { JsonLogger } from '../platform/logging/json-logger';
import { EVENT_STORE, READ_MODEL_SQL } from '../platform/tokens';
import { ProjectionRunner } from './projection-runner';
import { ReadConsistency } from './read-consistency';
import { ALL_PROJECTIONS } from './read-models/all-projections';
import { ProjectionsAdminController } from './admin/projections-admin.controller';

/**
 * The read models. Every role creates their tables (the API reads them); the worker role runs
 * the subscriptions that fill them.
 */
@Global()
@Module({
  controllers: [ProjectionsAdminController],
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
export class ProjectionsModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.runner.migrate();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role !== 'api') await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
