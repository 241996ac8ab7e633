import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { RedisConnection } from '../platform/redis/redis-connection';
import { Clock } from '../platform/clock/clock';
import { SLA_TIMERS_QUEUE, SlaTimerJob, timerJobId } from './sla-timer-job';
import { PreciseTimers } from './precise-timers';

/** Completed jobs are kept this long, so the sweep can tell "done" from "lost". */
const KEEP_COMPLETED_SECONDS = 14 * 24 * 3600;

/**
 * How far ahead timers are armed (held in Redis as delayed jobs), given how often the sweep runs:
 * at least three sweeps, so that a timer is armed two passes before it is due even if one pass
 * fails, and never less than five minutes.
 */
export function armingHorizonMs(sweepIntervalMs: number): number {
  return Math.max(3 * sweepIntervalMs, 5 * 60_000);
}

/**
 * The one door to the BullMQ queue of SLA timers: delayed jobs with deterministic ids.
 *
 * Redis holds only the timers due within the arming horizon. The pending timers themselves are
 * rows of `sla_clock_timers`, derived from the events; a delayed job is their executable copy, and
 * most clocks are met long before they are due (each update meets the running clock), so arming
 * each timer the moment its clock starts made three Redis jobs per update that never ran, and
 * that was the largest cost of a command (BENCHMARKS.md). The scheduler arms a timer at once when
 * it is due within the horizon; the sweep arms the others as their instant comes near. Each job
 * armed here is also held in-process until its instant (PreciseTimers), so that it runs on time
 * whatever Redis's `hz`.
 */
export class TimerQueue {
  readonly queue: Queue;
  private readonly lookups: Redis;
  private readonly precise: PreciseTimers | null;

  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
    /** See armingHorizonMs; the default suits the default sweep interval (60 s). */
    readonly horizonMs: number = armingHorizonMs(60_000),
    /** false: BullMQ's own precision only (the benchmark's "before"). */
    options: { precise?: boolean } = {},
  ) {
    // Held in-process: what this queue arms for the horizon ahead (the arming path arms nothing later).
    this.precise = options.precise === false ? null : new PreciseTimers({ windowMs: horizonMs });
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

  /** The latest instant a timer armed now may be due at. */
  horizonEnd(): Date {
    return new Date(this.clock.now().getTime() + this.horizonMs);
  }

  /** Of these jobs, the ones due by `end` (the horizon's end now, unless given). */
  imminent(jobs: SlaTimerJob[], end: Date = this.horizonEnd()): SlaTimerJob[] {
    return jobs.filter((job) => Date.parse(job.runAt) <= end.getTime());
  }

  /** Arms the jobs due within the horizon; the sweep arms the others later. */
  async scheduleImminent(jobs: SlaTimerJob[]): Promise<void> {
    await this.schedule(this.imminent(jobs));
  }

  /** Adds the jobs (delayed until each one's runAt); an id already in Redis is left as it is. */
  async schedule(jobs: SlaTimerJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const now = this.clock.now().getTime();
    const delays = jobs.map((job) => Math.max(0, Date.parse(job.runAt) - now));
    const added = await this.queue.addBulk(
      jobs.map((job, i) => ({
        name: job.action,
        data: job,
        opts: { jobId: timerJobId(job.caseId, job.clockId, job.action, job.generation), delay: delays[i] },
      })),
    );
    // From now, not from before addBulk: the round trip would make each one that much late.
    const after = this.clock.now().getTime();
    added.forEach((job, i) => {
      if (delays[i] > 0 && job.id) this.precise?.hold(job.id, Date.parse(jobs[i].runAt) - after, () => job.promote());
    });
  }

  /** How many armed timers this process holds to fire precisely. */
  get heldPrecisely(): number {
    return this.precise?.size ?? 0;
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
    this.precise?.clear();
    await this.queue.close();
  }
}
