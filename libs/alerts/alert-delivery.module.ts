import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { JsonLogger } from '../platform/logging/json-logger';
import { RedisConnection } from '../platform/redis/redis-connection';
import { ConsumerRunners } from '../projections/consumer-runners';
import { AlertWebhooks } from './alert-webhooks';

/**
 * The consumer side of alerts (the worker role, or role `all`'s background thread): webhook
 * delivery, when ALERT_WEBHOOKS is configured. The dispatcher
 * (a reactor enqueueing one job per alert and URL) is run by ConsumerRunners; this module runs
 * the BullMQ worker that delivers.
 */
@Module({
  providers: [
    {
      provide: AlertWebhooks,
      inject: [APP_CONFIG, RedisConnection, JsonLogger, ConsumerRunners],
      useFactory: (config: AppConfig, redis: RedisConnection, logger: JsonLogger, runners: ConsumerRunners) => {
        if (config.alertWebhooks.length === 0) return null;
        const webhooks = new AlertWebhooks(redis, config.alertWebhooks, config.alertWebhookSecret as string, logger);
        runners.add([webhooks.dispatcher()]);
        return webhooks;
      },
    },
  ],
})
export class AlertDeliveryModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Optional() @Inject(AlertWebhooks) private readonly webhooks: AlertWebhooks | null) {}

  onApplicationBootstrap(): void {
    this.webhooks?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.webhooks?.stop();
  }
}
