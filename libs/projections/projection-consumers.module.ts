import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { ConsumerRunners } from './consumer-runners';

/**
 * Runs every consumer group registered with ConsumerRunners (the read models', and those of the
 * consumer modules mounted beside this one: SLA timers, alert delivery): mounted by the worker
 * role and by role `all`'s background thread, never by the API alone. ConsumerRunners stops them
 * before the application's shutdown hooks.
 */
@Module({})
export class ProjectionConsumersModule implements OnApplicationBootstrap {
  constructor(private readonly runners: ConsumerRunners) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runners.start();
  }
}
