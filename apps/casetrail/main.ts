import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../libs/platform/config/app-config';
import { DependencyError } from '../../libs/platform/health/dependency-error';
import { ApiKeysFileError } from '../../libs/platform/auth/api-keys';
import { SlaPolicyError } from '../../libs/domain/sla/sla-errors';
import { startService } from './bootstrap';
import { JsonLogger } from '../../libs/platform/logging/json-logger';

/** Errors an operator fixes outside the code: one line, no stack trace. */
const OPERATOR_ERRORS = [ConfigError, DependencyError, ApiKeysFileError, SlaPolicyError];

async function main(): Promise<void> {
  try {
    const config = loadConfig();
    const logger = new JsonLogger(config.logLevel);
    // The process ends on a signal, or on an error nothing caught: its state is then unknown, and
    // its supervisor starts a fresh one. Either way one JSON line says why. (Lost dependencies
    // are not such errors: requests answer 503 and background work retries.)
    const fatal = (kind: string) => (error: unknown) => {
      logger.event('error', `${kind}; exiting`, { error: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack }, 'Process');
      process.exit(1);
    };
    process.on('uncaughtException', fatal('uncaught exception'));
    process.on('unhandledRejection', fatal('unhandled promise rejection'));
    const service = await startService(config, { logger });
    let stopping: Promise<void> | null = null;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return stopping;
      logger.event('info', `stopping on ${signal}`, {}, 'Process');
      stopping = service
        .close()
        .catch((error: Error) => process.stderr.write(`casetrail: shutdown: ${error.message}\n`))
        .then(() => process.exit(0));
      return stopping;
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    const known = OPERATOR_ERRORS.some((type) => error instanceof type);
    process.stderr.write(`casetrail: ${known ? (error as Error).message : (error as Error).stack}\n`);
    process.exit(1);
  }
}

void main();
