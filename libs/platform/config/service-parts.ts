import type { AppConfig } from './app-config';

/**
 * What one Nest application (one thread of one process) runs: the API routes, the consumers
 * (projections, SLA timers, alert delivery), or both. Every application serves /health* and
 * /metrics. Derived from the role and the thread topology (BACKGROUND_THREAD), never by
 * rewriting the configuration.
 */
export interface ServiceParts {
  readonly api: boolean;
  readonly consumers: boolean;
}

export const SERVICE_PARTS = Symbol('SERVICE_PARTS');

/**
 * `api`: the routes, no consumer. `worker`: the consumers, no route but the operational ones.
 * `all`: both; with BACKGROUND_THREAD=on (the default) the main thread serves the API and a
 * worker thread runs the consumers, so each has a core (BENCHMARKS.md).
 */
export function serviceParts(
  config: Pick<AppConfig, 'role' | 'backgroundThread'>,
  thread: 'main' | 'background',
): ServiceParts {
  if (thread === 'background') return { api: false, consumers: true };
  switch (config.role) {
    case 'api':
      return { api: true, consumers: false };
    case 'worker':
      return { api: false, consumers: true };
    case 'all':
      return { api: true, consumers: !config.backgroundThread };
  }
}

/** Role `all` with BACKGROUND_THREAD=on: this process runs its consumers in a worker thread. */
export function usesBackgroundThread(config: Pick<AppConfig, 'role' | 'backgroundThread'>): boolean {
  return config.role === 'all' && config.backgroundThread;
}
