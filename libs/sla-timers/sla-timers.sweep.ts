import { SqlClient } from '../event-store/sql/sql-client';
import { JsonLogger } from '../platform/logging/json-logger';
import { timerJobId } from './sla-timer-job';
import { ClockTimersRow } from './read-clock-timers';
import { pendingJobs } from './sla-timers.projection';
import { TimerQueue } from './timer-queue';

const PAGE = 5000;

/**
 * Arms every pending timer due within the arming horizon that Redis does not hold: the timers
 * the scheduler left for later (due beyond the horizon when their clock started), and any that
 * Redis lost (eviction, FLUSHDB, a Redis without persistence restarted). The pending timers are
 * rows derived from the events, the jobs only their executable copy. Runs at start and then
 * periodically, more often than the horizon (armingHorizonMs), and walks only the timers due
 * before the horizon's end, so a pass costs what is imminent, not every open case's timers.
 */
export class SlaTimersSweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private failing = false;

  constructor(
    private readonly sql: SqlClient,
    private readonly queue: TimerQueue,
    private readonly logger: JsonLogger,
  ) {}

  start(intervalMs: number): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns how many jobs it re-created. Overlapping calls share one pass. */
  sweep(): Promise<number> {
    this.running ??= this.pass()
      .then((armed) => {
        if (this.failing) this.logger.event('info', 'SLA timer sweep resumed', {}, 'SlaTimers');
        this.failing = false;
        return armed;
      })
      .catch((error) => {
        // One line when the failures begin; the passes after it retry quietly until one succeeds.
        if (!this.failing)
          this.logger.event(
            'error',
            'SLA timer sweep failed; retrying each pass',
            { error: (error as Error).message },
            'SlaTimers',
          );
        this.failing = true;
        return 0;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const end = this.queue.horizonEnd();
    let after: [string, string, string] = ['-infinity', '', ''];
    let armed = 0;
    for (;;) {
      const rows = await this.sql.query<ClockTimersRow>(
        `select case_id, clock_id, clock_event_id, warn_at, due_at, escalate_at, resume_at, generation, pending, next_at from sla_clock_timers
          where next_at is not null and next_at <= $4::timestamptz and (next_at, case_id, clock_id) > ($1::timestamptz, $2, $3)
          order by next_at, case_id, clock_id limit ${PAGE}`,
        [...after, end.toISOString()],
      );
      if (rows.length === 0) break;
      const last = rows[rows.length - 1];
      after = [new Date(last.next_at!).toISOString(), last.case_id, last.clock_id];
      const due = this.queue
        .imminent(rows.flatMap(pendingJobs), end)
        .map((job) => ({ job, id: timerJobId(job.caseId, job.clockId, job.action, job.generation) }));
      const missing = await this.queue.missing(due.map((d) => d.id));
      const jobs = due.filter((d) => missing.has(d.id)).map((d) => d.job);
      await this.queue.schedule(jobs);
      armed += jobs.length;
    }
    if (armed > 0)
      this.logger.event('info', 'SLA timer sweep armed timers', { armed, horizonEnd: end.toISOString() }, 'SlaTimers');
    return armed;
  }
}
