/**
 * The worker thread that runs the background role (projections, SLA scheduler and timers, alert
 * delivery) beside the HTTP API when one process runs both (role `all`; see startService). Same
 * code as `--role worker`, without an HTTP server. On the embedded store it reaches the database
 * the main thread opened through a port of its own (`embeddedPort`).
 */
import 'reflect-metadata';
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { AppConfig } from '../../libs/platform/config/app-config';
import { startService } from './bootstrap';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { answerMetricsRequests } from '../../libs/platform/metrics/background-metrics';

export type BackgroundThreadMessage = { ready: true } | { failed: { name: string; message: string } } | { stopped: true };

async function run(): Promise<void> {
  const port = parentPort!;
  // What bootstrap.ts passes to this thread (startBackgroundThread).
  const { config, embeddedPort } = workerData as { config: AppConfig; embeddedPort?: MessagePort };
  const service = await startService({ ...config, role: 'worker' }, { listen: false, backgroundThread: false, embeddedPort });
  let stopping = false;
  // The embedded store's connection closed under it (its thread died and was restarted): this
  // thread ends, and the HTTP thread starts a new one on a new connection (bootstrap.ts).
  embeddedPort?.once('close', () => {
    if (stopping) return;
    new JsonLogger(config.logLevel).event('error', 'the background thread lost its connection to the embedded store; ending it', {}, 'Startup');
    process.exit(1);
  });
  port.on('message', (message: unknown) => {
    if (message !== 'stop') return;
    stopping = true;
    void service
      .close()
      .catch(() => undefined)
      .then(() => port.postMessage({ stopped: true } satisfies BackgroundThreadMessage));
  });
  // This thread's metrics (projections, timers, webhooks) reach the HTTP thread's /metrics.
  answerMetricsRequests(port);
  port.postMessage({ ready: true } satisfies BackgroundThreadMessage);
}

run().catch((error: Error) => {
  parentPort!.postMessage({ failed: { name: error?.name ?? 'Error', message: error?.message ?? String(error) } } satisfies BackgroundThreadMessage);
});
