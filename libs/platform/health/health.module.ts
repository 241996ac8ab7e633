import { DynamicModule, Module } from '@nestjs/common';
import { CHECKPOINTED_CONSUMERS, CheckpointedConsumers } from '../tokens';
import { HealthController } from './health.controller';
import { ReadinessController } from './readiness.controller';

/** /health, /health/live, /health/ready: served by every role. `consumers`: what readiness checks the lag of. */
@Module({})
export class HealthModule {
  static register(consumers: CheckpointedConsumers): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController, ReadinessController],
      providers: [{ provide: CHECKPOINTED_CONSUMERS, useValue: consumers }],
    };
  }
}
