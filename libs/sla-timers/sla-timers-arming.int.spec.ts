import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RecordedEvent } from '../event-store/event-store';
import { PgliteSqlClient } from '../event-store/sql/pglite-sql-client';
import { FixedClock } from '../platform/clock/clock';
import { JsonLogger } from '../platform/logging/json-logger';
import { RedisConnection } from '../platform/redis/redis-connection';
import { SLA_TIMERS_QUEUE, timerJobId } from './sla-timer-job';
import { slaTimersProjection } from './sla-timers.projection';
import { slaTimerArmingReactor } from './sla-timer-arming.reactor';
import { SlaTimersSweep } from './sla-timers.sweep';
import { TimerQueue } from './timer-queue';
import { freshPgliteDir } from '../../test/support/pglite-template';

const REDIS_URL = 'redis://127.0.0.1:6379';
const MINUTE = 60_000;
const T0 = Date.parse('2026-03-02T09:00:00Z');
const META = { actor: 'test', occurredAt: new Date(T0).toISOString(), correlationId: 'c', causationId: null };
const at = (ms: number) => new Date(T0 + ms).toISOString();

/**
 * Lazy arming on real PGlite and real Redis: a timer becomes a BullMQ job when it is due within
 * the horizon, at once if its clock starts that close, otherwise from a sweep as its instant nears.
 */
describe('SLA timers: one row per clock, armed in Redis only as their instant comes near', () => {
  const prefix = `ct-test-arming-${randomUUID().slice(0, 8)}`;
  const clock = new FixedClock(new Date(T0));
  const logger = new JsonLogger('error');
  let sql: PgliteSqlClient;
  let files: { dir: string; remove(): void };
  let connection: RedisConnection;
  let queue: TimerQueue;
  let sweep: SlaTimersSweep;
  let redis: Redis;
  let position = 0;

  beforeAll(async () => {
    files = await freshPgliteDir(); // a fresh database without an initdb of its own
    sql = await PgliteSqlClient.open(files.dir);
    connection = new RedisConnection(REDIS_URL, prefix);
    queue = new TimerQueue(connection, clock, 5 * MINUTE);
    sweep = new SlaTimersSweep(sql, queue, logger);
    redis = new Redis(REDIS_URL);
    await sql.exec(slaTimersProjection.schema(''));
  });
  afterAll(async () => {
    await queue.close();
    await connection.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await sql.close();
    files.remove();
  });

  const armed = async (caseId: string, clockId: string) => {
    const actions = [];
    for (const action of ['warning', 'breach', 'escalation'] as const) {
      if (await redis.exists(`${prefix}:${SLA_TIMERS_QUEUE}:${timerJobId(caseId, clockId, action)}`))
        actions.push(action);
    }
    return actions;
  };

  const event = (caseId: string, revision: number, type: string, data: Record<string, unknown>): RecordedEvent => {
    position++;
    return {
      id: randomUUID(),
      streamId: `case-${caseId}`,
      revision,
      position: String(position),
      checkpoint: `${position}:${position}`,
      type,
      data: { caseId, ...data },
      metadata: META,
    };
  };
  const clockStarted = (
    caseId: string,
    clockId: string,
    warnAt: string,
    dueAt: string,
    escalateAt: string,
    extra: Record<string, unknown> = {},
  ) => event(caseId, 0, 'SlaClockStarted', { clockId, warnAt, dueAt, escalateAt, ...extra });

  // As the scheduler's runner does: the projection's rows (one transaction), then the arming reactor.
  const project = async (events: RecordedEvent[]) => {
    await sql.transaction((tx) => slaTimersProjection.apply(tx, events, ''));
    await slaTimerArmingReactor(sql, queue).react(events);
  };

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
    const pending = await sql.query<{ n: number }>(
      'select coalesce(sum(cardinality(pending)), 0)::int as n from sla_clock_timers',
    );
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
    await project([event(caseId, 1, 'UpdateSent', { meetsClockId: 'c2' })]);
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

  const row = async (caseId: string, clockId: string) =>
    (
      await sql.query<{ pending: string[]; next_at: Date | null }>(
        'select pending, next_at from sla_clock_timers where case_id = $1 and clock_id = $2',
        [caseId, clockId],
      )
    )[0];

  it('keeps one row per clock: its pending timers and when the first of them is due', async () => {
    const base = 5000 * MINUTE;
    clock.set(at(base));
    const a = randomUUID();
    const b = randomUUID();
    await project([
      clockStarted(a, 'k1', at(base + 60 * MINUTE), at(base + 90 * MINUTE), at(base + 120 * MINUTE)),
      clockStarted(b, 'k1', at(base + 60 * MINUTE), at(base + 90 * MINUTE), at(base + 120 * MINUTE)),
      // Started and already warned in the same batch.
      event(b, 1, 'SlaWarningRaised', { clockId: 'k1' }),
    ]);
    expect(await row(a, 'k1')).toEqual({
      pending: ['warning', 'breach', 'escalation'],
      next_at: new Date(at(base + 60 * MINUTE)),
    });
    expect(await row(b, 'k1')).toEqual({
      pending: ['breach', 'escalation'],
      next_at: new Date(at(base + 90 * MINUTE)),
    });

    // Several events of one batch on one clock: each takes its timers off.
    await project([event(a, 1, 'SlaWarningRaised', { clockId: 'k1' }), event(a, 2, 'SlaBreached', { clockId: 'k1' })]);
    expect(await row(a, 'k1')).toEqual({ pending: ['escalation'], next_at: new Date(at(base + 120 * MINUTE)) });

    // A severity change replaces the clock; resolving the case ends every clock it has.
    await project([
      clockStarted(b, 'k2', at(base + 30 * MINUTE), at(base + 45 * MINUTE), at(base + 50 * MINUTE), {
        replacesClockId: 'k1',
      }),
    ]);
    expect(await row(b, 'k1')).toEqual({ pending: [], next_at: null });
    expect((await row(b, 'k2')).pending).toEqual(['warning', 'breach', 'escalation']);
    await project([event(b, 5, 'CaseResolved', {})]);
    expect(await row(b, 'k2')).toEqual({ pending: [], next_at: null });
    expect((await row(a, 'k1')).pending).toEqual(['escalation']);

    // Only what is still pending is armed.
    clock.set(at(base + 200 * MINUTE));
    await sweep.sweep();
    expect(await armed(a, 'k1')).toEqual(['escalation']);
    expect(await armed(b, 'k1')).toEqual([]);
    expect(await armed(b, 'k2')).toEqual([]);
  });

  it('a breach (or an escalation) recorded before the warning keeps the warning pending: the sweep arms it until it is recorded', async () => {
    const base = 9000 * MINUTE;
    clock.set(at(base));
    const c = randomUUID();
    await project([clockStarted(c, 'k1', at(base + 60 * MINUTE), at(base + 90 * MINUTE), at(base + 120 * MINUTE))]);
    // After an outage the breach and the escalation ran first.
    await project([
      event(c, 1, 'SlaBreached', { clockId: 'k1' }),
      event(c, 2, 'EscalatedToManager', { clockId: 'k1', automatic: true }),
    ]);
    expect(await row(c, 'k1')).toEqual({ pending: ['warning'], next_at: new Date(at(base + 60 * MINUTE)) });
    clock.set(at(base + 130 * MINUTE));
    await sweep.sweep();
    expect(await armed(c, 'k1')).toEqual(['warning']);
    await project([event(c, 3, 'SlaWarningRaised', { clockId: 'k1' })]);
    expect(await row(c, 'k1')).toEqual({ pending: [], next_at: null });
  });

  it('converts a table of the earlier layout (one row per timer) once, keeping what was done', async () => {
    const s = '_earlier';
    await sql.exec(`create table sla_timers${s} (job_id text primary key, case_id text not null, clock_id text not null, action text not null,
                      run_at timestamptz not null, clock_event_id text not null, done boolean not null default false)`);
    await sql.query(
      `insert into sla_timers${s} values
         ('x.c.warning', 'x', 'c', 'warning', '2026-03-02T10:00:00Z', 'ev1', true),
         ('x.c.breach', 'x', 'c', 'breach', '2026-03-02T11:00:00Z', 'ev1', false),
         ('x.c.escalation', 'x', 'c', 'escalation', '2026-03-02T12:00:00Z', 'ev1', false),
         ('y.c.warning', 'y', 'c', 'warning', '2026-03-02T10:00:00Z', 'ev2', true),
         ('y.c.breach', 'y', 'c', 'breach', '2026-03-02T11:00:00Z', 'ev2', true),
         ('y.c.escalation', 'y', 'c', 'escalation', '2026-03-02T12:00:00Z', 'ev2', true)`,
    );
    await sql.exec(slaTimersProjection.schema(s));
    expect(
      await sql.query(
        `select case_id, clock_event_id, warn_at, due_at, escalate_at, pending, next_at from sla_clock_timers${s} order by case_id`,
      ),
    ).toEqual([
      {
        case_id: 'x',
        clock_event_id: 'ev1',
        warn_at: new Date('2026-03-02T10:00:00Z'),
        due_at: new Date('2026-03-02T11:00:00Z'),
        escalate_at: new Date('2026-03-02T12:00:00Z'),
        pending: ['breach', 'escalation'],
        next_at: new Date('2026-03-02T11:00:00Z'),
      },
      {
        case_id: 'y',
        clock_event_id: 'ev2',
        warn_at: new Date('2026-03-02T10:00:00Z'),
        due_at: new Date('2026-03-02T11:00:00Z'),
        escalate_at: new Date('2026-03-02T12:00:00Z'),
        pending: [],
        next_at: null,
      },
    ]);
    expect(await sql.query(`select to_regclass('sla_timers${s}') as old`)).toEqual([{ old: null }]);
    // Running the schema again changes nothing.
    await sql.exec(slaTimersProjection.schema(s));
    expect(await sql.query(`select count(*)::int as n from sla_clock_timers${s}`)).toEqual([{ n: 2 }]);
  });

  it('a paused clock keeps only its auto-resume timer; resumed, its three timers come back at the moved instants as jobs of a new generation', async () => {
    const base = 10_000 * MINUTE;
    clock.set(at(base));
    const c = randomUUID();
    const job = (action: string, generation: number) =>
      `${prefix}:${SLA_TIMERS_QUEUE}:${timerJobId(c, 'n2', action as 'warning', generation)}`;
    await project([
      clockStarted(c, 'n2', at(base + 2 * MINUTE), at(base + 4 * MINUTE), at(base + 10 * MINUTE)),
      event(c, 1, 'SlaClockPaused', { clockId: 'n2', autoResumeAt: at(base + 3 * MINUTE) }),
    ]);
    expect(await row(c, 'n2')).toEqual({ pending: ['auto-resume'], next_at: new Date(at(base + 3 * MINUTE)) });
    expect(await armed(c, 'n2')).toEqual([]);
    expect(await redis.exists(job('auto-resume', 1))).toBe(1);

    // Resumed a minute later: every instant one minute later, generation 2.
    await project([
      event(c, 2, 'SlaClockResumed', {
        clockId: 'n2',
        warnAt: at(base + 3 * MINUTE),
        dueAt: at(base + 5 * MINUTE),
        escalateAt: at(base + 11 * MINUTE),
      }),
    ]);
    expect(await row(c, 'n2')).toEqual({
      pending: ['warning', 'breach', 'escalation'],
      next_at: new Date(at(base + 3 * MINUTE)),
    });
    expect([
      await redis.exists(job('warning', 2)),
      await redis.exists(job('breach', 2)),
      await redis.exists(job('escalation', 2)),
    ]).toEqual([1, 1, 0]);
    expect(Date.parse((await queue.queue.getJob(timerJobId(c, 'n2', 'breach', 2)))!.data.runAt)).toBe(
      Date.parse(at(base + 5 * MINUTE)),
    );

    // Redis loses them: the sweep re-creates the same generation's jobs.
    await redis.del(job('warning', 2), job('breach', 2));
    expect(await sweep.sweep()).toBe(2);
    expect([await redis.exists(job('warning', 2)), await redis.exists(job('breach', 2))]).toEqual([1, 1]);

    await project([event(c, 3, 'CaseResolved', {})]);
    expect(await row(c, 'n2')).toEqual({ pending: [], next_at: null });
  });

  it("an open case's triage timer is a row of its own, done once staff triage", async () => {
    const base = 20_000 * MINUTE;
    clock.set(at(base));
    const c = randomUUID();
    await project([event(c, 0, 'CaseSubmitted', { triageDueAt: at(base + 30 * MINUTE) })]);
    expect(await row(c, 'triage')).toEqual({ pending: ['triage'], next_at: new Date(at(base + 30 * MINUTE)) });
    await project([event(c, 3, 'SeverityAssigned', { severity: 'B', triage: false })]);
    expect((await row(c, 'triage')).pending).toEqual(['triage']);
    await project([event(c, 4, 'SeverityAssigned', { severity: 'C', triage: true })]);
    expect(await row(c, 'triage')).toEqual({ pending: [], next_at: null });
  });
});
