import type { Worker } from 'bullmq';
import type { JsonLogger } from '../logging/json-logger';

/** How long a shutdown waits for a BullMQ worker to close. */
export const WORKER_CLOSE_MS = 10_000;

/**
 * Closes a BullMQ worker, letting a running job finish, but never waits forever: after Redis went
 * away and came back (restarted, empty), BullMQ's close can wait for its blocking connection's
 * 'end' event, which never comes, and the whole shutdown hung with it. Past the limit the process
 * goes on stopping; a job cut short is run again later (lock expiry), and every job is idempotent.
 */
export async function closeWorker(worker: Worker | null, logger: JsonLogger, context: string): Promise<void> {
  if (!worker) return;
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    worker.close().then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), WORKER_CLOSE_MS))),
  ]);
  clearTimeout(timer);
  if (!closed)
    logger.event('warn', 'a job worker did not close in time; going on', { closeMs: WORKER_CLOSE_MS }, context);
}
