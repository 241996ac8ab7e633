import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { SqlClient } from '../event-store/sql/sql-client';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { JsonLogger } from '../platform/logging/json-logger';
import { RedisConnection } from '../platform/redis/redis-connection';
import { EVENT_STORE, READ_MODEL_SQL } from '../platform/tokens';
import { ProjectionRunner } from '../projections/projection-runner';
import { AlertWebhooks } from './alert-webhooks';

/** The consumer side of alerts (the worker role, or role `all`'s background thread): webhook delivery, when ALERT_WEBHOOKS is configured. */
@Module({})
export class AlertDeliveryModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private webhooks: AlertWebhooks | null = null;
  private dispatcher: ProjectionRunner | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SQL) private readonly sql: SqlClient,
    private readonly redis: RedisConnection,
    private readonly logger: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.alertWebhooks.length === 0) return;
    this.webhooks = new AlertWebhooks(this.redis, this.config.alertWebhooks, this.config.alertWebhookSecret as string, this.logger);
    this.webhooks.start();
    this.dispatcher = new ProjectionRunner(this.store, this.sql, [this.webhooks.dispatcher()], this.logger);
    await this.dispatcher.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher?.stop();
    await this.webhooks?.stop();
  }
}
