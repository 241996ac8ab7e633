import { openStores, Stores } from '../casetrail/startup/connect-dependencies';
import { AppConfig } from '../../libs/platform/config/app-config';
import { JsonLogger } from '../../libs/platform/logging/json-logger';

/** What a command needs: the event store, and the read-model database for `rebuild`. Never Redis. */
export type CliDependencies = Stores;

/**
 * Opens the stores with the service's own start-up code (apps/casetrail/startup/connect-dependencies.ts),
 * as a command: no Redis, small pools, the event tables created only when missing. The embedded
 * store's DATA_DIR may be open in one process only: while the service runs, its pid file makes
 * this throw a one-line DependencyError telling to stop the service first. On PostgreSQL the
 * CLI runs beside the live service.
 */
export function openCliDependencies(config: AppConfig, options: { readModels: boolean }): Promise<CliDependencies> {
  // Errors only, and on stderr: stdout carries a command's output (export's NDJSON).
  const logger = new JsonLogger('error', (line) => process.stderr.write(line + '\n'));
  return openStores(config, logger, { command: { readModels: options.readModels } });
}
