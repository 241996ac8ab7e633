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

export type BackgroundThreadMessage = { ready: true } | { failed: { name: string; message: string } } | { stopped: true };

async function run(): Promise<void> {
  const port = parentPort!;
  const config = workerData.config as AppConfig;
  const service = await startService(
    { ...config, role: 'worker' },
    { listen: false, backgroundThread: false, embeddedPort: workerData.embeddedPort as MessagePort | undefined },
  );
  port.on('message', (message: unknown) => {
    if (message !== 'stop') return;
    void service
      .close()
      .catch(() => undefined)
      .then(() => port.postMessage({ stopped: true } satisfies BackgroundThreadMessage));
  });
  port.postMessage({ ready: true } satisfies BackgroundThreadMessage);
}

run().catch((error: Error) => {
  parentPort!.postMessage({ failed: { name: error?.name ?? 'Error', message: error?.message ?? String(error) } } satisfies BackgroundThreadMessage);
});
