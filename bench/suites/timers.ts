/**
 * Suite 4: SLA timers on BullMQ, through the service's own TimerQueue (delayed jobs with
 * deterministic ids, addBulk), on a Redis key prefix of the run's own (deleted afterwards).
 *  - Scheduling: N pending delayed jobs (due days ahead): jobs/s, Redis memory. The service itself
 *    keeps only the timers due within its arming horizon in Redis (TimerQueue); this is the rate
 *    at which a sweep can arm them, and the load Redis carries if that many are due at once.
 *  - Lateness: with those N jobs pending, a sample of jobs due 1-4 s ahead is run by a BullMQ
 *    Worker configured like SlaTimerWorker (concurrency 8) whose handler records
 *    Date.now() - due; p50/p99. Measured as the service arms timers (TimerQueue: precise
 *    in-process timers that promote each job at its instant) and, in the same run, with BullMQ
 *    alone, at Redis's own `hz` (reported) and with `CONFIG SET hz 100` (restored afterwards):
 *    Redis checks blocked clients' timeouts (BullMQ waits for the next delayed job with a blocking
 *    command) `hz` times a second.
 */
import { Job, Worker } from 'bullmq';
import { RedisConnection } from '../../libs/platform/redis/redis-connection';
import { SystemClock } from '../../libs/platform/clock/clock';
import { SLA_TIMERS_QUEUE, SlaTimerJob, TIMER_ACTIONS } from '../../libs/sla-timers/sla-timer-job';
import { TimerQueue } from '../../libs/sla-timers/timer-queue';
import { log, Metric } from '../support/metrics';
import { benchRedisUrl, deleteKeysPrefixed, redisConfigGet, redisUsedMemory, withRedisConfig } from '../support/redis';
import { mib, Samples, sizeLabel, sleep } from '../support/stats';
import { redisPrefix, SuiteTask } from '../support/suite';

const SUITE = '4. SLA timers (BullMQ)';
const BULK = 1000;

export async function timersSuite(task: SuiteTask): Promise<Metric[]> {
  const prefix = redisPrefix(task, 'timers');
  const redis = new RedisConnection(benchRedisUrl(), prefix);
  const queue = new TimerQueue(redis, new SystemClock());
  const metrics: Metric[] = [];
  const hz = (await redisConfigGet('hz')) ?? '?';
  const sample = task.quick ? 500 : 2000;
  let pending = 0;
  const memoryBefore = await redisUsedMemory();
  try {
    for (const size of task.sizes) {
      const at = sizeLabel(size);
      const scope = `timers ${at}`;
      // Scheduling up to `size` pending jobs, due 1 to 30 days ahead.
      const toAdd = size - pending;
      const started = performance.now();
      const base = Date.now() + 24 * 3600_000;
      for (let from = 0; from < toAdd; from += BULK) {
        const jobs: SlaTimerJob[] = [];
        for (let i = from; i < Math.min(toAdd, from + BULK); i++) {
          const n = pending + i;
          jobs.push({
            caseId: `bench-${Math.floor(n / 3)}`,
            clockId: 'nextUpdate-1',
            action: TIMER_ACTIONS[n % 3],
            runAt: new Date(base + (n % 2_592_000) * 1000).toISOString(),
            clockEventId: `event-${n}`,
          });
        }
        await queue.schedule(jobs);
      }
      pending = size;
      const seconds = (performance.now() - started) / 1000;
      const memory = (await redisUsedMemory()) - memoryBefore;
      log(
        scope,
        `${toAdd.toLocaleString('en-US')} delayed jobs scheduled in ${seconds.toFixed(1)} s (${Math.round(toAdd / seconds)} jobs/s, addBulk of ${BULK}); Redis memory +${mib(memory).toFixed(0)} MiB`,
      );
      metrics.push(
        {
          suite: SUITE,
          key: 'timers.schedule',
          label: `Schedule delayed jobs (TimerQueue.schedule, addBulk of ${BULK}): jobs/s`,
          unit: '/s',
          size: at,
          value: toAdd / seconds,
          note: 'Timers: size = delayed jobs pending in the queue (due 1 to 30 days ahead), scheduled through TimerQueue.schedule in addBulk calls of 1,000.',
        },
        {
          suite: SUITE,
          key: 'timers.memory',
          label: 'Redis memory used by the pending jobs',
          unit: 'MiB',
          size: at,
          value: mib(memory),
        },
      );

      // Before and after in one run: BullMQ alone (its precision is Redis's hz) and TimerQueue as
      // the service runs it, holding each armed timer in-process and promoting it at its instant.
      const plainQueue = new TimerQueue(redis, new SystemClock(), undefined, { precise: false });
      const runs = [
        { setting: hz, queue, key: 'timers.late.configured', label: `hz ${hz} (as configured), precise timers` },
        { setting: hz, queue: plainQueue, key: 'timers.late.bullmq', label: `hz ${hz} (as configured), BullMQ alone` },
        {
          setting: '100',
          queue: plainQueue,
          key: 'timers.late.hz100',
          label: 'hz 100 (CONFIG SET for this run only), BullMQ alone',
        },
      ];
      for (const { setting, queue: through, key, label } of runs) {
        const run = () => lateness(redis, through, sample, `${at}-${key}`);
        const result = setting === hz ? await run() : await withRedisConfig('hz', setting, run);
        log(
          scope,
          `${label}: ${result.count} timers due within 1-4 s fired late by p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms`,
        );
        metrics.push(
          {
            suite: SUITE,
            key: `${key}.p99`,
            label: `Lateness of fired timers, ${label}: p99`,
            unit: 'ms',
            size: at,
            value: result.p99,
            goal: through === queue ? { op: '<=', target: 20, text: '< 20 ms' } : undefined,
            note: `Lateness: ${sample} jobs due uniformly 1-4 s ahead, run by a BullMQ Worker like SlaTimerWorker (concurrency 8); lateness = Date.now() at the handler - due instant. "Precise timers": armed through TimerQueue, which also holds each timer in-process and promotes its job at the instant (libs/sla-timers/precise-timers.ts); "BullMQ alone": the same jobs, delayed jobs only.`,
          },
          {
            suite: SUITE,
            key: `${key}.p50`,
            label: `Lateness of fired timers, ${label}: p50`,
            unit: 'ms',
            size: at,
            value: result.p50,
          },
        );
      }
      await plainQueue.close();
    }
    return metrics;
  } finally {
    await queue.close().catch(() => undefined);
    await redis.close().catch(() => undefined);
    const deleted = await deleteKeysPrefixed(prefix);
    log('timers', `deleted ${deleted.toLocaleString('en-US')} Redis keys of prefix ${prefix}`);
  }
}

async function lateness(redis: RedisConnection, queue: TimerQueue, count: number, tag: string) {
  const late = new Samples();
  const ids = new Set<string>();
  let done = 0;
  const worker = new Worker(
    SLA_TIMERS_QUEUE,
    async (job: Job<SlaTimerJob>) => {
      if (!job.data.caseId.startsWith(`late-${tag}-`)) return;
      late.add(Date.now() - Date.parse(job.data.runAt));
      done++;
    },
    // As SlaTimerWorker.start() configures it.
    {
      connection: redis.client({ forWorker: true }),
      prefix: redis.prefix,
      concurrency: 8,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 5,
    },
  );
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  const now = Date.now();
  const jobs: SlaTimerJob[] = Array.from({ length: count }, (_, i) => {
    const job: SlaTimerJob = {
      caseId: `late-${tag}-${i}`,
      clockId: 'initialResponse-1',
      action: 'warning',
      runAt: new Date(now + 1000 + Math.floor((i / count) * 3000)).toISOString(),
      clockEventId: `late-${i}`,
    };
    ids.add(job.caseId);
    return job;
  });
  for (let from = 0; from < jobs.length; from += BULK) await queue.schedule(jobs.slice(from, from + BULK));
  const deadline = Date.now() + 30_000;
  while (done < count && Date.now() < deadline) await sleep(50);
  await worker.close();
  const s = late.summary();
  return { count: done, p50: s.p50, p99: s.p99, max: s.max };
}
