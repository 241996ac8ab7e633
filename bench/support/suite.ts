import { Metric } from './metrics';

/** What main.ts hands a suite (in a child process of its own). */
export interface SuiteTask {
  readonly suite: string;
  /** Unique per `npm run bench`: every schema, database and Redis prefix of the run starts with it. */
  readonly runId: string;
  readonly quick: boolean;
  /** The sizes to run, ascending (events, or pending jobs for the timers). */
  readonly sizes: number[];
  readonly params: Record<string, unknown>;
}

export type SuiteRunner = (task: SuiteTask) => Promise<Metric[]>;

/** Names that PostgreSQL and Redis accept, derived from the run id. */
export function schemaName(task: Pick<SuiteTask, 'runId'>, ...parts: Array<string | number>): string {
  return [task.runId, ...parts]
    .join('_')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
}

export function redisPrefix(task: Pick<SuiteTask, 'runId'>, ...parts: Array<string | number>): string {
  return ['ct', task.runId, ...parts].join('-');
}

/**
 * Sends metrics measured so far to main.ts (a child process): if the suite fails later, they are
 * kept. main.ts replaces them with the final list when the suite ends normally.
 */
export function reportPartial(metrics: Metric[]): void {
  process.send?.({ type: 'partial', metrics });
}
