import { commandDuration } from '../metrics/command-metrics';
import { JsonLogger } from '../logging/json-logger';
import { toProblem } from '../http/problem-details.filter';
import { CommandMetadata } from './command-metadata';

/** A command's type for metrics and logs. */
export const commandType = (command: unknown): string => (command as { type?: string } | null)?.type ?? 'unknown';

/** Seconds since `started` (a performance.now() reading). */
const since = (started: number) => (performance.now() - started) / 1000;

/** A command that ran (decided and, if it had anything to say, stored). */
export function commandRan(type: string, started: number): void {
  commandDuration.observe({ command: type, outcome: 'ok' }, since(started));
}

/**
 * A command that did not run (also one refused before it reaches handleCommand, e.g. a submission
 * checked before its reference is reserved): observed as refused (the rules, a stale If-Match, an
 * unknown or invisible stream) with one domain log line, or as failed (a lost database, logged
 * where it is answered). The line names the status the caller is answered with, so the one
 * error-to-status mapping (toProblem) is asked, not a second copy of it.
 */
export function commandNotRun(
  logger: JsonLogger | undefined,
  type: string,
  streamId: string,
  metadata: CommandMetadata,
  error: unknown,
  started: number,
): void {
  const problem = toProblem(error);
  const outcome = problem.status < 500 ? 'refused' : 'failed';
  commandDuration.observe({ command: type, outcome }, since(started));
  if (outcome !== 'refused') return;
  logger?.event(
    'info',
    'command refused',
    {
      domain: 'command',
      command: type,
      streamId,
      status: problem.status,
      reason: problem.detail ?? problem.title,
      keyName: metadata.principal?.name ?? null,
      correlationId: metadata.correlationId,
    },
    'Commands',
  );
}
