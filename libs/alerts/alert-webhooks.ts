import { createHmac } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { domainReactor, Reactor } from '../projections/reactor';
import { alertOf, isAlertEvent } from '../projections/read-models/alerts.projection';
import { RedisConnection } from '../platform/redis/redis-connection';
import { JsonLogger } from '../platform/logging/json-logger';
import { closeWorker } from '../platform/redis/close-worker';
import { webhookDeliveriesTotal } from '../platform/metrics/command-metrics';

export const ALERT_WEBHOOKS_QUEUE = 'alert-webhooks';

interface WebhookJob {
  url: string;
  body: string;
  alertId: string;
}

/** `X-Casetrail-Signature: sha256=<hex of the raw body's HMAC-SHA256 under the secret>`. */
export function signWebhook(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Delivers every alert to every configured URL, at least once: a checkpointed subscription
 * enqueues one BullMQ job per (alert, URL) with a deterministic id before its checkpoint
 * commits, and the worker retries with exponential back-off. Receivers de-duplicate by the
 * `X-Casetrail-Alert-Id` header (also `alertId` in the body).
 */
export class AlertWebhooks {
  readonly queue: Queue;
  private worker: Worker<WebhookJob> | null = null;

  constructor(
    private readonly redis: RedisConnection,
    private readonly urls: string[],
    private readonly secret: string,
    private readonly logger: JsonLogger,
  ) {
    this.queue = new Queue(ALERT_WEBHOOKS_QUEUE, {
      connection: redis.client(),
      prefix: redis.prefix,
      defaultJobOptions: {
        attempts: 15,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    });
  }

  /**
   * The dispatcher: a reactor (checkpointed by its runner, at least once). Re-enqueueing a batch
   * adds nothing: the job ids are the alert's and the URL's.
   */
  dispatcher(): Reactor {
    return domainReactor({
      name: 'alert-webhooks',
      react: async (events) => {
        const jobs = events.filter(isAlertEvent).flatMap((event) => {
          const body = JSON.stringify(alertOf(event));
          return this.urls.map((url, i) => ({
            name: 'deliver',
            data: { url, body, alertId: event.id } satisfies WebhookJob,
            opts: { jobId: `${event.id}.${i}` },
          }));
        });
        if (jobs.length) await this.queue.addBulk(jobs);
      },
    });
  }

  start(): void {
    this.worker = new Worker<WebhookJob>(ALERT_WEBHOOKS_QUEUE, (job) => this.deliver(job.data, job.attemptsMade + 1), {
      connection: this.redis.client({ forWorker: true }),
      prefix: this.redis.prefix,
      concurrency: 16,
    });
    this.worker.on('completed', (job) => {
      webhookDeliveriesTotal.inc({ outcome: 'delivered' });
      this.logger.event(
        'info',
        'alert webhook delivered',
        { domain: 'notification', url: job.data.url, alertId: job.data.alertId, attempt: job.attemptsMade },
        'Alerts',
      );
    });
    this.worker.on('failed', (job, error) => {
      // BullMQ retries until the job's attempts are used up; then it stays failed.
      const gaveUp = !!job && job.attemptsMade >= (job.opts.attempts ?? 1);
      webhookDeliveriesTotal.inc({ outcome: gaveUp ? 'gave_up' : 'failed' });
      this.logger.event(
        gaveUp ? 'error' : 'warn',
        gaveUp ? 'alert webhook delivery gave up' : 'alert webhook delivery failed',
        {
          domain: 'notification',
          url: job?.data.url,
          alertId: job?.data.alertId,
          attempt: job?.attemptsMade,
          error: error.message,
        },
        'Alerts',
      );
    });
    this.worker.on('error', () => undefined);
  }

  async stop(): Promise<void> {
    await closeWorker(this.worker, this.logger, 'Alerts');
    await this.queue.close();
  }

  private async deliver({ url, body, alertId }: WebhookJob, attempt: number): Promise<void> {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-casetrail-signature': signWebhook(this.secret, body),
        'x-casetrail-alert-id': alertId,
        'x-casetrail-delivery-attempt': String(attempt),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  }
}
