import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { createValidationPipe } from './http/validation.pipe';
import { AppConfig, APP_CONFIG } from './config/app-config';
import { JsonLogger } from './logging/json-logger';
import { Clock } from './clock/clock';
import { RedisConnection } from './redis/redis-connection';
import { EVENT_STORE, READ_MODEL_SQL } from './tokens';
import { ApiKeyRegistry } from './auth/api-keys';
import { RequestThrottle } from './auth/request-throttle';
import { AuthGuard } from './auth/auth.guard';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { EventStore } from '../event-store/event-store';
import { SqlClient } from '../event-store/sql/sql-client';
import { SERVICE_PARTS, ServiceParts } from './config/service-parts';

export interface PlatformResources {
  readonly config: AppConfig;
  readonly logger: JsonLogger;
  readonly clock: Clock;
  readonly eventStore: EventStore;
  readonly readModels: SqlClient;
  readonly redis: RedisConnection;
  readonly apiKeys: ApiKeyRegistry;
  /** What this application runs (config/service-parts.ts). */
  readonly parts: ServiceParts;
}

/**
 * The outside resources, opened before Nest starts (so a missing one stops start-up with one
 * clear line), handed to every module as singletons, plus authentication and problem details.
 * Knows no feature: features import the platform, never the other way round.
 */
@Global()
@Module({})
export class PlatformModule {
  static register(resources: PlatformResources): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: resources.config },
      { provide: JsonLogger, useValue: resources.logger },
      { provide: Clock, useValue: resources.clock },
      { provide: EVENT_STORE, useValue: resources.eventStore },
      { provide: READ_MODEL_SQL, useValue: resources.readModels },
      { provide: RedisConnection, useValue: resources.redis },
      { provide: ApiKeyRegistry, useValue: resources.apiKeys },
      { provide: SERVICE_PARTS, useValue: resources.parts },
      // Per-key rate limit and failed-authentication throttle, shared through Redis.
      { provide: RequestThrottle, useClass: RequestThrottle },
    ];
    return {
      module: PlatformModule,
      providers: [
        ...providers,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: providers.map((p) => p.provide),
    };
  }
}
