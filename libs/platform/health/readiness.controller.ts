import { Controller, Get, HttpStatus, Inject, OnModuleDestroy, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { LivenessDto, ReadinessDto } from './health.responses';
import { EventStore } from '../../event-store/event-store';
import { SqlClient } from '../../event-store/sql/sql-client';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Public } from '../auth/public.decorator';
import { RedisConnection } from '../redis/redis-connection';
import { CHECKPOINTED_CONSUMERS, CheckpointedConsumers, EVENT_STORE, READ_MODEL_SQL } from '../tokens';
import { backgroundThreadStatus } from './background-status';
import { probe, PROBE_TIMEOUT_MS, withTimeout } from './dependency-probe';
import { RETRY_AFTER_SECONDS } from './dependency-unavailable';
import { ProjectionLag, readProjectionLag } from './projection-lag';

/**
 * Probes for an orchestrator (Kubernetes, compose, a load balancer), without a key:
 *
 * - GET /health/live: the process answers (its event loop turns). No dependency is checked, so a
 *   database outage never gets a healthy process restarted; 503 only once it is shutting down.
 * - GET /health/ready: this process can do its job now. Every role needs the event store, the read
 *   models and Redis; a process running projections (worker, all) also needs its background thread
 *   running and every projection it runs at most READY_MAX_PROJECTION_LAG_SECONDS behind the store.
 *   An API-only process reports the read models' lag without failing on it: every API replica would
 *   fail together and turn stale reads into a full outage, commands included (alert on the lag
 *   instead). 503 (with Retry-After) names each thing that is not ready in `notReady`.
 */
@ApiTags('ops')
@Controller('health')
export class ReadinessController implements OnModuleDestroy {
  private shuttingDown = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_SQL) private readonly readModels: SqlClient,
    private readonly redis: RedisConnection,
    @Inject(CHECKPOINTED_CONSUMERS) private readonly consumers: CheckpointedConsumers,
  ) {}

  /** The first shutdown hook: from here on the probes say so, while requests in flight finish. */
  onModuleDestroy(): void {
    this.shuttingDown = true;
  }

  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers', description: 'No authentication; checks no dependency.' })
  @ApiOkResponse({ type: LivenessDto, description: 'The process answers' })
  @ApiServiceUnavailableResponse({ type: LivenessDto, description: 'The process is shutting down' })
  @ApiProblems(400, 431)
  live(@Res() response: FastifyReply): void {
    response
      .status(this.shuttingDown ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
      .send({ status: this.shuttingDown ? 'shutting down' : 'live' });
  }

  @Public()
  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: this process can do its job now',
    description: 'No authentication; dependencies, the background thread and projection lag.',
  })
  @ApiOkResponse({ type: ReadinessDto, description: 'Ready' })
  @ApiServiceUnavailableResponse({
    type: ReadinessDto,
    description: 'Not ready: `notReady` says why (with Retry-After)',
  })
  @ApiProblems(400, 431)
  async ready(@Res() response: FastifyReply): Promise<void> {
    // Role `all` runs them in this process (in its background thread or in this one).
    const runsProjections = this.config.role !== 'api';
    const maxLagSeconds = this.config.readyMaxProjectionLagSeconds;
    const names = [...this.consumers.readModels, ...(runsProjections ? this.consumers.reactors : [])];
    const [eventStore, readModels, redis, lag] = await Promise.all([
      probe(() => this.eventStore.ping()),
      probe(() => this.readModels.query('select 1')),
      probe(() => this.redis.ping()),
      withTimeout(readProjectionLag(this.readModels, this.eventStore, names), PROBE_TIMEOUT_MS).then(
        (items): { items: ProjectionLag[] } | { error: string } => ({ items }),
        (error: Error) => ({ error: error.message.split('\n')[0] }),
      ),
    ]);
    const notReady: string[] = [];
    if (this.shuttingDown) notReady.push('shutting down');
    for (const [name, check] of Object.entries({ eventStore, readModels, redis })) {
      if (check.status === 'down') notReady.push(`${name}: ${check.detail}`);
    }
    const backgroundThread = backgroundThreadStatus.get();
    if (backgroundThread && backgroundThread.status !== 'running') {
      notReady.push(
        `backgroundThread: ${backgroundThread.status}${backgroundThread.lastError ? ` (${backgroundThread.lastError})` : ''}`,
      );
    }
    const checked = runsProjections && maxLagSeconds > 0;
    if (checked && 'error' in lag) notReady.push(`projections: lag unknown (${lag.error})`);
    if (checked && 'items' in lag) {
      for (const p of lag.items)
        if (p.lagSeconds > maxLagSeconds)
          notReady.push(`projection ${p.name}: ${p.lagSeconds} s behind the store (max ${maxLagSeconds} s)`);
    }
    const ready = notReady.length === 0;
    if (!ready) response.header('retry-after', String(RETRY_AFTER_SECONDS));
    response.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({
      status: ready ? 'ready' : 'not ready',
      role: this.config.role,
      ...(ready ? {} : { notReady }),
      checks: {
        eventStore: { kind: this.eventStore.kind, ...eventStore },
        readModels,
        redis,
        ...(backgroundThread ? { backgroundThread } : {}),
        projections: { maxLagSeconds, checked, ...lag },
      },
    });
  }
}
