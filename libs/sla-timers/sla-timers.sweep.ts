import { SqlClient } from '../event-store/sql/sql-client';
import { JsonLogger } from '../platform/logging/json-logger';
import { SlaTimerJob, TimerAction } from './sla-timer-job';
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
      .catch((error) => {
        this.logger.event('error', 'SLA timer sweep failed', { error: (error as Error).message }, 'SlaTimers');
        return 0;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const end = this.queue.horizonEnd().toISOString();
    let after: [string, string] = ['-infinity', ''];
    let restored = 0;
    for (;;) {
      const rows = await this.sql.query<{ job_id: string; case_id: string; clock_id: string; action: string; run_at: Date | string; clock_event_id: string }>(
        `select job_id, case_id, clock_id, action, run_at, clock_event_id from sla_timers
          where not done and run_at <= $3::timestamptz and (run_at, job_id) > ($1::timestamptz, $2)
          order by run_at, job_id limit ${PAGE}`,
        [after[0], after[1], end],
      );
      if (rows.length === 0) break;
      const last = rows[rows.length - 1];
      after = [new Date(last.run_at).toISOString(), last.job_id];
      const missing = await this.queue.missing(rows.map((r) => r.job_id));
      const jobs: SlaTimerJob[] = rows
        .filter((r) => missing.has(r.job_id))
        .map((r) => ({
          caseId: r.case_id,
          clockId: r.clock_id,
          action: r.action as TimerAction,
          runAt: new Date(r.run_at).toISOString(),
          clockEventId: r.clock_event_id,
        }));
      await this.queue.schedule(jobs);
      restored += jobs.length;
    }
    if (restored > 0) this.logger.event('info', 'SLA timer sweep armed timers', { armed: restored, horizonEnd: end }, 'SlaTimers');
    return restored;
  }
}
