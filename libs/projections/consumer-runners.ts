import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { SqlClient } from '../event-store/sql/sql-client';
import { JsonLogger } from '../platform/logging/json-logger';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { EVENT_STORE, READ_MODEL_SQL } from '../platform/tokens';
import { ProjectionRunner } from './projection-runner';
import { Consumer } from './reactor';

export interface ConsumerGroupOptions {
  /** See CatchUpSubscriptionOptions.pollIntervalMs. */
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
}

/**
 * The one wiring of every consumer (read models, the SLA scheduler, webhook delivery...): a
 * feature adds its group from a provider factory (`add`), and this service creates the tables of
 * every group's projections at start-up (every role: the API reads them), runs the groups where
 * consumers run (`start`, called by ProjectionConsumersModule: worker role, role `all`'s
 * background thread) and stops them before anything they use is closed.
 *
 * A group is one subscription (events read once for all its consumers) under one lock. Consumers
 * whose failures must not hold each other up go in different groups: a Redis outage stalls the
 * timers' group, never the read models.
 */
@Injectable()
export class ConsumerRunners implements OnModuleInit, BeforeApplicationShutdown {
  private readonly runners: ProjectionRunner[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SQL) private readonly sql: SqlClient,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'consumerBatchRestMs'>,
  ) {}

  /** Registers a group (before the application's init: from a provider factory) and returns its runner. */
  add(consumers: readonly Consumer[], options: ConsumerGroupOptions = {}): ProjectionRunner {
    const runner = new ProjectionRunner(this.store, this.sql, consumers, this.logger, {
      restAfterBatchMs: this.config.consumerBatchRestMs,
      ...options,
    });
    this.runners.push(runner);
    return runner;
  }

  /** Every registered consumer's name (their checkpoints in ct_projections). */
  get names(): string[] {
    return this.runners.flatMap((r) => r.names);
  }

  /** Every provider factory has run by now (Nest instantiates all before the init hooks). */
  async onModuleInit(): Promise<void> {
    for (const runner of this.runners) await runner.migrate();
  }

  /** Runs every group (where this process runs consumers). */
  async start(): Promise<void> {
    for (const runner of this.runners) await runner.start();
  }

  /** Before the modules' shutdown hooks close the queues and clients the consumers use; a no-op for groups never started. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }
}
