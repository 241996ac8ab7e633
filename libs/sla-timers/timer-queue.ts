import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { RedisConnection } from '../platform/redis/redis-connection';
import { Clock } from '../platform/clock/clock';
import { SLA_TIMERS_QUEUE, SlaTimerJob, timerJobId } from './sla-timer-job';

/** Completed jobs are kept this long, so the sweep can tell "done" from "lost". */
const KEEP_COMPLETED_SECONDS = 14 * 24 * 3600;

/**
 * The one door to the BullMQ queue of SLA timers: delayed jobs with deterministic ids.
 */
export class TimerQueue {
  readonly queue: Queue;
  private readonly lookups: Redis;

  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
  ) {
    this.lookups = redis.client();
    this.queue = new Queue(SLA_TIMERS_QUEUE, {
      connection: redis.client(),
      prefix: redis.prefix,
      defaultJobOptions: {
        removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
        removeOnFail: { age: KEEP_COMPLETED_SECONDS },
        attempts: 20,
        backoff: { type: 'exponential', delay: 1000 },
      },
    });
  }

  /** Adds the jobs (delayed until each one's runAt); an id already in Redis is left as it is. */
  async schedule(jobs: SlaTimerJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const now = this.clock.now().getTime();
    await this.queue.addBulk(
      jobs.map((job) => ({
        name: job.action,
        data: job,
        opts: { jobId: timerJobId(job.caseId, job.clockId, job.action), delay: Math.max(0, Date.parse(job.runAt) - now) },
      })),
    );
  }

  /** Of these job ids, the ones Redis does not hold (lost, e.g. after FLUSHDB). */
  async missing(jobIds: string[]): Promise<Set<string>> {
    if (jobIds.length === 0) return new Set();
    const pipeline = this.lookups.pipeline();
    for (const id of jobIds) pipeline.exists(`${this.redis.prefix}:${SLA_TIMERS_QUEUE}:${id}`);
    const replies = (await pipeline.exec()) ?? [];
    return new Set(jobIds.filter((_, i) => replies[i]?.[1] === 0));
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('delayed', 'waiting', 'active', 'completed', 'failed');
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
