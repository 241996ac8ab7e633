import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RecordedEvent } from '../event-store/event-store';
import { PgliteSqlClient } from '../event-store/sql/pglite-sql-client';
import { FixedClock } from '../platform/clock/clock';
import { JsonLogger } from '../platform/logging/json-logger';
import { RedisConnection } from '../platform/redis/redis-connection';
import { SLA_TIMERS_QUEUE, timerJobId } from './sla-timer-job';
import { slaTimersProjection } from './sla-timers.projection';
import { SlaTimersSweep } from './sla-timers.sweep';
import { TimerQueue } from './timer-queue';

const REDIS_URL = 'redis://127.0.0.1:6379';
const MINUTE = 60_000;
const T0 = Date.parse('2026-03-02T09:00:00Z');
const META = { actor: 'test', occurredAt: new Date(T0).toISOString(), correlationId: 'c', causationId: null };
const at = (ms: number) => new Date(T0 + ms).toISOString();

/**
 * Lazy arming on real PGlite and real Redis: a timer becomes a BullMQ job when it is due within
 * the horizon, at once if its clock starts that close, otherwise from a sweep as its instant nears.
 */
describe('SLA timers are armed in Redis only as their instant comes near', () => {
  const prefix = `ct-test-arming-${randomUUID().slice(0, 8)}`;
  const clock = new FixedClock(new Date(T0));
  const logger = new JsonLogger('error');
  let sql: PgliteSqlClient;
  let connection: RedisConnection;
  let queue: TimerQueue;
  let sweep: SlaTimersSweep;
  let redis: Redis;
  let position = 0;

  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
    connection = new RedisConnection(REDIS_URL, prefix);
    queue = new TimerQueue(connection, clock, 5 * MINUTE);
    sweep = new SlaTimersSweep(sql, queue, logger);
    redis = new Redis(REDIS_URL);
    await sql.exec(slaTimersProjection(queue).schema(''));
  });
  afterAll(async () => {
    await queue.close();
    await connection.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await sql.close();
  });

  const armed = async (caseId: string, clockId: string) => {
    const actions = [];
    for (const action of ['warning', 'breach', 'escalation'] as const) {
      if (await redis.exists(`${prefix}:${SLA_TIMERS_QUEUE}:${timerJobId(caseId, clockId, action)}`)) actions.push(action);
    }
    return actions;
  };

  const clockStarted = (caseId: string, clockId: string, warnAt: string, dueAt: string, escalateAt: string): RecordedEvent => {
    position++;
    return {
      id: randomUUID(),
      streamId: `case-${caseId}`,
      revision: 0,
      position: String(position),
      checkpoint: `${position}:${position}`,
      type: 'SlaClockStarted',
      data: { caseId, clockId, warnAt, dueAt, escalateAt },
      metadata: META,
    };
  };

  const project = (events: RecordedEvent[]) => sql.transaction((tx) => slaTimersProjection(queue).apply(tx, events, ''));

  it('a clock due within the horizon is armed by the scheduler; a later one is left to the sweep', async () => {
    const soon = randomUUID();
    const later = randomUUID();
    await project([
      clockStarted(soon, 'c1', at(2 * MINUTE), at(4 * MINUTE), at(10 * MINUTE)),
      clockStarted(later, 'c1', at(60 * MINUTE), at(90 * MINUTE), at(120 * MINUTE)),
    ]);
    // The horizon is 5 minutes: warning and breach of the first clock, nothing of the second.
    expect(await armed(soon, 'c1')).toEqual(['warning', 'breach']);
    expect(await armed(later, 'c1')).toEqual([]);
    // Every timer is pending in the table all the same.
    const pending = await sql.query<{ n: number }>('select count(*)::int as n from sla_timers where not done');
    expect(pending[0].n).toBe(6);

    // A sweep now finds nothing more to arm.
    expect(await sweep.sweep()).toBe(0);

    // Time passes: each sweep arms what has come within 5 minutes of now, and only that.
    clock.set(at(6 * MINUTE));
    expect(await sweep.sweep()).toBe(1);
    expect(await armed(soon, 'c1')).toEqual(['warning', 'breach', 'escalation']);
    clock.set(at(56 * MINUTE));
    expect(await sweep.sweep()).toBe(1);
    expect(await armed(later, 'c1')).toEqual(['warning']);
    clock.set(at(200 * MINUTE));
    expect(await sweep.sweep()).toBe(2);
    expect(await armed(later, 'c1')).toEqual(['warning', 'breach', 'escalation']);
    // Armed jobs wait until their instant (BullMQ's delay), whoever armed them.
    const job = await queue.queue.getJob(timerJobId(later, 'c1', 'warning'));
    expect(job?.opts.delay).toBe(4 * MINUTE);
  });

  it('a timer marked done is never armed, and a job Redis lost is armed again', async () => {
    const caseId = randomUUID();
    clock.set(at(1000 * MINUTE));
    const base = 1000 * MINUTE;
    await project([clockStarted(caseId, 'c2', at(base + 2 * MINUTE), at(base + 30 * MINUTE), at(base + 40 * MINUTE))]);
    expect(await armed(caseId, 'c2')).toEqual(['warning']);
    // The clock is met: its timers are done.
    position++;
    await project([
      {
        id: randomUUID(),
        streamId: `case-${caseId}`,
        revision: 1,
        position: String(position),
        checkpoint: `${position}:${position}`,
        type: 'UpdateSent',
        data: { caseId, meetsClockId: 'c2' },
        metadata: META,
      },
    ]);
    clock.set(at(base + 60 * MINUTE));
    expect(await sweep.sweep()).toBe(0);
    expect(await armed(caseId, 'c2')).toEqual(['warning']);

    // A pending timer whose job disappeared (a wipe): armed again by the next sweep.
    const other = randomUUID();
    await project([clockStarted(other, 'c3', at(base + 61 * MINUTE), at(base + 62 * MINUTE), at(base + 63 * MINUTE))]);
    expect(await armed(other, 'c3')).toEqual(['warning', 'breach', 'escalation']);
    await redis.del(`${prefix}:${SLA_TIMERS_QUEUE}:${timerJobId(other, 'c3', 'breach')}`);
    expect(await sweep.sweep()).toBe(1);
    expect(await armed(other, 'c3')).toEqual(['warning', 'breach', 'escalation']);
  });
});
