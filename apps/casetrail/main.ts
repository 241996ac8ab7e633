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
  // Until the configuration is read (and if it cannot be), the default level.
  let logger = new JsonLogger('info');
  try {
    const config = loadConfig();
    logger = new JsonLogger(config.logLevel);
    // The process ends on a signal, or on an error nothing caught: its state is then unknown, and
    // its supervisor starts a fresh one. Either way one JSON line says why. (Lost dependencies
    // are not such errors: requests answer 503 and background work retries.)
    const fatal = (kind: string) => (error: unknown) => {
      logger.event(
        'error',
        `${kind}; exiting`,
        { error: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack },
        'Process',
      );
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
        .then(
          () => logger.event('info', 'stopped', { signal }, 'Process'),
          (error: Error) => {
            process.stderr.write(`casetrail: shutdown: ${error.message}\n`);
            logger.event('error', 'shutdown failed', { signal, error: error.message }, 'Process');
          },
        )
        .then(() => process.exit(0));
      return stopping;
    };
    // The handler's promise is kept in `stopping` and settles on its own (both outcomes are handled above).
    process.once('SIGTERM', (signal) => void stop(signal));
    process.once('SIGINT', (signal) => void stop(signal));
  } catch (error) {
    const known = OPERATOR_ERRORS.some((type) => error instanceof type);
    // One line for the operator on stderr, and the same as JSON on stdout for the log shipper.
    process.stderr.write(`casetrail: ${known ? (error as Error).message : (error as Error).stack}\n`);
    logger.event(
      'error',
      'start-up failed; exiting',
      {
        error: (error as Error)?.message ?? String(error),
        errorType: (error as Error)?.name,
        ...(known ? {} : { stack: (error as Error)?.stack }),
      },
      'Startup',
    );
    process.exit(1);
  }
}

void main();
