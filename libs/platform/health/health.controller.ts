import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthDto } from './health.responses';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { EventStore } from '../../event-store/event-store';
import { RedisConnection } from '../redis/redis-connection';
import { SqlClient } from '../../event-store/sql/sql-client';
import { EVENT_STORE, READ_MODEL_SQL } from '../tokens';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Public } from '../auth/public.decorator';
import { backgroundThreadStatus } from './background-status';
import { probe } from './dependency-probe';

/**
 * GET /health: no authentication; 200 when every dependency answers, 503 otherwise. (Probes use
 * /health/live and /health/ready: readiness.controller.ts.)
 */
@ApiTags('ops')
@Controller()
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_SQL) private readonly readModels: SqlClient,
    private readonly redis: RedisConnection,
  ) {}

  @Public()
  @Get('health')
  @ApiOperation({ summary: 'Health of the service and its dependencies', description: 'No authentication.' })
  @ApiOkResponse({ type: HealthDto, description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'A dependency (or the background thread) is down' })
  // What the HTTP layer answers any request whose head it refuses.
  @ApiProblems(400, 431)
  async health(@Res() response: FastifyReply): Promise<void> {
    const [eventStore, readModels, redis] = await Promise.all([
      probe(() => this.eventStore.ping()),
      probe(() => this.readModels.query('select 1')),
      probe(() => this.redis.ping()),
    ]);
    const dependencies = {
      eventStore: { kind: this.eventStore.kind, ...eventStore },
      readModels: { kind: this.config.eventStore === 'embedded' ? 'embedded' : 'postgres', ...readModels },
      redis,
    };
    // Role `all`: the background thread's state too (restarting after it stopped is degraded).
    const backgroundThread = backgroundThreadStatus.get();
    const up =
      [eventStore, readModels, redis].every((d) => d.status === 'up') &&
      (backgroundThread?.status ?? 'running') === 'running';
    response.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({
      status: up ? 'ok' : 'degraded',
      role: this.config.role,
      dependencies,
      ...(backgroundThread ? { backgroundThread } : {}),
    });
  }
}
