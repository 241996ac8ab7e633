import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The thread-wide registry: this thread's own measurements (commands, HTTP, timers, alerts,
 * deliveries, SSE). In role `all` the background thread has its own, and /metrics merges it in
 * (background-metrics.ts).
 */
export const metricsRegistry = new Registry();

let defaultsCollected = false;
/**
 * prom-client's process metrics (CPU, memory, event loop lag, GC, handles), once per process: only
 * the thread that serves /metrics collects them (the background thread's would repeat the same
 * process's numbers).
 */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

export const commandDuration = new Histogram({
  name: 'casetrail_command_duration_seconds',
  help: 'Time to decide and append one command, by command type and outcome (ok, refused, failed)',
  labelNames: ['command', 'outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'casetrail_http_request_duration_seconds',
  help: 'HTTP requests by method, route pattern (or "unmatched") and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const slaAlertsTotal = new Counter({
  name: 'casetrail_sla_alerts_total',
  help: 'SLA alerts recorded by the alerts projection, by kind (warning, breach, escalation, paused, resumed) and severity',
  labelNames: ['kind', 'severity'] as const,
  registers: [metricsRegistry],
});

export const timerActionsTotal = new Counter({
  name: 'casetrail_sla_timer_actions_total',
  help: 'SLA timer jobs run, by action and outcome (recorded: events appended; nothing: nothing left to do; delayed: put back; failed)',
  labelNames: ['action', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const timerLateness = new Histogram({
  name: 'casetrail_sla_timer_lateness_seconds',
  help: 'How long after its due instant an SLA timer job ran, by action',
  labelNames: ['action'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  registers: [metricsRegistry],
});

export const webhookDeliveriesTotal = new Counter({
  name: 'casetrail_webhook_deliveries_total',
  help: 'Alert webhook delivery attempts, by outcome (delivered, failed: retried later, gave_up: attempts used up)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const sseConnections = new Gauge({
  name: 'casetrail_sse_connections',
  help: 'Open alert streams (SSE) of this process',
  registers: [metricsRegistry],
});

export const sseConnectionsTotal = new Counter({
  name: 'casetrail_sse_connections_total',
  help: 'Alert streams (SSE) asked for, by outcome (opened, refused: over SSE_MAX_PER_KEY)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
