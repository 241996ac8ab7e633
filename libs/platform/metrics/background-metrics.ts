import { randomUUID } from 'node:crypto';
import type { MessagePort, Worker } from 'node:worker_threads';
import { AggregatorRegistry, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';
import { metricsRegistry } from './command-metrics';

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** A request for the thread's metrics, and its answer, over the thread's port. */
export type MetricsRequest = { metricsRequest: string };
export type MetricsAnswer = { metricsAnswer: string; metrics: MetricsJson };

/**
 * prom-client's default gauges named like counters (`promtool check metrics`: "non-counter metrics
 * should not have _total suffix"). Left out: each is the sum of its labelled gauge
 * (nodejs_active_handles{type} ...), which stays.
 */
const MISNAMED = new Set([
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
]);

/** How long /metrics waits for the background thread (restarting, busy) before leaving it out. */
const THREAD_TIMEOUT_MS = 2_000;

let source: (() => Promise<MetricsJson>) | null = null;

/**
 * Role `all`: the background thread (projections, timers, webhooks) counts in a registry of its
 * own. /metrics asks it for its metrics as JSON over the thread's port and merges them with the
 * HTTP thread's (sums by name and labels: every metric both threads define is a counter,
 * histogram or a count of open things). Process metrics are collected by the HTTP thread only.
 */
export function setBackgroundThread(worker: Worker | null): void {
  source = worker ? () => askThread(worker) : null;
}

/** In the background thread: answers the HTTP thread's requests with this thread's registry. */
export function answerMetricsRequests(port: MessagePort): void {
  port.on('message', (message: unknown) => {
    const id = (message as Partial<MetricsRequest>)?.metricsRequest;
    if (typeof id !== 'string') return;
    void metricsRegistry
      .getMetricsAsJSON()
      .then((metrics) =>
        port.postMessage({ metricsAnswer: id, metrics: metrics as MetricsJson } satisfies MetricsAnswer),
      );
  });
}

/** Prometheus text of the given registries and, in role `all`, of the background thread. */
export async function mergedMetrics(registries: Registry[]): Promise<string> {
  const own = await Promise.all(registries.map((r) => r.getMetricsAsJSON() as Promise<MetricsJson>));
  const thread = source ? await source().catch(() => [] as MetricsJson) : [];
  const all = [...own, thread].map((metrics) =>
    metrics.filter((m) => !MISNAMED.has(m.name)).map((m) => ({ ...m, aggregator: 'sum' as const })),
  );
  return AggregatorRegistry.aggregate(all).metrics();
}

function askThread(worker: Worker): Promise<MetricsJson> {
  const id = randomUUID();
  return new Promise<MetricsJson>((resolve) => {
    const done = (metrics: MetricsJson) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(metrics);
    };
    const onMessage = (message: unknown) => {
      if ((message as Partial<MetricsAnswer>)?.metricsAnswer === id) done((message as MetricsAnswer).metrics);
    };
    const timer = setTimeout(() => done([]), THREAD_TIMEOUT_MS);
    worker.on('message', onMessage);
    try {
      worker.postMessage({ metricsRequest: id } satisfies MetricsRequest);
    } catch {
      done([]);
    }
  });
}
