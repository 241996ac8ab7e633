import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { SqlClient } from '../event-store/sql/sql-client';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { Clock } from '../platform/clock/clock';
import { JsonLogger } from '../platform/logging/json-logger';
import { RedisConnection } from '../platform/redis/redis-connection';
import { EVENT_STORE, READ_MODEL_SQL } from '../platform/tokens';
import { ProjectionRunner } from '../projections/projection-runner';
import { CasesModule } from '../cases/cases.module';
import { CaseCommandService } from '../cases/case-command.service';
import { slaTimersProjection } from './sla-timers.projection';
import { SlaTimersSweep } from './sla-timers.sweep';
import { SlaTimerWorker } from './sla-timer.worker';
import { armingHorizonMs, TimerQueue } from './timer-queue';

const SCHEDULER = Symbol('SLA_SCHEDULER');

/**
 * The worker side of SLA enforcement: the scheduler (a checkpointed subscription turning clock
 * events into delayed jobs), the BullMQ worker running them, and the sweep.
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
      inject: [EVENT_STORE, READ_MODEL_SQL, JsonLogger, TimerQueue],
      useFactory: (store: EventStore, sql: SqlClient, logger: JsonLogger, queue: TimerQueue) =>
        new ProjectionRunner(store, sql, [slaTimersProjection(queue)], logger, { pollIntervalMs: 100 }),
    },
    {
      provide: SlaTimerWorker,
      inject: [RedisConnection, CaseCommandService, JsonLogger],
      useFactory: (redis: RedisConnection, commands: CaseCommandService, logger: JsonLogger) => new SlaTimerWorker(redis, commands, logger),
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
    @Inject(SCHEDULER) private readonly scheduler: ProjectionRunner,
    private readonly worker: SlaTimerWorker,
    private readonly sweep: SlaTimersSweep,
    private readonly queue: TimerQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.start();
    this.worker.start();
    this.sweep.start(this.config.slaSweepIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweep.stop();
    await this.scheduler.stop();
    await this.worker.stop();
    await this.queue.close();
  }
}
