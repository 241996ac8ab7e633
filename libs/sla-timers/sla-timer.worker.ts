import { DelayedError, Job, Worker } from 'bullmq';
import { CaseAction } from '../cases/case-commands';
import { CaseCommandService } from '../cases/case-command.service';
import { IllegalStateError } from '../domain/shared/domain-errors';
import { SYSTEM_PRINCIPAL } from '../platform/auth/principal';
import { JsonLogger } from '../platform/logging/json-logger';
import { closeWorker } from '../platform/redis/close-worker';
import { asDependencyUnavailable, RETRY_AFTER_SECONDS } from '../platform/health/dependency-unavailable';
import { RedisConnection } from '../platform/redis/redis-connection';
import { timerActionsTotal, timerLateness } from '../platform/metrics/command-metrics';
import { SLA_TIMERS_QUEUE, SlaTimerJob, TIMER_ACTIONS, TimerAction } from './sla-timer-job';

/** Each timer action is a command on the case, decided (and de-duplicated) by the case decider. */
const COMMAND_OF: Record<TimerAction, (clockId: string) => CaseAction> = {
  warning: (clockId) => ({ type: 'RaiseSlaWarning', data: { clockId } }),
  breach: (clockId) => ({ type: 'RecordSlaBreach', data: { clockId } }),
  escalation: (clockId) => ({ type: 'EscalateOverdue', data: { clockId } }),
  'auto-resume': (clockId) => ({ type: 'AutoResumeClock', data: { clockId } }),
  triage: () => ({ type: 'RaiseTriageAlert', data: {} }),
};

/**
 * Runs due SLA timers. A handler re-reads the case and appends with the expected revision, so a
 * late, repeated or stale job records nothing. A job that runs early (clock skew) is put back
 * until its instant.
 */
export class SlaTimerWorker {
  private worker: Worker<SlaTimerJob> | null = null;

  constructor(
    private readonly redis: RedisConnection,
    private readonly commands: CaseCommandService,
    private readonly logger: JsonLogger,
  ) {
    // Like immich: refuse to start with a job kind that has no handler.
    const missing = TIMER_ACTIONS.filter((action) => typeof COMMAND_OF[action] !== 'function');
    if (missing.length) throw new Error(`SLA timer jobs without a handler: ${missing.join(', ')}`);
  }

  start(concurrency = 8): void {
    this.worker = new Worker<SlaTimerJob>(SLA_TIMERS_QUEUE, (job, token) => this.process(job, token), {
      connection: this.redis.client({ forWorker: true }),
      prefix: this.redis.prefix,
      concurrency,
      // A worker killed mid-job: its job is run again by another (or the restarted) worker soon.
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 5,
    });
    this.worker.on('failed', (job, error) => {
      timerActionsTotal.inc({ action: job?.data.action ?? 'unknown', outcome: 'failed' });
      this.logger.event(
        'error',
        'SLA timer failed',
        {
          jobId: job?.id,
          action: job?.data.action,
          caseId: job?.data.caseId,
          attempts: job?.attemptsMade,
          error: error.message,
        },
        'SlaTimers',
      );
    });
    // While Redis is down the worker reports each reconnection attempt: one line per distinct
    // error is enough (it reconnects by itself, and resumes taking jobs when Redis is back).
    let lastError = '';
    this.worker.on('error', (error) => {
      if (error.message === lastError) return;
      lastError = error.message;
      this.logger.event('error', 'SLA timer worker error', { error: error.message }, 'SlaTimers');
    });
    this.worker.on('ready', () => (lastError = ''));
  }

  async stop(): Promise<void> {
    await closeWorker(this.worker, this.logger, 'SlaTimers');
  }

  private async process(job: Job<SlaTimerJob>, token: string | undefined): Promise<void> {
    const { caseId, clockId, action, clockEventId } = job.data;
    const toCommand = COMMAND_OF[action];
    if (!toCommand) throw new Error(`no handler for SLA timer job "${action}"`);
    const startedAt = Date.now();
    try {
      // The same path as an HTTP command, as the system principal.
      const outcome = await this.commands.execute(caseId, toCommand(clockId), {
        principal: SYSTEM_PRINCIPAL,
        correlationId: String(job.id),
        causationId: clockEventId,
      });
      // One line and one count per run: what it recorded (nothing when the case moved on, or
      // when a repeated job finds its work done) and how late it ran.
      const latenessSeconds = Math.max(0, (startedAt - Date.parse(job.data.runAt)) / 1000);
      const recorded = outcome.events.map((e) => e.type);
      timerActionsTotal.inc({ action, outcome: recorded.length ? 'recorded' : 'nothing' });
      if (Number.isFinite(latenessSeconds)) timerLateness.observe({ action }, latenessSeconds);
      this.logger.event(
        'info',
        'SLA timer action',
        {
          domain: 'sla',
          action,
          caseId,
          clockId,
          jobId: job.id,
          recorded,
          latenessSeconds: Number.isFinite(latenessSeconds) ? latenessSeconds : null,
        },
        'SlaTimers',
      );
    } catch (error) {
      const notBefore =
        error instanceof IllegalStateError ? (error.details.notBefore as string | undefined) : undefined;
      // The database is down: try again a little later without using an attempt, so that a long
      // outage cannot exhaust a timer's attempts (a failed job is never armed again).
      const unavailable = asDependencyUnavailable(error);
      if (unavailable && token) {
        timerActionsTotal.inc({ action, outcome: 'delayed' });
        await job.moveToDelayed(Date.now() + RETRY_AFTER_SECONDS * 1000, token);
        throw new DelayedError();
      }
      if (!notBefore || !token) throw error;
      // Fired before its instant (clocks differ a little): wait until then, without using an attempt.
      timerActionsTotal.inc({ action, outcome: 'delayed' });
      await job.moveToDelayed(Date.parse(notBefore) + 1, token);
      throw new DelayedError();
    }
  }
}
