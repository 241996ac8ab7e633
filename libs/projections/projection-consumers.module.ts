import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { ProjectionRunner } from './projection-runner';

/**
 * Runs the read-model subscriptions (the consumer side of projections.module.ts): mounted by the
 * worker role and by role `all`'s background thread, never by the API alone. The runner stops in
 * ProjectionsModule's shutdown.
 */
@Module({})
export class ProjectionConsumersModule implements OnApplicationBootstrap {
  constructor(private readonly runner: ProjectionRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }
}
