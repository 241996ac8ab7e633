import { Controller, Get, Header, Inject, OnModuleDestroy } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { Queue } from 'bullmq';
import { isMainThread } from 'node:worker_threads';
import { Gauge, Registry } from 'prom-client';
import { SqlClient } from '../../event-store/sql/sql-client';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Roles } from '../auth/roles.decorator';
import { RedisConnection } from '../redis/redis-connection';
import { READ_MODEL_SQL } from '../tokens';
import { collectProcessMetrics, metricsRegistry } from './command-metrics';
import { mergedMetrics } from './background-metrics';

const QUEUES = ['sla-timers', 'alert-webhooks'];

/**
 * GET /metrics (Prometheus text). Business gauges are read from the read models at scrape time,
 * so every process reports the same numbers (they live in this controller's own registry, so
 * that the background thread never reports them twice); process, HTTP, command, timer, alert,
 * delivery and SSE metrics are this process's own (both threads' in role `all`).
 */
@ApiTags('ops')
@ApiBearerAuth()
@Controller()
export class MetricsController implements OnModuleDestroy {
  private readonly queues: Queue[];
  /** The gauges read at scrape time. */
  private readonly scraped = new Registry();

  constructor(@Inject(READ_MODEL_SQL) sql: SqlClient, @Inject(APP_CONFIG) config: AppConfig, redis: RedisConnection) {
    if (isMainThread) collectProcessMetrics();
    this.queues = QUEUES.map((name) => new Queue(name, { connection: redis.client(), prefix: redis.prefix }));
    const sqlEvents = config.eventStore !== 'eventstoredb';
    const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [this.scraped],
        async collect() {
          this.reset();
          await collect(this);
        },
      });
    gauge('casetrail_cases', 'Cases by severity and status', ['severity', 'status'], async (g) => {
      for (const r of await sql.query<{ severity: string | null; status: string; n: string }>(
        'select severity, status, count(*)::text as n from rm_cases group by severity, status',
      ))
        g.set({ severity: r.severity ?? 'none', status: r.status }, Number(r.n));
    });
    // The support team's call queue (calls on B/C cases not taken yet), from its read model.
    const waitingCalls = () =>
      sql.query<{ n: string; oldest: string | null }>(
        `select count(*)::text as n, extract(epoch from now() - min(queued_at))::text as oldest
           from rm_call_queue where taken_at is null`,
      );
    gauge('casetrail_call_queue_length', 'Calls waiting in the support-team queue', [], async (g) => {
      const [row] = await waitingCalls();
      g.set(Number(row?.n ?? 0));
    });
    gauge(
      'casetrail_call_queue_oldest_waiting_seconds',
      'How long the oldest call in the support-team queue has waited (0: none waiting)',
      [],
      async (g) => {
        const [row] = await waitingCalls();
        g.set(Math.max(0, Number(row?.oldest ?? 0)));
      },
    );
    gauge(
      'casetrail_projection_lag_events',
      'Events stored but not yet processed, by projection',
      ['projection'],
      async (g) => {
        if (!sqlEvents) return;
        for (const r of await projectionLag(sql)) g.set({ projection: r.name }, Number(r.lag_events));
      },
    );
    gauge(
      'casetrail_projection_lag_seconds',
      'Age of the oldest event a projection has not processed',
      ['projection'],
      async (g) => {
        if (!sqlEvents) return;
        for (const r of await projectionLag(sql)) g.set({ projection: r.name }, Number(r.lag_seconds));
      },
    );
    const queues = this.queues;
    gauge('casetrail_queue_jobs', 'BullMQ jobs by queue and state', ['queue', 'state'], async (g) => {
      for (const queue of queues) {
        const counts = await queue.getJobCounts('delayed', 'waiting', 'active', 'failed', 'completed');
        for (const [state, n] of Object.entries(counts)) g.set({ queue: queue.name, state }, n);
      }
    });
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiProblems(401, 403, 429)
  @Roles('ops')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    return mergedMetrics([metricsRegistry, this.scraped]);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}

async function projectionLag(sql: SqlClient) {
  return sql.query<{ name: string; lag_events: string; lag_seconds: string }>(`
    select p.name,
           greatest(coalesce((select max(global_position) from ct_events), 0) - coalesce(p.position::bigint, 0), 0)::text as lag_events,
           coalesce(extract(epoch from now() - (select e.recorded_at from ct_events e
                     where e.global_position > coalesce(p.position::bigint, 0) order by e.global_position limit 1)), 0)::text as lag_seconds
      from ct_projections p`);
}
