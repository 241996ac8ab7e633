import { Job, Queue, Worker } from 'bullmq';
import { SystemClock } from '../platform/clock/clock';
import { RedisConnection } from '../platform/redis/redis-connection';
import { SLA_TIMERS_QUEUE, SlaTimerJob, timerJobId } from './sla-timer-job';
import { TimerQueue } from './timer-queue';
import { PrivateRedis, startPrivateRedis } from '../../test/support/private-servers';

/**
 * Timers fire on time whatever Redis's `hz`: on a Redis of the test's own at `hz 1` (it checks
 * blocked clients' timeouts once a second, ten times coarser than the default), a delayed job
 * left to BullMQ alone runs up to a second late; armed through TimerQueue, which also holds it
 * in-process and promotes it at its instant, it runs within milliseconds, and still exactly once.
 */
describe('precise SLA timers (real Redis at hz 1, real BullMQ worker)', () => {
  let server: PrivateRedis;
  let connection: RedisConnection;

  beforeAll(async () => {
    server = await startPrivateRedis(['--hz', '1']);
    connection = new RedisConnection(server.url, 'ct-test-precise');
  }, 60_000);
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  /** Runs `count` jobs due 0.5-2 s ahead, added by `add`; returns each job's lateness (ms) and runs per id. */
  async function lateness(tag: string, count: number, add: (jobs: SlaTimerJob[]) => Promise<unknown>) {
    const late: number[] = [];
    const runs = new Map<string, number>();
    const worker = new Worker<SlaTimerJob>(
      SLA_TIMERS_QUEUE,
      async (job: Job<SlaTimerJob>) => {
        late.push(Date.now() - Date.parse(job.data.runAt));
        runs.set(job.data.caseId, (runs.get(job.data.caseId) ?? 0) + 1);
      },
      { connection: connection.client({ forWorker: true }), prefix: connection.prefix, concurrency: 8 },
    );
    await worker.waitUntilReady();
    const now = Date.now();
    const jobs: SlaTimerJob[] = Array.from({ length: count }, (_, i) => ({
      caseId: `${tag}-${i}`,
      clockId: 'initialResponse-1',
      action: 'warning',
      runAt: new Date(now + 500 + Math.floor((i / count) * 1500)).toISOString(),
      clockEventId: `${tag}-event-${i}`,
    }));
    await add(jobs);
    const deadline = Date.now() + 60_000;
    while (late.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // A job run twice would show here: wait a little past the last one before counting.
    const settled = Date.now() + 1500;
    while (Date.now() < settled) await new Promise((r) => setTimeout(r, 50));
    await worker.close();
    return { late: late.sort((a, b) => a - b), runs };
  }

  it('BullMQ alone runs delayed jobs late at hz 1 (the control)', async () => {
    const queue = new Queue(SLA_TIMERS_QUEUE, { connection: connection.client(), prefix: connection.prefix });
    const { late } = await lateness('plain', 20, (jobs) =>
      queue.addBulk(
        jobs.map((job) => ({
          name: job.action,
          data: job,
          opts: { jobId: job.caseId, delay: Date.parse(job.runAt) - Date.now() },
        })),
      ),
    );
    await queue.close();
    expect(late).toHaveLength(20);
    // Due instants spread over 1.5 s against a 1 s timeout check: most jobs wait for the check.
    expect(late[Math.floor(late.length / 2)]).toBeGreaterThan(150);
  }, 120_000);

  it('jobs due beyond the arming horizon are left to BullMQ: not held, not promoted early', async () => {
    const queue = new TimerQueue(connection, new SystemClock());
    const now = Date.now();
    const days = [1, 7, 25, 29]; // 25 and 29 days: beyond setTimeout's range
    const jobs: SlaTimerJob[] = days.map((d) => ({
      caseId: `far-${d}`,
      clockId: 'nextUpdate-1',
      action: 'breach',
      runAt: new Date(now + d * 86_400_000).toISOString(),
      clockEventId: `far-event-${d}`,
    }));
    await queue.schedule(jobs);
    expect(queue.heldPrecisely).toBe(0);
    // Held, the 25- and 29-day ones were promoted after 1 ms (setTimeout's overflow).
    await new Promise((r) => setTimeout(r, 300));
    const states = await Promise.all(
      jobs.map((job) => queue.queue.getJobState(timerJobId(job.caseId, job.clockId, job.action))),
    );
    expect(states).toEqual(days.map(() => 'delayed'));
    // Imminent ones on the same queue are still held and run on time.
    const { late } = await lateness('after-far', 10, (imminent) => queue.schedule(imminent));
    for (const job of jobs) await queue.queue.remove(timerJobId(job.caseId, job.clockId, job.action));
    await queue.close();
    expect(late).toHaveLength(10);
    expect(late[Math.floor(late.length / 2)]).toBeLessThan(60);
  }, 120_000);

  it('jobs armed through TimerQueue run within milliseconds of their instant, once each', async () => {
    const queue = new TimerQueue(connection, new SystemClock());
    const { late, runs } = await lateness('precise', 40, (jobs) => queue.schedule(jobs));
    expect(queue.heldPrecisely).toBe(0);
    await queue.close();
    expect(late).toHaveLength(40);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(late[0]).toBeGreaterThanOrEqual(0);
    // 3-5 ms on an idle machine; generous for a busy one, yet far below what hz 1 gives BullMQ
    // alone (the control: a median of ~350 ms).
    expect(late[Math.floor(late.length / 2)]).toBeLessThan(60);
    expect(late[late.length - 1]).toBeLessThan(400);
  }, 120_000);
});
