/**
 * The worker thread that runs the consumers (projections, SLA scheduler and timers, alert
 * delivery) beside the HTTP API when one process runs both (role `all` with BACKGROUND_THREAD=on;
 * started and restarted by startup/background-thread-supervisor.ts). The same modules as
 * `--role worker`, without an HTTP server. On the embedded store it reaches the database the
 * main thread opened through a port of its own (`embeddedPort`). Loaded by file, compiled
 * (compiledEntry): nothing imports this module.
 */
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { startService } from './bootstrap';
import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { answerMetricsRequests } from '../../libs/platform/metrics/background-metrics';
import {
  BackgroundThreadData,
  BackgroundThreadMessage,
  STOP_BACKGROUND_THREAD,
} from './startup/background-thread-protocol';

async function run(): Promise<void> {
  const port = parentPort!;
  const { config, embeddedPort } = workerData as BackgroundThreadData;
  const service = await startService(config, { listen: false, thread: 'background', embeddedPort });
  let stopping = false;
  // The embedded store's connection closed under it (its thread died and was restarted): this
  // thread ends, and the HTTP thread starts a new one on a new connection (the supervisor).
  embeddedPort?.once('close', () => {
    if (stopping) return;
    new JsonLogger(config.logLevel).event(
      'error',
      'the background thread lost its connection to the embedded store; ending it',
      {},
      'Startup',
    );
    process.exit(1);
  });
  port.on('message', (message: unknown) => {
    if (message !== STOP_BACKGROUND_THREAD) return;
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
  parentPort!.postMessage({
    failed: { name: error?.name ?? 'Error', message: error?.message ?? String(error) },
  } satisfies BackgroundThreadMessage);
});
