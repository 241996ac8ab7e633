import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SqlClient } from '../event-store/sql/sql-client';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { Clock } from '../platform/clock/clock';
import { JsonLogger } from '../platform/logging/json-logger';
import { RedisConnection } from '../platform/redis/redis-connection';
import { READ_MODEL_SQL } from '../platform/tokens';
import { ConsumerRunners } from '../projections/consumer-runners';
import { CasesModule } from '../cases/cases.module';
import { CaseCommandService } from '../cases/case-command.service';
import { slaTimersProjection } from './sla-timers.projection';
import { slaTimerArmingReactor } from './sla-timer-arming.reactor';
import { SlaTimersSweep } from './sla-timers.sweep';
import { SlaTimerWorker } from './sla-timer.worker';
import { armingHorizonMs, TimerQueue } from './timer-queue';

/** The scheduler's consumer group (registering it is what the provider is for; nobody injects it). */
const SCHEDULER = Symbol('SLA_SCHEDULER');

/**
 * The worker side of SLA enforcement: the scheduler (one consumer group: the sla-timers
 * projection keeps each clock's pending timers, then the arming reactor makes delayed jobs of the
 * imminent ones), the BullMQ worker running them, and the sweep. ConsumerRunners runs the group.
 */
@Module({
  imports: [CasesModule],
  providers: [
    {
      provide: TimerQueue,
      inject: [RedisConnection, Clock, APP_CONFIG],
      useFactory: (redis: RedisConnection, clock: Clock, config: AppConfig) =>
        new TimerQueue(redis, clock, armingHorizonMs(config.slaSweepIntervalMs)),
    },
    {
      provide: SCHEDULER,
      inject: [ConsumerRunners, READ_MODEL_SQL, TimerQueue],
      useFactory: (runners: ConsumerRunners, sql: SqlClient, queue: TimerQueue) =>
        runners.add([slaTimersProjection, slaTimerArmingReactor(sql, queue)], { pollIntervalMs: 100 }),
    },
    {
      provide: SlaTimerWorker,
      inject: [RedisConnection, CaseCommandService, JsonLogger],
      useFactory: (redis: RedisConnection, commands: CaseCommandService, logger: JsonLogger) =>
        new SlaTimerWorker(redis, commands, logger),
    },
    {
      provide: SlaTimersSweep,
      inject: [READ_MODEL_SQL, TimerQueue, JsonLogger],
      useFactory: (sql: SqlClient, queue: TimerQueue, logger: JsonLogger) => new SlaTimersSweep(sql, queue, logger),
    },
  ],
  exports: [TimerQueue, SlaTimersSweep],
})
export class SlaTimersModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly worker: SlaTimerWorker,
    private readonly sweep: SlaTimersSweep,
    private readonly queue: TimerQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.worker.start();
    this.sweep.start(this.config.slaSweepIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweep.stop();
    await this.worker.stop();
    await this.queue.close();
  }
}
